/**
 * UUIDs in ALF names: Alyx dataset ids are appended as an extra part
 * ('trials.intervals.<uuid>.npy') when files are served from the FlatIron server.
 */
import { pathlibPosix } from './paths';

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[345][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HEX32 = /^[0-9a-fA-F]{32}$/;

/**
 * A randomly generated (v3/v4/v5) UUID in its canonical lower-case hyphenated form (ONE's
 * `is_uuid_string`, which requires str(UUID(s)) == s).
 */
export function isUuidString(s: unknown): boolean {
  return typeof s === 'string' && CANONICAL.test(s);
}

/**
 * Whether a string is a UUID of one of `versions` in any form Python's UUID() reads:
 * hyphens anywhere, braces, 'urn:uuid:' prefix, either case (ONE's `is_uuid`, for strings).
 */
export function isUuid(s: unknown, versions: readonly number[] = [4, 3]): boolean {
  if (typeof s !== 'string') return false;
  const hex = s.replace(/urn:/g, '').replace(/uuid:/g, '').replace(/^[{}]+|[{}]+$/g, '').replace(/-/g, '');
  // Python's int(hex, 16) would also take '0x', '+', '_' and surrounding spaces within the 32
  // characters; such ids never occur in file names, so only plain hex digits are accepted.
  if (!HEX32.test(hex)) return false;
  // The version is only defined for the RFC 4122 variant (first bits of clock_seq '10').
  const variant = Number.parseInt(hex[16] as string, 16);
  if ((variant & 0xc) !== 0x8) return false;
  return versions.includes(Number.parseInt(hex[12] as string, 16));
}

/** pathlib's suffix rule: the last '.' part, unless the dot is first or last. */
function splitSuffix(name: string): { stem: string; suffix: string } {
  const i = name.lastIndexOf('.');
  if (i > 0 && i < name.length - 1) return { stem: name.slice(0, i), suffix: name.slice(i) };
  return { stem: name, suffix: '' };
}

/** Folder (with its final '/') and pathlib's name; the name of '' and '.' is ''. */
function splitDir(p: string): { dir: string; name: string } {
  const s = pathlibPosix(p);
  if (s === '.') return { dir: '', name: '' };
  const slash = s.lastIndexOf('/');
  return slash < 0 ? { dir: '', name: s } : { dir: s.slice(0, slash + 1), name: s.slice(slash + 1) };
}

/**
 * Add (or replace) a UUID as the last extra part of an ALF file name (ONE's
 * `add_uuid_string`). Throws RangeError when `uuid` is not a canonical UUID string.
 */
export function addUuidString(filePath: string, uuid: string): string {
  if (!isUuidString(uuid)) throw new RangeError('Should provide a valid UUID v4');
  const { dir, name } = splitDir(filePath);
  const { stem, suffix } = splitSuffix(name);
  const parts = stem.split('.');
  if (isUuid(parts[parts.length - 1])) {
    // Same id: nothing to do; another id: replace it rather than stacking two.
    if (parts[parts.length - 1] === uuid) return dir + name;
    parts.pop();
  }
  return `${dir}${parts.join('.')}.${uuid}${suffix}`;
}

/** Remove a UUID extra part from an ALF file name, if present (ONE's `remove_uuid_string`). */
export function removeUuidString(filePath: string): string {
  const { dir, name } = splitDir(filePath);
  const { stem, suffix } = splitSuffix(name);
  const parts = stem.split('.');
  if (!isUuidString(parts[parts.length - 1])) return dir + name;
  return dir + parts.slice(0, -1).join('.') + suffix;
}

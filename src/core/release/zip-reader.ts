/**
 * Reads a zip's central directory and checks every entry before anything is unpacked: names
 * that would land outside the destination, links, duplicates, encryption, unknown methods, and
 * sizes or ratios no honest archive has. Errors name the entry.
 */
import type { FileHandle } from 'node:fs/promises';
import { EOCD_SIZE, MAX_U16, MAX_U32, SIG_CENTRAL, SIG_EOCD, SIG_ZIP64_EOCD, SIG_ZIP64_LOCATOR, ZIP64_LOCATOR_SIZE } from './zip-format';

export interface ZipEntryInfo {
  /** The name as stored. */
  rawName: string;
  /** Safe relative posix path to unpack to (for a folder entry, without the trailing slash). */
  name: string;
  isFolder: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  nameBytes: Buffer;
  /** Seconds since 1970 when the entry carries one (Info-ZIP "UT" field), else from the DOS fields. */
  mtimeMs: number;
}

/** The archive is not a zip, is damaged, or holds an entry that must not be unpacked. */
export class ReleaseArchiveError extends Error {
  override readonly name = 'ReleaseArchiveError';
}

export interface ArchiveLimits {
  /** Refuse archives that unpack to more than this many bytes in all. */
  maxTotalSize: number;
  /** Refuse entries that inflate by more than this factor (above `ratioFloor` bytes). */
  maxRatio: number;
  ratioFloor: number;
  maxEntries: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxTotalSize: 4 * 1024 ** 4,
  maxRatio: 1000,
  ratioFloor: 1024 * 1024,
  maxEntries: 10_000_000,
};

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const b = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(b, done, length - done, position + done);
    if (bytesRead === 0) throw new ReleaseArchiveError('the zip ends early: it is truncated (download it again)');
    done += bytesRead;
  }
  return b;
}

export async function readCentralDirectory(fh: FileHandle, fileSize: number, limits: ArchiveLimits = DEFAULT_LIMITS): Promise<ZipEntryInfo[]> {
  const tailLength = Math.min(fileSize, EOCD_SIZE + MAX_U16);
  if (tailLength < EOCD_SIZE) throw new ReleaseArchiveError('not a zip file (too short)');
  const tail = await readAt(fh, fileSize - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ReleaseArchiveError('not a zip file (no end of central directory): is it complete?');
  if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0) throw new ReleaseArchiveError('a zip split over several files is not supported');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  const locatorAt = eocd - ZIP64_LOCATOR_SIZE;
  if (locatorAt >= 0 && tail.readUInt32LE(locatorAt) === SIG_ZIP64_LOCATOR) {
    const z64Offset = Number(tail.readBigUInt64LE(locatorAt + 8));
    if (z64Offset + 56 > fileSize) throw new ReleaseArchiveError('damaged zip: the Zip64 end record lies outside the file');
    const z = await readAt(fh, z64Offset, 56);
    if (z.readUInt32LE(0) !== SIG_ZIP64_EOCD) throw new ReleaseArchiveError('damaged zip: no Zip64 end record where the locator points');
    count = Number(z.readBigUInt64LE(32));
    cdSize = Number(z.readBigUInt64LE(40));
    cdOffset = Number(z.readBigUInt64LE(48));
  }
  if (count > limits.maxEntries) throw new ReleaseArchiveError(`the zip says it has ${count} entries, more than the ${limits.maxEntries} allowed`);
  if (cdOffset + cdSize > fileSize || cdSize > 1024 ** 3) throw new ReleaseArchiveError('damaged zip: the central directory lies outside the file');
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntryInfo[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== SIG_CENTRAL) throw new ReleaseArchiveError(`damaged zip: central directory entry ${i + 1} of ${count} is unreadable`);
    const madeBy = cd.readUInt16LE(at + 4);
    const flags = cd.readUInt16LE(at + 8);
    const method = cd.readUInt16LE(at + 10);
    const dosTime = cd.readUInt16LE(at + 12);
    const dosDate = cd.readUInt16LE(at + 14);
    const crc = cd.readUInt32LE(at + 16);
    let compressedSize = cd.readUInt32LE(at + 20);
    let size = cd.readUInt32LE(at + 24);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    const external = cd.readUInt32LE(at + 38);
    let localOffset = cd.readUInt32LE(at + 42);
    const nameBytes = cd.subarray(at + 46, at + 46 + nameLength);
    const extra = cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (at > cd.length) throw new ReleaseArchiveError(`damaged zip: central directory entry ${i + 1} runs past its end`);
    const rawName = nameBytes.toString('utf8');
    let mtimeMs = dosToMs(dosDate, dosTime);
    for (let x = 0; x + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(x);
      const len = extra.readUInt16LE(x + 2);
      const body = extra.subarray(x + 4, x + 4 + len);
      if (id === 0x0001) {
        let y = 0;
        const next = () => {
          if (y + 8 > body.length) throw new ReleaseArchiveError(`damaged zip: ${rawName}: Zip64 field too short`);
          const v = Number(body.readBigUInt64LE(y));
          y += 8;
          return v;
        };
        if (size === MAX_U32) size = next();
        if (compressedSize === MAX_U32) compressedSize = next();
        if (localOffset === MAX_U32) localOffset = next();
      } else if (id === 0x5455 && len >= 5 && (body[0]! & 1)) {
        mtimeMs = body.readUInt32LE(1) * 1000;
      }
      x += 4 + len;
    }
    const name = checkName(rawName);
    const mode = external >>> 16;
    if (madeBy >> 8 === 3 && (mode & 0o170000) === 0o120000) throw new ReleaseArchiveError(`${rawName}: the zip holds a symbolic link, which is never unpacked (it could point outside the folder)`);
    if (flags & 1) throw new ReleaseArchiveError(`${rawName}: the entry is encrypted`);
    const isFolder = rawName.endsWith('/') || rawName.endsWith('\\');
    if (!isFolder && method !== 0 && method !== 8) throw new ReleaseArchiveError(`${rawName}: compression method ${method} is not supported (only stored and deflate)`);
    if (method === 0 && compressedSize !== size) throw new ReleaseArchiveError(`${rawName}: a stored entry whose sizes differ (${compressedSize} and ${size} bytes): the zip is damaged`);
    if (size > limits.ratioFloor && size / Math.max(compressedSize, 1) > limits.maxRatio) {
      throw new ReleaseArchiveError(`${rawName}: ${size} bytes from ${compressedSize} compressed is an implausible ratio (a zip bomb?): refused`);
    }
    entries.push({ rawName, name, isFolder, method, crc, compressedSize, size, localOffset, nameBytes: Buffer.from(nameBytes), mtimeMs });
  }
  checkEntries(entries, cdOffset, limits);
  return entries;
}

function dosToMs(date: number, time: number): number {
  return Date.UTC(1980 + (date >> 9), ((date >> 5) & 15) - 1, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2);
}

/** The safe relative path of a stored name, or an error naming it. */
export function checkName(raw: string): string {
  if (raw.length === 0) throw new ReleaseArchiveError('an entry has an empty name');
  if (raw.includes('\0')) throw new ReleaseArchiveError(`${JSON.stringify(raw)}: a name with a NUL character`);
  const slashed = raw.replace(/\\/gu, '/');
  if (slashed.startsWith('/')) throw new ReleaseArchiveError(`${raw}: an absolute path; entries must be relative to the folder`);
  if (/^[A-Za-z]:/u.test(slashed)) throw new ReleaseArchiveError(`${raw}: a path with a drive letter; entries must be relative to the folder`);
  const parts = slashed.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new ReleaseArchiveError(`${raw}: the path goes up with "..", outside the folder (a zip-slip archive): refused`);
  if (parts.length === 0) throw new ReleaseArchiveError(`${raw}: the name is not a path`);
  return parts.join('/');
}

/** Duplicates, a file that is also a folder, overlapping data, and the total size. */
function checkEntries(entries: readonly ZipEntryInfo[], cdOffset: number, limits: ArchiveLimits): void {
  const seen = new Map<string, ZipEntryInfo>();
  const folders = new Set<string>();
  let total = 0;
  for (const e of entries) {
    total += e.size;
    for (let i = e.name.indexOf('/'); i >= 0; i = e.name.indexOf('/', i + 1)) folders.add(e.name.slice(0, i).toLowerCase());
    if (e.isFolder) {
      folders.add(e.name.toLowerCase());
      continue;
    }
    const key = e.name.toLowerCase();
    const other = seen.get(key);
    if (other) {
      throw new ReleaseArchiveError(
        other.name === e.name ? `${e.rawName}: the zip holds this name twice` : `${e.rawName}: the zip also holds ${other.rawName}, a name that differs only in case`,
      );
    }
    seen.set(key, e);
  }
  for (const [key, e] of seen) if (folders.has(key)) throw new ReleaseArchiveError(`${e.rawName}: the zip holds it both as a file and as a folder`);
  if (total > limits.maxTotalSize) throw new ReleaseArchiveError(`the zip would unpack to ${total} bytes, more than the ${limits.maxTotalSize} allowed (a zip bomb?): refused`);
  // Entries that share compressed data (the "overlapping" zip bomb) or reach into the directory.
  const byOffset = entries.filter((e) => !e.isFolder).sort((a, b) => a.localOffset - b.localOffset);
  for (let i = 0; i < byOffset.length; i++) {
    const e = byOffset[i]!;
    const end = e.localOffset + 30 + e.nameBytes.length + e.compressedSize;
    const limit = i + 1 < byOffset.length ? byOffset[i + 1]!.localOffset : cdOffset;
    if (end > limit) throw new ReleaseArchiveError(`${e.rawName}: its data overlaps another entry or the directory (an overlapping zip bomb, or a damaged zip): refused`);
  }
}

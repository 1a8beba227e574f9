/**
 * The ALF path questions registration asks, answered by the project's ALF grammar
 * (src/core/alf, ONE's one.alf.path), plus the few pathlib behaviours ONE's registration
 * code relies on (suffix, stem, Path ordering).
 */
import * as alf from '../alf';

export interface SessionParts {
  lab: string | null;
  subject: string;
  date: string;
  /** As written in the folder name, e.g. `001` (ONE sends it so). */
  number: string;
}

export const toPosix = alf.toPosix;

/** ONE's `is_valid`. */
export function isValidAlfName(name: string): boolean {
  return alf.isValid(name);
}

/** `[object, attribute]` of a valid ALF name, else undefined. */
export function objectAttribute(name: string): [string, string] | undefined {
  const parts = alf.filenameParts(name);
  return parts.object === null ? undefined : [parts.object, parts.attribute ?? ''];
}

/** ONE's `session_path_parts` (a search: the session may sit anywhere in the path). */
export function sessionPathParts(p: string): SessionParts | undefined {
  return complete(alf.sessionPathParts(p, { assertValid: false }));
}

/**
 * Parts of a path that *ends* with a session folder with a real date, else undefined.
 * Stricter than ONE, which accepts any path containing a session.
 */
export function sessionFolderParts(p: string): SessionParts | undefined {
  if (!alf.isSessionPath(p)) return undefined;
  // The last five folders hold `[lab/Subjects/]subject/date/number`; searching only them
  // finds the session at the end, not an earlier one higher up the path.
  const tail = alf.toPosix(p).replace(/\/+$/, '').split('/').slice(-5).join('/');
  const parts = sessionPathParts(tail);
  return parts && alf.isValidSessionDate(parts.date) ? parts : undefined;
}

/** ONE's `folder_parts(path)['revision']`, for a path below a session. */
export function revisionOf(p: string): string | null {
  return alf.folderParts(p, { assertValid: false }).revision;
}

/** ONE's `get_session_path`, or undefined. */
export function getSessionPath(p: string): string | undefined {
  return alf.getSessionPath(p) ?? undefined;
}

/** Python's `PurePath.suffix`: the last `.xxx` of the name, '' when none. */
export function suffixOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i > 0 && i < name.length - 1 ? name.slice(i) : '';
}

/** Python's `PurePath.stem`. */
export function stemOf(name: string): string {
  const suffix = suffixOf(name);
  return suffix ? name.slice(0, -suffix.length) : name;
}

/** Python's ordering of `Path` objects: part by part, not character by character. */
export function comparePathsByParts(a: string, b: string): number {
  const pa = a.split(/[\\/]/);
  const pb = b.split(/[\\/]/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function complete(parts: alf.SessionParts): SessionParts | undefined {
  const { lab, subject, date, number } = parts;
  return subject !== null && date !== null && number !== null ? { lab, subject, date, number } : undefined;
}

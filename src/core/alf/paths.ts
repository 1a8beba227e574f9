/**
 * Path-level parsing with ONE's answers (one.alf.path): session, folder, relative and full
 * paths. Backslashes are read as separators everywhere, so Windows paths parse as they do
 * with ONE on Windows.
 */
import { isPyDatetime } from './dates';
import { AlfInvalidError } from './errors';
import { EMPTY_FILENAME_PARTS, filenameParts, parseFilename, type FilenameParts, type PartsOptions } from './filename';
import { COLLECTION_PATH_CHARS, PART_CHARS } from './grammar';
import { readCollectionRevision, searchSession } from './session-search';
import { decimalValue, pyIsDigit } from './unicode';

export interface SessionParts {
  readonly lab: string | null;
  readonly subject: string | null;
  readonly date: string | null;
  /** The number folder as written ('001', '1'), a string as in ONE. */
  readonly number: string | null;
}

export interface FolderParts extends SessionParts {
  readonly collection: string | null;
  readonly revision: string | null;
}

export interface RelPathParts extends FilenameParts {
  readonly collection: string | null;
  readonly revision: string | null;
}

export interface FullPathParts extends FolderParts, FilenameParts {}

const EMPTY_SESSION: SessionParts = Object.freeze({ lab: null, subject: null, date: null, number: null });
const EMPTY_FOLDER: FolderParts = Object.freeze({ ...EMPTY_SESSION, collection: null, revision: null });
const EMPTY_REL: RelPathParts = Object.freeze({ collection: null, revision: null, ...EMPTY_FILENAME_PARTS });

/** Backslashes to slashes; nothing else changes (ONE leaves str paths as they are). */
export function toPosix(p: string): string {
  return p.includes('\\') ? p.replace(/\\/g, '/') : p;
}

/**
 * The path as pathlib would print it with as_posix(): separators unified, empty and '.'
 * folders dropped, no trailing slash. Used where ONE goes through pathlib.
 */
export function normalisePath(p: string): string {
  return normaliseSlashPath(toPosix(p));
}

/**
 * normalisePath for a path whose only separator is '/': a POSIX path from the disk, where a
 * backslash is a character of a name.
 */
export function normaliseSlashPath(s: string): string {
  const abs = s.startsWith('/');
  const segs = s.split('/').filter((seg) => seg !== '' && seg !== '.');
  const out = (abs ? '/' : '') + segs.join('/');
  return out === '' ? '.' : out;
}

/**
 * normalisePath, except that exactly two leading slashes are kept, as pathlib keeps them
 * (POSIX leaves `//` to the system; on Windows it starts a UNC path such as `//server/share`).
 * Used for the results ONE returns as Path objects.
 */
export function pathlibPosix(p: string): string {
  const s = normalisePath(p);
  const posix = toPosix(p);
  return posix.startsWith('//') && !posix.startsWith('///') && s !== '.' ? `/${s}` : s;
}

function stripSlashes(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 47) a++;
  while (b > a && s.charCodeAt(b - 1) === 47) b--;
  return s.slice(a, b);
}

function invalid<T>(p: string, empty: T, options: PartsOptions | undefined, assertDefault: boolean): T {
  if (options?.assertValid ?? assertDefault) throw new AlfInvalidError(p);
  return empty;
}

/**
 * lab, subject, date and number of the first session found anywhere in the path (ONE's
 * `session_path_parts`). Throws AlfInvalidError when there is none, unless
 * `assertValid: false`. The number is the folder text, so '001' and '1' stay distinct.
 */
export function sessionPathParts(p: string, options?: PartsOptions): SessionParts {
  const m = searchSession(toPosix(p), 'any');
  if (!m) return invalid(p, EMPTY_SESSION, options, true);
  return { lab: m.lab, subject: m.subject, date: m.date, number: m.number };
}

/** Session, collection and revision of a folder path (ONE's `folder_parts`). */
export function folderParts(p: string, options?: PartsOptions): FolderParts {
  let s = toPosix(p);
  if (s && !s.endsWith('/')) s += '/';
  const m = searchSession(s, 'folder');
  if (!m) return invalid(p, EMPTY_FOLDER, options, true);
  const cr = readCollectionRevision(s, m.end + 1);
  return { lab: m.lab, subject: m.subject, date: m.date, number: m.number, collection: cr.collection, revision: cr.revision };
}

/**
 * The folders of a session-relative path, matched whole as `(collection/)?(#revision#/)?`;
 * null when they do not fit (then ONE keeps only the file name as the dataset's rel_path).
 */
export function matchRelativeFolders(dir: string | null): { collection: string | null; revision: string | null } | null {
  if (dir === null) return { collection: null, revision: null };
  if (dir === '') return null; // a leading '/' leaves an empty collection, which the pattern refuses
  const slash = dir.lastIndexOf('/');
  const last = dir.slice(slash + 1);
  const isRev =
    last.length > 2 && last.charCodeAt(0) === 35 && last.charCodeAt(last.length - 1) === 35 &&
    PART_CHARS.revision.all(last, 1, last.length - 1);
  if (isRev) {
    if (slash < 0) return { collection: null, revision: last.slice(1, -1) };
    return slash > 0 && COLLECTION_PATH_CHARS.all(dir, 0, slash)
      ? { collection: dir.slice(0, slash), revision: last.slice(1, -1) }
      : null;
  }
  return COLLECTION_PATH_CHARS.all(dir) ? { collection: dir, revision: null } : null;
}

/** Collection, revision and file name parts of a session-relative path (ONE's `rel_path_parts`). */
export function relPathParts(p: string, options?: PartsOptions): RelPathParts {
  const s = toPosix(p);
  const slash = s.lastIndexOf('/');
  const parts = parseFilename(s.slice(slash + 1));
  const folders = parts ? matchRelativeFolders(slash < 0 ? null : s.slice(0, slash)) : null;
  if (!parts || !folders) return invalid(p, EMPTY_REL, options, true);
  return { collection: folders.collection, revision: folders.revision, ...parts };
}

/**
 * Every part of a folder or file path (ONE's `full_path_parts`). Like ONE, a last component
 * with fewer than two dots is read as a folder, and must then be one of the parsed parts.
 */
export function fullPathParts(p: string, options?: PartsOptions): FullPathParts {
  const assertValid = options?.assertValid ?? true;
  const s = normalisePath(p);
  const slash = s.lastIndexOf('/');
  const name = s === '.' ? '' : s.slice(slash + 1);
  let dots = 0;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 46) dots++;
  let folders: FolderParts;
  let dataset: FilenameParts;
  if (dots < 2) {
    folders = folderParts(s === '.' ? '.' : s, { assertValid });
    if (assertValid) {
      const values: (string | null)[] = [folders.lab, folders.subject, folders.date, folders.number, folders.collection, folders.revision];
      const isRevision = `#${folders.revision}#` === name;
      if (!isRevision && !values.includes(name)) throw new AlfInvalidError(p);
    }
    dataset = EMPTY_FILENAME_PARTS;
  } else if (slash < 0) {
    folders = EMPTY_FOLDER;
    dataset = filenameParts(name, { assertValid });
  } else {
    folders = folderParts(slash === 0 ? '/' : s.slice(0, slash), { assertValid });
    dataset = filenameParts(name, { assertValid });
  }
  return { ...folders, ...dataset };
}

/** Whether the path ends with a session folder (ONE's `is_session_path`). */
export function isSessionPath(p: string): boolean {
  return searchSession(stripSlashes(toPosix(p)), 'end') !== null;
}

/**
 * The path up to and including the first number folder that follows a date folder (ONE's
 * `get_session_path`, which tests folders with str.isdigit() and strptime, not the session
 * pattern). Returns null when there is none.
 */
export function getSessionPath(p: string | null | undefined): string | null {
  if (p === null || p === undefined) return null;
  const s = pathlibPosix(p);
  const root = s.startsWith('//') ? '//' : s.startsWith('/') ? '/' : '';
  const segs = s.split('/').filter((seg) => seg !== '');
  // ONE starts at index 0, where parts[i - 1] wraps round to the last folder; starting at 1
  // avoids reading '1/x/2020-01-01' as a session (see docs/alf-grammar.md).
  for (let i = 1; i < segs.length; i++) {
    if (pyIsDigit(segs[i] as string) && isPyDatetime(segs[i - 1] as string)) {
      return root + segs.slice(0, i + 1).join('/');
    }
  }
  return null;
}

/**
 * The ALF part of a path (ONE's `get_alf_path`): from the session onwards when there is a
 * session, else the collection/revision/file path, else the file name; null when the file
 * name is not ALF.
 */
export function getAlfPath(p: string): string | null {
  const s = stripSlashes(toPosix(p));
  const m = searchSession(s, 'any');
  if (m) return s.slice(m.start);
  const slash = s.lastIndexOf('/');
  const name = s.slice(slash + 1);
  if (!parseFilename(name)) return null;
  return matchRelativeFolders(slash < 0 ? null : s.slice(0, slash)) ? s : name;
}

/**
 * The same path with the session number folder zero-padded to three digits (ONE's
 * `padded_sequence`). Throws when the path has no session.
 */
export function paddedSequence(p: string): string {
  const s = pathlibPosix(p);
  const session = getSessionPath(s);
  if (session === null) {
    throw new AlfInvalidError('path must include a valid ALF session path, e.g. subject/YYYY-MM-DD/N', { terse: true });
  }
  const slash = session.lastIndexOf('/');
  const value = decimalValue(session.slice(slash + 1));
  if (Number.isNaN(value)) throw new AlfInvalidError(`invalid session number in ${p}`, { terse: true });
  const padded = String(value).padStart(3, '0');
  return session.slice(0, slash + 1) + padded + s.slice(session.length);
}

/**
 * The checks of local paths that registration makes before its first request, exported so a
 * caller (the CLI) can make them before it even connects: a missing folder or file is the
 * user's to fix, and nothing should be asked of the server, let alone created on it, first.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { glob } from 'glob';
import { type SessionParts, comparePathsByParts, sessionFolderParts } from './alf-path';
import { InvalidInputError } from './errors';

/** The parts of a session folder's path, if it is named as one; else `InvalidInputError('sessionPath')`. */
export function sessionFolderNameParts(sessionPath: string): SessionParts {
  const parts = sessionFolderParts(path.resolve(sessionPath));
  if (!parts) {
    throw new InvalidInputError('sessionPath', `${sessionPath} is not a session folder: expected [lab/Subjects/]subject/yyyy-mm-dd/NNN`);
  }
  return parts;
}

/** A session folder that is named as one and exists. */
export async function requireSessionFolder(sessionPath: string): Promise<SessionParts> {
  const parts = sessionFolderNameParts(sessionPath);
  await requireFolder(sessionPath, 'sessionPath', 'Session folder');
  return parts;
}

/** An existing folder (following links); else `InvalidInputError(field)` naming it. */
export async function requireFolder(folder: string, field: string, what = 'Folder'): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await fs.stat(folder)).isDirectory();
  } catch {
    throw new InvalidInputError(field, `${what} not found: ${folder}`);
  }
  if (!isDir) throw new InvalidInputError(field, `${folder} is not a folder`);
}

/** Every file exists and is a regular file (following links); else `InvalidInputError('files')` naming the first that is not. */
export async function requireFiles(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const full = path.resolve(file);
    let isFile: boolean;
    try {
      isFile = (await fs.stat(full)).isFile();
    } catch {
      throw new InvalidInputError('files', `File not found: ${full}`);
    }
    if (!isFile) throw new InvalidInputError('files', `${full} is not a file`);
  }
}

/**
 * The flag files under `root` (default pattern `**\/create_me.flag`), sorted, each in a folder
 * named as a session; else `InvalidInputError` naming the root or the first misplaced flag.
 */
export async function findSessionFlags(root: string, pattern = '**/create_me.flag'): Promise<string[]> {
  await requireFolder(root, 'root');
  const flags = (await glob(pattern, { cwd: root, absolute: true, dot: true, nodir: true })).sort(comparePathsByParts);
  for (const flag of flags) sessionFolderNameParts(path.dirname(flag));
  return flags;
}

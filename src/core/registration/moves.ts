import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UnsafeMoveError } from './errors';

/** A file moved (or, in a dry run, to be moved) into a revision folder. Absolute paths. */
export interface FileMove {
  from: string;
  to: string;
}

/**
 * Checks every move before any is made: the source exists, the target does not, both are
 * inside `sessionPath`, and no two files go to the same place.
 */
export async function checkMoves(sessionPath: string, moves: readonly FileMove[]): Promise<void> {
  const root = path.resolve(sessionPath) + path.sep;
  const targets = new Set<string>();
  for (const { from, to } of moves) {
    if (!path.resolve(from).startsWith(root) || !path.resolve(to).startsWith(root)) {
      throw new UnsafeMoveError(`Refusing to move ${from} to ${to}: both must stay inside the session folder ${sessionPath}`);
    }
    if (targets.has(to)) throw new UnsafeMoveError(`Refusing to move two files to ${to}`);
    targets.add(to);
    try {
      await fs.lstat(from);
    } catch {
      throw new UnsafeMoveError(`Cannot move ${from}: the file no longer exists`);
    }
    if (await exists(to)) {
      throw new UnsafeMoveError(`Refusing to move ${from} to ${to}: a file is already there. Move or rename it, then register again`);
    }
  }
}

/**
 * Where the moves of a registration are accounted for, as they happen: `moves` holds the ones
 * that stand, `movedBack` the ones made and then undone. Kept up to date move by move, so a
 * failure at any point leaves an exact account to report.
 */
export interface MoveLedger {
  moves: FileMove[];
  movedBack: FileMove[];
}

/**
 * Makes the moves, never overwriting: each file is hard-linked to its target (which fails if
 * the target exists) and only then unlinked, so a crash leaves two names, never none. If a move
 * fails, the ones already made are undone before the error is raised.
 */
export async function applyMoves(moves: readonly FileMove[], ledger: MoveLedger, log?: (line: string) => void): Promise<void> {
  const done: FileMove[] = [];
  try {
    for (const move of moves) {
      await fs.mkdir(path.dirname(move.to), { recursive: true });
      await moveNoClobber(move.from, move.to);
      done.push(move);
      ledger.moves.push(move);
      log?.(`Moved ${move.from} -> ${move.to}`);
    }
  } catch (err) {
    await revertMoves(done, ledger, log);
    throw err;
  }
}

/** Puts moved files back where they were (best effort, newest first). Returns the moves it could not undo. */
export async function revertMoves(moves: readonly FileMove[], ledger: MoveLedger, log?: (line: string) => void): Promise<FileMove[]> {
  const failed: FileMove[] = [];
  for (const move of [...moves].reverse()) {
    try {
      await moveNoClobber(move.to, move.from);
      const at = ledger.moves.indexOf(move);
      if (at >= 0) ledger.moves.splice(at, 1);
      ledger.movedBack.push(move);
      log?.(`Moved back ${move.to} -> ${move.from}`);
      await fs.rmdir(path.dirname(move.to)).catch(() => undefined); // only if now empty
    } catch {
      failed.push(move);
    }
  }
  return failed;
}

async function moveNoClobber(from: string, to: string): Promise<void> {
  try {
    await fs.link(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UnsafeMoveError(`Refusing to overwrite ${to}`);
    // File systems without hard links: check, then rename (same folder tree, so atomic).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV' || code === 'ENOSYS') {
      if (await exists(to)) throw new UnsafeMoveError(`Refusing to overwrite ${to}`);
      await fs.rename(from, to);
      return;
    }
    throw err;
  }
  await fs.unlink(from);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

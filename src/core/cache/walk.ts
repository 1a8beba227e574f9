import * as fs from 'node:fs';
import { Minimatch } from 'minimatch';
import { escapeNameBytes, isValidUtf8 } from '../escape';
import { throwIfCancelled } from '../progress';
import { errorMessage } from '../util/errors';
import { isObject } from '../util/objects';

/** A problem met while walking: the entry is not visited, and the caller reports it. */
export interface WalkProblem {
  /** Root-relative posix path. */
  path: string;
  code: 'permission-denied' | 'unreadable' | 'symlink-loop' | 'broken-symlink' | 'not-a-regular-file';
  reason: string;
  isFolder: boolean;
}

export interface WalkVisitor {
  /** Called for every folder below the root; return false to skip its contents. */
  folder?(relPath: string): boolean;
  file(relPath: string, stat: fs.Stats): void;
  problem(problem: WalkProblem): void;
}

export interface WalkOptions {
  /** Glob patterns (minimatch, matched against root-relative posix paths) to leave out. */
  exclude?: readonly string[];
  signal?: AbortSignal;
  /** Called about every `sliceMs` with the number of files seen. */
  onTick?: (filesSeen: number) => void;
  /**
   * Work in slices of this many milliseconds of synchronous file-system calls, yielding to the
   * event loop in between. Synchronous calls are 2–3× faster than promise-based ones for
   * small metadata operations; the slices keep a worker or extension host responsive and
   * let an abort signal be seen.
   */
  sliceMs?: number;
  /**
   * A root-relative posix folder to walk instead of the whole root. Paths given to the visitor
   * stay root-relative, so exclusions and classification read them as a full walk would. The
   * folder itself is passed to `visitor.folder` first; if it or a folder above it is excluded,
   * nothing is visited.
   */
  start?: string;
}

export class WalkRootError extends Error {
  override readonly name = 'WalkRootError';
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/** Checks that `root` is a readable folder, with an error a person can act on. */
export function assertFolder(root: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch (err) {
    throw rootError(root, err);
  }
  if (!stat.isDirectory()) {
    throw new WalkRootError(`${root} is a file, not a folder: give the folder that holds your sessions`, 'ENOTDIR');
  }
  try {
    fs.accessSync(root, fs.constants.R_OK | fs.constants.X_OK);
  } catch (err) {
    throw rootError(root, err);
  }
  return stat;
}

function rootError(root: string, err: unknown): WalkRootError {
  const code = errnoCode(err);
  switch (code) {
    case 'ENOENT':
      return new WalkRootError(`folder not found: ${root}`, code);
    case 'ENOTDIR':
      return new WalkRootError(`${root} is not a folder (a part of the path is a file)`, code);
    case 'EACCES':
    case 'EPERM':
      return new WalkRootError(`permission denied: cannot read ${root}`, code);
    case 'ELOOP':
      return new WalkRootError(`${root} is a symbolic link loop`, code);
    default:
      return new WalkRootError(`cannot read ${root}: ${describeErrno(err)}`, code ?? 'EIO');
  }
}

export function errnoCode(err: unknown): string | undefined {
  return isObject(err) && typeof err.code === 'string' ? err.code : undefined;
}

function describeErrno(err: unknown): string {
  const code = errnoCode(err);
  const message = errorMessage(err);
  return code ? `${code} (${message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')})` : message;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Visits every folder and file below `root`, in code-point order of names within each folder
 * (the order Python's sorted(rglob) gives within a folder). Symbolic links are followed, with
 * loop detection by real path, because labs link data drives into one tree.
 */
export async function walk(root: string, visitor: WalkVisitor, options: WalkOptions = {}): Promise<number> {
  assertFolder(root);
  const excluders = (options.exclude ?? []).map((p) => new Minimatch(p, { dot: true, matchBase: !p.includes('/') }));
  const excluded = (rel: string) => excluders.some((m) => m.match(rel));
  const sliceMs = options.sliceMs ?? 25;
  let filesSeen = 0;
  let sliceStart = performance.now();

  // Each pending folder carries its real path: a linked folder whose real path contains the
  // current one would lead back into itself. Plain folders need no extra system call for this.
  interface Pending {
    rel: string;
    real: string;
  }
  const start = options.start ?? '';
  if (start && (ancestorsAndSelf(start).some(excluded) || visitor.folder?.(start) === false)) return 0;
  const stack: Pending[] = [{ rel: start, real: fs.realpathSync(start ? `${root}/${start}` : root) }];

  while (stack.length > 0) {
    if (performance.now() - sliceStart > sliceMs) {
      options.onTick?.(filesSeen);
      await yieldToEventLoop();
      throwIfCancelled(options.signal);
      sliceStart = performance.now();
    }
    const { rel: folderRel, real: folderReal } = stack.pop()!;
    const folderAbs = folderRel ? `${root}/${folderRel}` : root;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folderAbs, { withFileTypes: true });
    } catch (err) {
      visitor.problem(folderProblem(folderRel, err));
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const undecodable = entries.some((e) => e.name.includes('\uFFFD')) ? nonUtf8Names(folderAbs) : undefined;
    const subfolders: Pending[] = [];
    for (const entry of entries) {
      const rel = folderRel ? `${folderRel}/${entry.name}` : entry.name;
      const raw = undecodable?.get(entry.name);
      if (raw !== undefined) {
        // Node decodes such a name lossily, so the decoded name leads to no file (ENOENT).
        undecodable?.delete(entry.name);
        for (const bytes of raw) visitor.problem(nonUtf8Problem(folderRel, bytes, entry.isDirectory()));
        continue;
      }
      if (excluders.length > 0 && excluded(rel)) continue;
      const abs = `${folderAbs}/${entry.name}`;
      if (entry.isDirectory()) {
        if (visitor.folder?.(rel) === false) continue;
        subfolders.push({ rel, real: `${folderReal}/${entry.name}` });
        continue;
      }
      let stat: fs.Stats;
      try {
        stat = fs.statSync(abs);
      } catch (err) {
        const code = errnoCode(err);
        if (entry.isSymbolicLink() && code === 'ENOENT') {
          visitor.problem({ path: rel, code: 'broken-symlink', reason: 'broken symbolic link: its target does not exist', isFolder: false });
        } else if (code === 'ELOOP') {
          visitor.problem({ path: rel, code: 'symlink-loop', reason: 'symbolic link loop: the link points back to itself', isFolder: false });
        } else {
          visitor.problem(fileProblem(rel, err));
        }
        continue;
      }
      if (stat.isDirectory()) {
        // A symbolic link to a folder.
        let target: string;
        try {
          target = fs.realpathSync(abs);
        } catch (err) {
          visitor.problem(folderProblem(rel, err));
          continue;
        }
        if (folderReal === target || folderReal.startsWith(`${target}/`)) {
          visitor.problem({
            path: rel,
            code: 'symlink-loop',
            reason: 'symbolic link loop: this link leads back to a folder that contains it, so it was not followed',
            isFolder: true,
          });
          continue;
        }
        if (visitor.folder?.(rel) === false) continue;
        subfolders.push({ rel, real: target });
        continue;
      }
      if (!stat.isFile()) {
        visitor.problem({ path: rel, code: 'not-a-regular-file', reason: 'not a regular file (a device, socket or pipe)', isFolder: false });
        continue;
      }
      filesSeen += 1;
      visitor.file(rel, stat);
    }
    // Reverse so that the stack pops subfolders in name order.
    for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i]!);
  }
  options.onTick?.(filesSeen);
  return filesSeen;
}

/**
 * The names in `folderAbs` that are not valid UTF-8, by the lossy name Node gives them (several
 * can share one), unless a valid name is spelt the same (then that file is read as usual).
 */
function nonUtf8Names(folderAbs: string): Map<string, Buffer[]> {
  const out = new Map<string, Buffer[]>();
  let raw: Buffer[];
  try {
    raw = fs.readdirSync(folderAbs, { encoding: 'buffer' });
  } catch {
    return out;
  }
  const valid = new Set<string>();
  for (const name of raw) {
    if (isValidUtf8(name)) {
      valid.add(name.toString('utf8'));
      continue;
    }
    const lossy = name.toString('utf8');
    out.set(lossy, [...(out.get(lossy) ?? []), name]);
  }
  for (const name of valid) out.delete(name);
  return out;
}

function nonUtf8Problem(folderRel: string, name: Buffer, isFolder: boolean): WalkProblem {
  const shown = escapeNameBytes(name);
  return {
    path: folderRel ? `${folderRel}/${shown}` : shown,
    // 'unreadable': Node cannot open it by this name (the code table keeps its codes stable).
    code: 'unreadable',
    reason: `the name is not valid UTF-8 (its bytes: ${shown}), so it was not ${isFolder ? 'read' : 'indexed'}: rename it with UTF-8 (ALF names use ASCII letters, digits, '_', '-' and '.')`,
    isFolder,
  };
}

/** 'a/b/c' → ['a', 'a/b', 'a/b/c']: a full walk tests each of these against the exclusions before entering. */
function ancestorsAndSelf(rel: string): string[] {
  const parts = rel.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

function folderProblem(rel: string, err: unknown): WalkProblem {
  const code = errnoCode(err);
  if (code === 'EACCES' || code === 'EPERM') {
    return { path: rel || '.', code: 'permission-denied', reason: 'permission denied: this folder cannot be read, so nothing in it was indexed', isFolder: true };
  }
  if (code === 'ELOOP') {
    return { path: rel || '.', code: 'symlink-loop', reason: 'symbolic link loop', isFolder: true };
  }
  return { path: rel || '.', code: 'unreadable', reason: `cannot read this folder: ${describeErrno(err)}`, isFolder: true };
}

function fileProblem(rel: string, err: unknown): WalkProblem {
  const code = errnoCode(err);
  if (code === 'EACCES' || code === 'EPERM') {
    return { path: rel, code: 'permission-denied', reason: 'permission denied: this file cannot be read', isFolder: false };
  }
  return { path: rel, code: 'unreadable', reason: `cannot read this file: ${describeErrno(err)}`, isFolder: false };
}

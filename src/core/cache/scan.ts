import * as fs from 'node:fs';
import type { Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { BACKSLASH_SEPARATES_HERE } from '../alf';
import type { ProgressOptions } from '../progress';
import { throwIfCancelled } from '../progress';
import { HashPool } from './hash';
import { ScanCollector } from './scan-collector';
import type { ScanResult, ScannedDataset, ScannedSession, SkippedEntry } from './types';
import { assertFolder, errnoCode, walk, type WalkProblem } from './walk';

export interface ScanOptions extends ProgressOptions {
  /** Glob patterns of root-relative paths to leave out. */
  exclude?: readonly string[];
  /** Root-relative files to leave out silently (the cache tables a build writes into the root). */
  ignoreFiles?: readonly string[];
  /** md5 every dataset into `hash`, on worker threads while the walk goes on. */
  hashFiles?: boolean;
  /** Worker threads for hashing (default: one per core but the walking one's, at most 4). */
  hashThreads?: number;
  /**
   * Root-relative posix folders to walk instead of the whole root (an incremental update).
   * Classification still uses `root`, so ids and rel_paths are those of a full scan. A folder
   * that no longer exists is skipped (its sessions were deleted); duplicate session ids are
   * only detected among the sessions found in these folders.
   */
  subtrees?: readonly string[];
}

/**
 * Finds every session and dataset below `root` the way Python ONE's `make_parquet_db` does,
 * and explains everything it does not index. All ALF reading is the grammar's
 * (`classifyFolder`/`classifyPath`, given the root so that a lab above the root is read as ONE
 * reads it); this adds what only a walk of the tree can know: empty sessions, unreadable
 * entries, and session ids that two folders share.
 */
export async function scanTree(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const absRoot = path.resolve(root);
  const hashing = options.hashFiles ? new DatasetHashing(options) : undefined;
  const found = new ScanCollector(absRoot, options.ignoreFiles ?? [], (dataset, abs) => hashing?.add(dataset, abs));
  try {
    throwIfCancelled(options.signal);
    await walkRoot(found, options, hashing !== undefined);
    options.onProgress?.({ phase: 'scan', done: found.fileCount, total: found.fileCount, unit: 'files' });
    if (hashing) await hashing.finish(found);
  } finally {
    await hashing?.close();
  }
  const all = [...found.sessions.values()];
  const duplicates = rejectDuplicateIds(all, found.skipped);
  return {
    root: absRoot,
    sessions: duplicates.size > 0 ? all.filter((s) => !duplicates.has(s)) : all,
    skipped: found.skipped,
    warnings: found.warnings,
    fileCount: found.fileCount,
    durationMs: performance.now() - started,
  };
}

/** Walks the whole root, or only the asked-for subtrees (an incremental update), into `found`. */
async function walkRoot(found: ScanCollector, options: ScanOptions, hashing: boolean): Promise<void> {
  const absRoot = found.absRoot;
  const visitor = {
    folder: (rel: string) => {
      found.folder(rel);
      return true;
    },
    file: (rel: string, stat: Stats) => found.file(rel, stat),
    problem: (p: WalkProblem) => found.problem(p),
  };
  const walkOptions = {
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    // Shorter slices when hashing: workers are fed between slices (see HashPool's AHEAD_FILES).
    ...(hashing ? { sliceMs: 8 } : {}),
  };
  const tick = (before: number) => (files: number) => options.onProgress?.({ phase: 'scan', done: before + files, unit: 'files' });
  if (!options.subtrees) {
    found.folder(''); // the root itself may be a session folder
    await walk(absRoot, visitor, { ...walkOptions, onTick: tick(0) });
    return;
  }
  assertFolder(absRoot);
  let before = 0;
  for (const start of outermost(options.subtrees)) {
    if (!existingFolder(absRoot, start)) continue;
    if (start === '') found.folder(''); // the walk passes every other start folder to the visitor
    before += await walk(absRoot, visitor, { ...walkOptions, start, onTick: tick(before) });
  }
}

/**
 * md5s every dataset on worker threads while the walk goes on. The walk keeps this thread busy,
 * so hashing gets one worker fewer than there are cores, and this thread joins in once the walk
 * is done: on 2 cores, 2 workers beside the walk only made three threads take turns on two cores.
 */
class DatasetHashing {
  readonly #pool: HashPool;
  readonly #datasets: ScannedDataset[] = [];
  #bytesFound = 0;

  constructor(private readonly options: ScanOptions) {
    this.#pool = new HashPool({
      ...(options.signal ? { signal: options.signal } : {}),
      threads: options.hashThreads ?? Math.max(1, Math.min(availableParallelism() - 1, 4)),
      callerHelps: true,
      onBytes: (done) => options.onProgress?.({ phase: 'hash', done, total: this.#bytesFound, unit: 'bytes' }),
    });
  }

  add(dataset: ScannedDataset, absPath: string): void {
    this.#pool.add(absPath, dataset.size);
    this.#datasets.push(dataset);
    this.#bytesFound += dataset.size;
  }

  /** Stores each md5 in its dataset; an unreadable file is skipped (with why) and leaves its session. */
  async finish(found: ScanCollector): Promise<void> {
    this.options.onProgress?.({ phase: 'hash', done: 0, total: this.#bytesFound, unit: 'bytes' });
    const outcomes = await this.#pool.finish();
    const unreadable = new Set<ScannedDataset>();
    outcomes.forEach((outcome, i) => {
      const dataset = this.#datasets[i]!;
      if ('md5' in outcome) dataset.hash = outcome.md5;
      else {
        unreadable.add(dataset);
        found.skipped.push({ path: dataset.path, reason: `unreadable, so not hashed or indexed: ${outcome.error}`, code: 'unreadable', isFolder: false });
      }
    });
    if (unreadable.size > 0) for (const s of found.sessions.values()) s.datasets = s.datasets.filter((d) => !unreadable.has(d));
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/**
 * Two lab-less folders (say `a/subjects/S/2020-01-01/001` and `b/subjects/S/2020-01-01/001`)
 * give ONE the same session id, and ONE's build then fails; neither can be told apart, so both
 * are reported.
 */
function rejectDuplicateIds(sessions: readonly ScannedSession[], skipped: SkippedEntry[]): Set<ScannedSession> {
  const byId = new Map<string, ScannedSession[]>();
  for (const s of sessions) {
    const list = byId.get(s.strId);
    if (list) list.push(s);
    else byId.set(s.strId, [s]);
  }
  const rejected = new Set<ScannedSession>();
  for (const [strId, list] of byId) {
    if (list.length < 2) continue;
    for (const s of list) {
      const others = list.filter((o) => o !== s).map((o) => o.path).join(', ');
      skipped.push({
        path: s.path,
        reason: `two folders give the same session id '${strId}' (this one and ${others}): ONE cannot tell them apart; put each under its lab's Subjects folder`,
        code: 'duplicate-session-id',
        isFolder: true,
      });
      rejected.add(s);
    }
  }
  return rejected;
}

/**
 * The given folders without those inside another one (each is walked once), in name order.
 * '' (the root) or '.' covers everything.
 */
function outermost(subtrees: readonly string[]): string[] {
  const clean = [...new Set(subtrees.map((s) => slashSeparated(s).replace(/^(\.\/)+|\/+$/g, '')).map((s) => (s === '.' ? '' : s)))].sort();
  const out: string[] = [];
  for (const s of clean) {
    const last = out[out.length - 1];
    if (last !== undefined && (last === '' || s === last || s.startsWith(`${last}/`))) continue;
    out.push(s);
  }
  return out;
}

/** Backslashes become '/' only where they separate folders (Windows); elsewhere they are part of a name. */
export function slashSeparated(p: string): string {
  return BACKSLASH_SEPARATES_HERE ? p.replace(/\\/g, '/') : p;
}

/** Whether a subtree is there to walk; gone means deleted, anything else unreadable is an error. */
function existingFolder(absRoot: string, rel: string): boolean {
  const abs = rel ? `${absRoot}/${rel}` : absRoot;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return false;
    throw err;
  }
  if (!stat.isDirectory()) throw new Error(`cannot rescan ${abs}: it is a file, not a folder`);
  return true;
}

import * as fs from 'node:fs';
import type { Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { BACKSLASH_SEPARATES_HERE, classifyFolder, classifyPath, describeInvalidName, type Finding, type ProblemCode, type SessionInfo } from '../alf';
import type { ProgressOptions } from '../progress';
import { throwIfCancelled } from '../progress';
import { HashPool } from './hash';
import { isTableWriteLeftover } from './table-pair';
import { sessionId } from './ids';
import type { ScanResult, ScanWarning, ScannedDataset, ScannedSession, SkippedEntry } from './types';
import { assertFolder, errnoCode, walk, type WalkProblem } from './walk';

/** A ONE cache kept in the data root (ONE's default place for it) is not data. */
const CACHE_FILES = ['sessions.pqt', 'datasets.pqt', 'cache_info.json'];

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
  const classify = { root: absRoot };
  const ignore = new Set([...CACHE_FILES, ...(options.ignoreFiles ?? [])]);
  const sessions = new Map<string, ScannedSession>();
  const skipped: SkippedEntry[] = [];
  const warnings: ScanWarning[] = [];
  const reportedFolders = new Set<string>();
  const warnedAt = new Set<string>();
  let fileCount = 0;
  let bytesFound = 0;
  // The walk keeps this thread busy, so hashing gets one worker fewer than there are cores, and
  // this thread joins in once the walk is done: on 2 cores, 2 workers beside the walk only made
  // three threads take turns on two cores.
  const hashing = options.hashFiles
    ? new HashPool({
        ...(options.signal ? { signal: options.signal } : {}),
        threads: options.hashThreads ?? Math.max(1, Math.min(availableParallelism() - 1, 4)),
        callerHelps: true,
        onBytes: (done) => options.onProgress?.({ phase: 'hash', done, total: bytesFound, unit: 'bytes' }),
      })
    : undefined;
  const hashed: ScannedDataset[] = [];

  const sessionFor = (info: SessionInfo): ScannedSession => {
    let s = sessions.get(info.path);
    if (!s) {
      s = {
        eid: sessionId(info.strId),
        strId: info.strId,
        path: info.path,
        lab: info.lab,
        subject: info.subject,
        date: info.date,
        number: Number.parseInt(info.number, 10),
        datasets: [],
      };
      sessions.set(info.path, s);
    }
    return s;
  };

  const warn = (findings: readonly Finding[], fallbackAt: string) => {
    for (const f of findings) {
      const at = f.at ?? fallbackAt;
      const key = `${at}\0${f.code}`;
      if (warnedAt.has(key)) continue;
      warnedAt.add(key);
      warnings.push({ path: at, code: f.code, message: f.message, isFolder: f.isFolder ?? false, ...(f.fix ? { fix: f.fix } : {}) });
    }
  };

  const reportFolder = (at: string, code: ProblemCode, reason: string, fix: string | undefined) => {
    const where = at.startsWith('..') ? '.' : at;
    if (reportedFolders.has(where)) return;
    reportedFolders.add(where);
    skipped.push({ path: where, reason, code, isFolder: true, ...(fix ? { fix } : {}) });
  };

  const onFolder = (rel: string) => {
    const v = classifyFolder(rel, classify);
    if (v.kind === 'session-folder') {
      sessionFor(v.session);
      warn(v.warnings, rel);
    } else if (v.kind === 'inside-session') {
      warn(v.warnings, rel);
    } else if (v.kind === 'invalid') {
      reportFolder(v.at, v.code, v.message, v.fix);
    }
  };

  const onFile = (rel: string, stat: Stats) => {
    // A cache write's temporary or backup files (cleaned by the next write) are not data.
    if (ignore.has(rel) || isTableWriteLeftover(path.posix.basename(rel))) return;
    fileCount += 1;
    const v = classifyPath(rel, classify);
    if (v.kind === 'dataset') {
      if (v.session.path.startsWith('..')) {
        reportFolder('..', 'root-inside-session', `the folder is inside the session ${absRoot.slice(0, absRoot.length - v.session.path.length)}…: ONE indexes nothing here; build the cache from the folder that contains the sessions`, undefined);
        return;
      }
      const session = sessionFor(v.session);
      const dataset: ScannedDataset = { relPath: v.relPath, path: rel, size: stat.size, mtimeMs: stat.mtimeMs, collection: v.collection, revision: v.revision };
      session.datasets.push(dataset);
      if (hashing) {
        hashing.add(`${absRoot}/${rel}`, stat.size);
        hashed.push(dataset);
        bytesFound += stat.size;
      }
      if (v.warnings.length > 0) warn(v.warnings, rel);
      return;
    }
    if (v.kind === 'outside') {
      const problem = v.alfName ? null : describeInvalidName(path.posix.basename(rel));
      skipped.push({
        path: rel,
        reason: problem
          ? `outside any session folder (lab/Subjects/subject/yyyy-mm-dd/NNN), and not an ALF name: ${problem.message}`
          : 'outside any session folder (lab/Subjects/subject/yyyy-mm-dd/NNN), so not indexed',
        code: 'outside-session',
        isFolder: false,
      });
      return;
    }
    if (v.isFolder) {
      reportFolder(v.at, v.code, v.message, v.fix);
      // A wrong name inside a skipped folder is still reported, so that fixing the folder
      // does not reveal a second problem later.
      const own = describeInvalidName(path.posix.basename(rel));
      if (own) skipped.push({ path: rel, reason: own.message, code: own.code, isFolder: false, ...(own.fix ? { fix: own.fix } : {}) });
      return;
    }
    skipped.push({ path: v.at, reason: v.message, code: v.code, isFolder: false, ...(v.fix ? { fix: v.fix } : {}) });
  };

  try {
    throwIfCancelled(options.signal);
    const visitor = {
      folder: (rel: string) => {
        onFolder(rel);
        return true;
      },
      file: onFile,
      problem: (p: WalkProblem) => {
        if (!p.isFolder) fileCount += 1;
        skipped.push({ path: p.path, reason: p.reason, code: p.code, isFolder: p.isFolder });
      },
    };
    const walkOptions = {
      ...(options.exclude ? { exclude: options.exclude } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      // Shorter slices when hashing: workers are fed between slices (see HashPool's AHEAD_FILES).
      ...(hashing ? { sliceMs: 8 } : {}),
    };
    if (options.subtrees) {
      assertFolder(absRoot);
      let before = 0;
      for (const start of outermost(options.subtrees)) {
        if (!existingFolder(absRoot, start)) continue;
        if (start === '') onFolder(''); // the walk passes every other start folder to onFolder
        const base = before;
        before += await walk(absRoot, visitor, {
          ...walkOptions,
          start,
          onTick: (files) => options.onProgress?.({ phase: 'scan', done: base + files, unit: 'files' }),
        });
      }
    } else {
      onFolder(''); // the root itself may be a session folder
      await walk(absRoot, visitor, { ...walkOptions, onTick: (files) => options.onProgress?.({ phase: 'scan', done: files, unit: 'files' }) });
    }
    options.onProgress?.({ phase: 'scan', done: fileCount, total: fileCount, unit: 'files' });
    if (hashing) {
      options.onProgress?.({ phase: 'hash', done: 0, total: bytesFound, unit: 'bytes' });
      const outcomes = await hashing.finish();
      const unreadable = new Set<ScannedDataset>();
      outcomes.forEach((outcome, i) => {
        const dataset = hashed[i]!;
        if ('md5' in outcome) dataset.hash = outcome.md5;
        else {
          unreadable.add(dataset);
          skipped.push({ path: dataset.path, reason: `unreadable, so not hashed or indexed: ${outcome.error}`, code: 'unreadable', isFolder: false });
        }
      });
      if (unreadable.size > 0) for (const s of sessions.values()) s.datasets = s.datasets.filter((d) => !unreadable.has(d));
    }
  } finally {
    await hashing?.close();
  }

  const all = [...sessions.values()];
  const duplicates = rejectDuplicateIds(all, skipped);
  return {
    root: absRoot,
    sessions: duplicates.size > 0 ? all.filter((s) => !duplicates.has(s)) : all,
    skipped,
    warnings,
    fileCount,
    durationMs: performance.now() - started,
  };
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

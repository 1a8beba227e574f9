/**
 * Incremental update of a cache this project wrote: only the sessions under the changed paths
 * are read again; every other row (hashes included) is kept as it was.
 *
 * The tables do not record where each session's folder is, only its lab/subject/date/number
 * and an id derived from them. A changed path at or inside a session names that session
 * exactly; a folder above sessions is rescanned whole. Whenever the old rows under a path
 * cannot be known from the path alone (a deleted folder above sessions), or the result could
 * differ from a full build (a session id found twice, tables with other ids), a full build
 * runs instead and `reason` says why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Classifier } from '../alf';
import { throwIfCancelled } from '../progress';
import { assertWritableFolder, buildCache, BuildInputError, tablesInRoot, toRows, writeTables, type BuildOptions, type BuildResult } from './build';
import { compareCodePoints } from '../order';
import { datasetId, sessionId } from './ids';
import { loadCache, type LoadedCache } from './load';
import { scanTree, slashSeparated } from './scan';
import type { DatasetRow, ScanWarning, SessionRow } from './types';
import { assertFolder, errnoCode } from './walk';
import { errorMessage } from '../util/errors';

export interface UpdateOptions extends BuildOptions {
  /**
   * Files or folders that were changed, added or deleted since the cache was written: relative
   * to the root (posix or native separators), or absolute inside it. Deletions must be listed
   * too; a path that is not listed is assumed unchanged.
   */
  changedPaths: readonly string[];
}

export interface UpdateResult extends BuildResult {
  /** Sessions read from disk: those under the changed paths, or every session of a full build. */
  rescannedSessions: number;
  mode: 'incremental' | 'full';
  /** Why a full build ran instead of an incremental update. */
  reason?: string;
}

/**
 * Updates the cache tables in `outDir` (default: the root) for the changed paths, giving the
 * rows a full `buildCache` of the current tree gives, in the same order. Falls back to a full
 * build (mode 'full', with `reason`) when the old tables cannot be trusted or reused.
 *
 * `skipped` and `warnings` cover the rescanned folders only; a full build lists all of them.
 * Both tables are replaced together or not at all (cancelling leaves the old ones).
 */
export async function updateCache(root: string, options: UpdateOptions): Promise<UpdateResult> {
  const started = performance.now();
  assertFolder(root);
  const absRoot = path.resolve(root);
  const outDir = path.resolve(options.outDir ?? root);
  assertWritableFolder(outDir, options.outDir !== undefined);
  const changed = options.changedPaths.map((p) => toRootRelative(absRoot, p));

  const full = async (reason: string): Promise<UpdateResult> => {
    const { changedPaths: _ignored, ...buildOptions } = options;
    const result = await buildCache(root, buildOptions);
    return { ...result, durationMs: performance.now() - started, rescannedSessions: result.sessions, mode: 'full', reason };
  };

  let old: LoadedCache;
  try {
    old = await loadCache(outDir);
  } catch (err) {
    return full(`the existing tables cannot be read (${errorMessage(err)})`);
  }
  const foreign = foreignIds(old);
  if (foreign) return full(foreign);
  const hasHashes = old.datasets.some((d) => !!d.hash);
  if (old.datasets.length > 0 && hasHashes !== !!options.hashFiles) {
    return full(hasHashes ? 'the existing tables have md5 hashes and this update does not hash' : 'the existing tables have no md5 hashes and this update hashes');
  }

  const plan = planRescan(absRoot, changed, new Set(old.sessions.map((s) => s.id)));
  if ('reason' in plan) return full(plan.reason);

  const scan = await scanTree(absRoot, {
    subtrees: [...plan.subtrees],
    ignoreFiles: tablesInRoot(absRoot, outDir),
    ...(options.hashFiles ? { hashFiles: true } : {}),
    ...(options.hashThreads ? { hashThreads: options.hashThreads } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  throwIfCancelled(options.signal);

  // Old rows of the changed sessions go; a session found in a rescanned folder above sessions
  // that the tables already hold may be a second folder with the same id, which only a full
  // walk can tell from the same session seen again.
  const dropped = new Set(plan.sessionIds);
  for (const s of scan.sessions) {
    if (dropped.has(s.eid)) continue;
    if (plan.oldIds.has(s.eid)) return full(`${s.path} is a session the tables already hold (id ${s.strId}), and the tables do not record its folder: it may be a second folder with the same session id`);
  }
  for (const s of scan.sessions) dropped.add(s.eid);

  const warnings: ScanWarning[] = [...scan.warnings];
  const fresh = toRows(scan, options.lab, warnings);
  const sessions: SessionRow[] = old.sessions.filter((s) => !dropped.has(s.id)).concat(fresh.sessions);
  // Rows kept from an older table (or one with ONE's '' for "not hashed") get null, as new rows.
  const datasets: DatasetRow[] = old.datasets.filter((d) => !dropped.has(d.eid)).map((d) => (d.hash === '' ? { ...d, hash: null } : d)).concat(fresh.datasets);
  // ONE sorts both tables by their index; datasets by (eid, id) is the build's order.
  sessions.sort((a, b) => compareCodePoints(a.id, b.id));
  datasets.sort((a, b) => compareCodePoints(a.eid, b.eid) || compareCodePoints(a.id, b.id));
  let bytes = 0;
  for (const d of datasets) bytes += d.file_size ?? 0;

  const written = await writeTables(outDir, absRoot, sessions, datasets, options);
  return {
    ...written,
    sessions: sessions.length,
    datasets: datasets.length,
    skipped: [...scan.skipped],
    warnings,
    bytes,
    durationMs: performance.now() - started,
    rescannedSessions: scan.sessions.length,
    mode: 'incremental',
  };
}

function toRootRelative(absRoot: string, p: string): string {
  if (typeof p !== 'string' || p.length === 0) throw new BuildInputError(`changed path ${JSON.stringify(p)}: give a path relative to the root ${absRoot}`);
  const rel = path.isAbsolute(p) ? path.relative(absRoot, p) : path.normalize(p);
  const posix = slashSeparated(rel.split(path.sep).join('/')).replace(/\/+$/, '');
  if (posix === '..' || posix.startsWith('../') || path.isAbsolute(posix)) {
    throw new BuildInputError(`changed path ${p} is outside the root ${absRoot}`);
  }
  return posix === '.' ? '' : posix;
}

/**
 * Python ONE names sessions with uuid3 under a fresh namespace on every build, so its ids
 * cannot be reproduced from the rows: keeping such rows beside ours would give one session two
 * ids. Every session row must carry the id of its own lab/subject/date/number (the number as
 * its folder was written, the lab only when the session had a lab folder).
 */
function foreignIds(cache: LoadedCache): string | null {
  for (const s of cache.sessions) {
    if (!ownSessionId(s)) {
      return `the existing tables were not written by ALF Workbench (session ${s.lab ? `${s.lab}/` : ''}${s.subject}/${s.date}/${s.number} has id ${s.id}, not one derived from its name, as Python ONE's random ids are)`;
    }
  }
  for (const d of cache.datasets) {
    if (d.id !== datasetId(d.rel_path)) return `the existing tables were not written by ALF Workbench (dataset ${d.rel_path} has id ${d.id}, not one derived from its path)`;
  }
  return null;
}

function ownSessionId(s: SessionRow): boolean {
  const n = String(s.number);
  // Session number folders have 1 to 3 digits; the id keeps them as written. The usual case
  // ('001' in a lab folder) is tried first: each try is an md5.
  const numbers = new Set([n.padStart(3, '0'), n, n.padStart(2, '0')]);
  for (const num of numbers) {
    const tail = `${s.subject}/${s.date}/${num}`;
    if ((s.lab && sessionId(`${s.lab}/${tail}`) === s.id) || sessionId(tail) === s.id) return true;
  }
  return false;
}

interface RescanPlan {
  /** Root-relative folders to walk. */
  subtrees: Set<string>;
  /** Ids of the sessions named by the changed paths: their old rows are replaced. */
  sessionIds: Set<string>;
  oldIds: ReadonlySet<string>;
}

/** Maps each changed path to the session folder holding it, or to itself when above sessions. */
function planRescan(absRoot: string, changed: readonly string[], oldIds: ReadonlySet<string>): RescanPlan | { reason: string } {
  const classify = { root: absRoot };
  const classifier = new Classifier();
  const subtrees = new Set<string>();
  const sessionIds = new Set<string>();
  for (const rel of changed) {
    if (rel === '') return { reason: 'the root folder itself is among the changed paths' };
    const stat = statOrNull(`${absRoot}/${rel}`);
    const v = stat?.isFile() ? classifier.classifyPath(rel, classify) : classifier.classifyFolder(rel, classify);
    const session = v.kind === 'dataset' || v.kind === 'session-folder' || v.kind === 'inside-session' ? v.session : v.kind === 'invalid' ? v.session : undefined;
    if (session) {
      if (session.path === '' || session.path.startsWith('..')) return { reason: `${rel} is in a session folder that is the root or contains it` };
      const eid = sessionId(session.strId);
      // A session missing from the tables is new, or was left out as one of two folders with
      // the same id; if it is now gone, the other folder may have become indexable.
      if (!oldIds.has(eid) && !statOrNull(`${absRoot}/${session.path}`)) {
        return { reason: `the deleted session ${session.path} was not in the tables: it may have shared its id with another folder, which only a full build can find` };
      }
      sessionIds.add(eid);
      subtrees.add(session.path);
      continue;
    }
    // Nothing below an invalid folder is ever indexed, so it holds no rows to replace; rescan
    // it only to report it.
    if (v.kind === 'invalid') {
      if (stat?.isDirectory()) subtrees.add(rel);
      continue;
    }
    if (stat?.isFile()) continue; // a file outside sessions: no row to change
    if (!stat) return { reason: `${rel} was deleted and lies above session folders; the tables do not record which sessions were in it` };
    subtrees.add(rel);
  }
  if (subtrees.has('')) return { reason: 'a changed path needs the root folder read again' };
  return { subtrees, sessionIds, oldIds };
}

function statOrNull(abs: string): fs.Stats | null {
  try {
    return fs.statSync(abs);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * Makes a folder's ONE cache current before it is released: the tables are compared with a
 * fresh scan, and built or updated (by the cache module) only when they differ, with the reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCache, DATASETS_TABLE, SESSIONS_TABLE } from '../cache/build';
import { loadCache, type LoadedCache } from '../cache/load';
import { scanTree } from '../cache/scan';
import type { ScanResult } from '../cache/types';
import { updateCache } from '../cache/update';
import type { ProgressOptions } from '../progress';
import { errorMessage } from '../util/errors';

export interface CacheState {
  action: 'current' | 'built' | 'updated';
  /** Why the tables were built or updated (absent when they were current). */
  reason?: string;
  sessions: number;
  datasets: number;
}

export interface EnsureCacheOptions extends ProgressOptions {
  /** md5 every file into the hash column; tables that have hashes keep them anyway. */
  hashFiles?: boolean;
}

/** Scans `root`, brings its tables up to date, and returns the scan (what the tree holds now). */
export async function ensureCurrentCache(root: string, options: EnsureCacheOptions = {}): Promise<{ scan: ScanResult; cache: CacheState }> {
  const progress = { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  const scan = await scanTree(root, progress);
  const absRoot = path.resolve(root);
  const tables = [SESSIONS_TABLE, DATASETS_TABLE].map((t) => path.join(absRoot, t));
  const build = async (reason: string): Promise<{ scan: ScanResult; cache: CacheState }> => {
    const r = await buildCache(root, { ...progress, ...(options.hashFiles ? { hashFiles: true } : {}) });
    return { scan, cache: { action: 'built', reason, sessions: r.sessions, datasets: r.datasets } };
  };
  const missing = tables.filter((t) => !fs.existsSync(t)).map((t) => path.basename(t));
  if (missing.length > 0) return build(`${root} has no ${missing.join(' and no ')}`);
  let old: LoadedCache;
  try {
    old = await loadCache(absRoot);
  } catch (err) {
    return build(`the tables in ${root} cannot be read (${errorMessage(err)})`);
  }
  const oldHasHashes = old.datasets.some((d) => !!d.hash);
  if (options.hashFiles && !oldHasHashes && old.datasets.length > 0) return build('md5 hashes were asked for and the tables have none');
  const hashFiles = options.hashFiles || oldHasHashes;

  const written = Math.min(...tables.map((t) => fs.statSync(t).mtimeMs));
  const oldBySession = new Map<string, Map<string, number | null>>();
  for (const d of old.datasets) {
    let m = oldBySession.get(d.eid);
    if (!m) oldBySession.set(d.eid, (m = new Map()));
    m.set(d.rel_path, d.file_size);
  }
  const changed: string[] = [];
  for (const s of scan.sessions) {
    const before = oldBySession.get(s.eid);
    const same =
      before !== undefined &&
      before.size === s.datasets.length &&
      s.datasets.every((d) => before.get(d.relPath) === d.size && d.mtimeMs <= written);
    if (!same) changed.push(s.path);
  }
  const onDisk = new Set(scan.sessions.map((s) => s.eid));
  const gone = old.sessions.filter((s) => !onDisk.has(s.id)).length;
  if (gone > 0) return build(`${gone} session${gone === 1 ? '' : 's'} in the tables ${gone === 1 ? 'is' : 'are'} no longer on disk`);
  if (changed.length === 0 && old.sessions.length === scan.sessions.length) {
    return { scan, cache: { action: 'current', sessions: old.sessions.length, datasets: old.datasets.length } };
  }
  const r = await updateCache(root, { ...progress, changedPaths: changed, ...(hashFiles ? { hashFiles: true } : {}) });
  const what = `${changed.length} session${changed.length === 1 ? '' : 's'} changed since the tables were written (${changed[0]}${changed.length > 1 ? ', …' : ''})`;
  return {
    scan,
    cache: r.mode === 'incremental'
      ? { action: 'updated', reason: what, sessions: r.sessions, datasets: r.datasets }
      : { action: 'built', reason: `${what}; ${r.reason ?? 'a full build was needed'}`, sessions: r.sessions, datasets: r.datasets },
  };
}

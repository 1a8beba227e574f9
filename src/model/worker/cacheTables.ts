/** ONE cache tables seen from the worker: what a cache holds, and eids looked up in it. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DATASETS_TABLE, SESSIONS_TABLE } from '../../core/cache/build';
import { loadCacheTables } from '../../core/cache/load';
import { recoverCacheTables } from '../../core/cache/table-pair';
import type { SessionRow } from '../../core/cache/types';
import type { CacheInfo, SessionRef } from './protocol';

interface Loaded {
  /** mtimes of both tables when read: a rewritten cache is read again. */
  stamp: string;
  info: CacheInfo;
  sessions: SessionRow[];
}

const loaded = new Map<string, Loaded>();

async function stampOf(dir: string): Promise<{ stamp: string; sessionsMtime: number } | null> {
  const [s, d] = await Promise.all(
    [SESSIONS_TABLE, DATASETS_TABLE].map((f) => fs.stat(path.join(dir, f)).catch(() => null)),
  );
  if (!s?.isFile() || !d?.isFile()) return null;
  return { stamp: `${s.mtimeMs}:${s.size}:${d.mtimeMs}:${d.size}`, sessionsMtime: Math.max(s.mtimeMs, d.mtimeMs) };
}

async function load(dir: string): Promise<Loaded | null> {
  // A write killed between its renames may have left no table in place: put the pair back first.
  await recoverCacheTables(dir);
  const stamp = await stampOf(dir);
  if (!stamp) {
    loaded.delete(dir);
    return null;
  }
  const cached = loaded.get(dir);
  if (cached?.stamp === stamp.stamp) return cached;
  // the columns a listing needs, not every row: an Alyx-size cache's id and hash (four fifths of
  // its bytes) are read only as far as hasHashes needs (the first hash found)
  const cache = await loadCacheTables(dir);
  const dateCreated = cache.metadata.sessions?.date_created ?? cache.metadata.datasets?.date_created ?? null;
  const createdMs = dateCreated ? Date.parse(dateCreated.replace(' ', 'T')) : Number.NaN;
  const info: CacheInfo = {
    dir,
    sessionsPath: path.join(dir, SESSIONS_TABLE),
    datasetsPath: path.join(dir, DATASETS_TABLE),
    dateCreated,
    // date_created is rounded down to the minute, the tables' mtime is exact: files changed
    // in the minute before the write are not news. The later of the two wins.
    builtAtMs: Number.isNaN(createdMs) ? stamp.sessionsMtime : Math.max(createdMs, stamp.sessionsMtime),
    sessionCount: cache.sessions.length,
    datasetCount: cache.datasets.length,
    hasHashes: cache.datasets.hasHashes(),
  };
  const entry = { stamp: stamp.stamp, info, sessions: cache.sessions };
  loaded.set(dir, entry);
  return entry;
}

export async function cacheInfo(dir: string): Promise<CacheInfo | null> {
  const recovered = await recoverCacheTables(dir); // said once, by the call that did it
  const info = (await load(dir))?.info ?? null;
  return info && recovered ? { ...info, recovered } : info;
}

export async function lookupEid(dir: string, session: SessionRef): Promise<string | null> {
  const cache = await load(dir);
  if (!cache) return null;
  const row = cache.sessions.find(
    (s) => s.subject === session.subject && s.date === session.date && Number(s.number) === session.number && (session.lab === null || s.lab === session.lab),
  );
  return row?.id ?? null;
}

/**
 * Writes ONE's two cache tables, `sessions.pqt` and `datasets.pqt`, together and atomically:
 * both are encoded in memory, written to temporary files beside their targets and fsynced, and
 * only when both are complete are they renamed into place. On any failure the temporary files
 * are removed and the previous tables (if any) are left as they were, byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { encodeDatasetsTable, encodeSessionsTable, type OneTableOptions } from '../parquet/one-tables';
import type { CacheMetadata, DatasetRow, SessionRow } from './types';

export const SESSIONS_FILE = 'sessions.pqt';
export const DATASETS_FILE = 'datasets.pqt';

type Table = 'sessions' | 'datasets';

/** Test hooks to inject failures at each step of the write; a hook that throws aborts the write. */
export interface WriteCacheTablesHooks {
  /** After a table's temporary file is written and fsynced. */
  afterTempWritten?(table: Table, tempPath: string): void | Promise<void>;
  /** Just before a table's temporary file is renamed over its target. */
  beforeRename?(table: Table, tempPath: string, targetPath: string): void | Promise<void>;
}

export interface WriteCacheTablesOptions extends OneTableOptions {
  outDir: string;
  /** Written in the order given (the caller sorts). */
  sessions: readonly SessionRow[];
  datasets: readonly DatasetRow[];
  /** `one_metadata` of both tables (see formatDateCreated for `date_created`). */
  metadata: CacheMetadata;
  hooks?: WriteCacheTablesHooks;
}

export interface WrittenCacheTables {
  sessionsPath: string;
  datasetsPath: string;
}

export async function writeCacheTables(options: WriteCacheTablesOptions): Promise<WrittenCacheTables> {
  const { outDir, hooks = {} } = options;
  // Encode first: a bad row fails here, before anything touches the disk.
  const [sessionsBytes, datasetsBytes] = await Promise.all([
    encodeSessionsTable(options.sessions, options.metadata, options),
    encodeDatasetsTable(options.datasets, options.metadata, options),
  ]);
  await fs.mkdir(outDir, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tables = [
    { table: 'sessions' as const, bytes: sessionsBytes, target: path.join(outDir, SESSIONS_FILE) },
    { table: 'datasets' as const, bytes: datasetsBytes, target: path.join(outDir, DATASETS_FILE) },
  ].map((t) => ({ ...t, temp: path.join(outDir, `.${path.basename(t.target)}.${tag}.tmp`), backup: path.join(outDir, `.${path.basename(t.target)}.${tag}.bak`) }));

  const temps: string[] = [];
  const backups: { target: string; backup: string }[] = [];
  const renamed: { target: string; backup?: string }[] = [];
  try {
    for (const t of tables) {
      temps.push(t.temp);
      await writeSynced(t.temp, t.bytes);
      await hooks.afterTempWritten?.(t.table, t.temp);
    }
    // Keep a hard link to each previous table, so that the first rename can be undone if the
    // second fails: no reader ever sees a new sessions.pqt beside an old datasets.pqt for long.
    for (const t of tables) {
      if (await linkIfExists(t.target, t.backup)) backups.push({ target: t.target, backup: t.backup });
    }
    for (const t of tables) {
      await hooks.beforeRename?.(t.table, t.temp, t.target);
      await renameWithRetry(t.temp, t.target);
      renamed.push({ target: t.target, backup: backups.find((b) => b.target === t.target)?.backup });
    }
  } catch (error) {
    // Undo the renames already made, newest first: put back the previous table, or remove the new one.
    for (const r of renamed.reverse()) {
      if (r.backup) await renameWithRetry(r.backup, r.target).catch(() => undefined);
      else await fs.rm(r.target, { force: true }).catch(() => undefined);
    }
    await Promise.all([...temps, ...backups.map((b) => b.backup)].map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
    throw error;
  }
  await Promise.all(backups.map((b) => fs.rm(b.backup, { force: true }).catch(() => undefined)));
  await syncDirectory(outDir);
  return { sessionsPath: tables[0].target, datasetsPath: tables[1].target };
}

async function writeSynced(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function linkIfExists(target: string, backup: string): Promise<boolean> {
  try {
    await fs.link(target, backup);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    // No hard links here (some network and FAT file systems): fall back to a copy.
    await fs.copyFile(target, backup);
    return true;
  }
}

/** On Windows a rename over a file another process has open fails for a moment (EPERM/EBUSY/EACCES): retry briefly. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 10 || !['EPERM', 'EBUSY', 'EACCES'].includes(code ?? '')) throw e;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}

/** Makes the renames durable (POSIX); not possible on Windows, where it is skipped. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM on Windows, or a file system without directory fsync
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes ONE's two cache tables, `sessions.pqt` and `datasets.pqt`, together: both are encoded
 * in memory, written to temporary files beside their targets and fsynced; then the previous
 * tables are moved aside as backups, and only then are the new ones renamed into place. At no
 * moment does the folder hold one old and one new table (see table-pair.ts): a failure puts the
 * previous tables back, byte for byte, and a kill is undone by the next reader
 * (`recoverCacheTables`). A successful write removes what earlier killed writes left behind.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { encodeDatasetsTable, encodeSessionsTable, type OneTableOptions } from '../parquet/one-tables';
import { DATASETS_FILE, SESSIONS_FILE, type TableFile, WRITE_ID_KEY, endWrite, leftoverName, removeDeadLeftovers, startWrite } from './table-pair';
import type { CacheMetadata, DatasetRow, SessionRow } from './types';

export { DATASETS_FILE, SESSIONS_FILE } from './table-pair';

type Table = 'sessions' | 'datasets';

/**
 * Test hooks at each step of the write. A hook that throws aborts the write (which is then
 * undone); one that never settles leaves the folder as a kill at that moment would.
 */
export interface WriteCacheTablesHooks {
  /** After a table's temporary file is written and fsynced. */
  afterTempWritten?(table: Table, tempPath: string): void | Promise<void>;
  /** Just before a previous table is moved aside to its backup. */
  beforeBackup?(table: Table, targetPath: string, backupPath: string): void | Promise<void>;
  /** Just before a table's temporary file is renamed over its target. */
  beforeRename?(table: Table, tempPath: string, targetPath: string): void | Promise<void>;
  /** Both new tables are in place; the backups are about to be removed. */
  beforeCleanup?(): void | Promise<void>;
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
  const writeId = startWrite();
  try {
    // Encode first: a bad row fails here, before anything touches the disk.
    const tableOptions: OneTableOptions = { ...options, extraKeyValues: [[WRITE_ID_KEY, writeId]] };
    const [sessionsBytes, datasetsBytes] = await Promise.all([
      encodeSessionsTable(options.sessions, options.metadata, tableOptions),
      encodeDatasetsTable(options.datasets, options.metadata, tableOptions),
    ]);
    await fs.mkdir(outDir, { recursive: true });
    const tables = [
      { table: 'sessions' as const, file: SESSIONS_FILE as TableFile, bytes: sessionsBytes },
      { table: 'datasets' as const, file: DATASETS_FILE as TableFile, bytes: datasetsBytes },
    ].map((t) => ({
      ...t,
      target: path.join(outDir, t.file),
      temp: path.join(outDir, leftoverName(t.file, writeId, 'tmp')),
      backup: path.join(outDir, leftoverName(t.file, writeId, 'bak')),
    }));

    const temps: string[] = [];
    const backedUp: { target: string; backup: string }[] = [];
    const placed: string[] = [];
    try {
      for (const t of tables) {
        temps.push(t.temp);
        await writeSynced(t.temp, t.bytes);
        await hooks.afterTempWritten?.(t.table, t.temp);
      }
      // Both previous tables aside first, then both new ones in: a reader sees the old pair, the
      // new pair, or fewer than two tables, never a mix.
      for (const t of tables) {
        await hooks.beforeBackup?.(t.table, t.target, t.backup);
        if (await renameIfExists(t.target, t.backup)) backedUp.push({ target: t.target, backup: t.backup });
      }
      await syncDirectory(outDir);
      for (const t of tables) {
        await hooks.beforeRename?.(t.table, t.temp, t.target);
        await renameWithRetry(t.temp, t.target);
        placed.push(t.target);
      }
    } catch (error) {
      // Undo: remove the new tables placed, put the previous ones back, drop the temp files.
      for (const target of placed) await fs.rm(target, { force: true }).catch(() => undefined);
      for (const b of backedUp) await renameWithRetry(b.backup, b.target).catch(() => undefined);
      await Promise.all(temps.map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
      throw error;
    }
    await syncDirectory(outDir);
    await hooks.beforeCleanup?.();
    await Promise.all(backedUp.map((b) => fs.rm(b.backup, { force: true }).catch(() => undefined)));
    await removeDeadLeftovers(outDir);
    await syncDirectory(outDir);
    return { sessionsPath: tables[0].target, datasetsPath: tables[1].target };
  } finally {
    endWrite(writeId);
  }
}

/** Moves `target` to `backup` when there is one; false when there was no previous table. */
async function renameIfExists(target: string, backup: string): Promise<boolean> {
  try {
    await renameWithRetry(target, backup);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
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

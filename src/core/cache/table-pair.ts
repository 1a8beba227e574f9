/**
 * How the two cache tables are kept a pair across a crash. Two renames cannot be one atomic
 * step, so a write moves the previous pair aside as backups *before* putting the new pair in
 * place (see writeCacheTables): at every instant the folder holds the old pair, the new pair, or
 * fewer than two tables — never one old and one new table, which Python ONE (it reads only
 * `sessions.pqt` and `datasets.pqt`) would load without a word. Each table records the write it
 * came from (`alf_write_id` in its Parquet key-value metadata; the temporary and backup files are
 * named after it), so the next reader finds a write that was killed part-way and puts the
 * previous pair back.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readParquetColumns } from '../parquet/read';
import { errorMessage } from '../util/errors';

export const SESSIONS_FILE = 'sessions.pqt';
export const DATASETS_FILE = 'datasets.pqt';
export const TABLE_FILES = [SESSIONS_FILE, DATASETS_FILE] as const;
export type TableFile = (typeof TABLE_FILES)[number];

/** Parquet key-value metadata naming the write a table came from; both tables of a pair carry the same. */
export const WRITE_ID_KEY = 'alf_write_id';

/**
 * A write's temporary and backup files: `.sessions.pqt.<pid>-<hex>.tmp` / `.bak`. Never `*.pqt`:
 * ONE loads every `*.pqt` in the folder as a table.
 */
const LEFTOVER_RE = /^\.(sessions\.pqt|datasets\.pqt)\.(\d+)-([0-9a-f]+)\.(tmp|bak)$/;

/** Whether a file name is one of a cache write's temporary or backup files (scans leave them out). */
export function isTableWriteLeftover(name: string): boolean {
  return LEFTOVER_RE.test(name);
}

export function leftoverName(table: TableFile, writeId: string, kind: 'tmp' | 'bak'): string {
  return `.${table}.${writeId}.${kind}`;
}

/** Writes in progress in this process: their files are not leftovers even though our pid is alive. */
const activeWrites = new Set<string>();

export function startWrite(): string {
  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  activeWrites.add(id);
  return id;
}

export function endWrite(id: string): void {
  activeWrites.delete(id);
}

/** A write whose process is gone (or is this one, but no longer writing) left its files for good. */
function isDeadWrite(writeId: string): boolean {
  const pid = Number(writeId.slice(0, writeId.indexOf('-')));
  if (pid === process.pid) return !activeWrites.has(writeId);
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    // EPERM: the process exists but is someone else's.
    return (e as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

interface Leftovers {
  writeId: string;
  tmp: Set<TableFile>;
  bak: Set<TableFile>;
}

async function deadLeftovers(dir: string): Promise<Leftovers[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const byWrite = new Map<string, Leftovers>();
  for (const name of names) {
    const m = LEFTOVER_RE.exec(name);
    if (!m) continue;
    const writeId = `${m[2]}-${m[3]}`;
    let entry = byWrite.get(writeId);
    if (!entry) byWrite.set(writeId, (entry = { writeId, tmp: new Set(), bak: new Set() }));
    entry[m[4] as 'tmp' | 'bak'].add(m[1] as TableFile);
  }
  return [...byWrite.values()].filter((w) => isDeadWrite(w.writeId)).sort((a, b) => a.writeId.localeCompare(b.writeId));
}

/** The write id a table carries, or null (ONE's own tables, older ones of ours, unreadable files). */
export async function writeIdOf(file: string): Promise<string | null> {
  try {
    const { metadata } = await readParquetColumns(file, { columns: [] });
    return metadata[WRITE_ID_KEY] || null;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(() => true, () => false);
}

/**
 * Finds writes of the tables in `dir` that were killed part-way and makes the folder hold a
 * pair written together again: a write killed after both new tables were in place only lacked
 * its clean-up (its backups are removed); any other is undone (the previous tables are put back
 * from the backups, a new table without a previous one is removed, the temporary files go).
 * Returns one line saying what was done, or null when there was nothing to do. Writes still in
 * progress (their process is alive) are left alone.
 */
export async function recoverCacheTables(dir: string): Promise<string | null> {
  const lines: string[] = [];
  for (const w of await deadLeftovers(dir)) {
    const file = (t: TableFile, kind: 'tmp' | 'bak') => path.join(dir, leftoverName(t, w.writeId, kind));
    if (w.tmp.size === 0) {
      // Both new tables were renamed into place: only the backups were left to remove.
      for (const t of w.bak) await fs.rm(file(t, 'bak'), { force: true });
      continue;
    }
    let restored = 0;
    let removed = 0;
    try {
      for (const t of TABLE_FILES) {
        const target = path.join(dir, t);
        if (w.bak.has(t)) {
          await fs.rename(file(t, 'bak'), target);
          restored++;
        } else if ((await exists(target)) && (await writeIdOf(target)) === w.writeId) {
          await fs.rm(target, { force: true }); // new, with no previous table to put back
          removed++;
        }
        await fs.rm(file(t, 'tmp'), { force: true });
      }
    } catch (e) {
      // A folder this reader may not write (someone else's cache): say so, and let the read go on.
      const code = (e as NodeJS.ErrnoException).code ?? (errorMessage(e));
      lines.push(`a cache write in ${dir} was interrupted (write ${w.writeId}) and could not be undone here (${code}): rebuild the cache, or ask whoever can write there`);
      continue;
    }
    const what = restored
      ? 'the previous sessions.pqt and datasets.pqt were put back'
      : removed
        ? 'there were no previous tables, so its unfinished new one was removed: build the cache again'
        : 'it had not replaced anything yet; its temporary files were removed';
    lines.push(`a cache write in ${dir} was interrupted (write ${w.writeId}); ${what}`);
  }
  return lines.length ? lines.join('; ') : null;
}

/** After a successful write: every file that dead writes left behind, now out of date, goes. */
export async function removeDeadLeftovers(dir: string): Promise<void> {
  for (const w of await deadLeftovers(dir)) {
    for (const kind of ['tmp', 'bak'] as const) {
      for (const t of w[kind]) await fs.rm(path.join(dir, leftoverName(t, w.writeId, kind)), { force: true }).catch(() => undefined);
    }
  }
}

/** Both tables carry write ids and they differ: the pair was not written together. */
export class MixedCacheTablesError extends Error {
  override readonly name = 'MixedCacheTablesError';
}

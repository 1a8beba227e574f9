import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProgressOptions } from '../progress';
import { throwIfCancelled } from '../progress';
import { formatDateCreated } from '../parquet';
import { compareCodePoints } from '../order';
import { datasetId } from './ids';
import { scanTree } from './scan';
import { assertFolder, errnoCode } from './walk';
import { writeCacheTables } from './tables';
import type { CacheMetadata, DatasetRow, ScanResult, ScanWarning, SessionRow, SkippedEntry } from './types';

export interface BuildOptions extends ProgressOptions {
  /** md5 every file into the `hash` column (ONE's `hash_files=True`). */
  hashFiles?: boolean;
  /** Where to write the tables (default: the root, as ONE does). */
  outDir?: string;
  /** Lab name for sessions whose path has no `lab/Subjects` part (ONE's `lab=`). */
  lab?: string;
  /** Glob patterns of root-relative paths to leave out. */
  exclude?: readonly string[];
  /** Worker threads for hashing (default: one per core but the walking one's, at most 4). */
  hashThreads?: number;
}

export interface BuildResult {
  sessionsPath: string;
  datasetsPath: string;
  sessions: number;
  datasets: number;
  skipped: SkippedEntry[];
  /** Valid but probably unintended names and folders (indexed anyway), and option conflicts. */
  warnings: ScanWarning[];
  /** Total bytes of the indexed files. */
  bytes: number;
  durationMs: number;
}

export const SESSIONS_TABLE = 'sessions.pqt';
export const DATASETS_TABLE = 'datasets.pqt';

/**
 * Indexes `root` into ONE's `sessions.pqt` and `datasets.pqt`, with the rows Python ONE's
 * `make_parquet_db` gives on a valid tree, stable ids, and a reason for everything skipped.
 * Both tables are replaced together or not at all.
 */
export async function buildCache(root: string, options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  assertFolder(root);
  const outDir = path.resolve(options.outDir ?? root);
  assertWritableFolder(outDir, options.outDir !== undefined);
  const ignoreFiles = tablesInRoot(path.resolve(root), outDir);

  const scan = await scanTree(root, {
    ignoreFiles,
    ...(options.hashFiles ? { hashFiles: true } : {}),
    ...(options.hashThreads ? { hashThreads: options.hashThreads } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const skipped = [...scan.skipped];
  throwIfCancelled(options.signal);

  const warnings: ScanWarning[] = [...scan.warnings];
  const { sessions, datasets, bytes } = toRows(scan, options.lab, warnings);
  const written = await writeTables(outDir, scan.root, sessions, datasets, options);
  return {
    ...written,
    sessions: sessions.length,
    datasets: datasets.length,
    skipped,
    warnings,
    bytes,
    durationMs: performance.now() - started,
  };
}

/**
 * Writes both tables (atomically, by writeCacheTables) with a fresh `date_created`, reporting the
 * `write` phase, and names the folder in file-system errors (disk full, read-only) that carry no
 * path.
 */
export async function writeTables(
  outDir: string,
  origin: string,
  sessions: readonly SessionRow[],
  datasets: readonly DatasetRow[],
  options: ProgressOptions,
): Promise<{ sessionsPath: string; datasetsPath: string }> {
  options.onProgress?.({ phase: 'write', done: 0, total: 2, detail: 'sessions.pqt, datasets.pqt' });
  // The last moment a Cancel can still leave the old tables alone.
  throwIfCancelled(options.signal);
  const metadata: CacheMetadata = { date_created: formatDateCreated(new Date()), origin };
  try {
    const written = await writeCacheTables({ outDir, sessions, datasets, metadata });
    options.onProgress?.({ phase: 'write', done: 2, total: 2, detail: 'sessions.pqt, datasets.pqt' });
    return written;
  } catch (err) {
    if (err instanceof Error && 'code' in err && !('path' in err)) Object.assign(err, { path: outDir });
    throw err;
  }
}

/** Root-relative paths of the tables when `outDir` lies inside the root: a scan must not index them. */
export function tablesInRoot(absRoot: string, outDir: string): string[] {
  const inRoot = path.relative(absRoot, outDir);
  if (inRoot.startsWith('..') || path.isAbsolute(inRoot)) return [];
  return [SESSIONS_TABLE, DATASETS_TABLE].map((f) => (inRoot ? `${inRoot.split(path.sep).join('/')}/${f}` : f));
}

/** Bad input to a build, found before anything is read or written. */
export class BuildInputError extends Error {
  override readonly name = 'BuildInputError';
}

export function assertWritableFolder(dir: string, explicit: boolean): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new BuildInputError(`output folder not found: ${dir}${explicit ? ' (create it first, or choose another --out)' : ''}`);
  }
  if (!stat.isDirectory()) throw new BuildInputError(`output path is a file, not a folder: ${dir}`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw new OutputNotWritableError(dir, errnoCode(err) ?? 'EACCES');
  }
}

/**
 * The output folder is there but cannot be written: a file-system error (the CLI's exit 3), not
 * bad input, found before anything is read.
 */
export class OutputNotWritableError extends Error {
  override readonly name = 'OutputNotWritableError';
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(`${code === 'EROFS' ? 'read-only file system' : 'permission denied'}: cannot write into ${path}; choose another output folder with --out`);
  }
}

/** Session and dataset rows of a scan, in ONE's order; `lab` fills sessions without a lab folder. */
export function toRows(
  scan: ScanResult,
  lab: string | undefined,
  warnings: ScanWarning[],
): { sessions: SessionRow[]; datasets: DatasetRow[]; bytes: number } {
  const sessions: SessionRow[] = [];
  const datasets: DatasetRow[] = [];
  let bytes = 0;
  // ONE sorts both tables by their index (uuid order is the order of the hex strings). Datasets
  // come grouped by session, so sorting sessions, then each session's few datasets, is enough.
  const ordered = [...scan.sessions].sort((a, b) => compareCodePoints(a.eid, b.eid));
  for (const s of ordered) {
    if (lab && s.lab && s.lab !== lab) {
      warnings.push({
        path: s.path,
        code: 'lab-option-conflict',
        message: `the lab option is ${lab}, but this session is in the lab folder ${s.lab}: it keeps its folder's lab`,
        isFolder: true,
      });
    }
    sessions.push({
      id: s.eid,
      lab: s.lab ?? lab ?? '',
      subject: s.subject,
      date: s.date,
      number: s.number,
      task_protocol: '',
      projects: '',
    });
    const rows: DatasetRow[] = [];
    // A file not hashed gets a null hash, not ONE's '': ONE 3.4.2 skips its md5 check only for
    // null, and otherwise hashes every file it loads and warns "local md5 mismatch".
    for (const d of s.datasets) {
      bytes += d.size;
      rows.push({ eid: s.eid, id: datasetId(d.relPath), rel_path: d.relPath, file_size: d.size, hash: d.hash ?? null, exists: true, qc: 'NOT_SET' });
    }
    rows.sort((a, b) => compareCodePoints(a.id, b.id));
    for (const r of rows) datasets.push(r);
  }
  return { sessions, datasets, bytes };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProgressOptions } from '../progress';
import { throwIfCancelled } from '../progress';
import { formatDateCreated } from '../parquet';
import { hashFiles } from './hash';
import { datasetId } from './ids';
import { scanTree } from './scan';
import { assertFolder } from './walk';
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
  /** Threads for hashing (default: one per core). */
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
  const absRoot = path.resolve(root);
  const inRoot = path.relative(absRoot, outDir);
  const ignoreFiles =
    inRoot.startsWith('..') || path.isAbsolute(inRoot)
      ? []
      : [SESSIONS_TABLE, DATASETS_TABLE].map((f) => (inRoot ? `${inRoot.split(path.sep).join('/')}/${f}` : f));

  const scan = await scanTree(root, {
    ignoreFiles,
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const skipped = [...scan.skipped];
  const hashes = options.hashFiles ? await hashAll(scan, skipped, options) : undefined;
  throwIfCancelled(options.signal);

  const warnings: ScanWarning[] = [...scan.warnings];
  const { sessions, datasets, bytes } = toRows(scan, hashes, options.lab, warnings);
  options.onProgress?.({ phase: 'write', done: 0, total: 2, unit: 'files' });
  const metadata: CacheMetadata = { date_created: formatDateCreated(new Date()), origin: scan.root };
  let written;
  try {
    written = await writeCacheTables({ outDir, sessions, datasets, metadata });
  } catch (err) {
    // Name the folder in file-system errors (disk full, read-only) that carry no path.
    if (err instanceof Error && 'code' in err && !('path' in err)) Object.assign(err, { path: outDir });
    throw err;
  }
  options.onProgress?.({ phase: 'write', done: 2, total: 2, unit: 'files' });
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

/** Bad input to a build, found before anything is read or written. */
export class BuildInputError extends Error {
  override readonly name = 'BuildInputError';
}

function assertWritableFolder(dir: string, explicit: boolean): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new BuildInputError(`output folder not found: ${dir}${explicit ? ' (create it first, or choose another --out)' : ''}`);
  }
  if (!stat.isDirectory()) throw new BuildInputError(`output path is a file, not a folder: ${dir}`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new BuildInputError(`permission denied: cannot write into ${dir}; choose another output folder with --out`);
  }
}

/** md5 of every indexed file; files that cannot be read move to `skipped`. */
async function hashAll(scan: ScanResult, skipped: SkippedEntry[], options: BuildOptions): Promise<Map<string, string>> {
  const files = scan.sessions.flatMap((s) => s.datasets);
  const total = files.reduce((sum, d) => sum + d.size, 0);
  options.onProgress?.({ phase: 'hash', done: 0, total, unit: 'bytes' });
  const outcomes = await hashFiles(
    files.map((d) => path.join(scan.root, d.path)),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.hashThreads ? { threads: options.hashThreads } : {}),
      onBytes: (done) => options.onProgress?.({ phase: 'hash', done, total, unit: 'bytes' }),
    },
  );
  const hashes = new Map<string, string>();
  outcomes.forEach((outcome, i) => {
    const file = files[i]!;
    if ('md5' in outcome) hashes.set(file.path, outcome.md5);
    else skipped.push({ path: file.path, reason: `unreadable, so not hashed or indexed: ${outcome.error}`, code: 'unreadable', isFolder: false });
  });
  return hashes;
}

function toRows(
  scan: ScanResult,
  hashes: Map<string, string> | undefined,
  lab: string | undefined,
  warnings: ScanWarning[],
): { sessions: SessionRow[]; datasets: DatasetRow[]; bytes: number } {
  const sessions: SessionRow[] = [];
  const datasets: DatasetRow[] = [];
  let bytes = 0;
  for (const s of scan.sessions) {
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
    for (const d of s.datasets) {
      let hash = '';
      if (hashes) {
        const h = hashes.get(d.path);
        if (h === undefined) continue; // unreadable: already in skipped
        hash = h;
      }
      bytes += d.size;
      datasets.push({ eid: s.eid, id: datasetId(d.relPath), rel_path: d.relPath, file_size: d.size, hash, exists: true, qc: 'NOT_SET' });
    }
  }
  // ONE sorts both tables by their index: uuid order equals the order of the hex strings.
  sessions.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  datasets.sort((a, b) => (a.eid < b.eid ? -1 : a.eid > b.eid ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { sessions, datasets, bytes };
}

/**
 * `alf release`: a data folder as the zip ONE's local-mode guide asks for — both cache tables
 * at the root, every indexed dataset at its path, the release's top-level documents — written
 * atomically, with what was left out and why.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATASETS_TABLE, SESSIONS_TABLE } from '../cache/build';
import type { SkippedEntry } from '../cache/types';
import { assertFolder } from '../cache/walk';
import { compareCodePoints } from '../order';
import type { ProgressOptions } from '../progress';
import { scanTree } from '../cache/scan';
import { ensureCurrentCache, type CacheState } from './current-cache';
import { writeZip, type ZipSource } from './zip-writer';

export interface ReleaseOptions extends ProgressOptions {
  /** The zip to write (default: DIR.zip beside DIR). Never inside DIR. */
  outFile?: string;
  /** md5 every file into the tables' hash column. */
  hashFiles?: boolean;
  /** zlib level 0-9 (default 6). */
  level?: number;
  /** Also pack the files the cache does not index. */
  includeInvalid?: boolean;
}

export interface ReleaseResult {
  outFile: string;
  entries: number;
  bytesIn: number;
  bytesOut: number;
  sha256: string;
  durationMs: number;
  cache: CacheState;
  /** What is not in the zip (or, with includeInvalid, is in it but not indexed), with reasons. */
  leftOut: SkippedEntry[];
  /** Top-level documents packed beside the data. */
  documents: string[];
}

/** Bad input found before anything is written (exit 2 on the command line). */
export class ReleaseInputError extends Error {
  override readonly name = 'ReleaseInputError';
}

/** Formats that are compressed already: deflate would spend time for nothing. */
const STORED_EXTENSIONS = new Set([
  '.mp4', '.avi', '.mkv', '.mov', '.webm', '.mj2', '.zip', '.gz', '.tgz', '.bz2', '.xz', '.zst', '.7z', '.rar',
  '.png', '.jpg', '.jpeg', '.gif', '.webp', '.pqt', '.parquet', '.flac', '.mp3', '.ogg', '.cbin', '.npz',
]);

export function isStoredAsIs(name: string): boolean {
  return STORED_EXTENSIONS.has(path.posix.extname(name).toLowerCase());
}

/** README, LICENSE, CITATION… at the top of the folder: what a data release carries besides data. */
export function isReleaseDocument(rootRelative: string): boolean {
  return !rootRelative.includes('/') && /^(readme|license|licence|citation|copying)([._-].*)?$/iu.test(rootRelative);
}

export function defaultReleasePath(dir: string): string {
  return `${path.resolve(dir).replace(/[\\/]+$/u, '')}.zip`;
}

export async function packageRelease(dir: string, options: ReleaseOptions = {}): Promise<ReleaseResult> {
  const started = performance.now();
  assertFolder(dir);
  const absRoot = path.resolve(dir);
  const outFile = path.resolve(options.outFile ?? defaultReleasePath(dir));
  const inside = path.relative(absRoot, outFile);
  if (inside === '' || (!inside.startsWith('..') && !path.isAbsolute(inside))) {
    throw new ReleaseInputError(`${outFile} is inside ${dir}: write the release beside the folder, not in it (choose another --out)`);
  }
  if (fs.existsSync(outFile) && fs.statSync(outFile).isDirectory()) throw new ReleaseInputError(`${outFile} is a folder: --out names the zip file to write`);
  const outDir = path.dirname(outFile);
  if (!fs.existsSync(outDir)) throw new ReleaseInputError(`the folder for ${outFile} does not exist: create it first, or choose another --out`);
  const level = options.level ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new ReleaseInputError(`level ${level}: give a whole number from 0 (store) to 9 (smallest)`);

  const progress = { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  const { scan, cache } = await ensureCurrentCache(dir, { ...progress, ...(options.hashFiles ? { hashFiles: true } : {}) });

  const sources: ZipSource[] = [];
  const add = (rel: string) => {
    const abs = path.join(absRoot, rel);
    const st = fs.statSync(abs);
    sources.push({ name: rel, absPath: abs, size: st.size, mtimeMs: st.mtimeMs });
  };
  for (const t of [SESSIONS_TABLE, DATASETS_TABLE]) add(t);
  for (const s of scan.sessions) for (const d of s.datasets) sources.push({ name: d.path, absPath: path.join(absRoot, d.path), size: d.size, mtimeMs: d.mtimeMs });
  const documents: string[] = [];
  const leftOut: SkippedEntry[] = [];
  for (const skip of scan.skipped) {
    if (!skip.isFolder && isReleaseDocument(skip.path)) {
      documents.push(skip.path);
      add(skip.path);
      continue;
    }
    leftOut.push(skip);
    if (options.includeInvalid) for (const rel of filesUnder(absRoot, skip)) add(rel);
  }
  sources.sort((a, b) => compareCodePoints(a.name, b.name));

  const temp = path.join(outDir, `.${path.basename(outFile)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const written = await writeZip(temp, sources, { level, storeAsIs: isStoredAsIs, ...progress });
    await fsp.rename(temp, outFile);
    return { outFile, ...written, durationMs: performance.now() - started, cache, leftOut, documents };
  } catch (err) {
    await fsp.rm(temp, { force: true });
    throw err;
  }
}

export interface ReleasePlan {
  /** Entries the zip would hold with the tables as they are now (both tables included). */
  entries: number;
  /** Bytes of the datasets and documents (the tables not counted: they may be rebuilt). */
  bytes: number;
  leftOut: SkippedEntry[];
  documents: string[];
}

/**
 * What `packageRelease` would pack and leave out, from a scan alone: nothing is built or
 * written. The editor shows it before the user writes the zip.
 */
export async function planRelease(dir: string, options: ProgressOptions & { includeInvalid?: boolean } = {}): Promise<ReleasePlan> {
  assertFolder(dir);
  const scan = await scanTree(dir, options);
  let entries = 2;
  let bytes = 0;
  for (const s of scan.sessions) for (const d of s.datasets) {
    entries++;
    bytes += d.size;
  }
  const documents: string[] = [];
  const leftOut: SkippedEntry[] = [];
  for (const skip of scan.skipped) {
    if (!skip.isFolder && isReleaseDocument(skip.path)) {
      documents.push(skip.path);
      entries++;
      bytes += fs.statSync(path.join(dir, skip.path)).size;
    } else {
      leftOut.push(skip);
      if (options.includeInvalid) for (const rel of filesUnder(path.resolve(dir), skip)) {
        entries++;
        bytes += fs.statSync(path.join(dir, rel)).size;
      }
    }
  }
  return { entries, bytes, leftOut, documents };
}

/** The files a skipped entry stands for: itself, or every file in a skipped folder. */
function filesUnder(absRoot: string, skip: SkippedEntry): string[] {
  if (!skip.isFolder) return [skip.path];
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const e of fs.readdirSync(path.join(absRoot, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) visit(child);
      else if (e.isFile()) out.push(child);
    }
  };
  visit(skip.path);
  return out;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

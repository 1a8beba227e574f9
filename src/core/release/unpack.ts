/**
 * Unpacks a checked zip into a temporary folder beside DIR and renames it into place, so a
 * failure leaves DIR as it was. Every entry's size and CRC are verified while it is written.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError, throwIfCancelled, type ProgressOptions } from '../progress';
import { extractEntries, type ExtractFailure, type ExtractItem } from './extract-entries';
import { crc32 } from './crc32';
import { DEFAULT_LIMITS, readCentralDirectory, ReleaseArchiveError, type ArchiveLimits, type ZipEntryInfo } from './zip-reader';

export interface UnpackOptions extends ProgressOptions {
  limits?: ArchiveLimits;
  /**
   * Threads that write the small entries (default: one per core, at most 4; the
   * ALF_UNPACK_THREADS environment variable overrides it). 0 writes them on this thread, as
   * archives of fewer than 256 entries always are.
   */
  threads?: number;
}

/** Entries above this are streamed on this thread rather than read whole by a writer thread. */
const READ_WHOLE = 8 * 1024 * 1024;
/** Below this many small entries, starting threads costs more than it saves. */
const THREADS_FROM = 256;
/** Entries written between two turns of the event loop when they are written on this thread. */
const IN_THREAD_CHUNK = 256;

export async function unpackZip(zipFile: string, into: string, options: UnpackOptions = {}): Promise<{ entries: number; bytes: number; files: Set<string> }> {
  const dest = path.resolve(into);
  if (fs.existsSync(dest)) {
    if (!fs.statSync(dest).isDirectory()) throw new ReleaseArchiveError(`${into} is a file: give a new or empty folder`);
    if (fs.readdirSync(dest).length > 0) throw new ReleaseArchiveError(`${into} is not empty: give a new or empty folder`);
  }
  const fh = await fsp.open(zipFile, 'r');
  const temp = path.join(path.dirname(dest), `.${path.basename(dest)}.unpack-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fileSize = (await fh.stat()).size;
    const entries = await readCentralDirectory(fh, fileSize, options.limits ?? DEFAULT_LIMITS);
    await fsp.mkdir(temp);
    const targetOf = (e: ZipEntryInfo) => {
      const target = path.join(temp, ...e.name.split('/'));
      // checkName already refused every way out; this guards against a mistake there.
      if (!target.startsWith(temp + path.sep)) throw new ReleaseArchiveError(`${e.rawName}: would be written outside the folder: refused`);
      return target;
    };
    const ordered = [...entries].sort((a, b) => a.localOffset - b.localOffset);
    for (const e of ordered) if (e.isFolder) fs.mkdirSync(targetOf(e), { recursive: true });
    const small: ExtractItem[] = [];
    const large: ZipEntryInfo[] = [];
    for (const e of ordered) {
      if (e.isFolder) continue;
      if (e.compressedSize <= READ_WHOLE && e.size <= READ_WHOLE) {
        small.push({ target: targetOf(e), rawName: e.rawName, nameBytes: e.nameBytes, localOffset: e.localOffset, compressedSize: e.compressedSize, size: e.size, crc: e.crc, method: e.method, mtimeMs: e.mtimeMs });
      } else {
        large.push(e);
      }
    }
    const total = entries.reduce((n, e) => n + e.size, 0);
    let largeBytes = 0;
    let detail = '';
    const writers = writeSmall(zipFile, small, writerThreads(options.threads, small.length), options.signal, (smallBytes) =>
      options.onProgress?.({ phase: 'unpack', done: smallBytes + largeBytes, total, unit: 'bytes', ...(detail ? { detail } : {}) }),
    );
    try {
      for (const e of large) {
        throwIfCancelled(options.signal);
        if (writers.failed()) break;
        detail = e.name;
        fs.mkdirSync(path.dirname(targetOf(e)), { recursive: true });
        await extractLarge(fh, e, targetOf(e));
        largeBytes += e.size;
      }
    } catch (err) {
      writers.stop();
      await writers.done.catch(() => undefined);
      throw err;
    }
    await writers.done;
    throwIfCancelled(options.signal);
    if (fs.existsSync(dest)) await fsp.rmdir(dest);
    await fsp.rename(temp, dest);
    const files = new Set(entries.filter((e) => !e.isFolder).map((e) => e.name));
    return { entries: files.size, bytes: total, files };
  } catch (err) {
    await fsp.rm(temp, { recursive: true, force: true });
    throw err;
  } finally {
    await fh.close();
  }
}

function writerThreads(asked: number | undefined, entries: number): number {
  if (entries < THREADS_FROM) return 0;
  const fromEnv = Number.parseInt(process.env.ALF_UNPACK_THREADS ?? '', 10);
  const n = asked ?? (Number.isInteger(fromEnv) && fromEnv >= 0 ? fromEnv : Math.min(availableParallelism(), 4));
  return Math.max(0, Math.min(n, 16));
}

/** The worker: runs extractEntries on its run of entries and posts what it returned. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const extractEntries = ${extractEntries.toString()};
const { zipPath, items, control, progress, slot } = workerData;
parentPort.postMessage(extractEntries(zipPath, items, control, progress, slot));
`;

interface Writers {
  /** Settles once every run has ended: rejects with the first failure (a cancel counts last). */
  done: Promise<void>;
  failed(): boolean;
  /** Asks every run to stop before its next entry. */
  stop(): void;
}

/**
 * Writes the small entries: split into `threads` runs of consecutive entries, one worker each
 * (each reads its own part of the zip), or on this thread when `threads` is 0. Progress is
 * reported every 100 ms; the signal stops the runs between two entries, never inside zlib.
 */
function writeSmall(zipFile: string, items: ExtractItem[], threads: number, signal: AbortSignal | undefined, onBytes: (bytes: number) => void): Writers {
  const control = new Int32Array(new SharedArrayBuffer(4));
  const runs = splitRuns(items, Math.max(1, threads));
  const progress = new Float64Array(new SharedArrayBuffer(8 * runs.length));
  const stop = () => Atomics.store(control, 0, 1);
  let failed = false;
  const onAbort = () => stop();
  signal?.addEventListener('abort', onAbort);
  const report = () => onBytes(progress.reduce((a, b) => a + b, 0));
  const timer = setInterval(report, 100);
  // On this thread, a chunk at a time, so that a Ctrl-C or an editor's Cancel gets its turn.
  const inThread = async (run: ExtractItem[]): Promise<ExtractFailure | null> => {
    for (let i = 0; i < run.length; i += IN_THREAD_CHUNK) {
      await new Promise((r) => setImmediate(r));
      const failure = extractEntries(zipFile, run.slice(i, i + IN_THREAD_CHUNK), control, progress, 0);
      if (failure) return failure;
      report();
    }
    return null;
  };
  report();
  const outcomes: Promise<ExtractFailure | null>[] = threads === 0
    ? [inThread(runs[0] ?? [])]
    : runs.map((run, slot) => new Promise((resolve) => {
        const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { zipPath: zipFile, items: run, control, progress, slot } });
        w.once('message', (m: ExtractFailure | null) => resolve(m));
        w.once('error', (err) => resolve({ kind: 'other', message: err.message }));
        w.once('exit', (code) => resolve(code === 0 ? null : { kind: 'other', message: `an unpack thread stopped (exit code ${code})` }));
      }));
  for (const o of outcomes) void o.then((f) => {
    if (f && f.kind !== 'cancelled') {
      failed = true;
      stop();
    }
  });
  const done = Promise.all(outcomes).then((results) => {
    clearInterval(timer);
    signal?.removeEventListener('abort', onAbort);
    report();
    const failure = results.find((f) => f && f.kind !== 'cancelled') ?? results.find((f) => f);
    if (failure) throw errorOf(failure);
  });
  return { done, failed: () => failed, stop };
}

/** Consecutive runs of about equal cost; creating a file costs about as much as writing 64 kB. */
function splitRuns(items: ExtractItem[], n: number): ExtractItem[][] {
  const cost = (e: ExtractItem) => 1 + e.size / 65_536;
  const total = items.reduce((c, e) => c + cost(e), 0);
  const runs: ExtractItem[][] = [[]];
  let sum = 0;
  for (const e of items) {
    if (sum >= (total * runs.length) / n && runs.length < n) runs.push([]);
    runs[runs.length - 1]!.push(e);
    sum += cost(e);
  }
  return runs;
}

function errorOf(f: ExtractFailure): Error {
  if (f.kind === 'cancelled') return new CancelledError();
  if (f.kind === 'archive') return new ReleaseArchiveError(f.message);
  return Object.assign(new Error(f.message), f.code ? { code: f.code } : {}, f.path ? { path: f.path } : {}, f.syscall ? { syscall: f.syscall } : {});
}

/** Where an entry's data starts, from its local header (at least 30 + name bytes of `h`). */
function localDataStart(e: ZipEntryInfo, h: Buffer): number {
  if (h.length < 30 + e.nameBytes.length || h.readUInt32LE(0) !== 0x04034b50) throw new ReleaseArchiveError(`${e.rawName}: no local header where the directory points: the zip is damaged`);
  const nameLength = h.readUInt16LE(26);
  if (nameLength !== e.nameBytes.length || !h.subarray(30, 30 + nameLength).equals(e.nameBytes)) {
    throw new ReleaseArchiveError(`${e.rawName}: the local header names another file than the directory does: refused`);
  }
  return e.localOffset + 30 + nameLength + h.readUInt16LE(28);
}

async function extractLarge(fh: fsp.FileHandle, e: ZipEntryInfo, target: string): Promise<void> {
  const h = Buffer.alloc(30 + e.nameBytes.length);
  await fh.read(h, 0, h.length, e.localOffset);
  await streamEntry(fh, e, localDataStart(e, h), target);
  const t = new Date(e.mtimeMs);
  fs.utimesSync(target, t, t);
}

function check(e: ZipEntryInfo, size: number, crc: number): void {
  if (size !== e.size) throw new ReleaseArchiveError(`${e.rawName}: ${size} bytes unpacked, the zip says ${e.size}: damaged or forged`);
  if (crc !== e.crc) throw new ReleaseArchiveError(`${e.rawName}: CRC-32 mismatch: the zip is damaged (download it again)`);
}

async function streamEntry(fh: fsp.FileHandle, e: ZipEntryInfo, start: number, target: string): Promise<void> {
  // The FileHandle's own stream: a stream made from its numeric fd closes that fd when destroyed, autoClose or not.
  const input = fh.createReadStream({ autoClose: false, start, end: start + e.compressedSize - 1, highWaterMark: 1 << 20 });
  const source = e.method === 0 ? input : input.pipe(zlib.createInflateRaw());
  const out = await fsp.open(target, 'wx');
  let size = 0;
  let crc = 0;
  try {
    for await (const chunk of source) {
      const b = chunk as Buffer;
      size += b.length;
      if (size > e.size) throw new ReleaseArchiveError(`${e.rawName}: inflates to more than its declared size (a zip bomb?): refused`);
      crc = crc32(b, crc);
      await out.write(b);
    }
  } catch (err) {
    if (err instanceof ReleaseArchiveError) throw err;
    throw new ReleaseArchiveError(`${e.rawName}: damaged compressed data`);
  } finally {
    input.destroy();
    await out.close();
  }
  check(e, size, crc);
}

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
import { extractEntries, type ExtractFailure, type ExtractRun } from './extract-entries';
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
    const small: ZipEntryInfo[] = [];
    const large: ZipEntryInfo[] = [];
    for (const e of ordered) {
      if (e.isFolder) continue;
      targetOf(e); // every entry is checked here, before any thread writes
      (e.compressedSize <= READ_WHOLE && e.size <= READ_WHOLE ? small : large).push(e);
    }
    const total = entries.reduce((n, e) => n + e.size, 0);
    let largeBytes = 0;
    let smallBytes = 0;
    let detail = '';
    const report = () => options.onProgress?.({ phase: 'unpack', done: smallBytes + largeBytes, total, unit: 'bytes', ...(detail ? { detail } : {}) });
    const writers = writeSmall(zipFile, temp, small, writerThreads(options.threads, small.length), options.signal, (bytes) => {
      smallBytes = bytes;
      report();
    });
    try {
      for (const e of large) {
        throwIfCancelled(options.signal);
        if (writers.failed()) break;
        detail = e.name;
        const target = targetOf(e);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        await extractLarge(fh, e, target);
        largeBytes += e.size;
        report();
      }
    } catch (err) {
      writers.stop();
      await writers.done.catch(() => undefined);
      throw err;
    }
    await writers.done;
    // The small entries may end before the large ones, or after: the last event counts both.
    report();
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

/** The worker: waits for its run, writes it with extractEntries and posts what that returned. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const extractEntries = ${extractEntries.toString()};
parentPort.once('message', ({ zipPath, run, control, progress, slot }) => {
  parentPort.postMessage(extractEntries(zipPath, run, 0, run.nameAt.length - 1, control, progress, slot));
});
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
function writeSmall(zipFile: string, root: string, entries: ZipEntryInfo[], threads: number, signal: AbortSignal | undefined, onBytes: (bytes: number) => void): Writers {
  // Started first: they boot while this thread lays out their runs.
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true }));
  const control = new Int32Array(new SharedArrayBuffer(4));
  const parts = splitRuns(entries, Math.max(1, threads));
  const runs = parts.map((part) => columns(root, part));
  const progress = new Float64Array(new SharedArrayBuffer(8 * runs.length));
  const stop = () => Atomics.store(control, 0, 1);
  let failed = false;
  const onAbort = () => stop();
  signal?.addEventListener('abort', onAbort);
  const report = () => onBytes(progress.reduce((a, b) => a + b, 0));
  const timer = setInterval(report, 100);
  // On this thread, a chunk at a time, so that a Ctrl-C or an editor's Cancel gets its turn.
  const inThread = async (run: ExtractRun): Promise<ExtractFailure | null> => {
    const n = run.nameAt.length - 1;
    for (let i = 0; i < n; i += IN_THREAD_CHUNK) {
      await new Promise((r) => setImmediate(r));
      const failure = extractEntries(zipFile, run, i, Math.min(n, i + IN_THREAD_CHUNK), control, progress, 0);
      if (failure) return failure;
      report();
    }
    return null;
  };
  report();
  const outcomes: Promise<ExtractFailure | null>[] = threads === 0
    ? [inThread(runs[0]!)]
    : workers.map((w, slot) => new Promise((resolve) => {
        w.once('message', (m: ExtractFailure | null) => resolve(m));
        w.once('error', (err) => resolve({ kind: 'other', message: err.message }));
        w.once('exit', (code) => resolve(code === 0 ? null : { kind: 'other', message: `an unpack thread stopped (exit code ${code})` }));
        w.postMessage({ zipPath: zipFile, run: runs[slot], control, progress, slot });
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
    const slot = results.findIndex((f) => f && f.kind !== 'cancelled');
    const failure = results[slot] ?? results.find((f) => f);
    if (!failure) return;
    // An archive failure names its entry by index in the run: put the entry's name in front.
    const entry = failure.kind === 'archive' && failure.index !== undefined ? parts[slot]?.[failure.index] : undefined;
    throw errorOf(entry ? { ...failure, message: `${entry.rawName}: ${failure.message}` } : failure);
  });
  return { done, failed: () => failed, stop };
}

/** `n` consecutive runs of about equal cost; creating a file costs about as much as writing 64 kB. */
function splitRuns(entries: ZipEntryInfo[], n: number): ZipEntryInfo[][] {
  const cost = (e: ZipEntryInfo) => 1 + e.size / 65_536;
  const total = entries.reduce((c, e) => c + cost(e), 0);
  const runs: ZipEntryInfo[][] = [[]];
  let sum = 0;
  for (const e of entries) {
    if (sum >= (total * runs.length) / n && runs.length < n) runs.push([]);
    runs[runs.length - 1]!.push(e);
    sum += cost(e);
  }
  // One run a thread, even when a few heavy entries leave some empty.
  while (runs.length < n) runs.push([]);
  return runs;
}

/** A run's entries as the columns extractEntries reads. */
function columns(root: string, entries: ZipEntryInfo[]): ExtractRun {
  const n = entries.length;
  const nameAt = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) nameAt[i + 1] = nameAt[i]! + entries[i]!.nameBytes.length;
  const rawNames = new Uint8Array(nameAt[n]!);
  const run: ExtractRun = {
    root, names: entries.map((e) => e.name).join('\0'), rawNames, nameAt,
    localOffset: new Float64Array(n), compressedSize: new Float64Array(n), size: new Float64Array(n), mtimeMs: new Float64Array(n),
    crc: new Uint32Array(n), method: new Uint16Array(n),
  };
  entries.forEach((e, i) => {
    rawNames.set(e.nameBytes, nameAt[i]);
    run.localOffset[i] = e.localOffset;
    run.compressedSize[i] = e.compressedSize;
    run.size[i] = e.size;
    run.mtimeMs[i] = e.mtimeMs;
    run.crc[i] = e.crc;
    run.method[i] = e.method;
  });
  return run;
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

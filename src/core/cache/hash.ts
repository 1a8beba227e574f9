import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { CancelledError, throwIfCancelled } from '../progress';
import { errorMessage } from '../util/errors';
import { isObject } from '../util/objects';

/** md5 of one file: hex digest, or the reason it could not be read. */
export type HashOutcome = { md5: string } | { error: string };

export interface HashOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far, out of the total of `sizes`. */
  onBytes?: (done: number) => void;
  /** Worker threads to use (default: one per core, at most 4). */
  threads?: number;
}

/** Read size of one md5 step: most files (a few kB) take one read. */
const CHUNK = 1 << 20;

type FileReads = Pick<typeof fs, 'openSync' | 'readSync' | 'closeSync'>;

/**
 * md5 of one file through a reused buffer, so memory stays flat and nothing is allocated per
 * file. With the size from the walk's stat, the file is read up to that size and no further:
 * one read() for a small file instead of two (the second only finds the end), and the hash
 * describes the same bytes as the file_size the cache records. A file read whole at once is
 * hashed in one call, without a Hash object (Node >= 20.12).
 *
 * The worker threads run this very function from its source text (see WORKER_SOURCE), so it
 * refers to nothing but its parameters, and has no inner functions (a bundler may wrap those).
 */
function md5WithBuffer(nodeFs: FileReads, nodeCrypto: typeof crypto, file: string, size: number, chunk: Buffer, counted: { bytes: number }): string {
  const fd = nodeFs.openSync(file, 'r');
  try {
    const limit = size >= 0 ? size : Infinity;
    let n = nodeFs.readSync(fd, chunk, 0, Math.min(chunk.length, limit), null);
    counted.bytes += n;
    if (n === limit && typeof nodeCrypto.hash === 'function') return nodeCrypto.hash('md5', chunk.subarray(0, n), 'hex');
    const hash = nodeCrypto.createHash('md5');
    let bytes = 0;
    while (n > 0) {
      hash.update(chunk.subarray(0, n));
      bytes += n;
      if (bytes >= limit) break;
      n = nodeFs.readSync(fd, chunk, 0, Math.min(chunk.length, limit - bytes), null);
      counted.bytes += n;
    }
    return hash.digest('hex');
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** Why a file could not be hashed: Node's message, led by its code when the message lacks it. Runs in the workers too. */
function describeError(err: unknown): string {
  const message = errorMessage(err);
  const code = isObject(err) && typeof err.code === 'string' ? err.code : '';
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

// The worker is plain JavaScript evaluated from a string, so that it needs no separate bundle
// entry and works the same from dist/cli.js, dist/core.js and the extension.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const md5WithBuffer = ${md5WithBuffer.toString()};
const describeError = ${describeError.toString()};
const chunk = Buffer.allocUnsafe(${CHUNK});
parentPort.on('message', (batch) => {
  const counted = { bytes: 0 };
  const md5s = [];
  let errors;
  batch.files.forEach((file, i) => {
    try { md5s.push(md5WithBuffer(fs, crypto, file, batch.sizes[i], chunk, counted)); }
    catch (err) {
      md5s.push('');
      (errors ??= {})[i] = describeError(err);
    }
  });
  parentPort.postMessage({ start: batch.start, md5s, errors, bytes: counted.bytes });
});
`;

let callerChunk: Buffer | undefined;

/** md5 of a file the calling thread hashes itself (the workers' function, on this thread's buffer). */
function md5File(file: string, size: number): string {
  callerChunk ??= Buffer.allocUnsafe(CHUNK);
  return md5WithBuffer(fs, crypto, file, size, callerChunk, { bytes: 0 });
}


interface WorkerReply {
  start: number;
  md5s: string[];
  errors?: Record<number, string>;
  /** Bytes read for the batch (the sizes may be unknown). */
  bytes: number;
}

interface PoolWorker {
  worker: Worker;
  /** Files and bytes sent to this worker and not answered yet. */
  files: number;
  bytes: number;
  /** The batches in flight, oldest first: a worker answers them in order, freeing their room. */
  batches: { files: number; bytes: number }[];
}

/** A batch closes at this many files or bytes: few messages, and big files spread over workers. */
const BATCH_FILES = 128;
const BATCH_BYTES = 4 << 20;
/**
 * A worker is given at most this much work ahead (about 10–20 ms of small files). More would let
 * a fast walk queue most of the tree on the workers, leaving nothing for the calling thread to
 * take once the walk ends; less would let a worker run dry while the walk holds the event loop.
 */
const AHEAD_FILES = 1536;
const AHEAD_BYTES = 24 << 20;
/** The calling thread hashes in slices this long, then lets worker answers in. */
const HELP_SLICE_MS = 4;

/** A file of unknown size counts as big: it gets a batch of its own, so big files spread over workers. */
const batchWeight = (size: number): number => (size >= 0 ? size : BATCH_BYTES);

export interface HashPoolOptions extends HashOptions {
  /**
   * Let the calling thread hash queued files itself in `finish()` (small files only, in short
   * slices), instead of only waiting for the workers. Right when the caller had work of its own
   * while files were added (a walk) and so was given one worker fewer than there are cores.
   */
  callerHelps?: boolean;
}

/**
 * md5 of files on worker threads, fed while the caller is still finding files: the tree walk
 * and the hashing overlap. Each worker is kept a bounded amount of work ahead; the rest waits
 * here, so that whoever is free at the end (a worker, or the calling thread with `callerHelps`)
 * takes it, and the last files are not stuck behind one busy worker.
 */
export class HashPool {
  private readonly workers: PoolWorker[] = [];
  private readonly files: string[] = [];
  private readonly sizes: number[] = [];
  private readonly results: HashOutcome[] = [];
  /** Files not yet sent are [sent, end): workers take from the front, the calling thread from the back. */
  private sent = 0;
  private end = 0;
  private finishing = false;
  private received = 0;
  private bytesDone = 0;
  private failure: unknown;
  private wake?: () => void;
  private readonly onAbort = () => this.fail(new CancelledError());
  /** Files the calling thread hashed itself (`callerHelps`), for tests and figures. */
  hashedByCaller = 0;

  constructor(private readonly options: HashPoolOptions = {}) {
    throwIfCancelled(options.signal);
    const threads = Math.max(1, options.threads ?? Math.min(availableParallelism(), 4));
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      const entry: PoolWorker = { worker, files: 0, bytes: 0, batches: [] };
      worker.on('message', (msg: WorkerReply) => this.receive(entry, msg));
      worker.on('error', (err) => this.fail(err));
      // Idle workers must not keep the process alive while the caller is still walking.
      worker.unref();
      this.workers.push(entry);
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /**
   * Queues a file; its outcome will be at the returned index. With `size` (from a stat), the
   * file is hashed up to that many bytes, as they were when measured.
   */
  add(file: string, size = -1): number {
    const index = this.files.length;
    this.files.push(file);
    this.sizes.push(size);
    this.end = this.files.length;
    if (this.end - this.sent >= BATCH_FILES) this.dispatch();
    return index;
  }

  /** All outcomes, in the order files were added. */
  async finish(): Promise<HashOutcome[]> {
    this.finishing = true;
    try {
      for (const w of this.workers) w.worker.ref();
      this.dispatch();
      if (this.options.callerHelps) await this.help();
      while (this.received < this.files.length && this.failure === undefined) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
      if (this.failure !== undefined) throw this.failure;
      return this.results;
    } finally {
      await this.close();
    }
  }

  /** Stops the workers; outstanding work is dropped. */
  async close(): Promise<void> {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  /**
   * The calling thread hashes unsent files from the back while the workers take from the front,
   * yielding every few milliseconds so that answers are received and workers fed. A big file is
   * left to a worker: hashing it here would hold the event loop (progress, cancel) for too long.
   */
  private async help(): Promise<void> {
    while (this.end > this.sent && this.failure === undefined) {
      const sliceEnd = performance.now() + HELP_SLICE_MS;
      let bytes = 0;
      while (this.end > this.sent && performance.now() < sliceEnd) {
        const i = this.end - 1;
        const size = this.sizes[i]!;
        if (size < 0 || size > BATCH_BYTES) return;
        try {
          this.results[i] = { md5: md5File(this.files[i]!, size) };
        } catch (err) {
          this.results[i] = { error: describeError(err) };
        }
        this.end = i;
        this.received += 1;
        this.hashedByCaller += 1;
        bytes += size;
      }
      this.bytesDone += bytes;
      this.options.onBytes?.(this.bytesDone);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Sends batches from the front of the unsent files to every worker with room ahead. */
  private dispatch(): void {
    for (const w of this.workers) {
      while (this.end > this.sent && w.files < AHEAD_FILES && w.bytes < AHEAD_BYTES) {
        // During the walk only full batches go; at the end whatever is left.
        if (!this.finishing && this.end - this.sent < BATCH_FILES) return;
        const start = this.sent;
        let stop = start;
        let bytes = 0;
        while (stop < this.end && stop - start < BATCH_FILES && (stop === start || bytes + batchWeight(this.sizes[stop]!) <= BATCH_BYTES)) {
          bytes += batchWeight(this.sizes[stop]!);
          stop += 1;
        }
        w.worker.postMessage({ start, files: this.files.slice(start, stop), sizes: this.sizes.slice(start, stop) });
        w.files += stop - start;
        w.bytes += bytes;
        w.batches.push({ files: stop - start, bytes });
        this.sent = stop;
      }
    }
  }

  private receive(w: PoolWorker, msg: WorkerReply): void {
    const batch = w.batches.shift()!;
    w.files -= batch.files;
    w.bytes -= batch.bytes;
    msg.md5s.forEach((md5, i) => {
      const error = msg.errors?.[i];
      this.results[msg.start + i] = error === undefined ? { md5 } : { error };
    });
    this.received += msg.md5s.length;
    this.bytesDone += msg.bytes;
    this.options.onBytes?.(this.bytesDone);
    this.dispatch();
    if (this.received >= this.files.length) this.wake?.();
  }

  private fail(err: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    this.wake?.();
  }
}

/** md5 of many files on worker threads; results come back in input order. */
export async function hashFiles(files: readonly string[], options: HashOptions = {}): Promise<HashOutcome[]> {
  if (files.length === 0) return [];
  const pool = new HashPool({ ...options, threads: Math.min(options.threads ?? Math.min(availableParallelism(), 4), Math.max(1, files.length)) });
  for (const f of files) pool.add(f);
  return pool.finish();
}

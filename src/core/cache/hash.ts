import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { CancelledError, throwIfCancelled } from '../progress';

/** md5 of one file: hex digest, or the reason it could not be read. */
export type HashOutcome = { md5: string } | { error: string };

export interface HashOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far, out of the total of `sizes`. */
  onBytes?: (done: number) => void;
  /** Worker threads to use (default: one per core, at most 4). */
  threads?: number;
}

// The worker is plain JavaScript evaluated from a string, so that it needs no separate bundle
// entry and works the same from dist/cli.js, dist/core.js and the extension. Every file goes
// through one reused buffer per worker, so memory stays flat and nothing is allocated per file.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const CHUNK = 1 << 20;
const chunk = Buffer.allocUnsafe(CHUNK);
// With the size from the walk's stat, the file is read up to that size and no further: one
// read() for a small file instead of two (the second only finds the end). The hash then
// describes the same bytes as the file_size the cache records.
function md5(file, size) {
  const fd = fs.openSync(file, 'r');
  try {
    const hash = createHash('md5');
    let bytes = 0;
    let n;
    const limit = size >= 0 ? size : Infinity;
    while (bytes < limit && (n = fs.readSync(fd, chunk, 0, Math.min(CHUNK, limit - bytes), null)) > 0) {
      hash.update(chunk.subarray(0, n));
      bytes += n;
    }
    return { md5: hash.digest('hex'), bytes };
  } finally {
    fs.closeSync(fd);
  }
}
parentPort.on('message', (batch) => {
  const results = batch.files.map((file, i) => {
    try { return md5(file, batch.sizes ? batch.sizes[i] : -1); }
    catch (err) { return { error: (err && err.code ? err.code + ': ' : '') + (err && err.message ? err.message : String(err)), bytes: 0 }; }
  });
  parentPort.postMessage({ id: batch.id, results });
});
`;

interface WorkerResult {
  md5?: string;
  error?: string;
  bytes: number;
}

/**
 * md5 of files on worker threads, fed while the caller is still finding files: the tree walk
 * and the hashing overlap. Batches go to the workers as soon as they are full, round-robin, and
 * queue in the workers' message ports, so a worker never waits for the walking thread.
 */
export class HashPool {
  private readonly workers: Worker[] = [];
  private readonly results: HashOutcome[] = [];
  private batch: string[] = [];
  private sizes: number[] = [];
  private batchStart = 0;
  private next = 0;
  private added = 0;
  private received = 0;
  private bytesDone = 0;
  private failure: unknown;
  private settle?: () => void;
  private readonly onAbort = () => this.fail(new CancelledError());

  constructor(private readonly options: HashOptions & { batchSize?: number } = {}) {
    throwIfCancelled(options.signal);
    const threads = Math.max(1, options.threads ?? Math.min(availableParallelism(), 4));
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (msg: { id: number; results: WorkerResult[] }) => this.receive(msg));
      worker.on('error', (err) => this.fail(err));
      // Idle workers must not keep the process alive while the caller is still walking.
      worker.unref();
      this.workers.push(worker);
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /**
   * Queues a file; its outcome will be at the returned index. With `size` (from a stat), the
   * file is hashed up to that many bytes, as they were when measured.
   */
  add(file: string, size = -1): number {
    const index = this.added++;
    this.batch.push(file);
    this.sizes.push(size);
    if (this.batch.length >= (this.options.batchSize ?? 32)) this.flush();
    return index;
  }

  /** All outcomes, in the order files were added. */
  async finish(): Promise<HashOutcome[]> {
    this.flush();
    try {
      if (this.received < this.added && this.failure === undefined) {
        for (const w of this.workers) w.ref();
        await new Promise<void>((resolve) => {
          this.settle = resolve;
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
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const worker = this.workers[this.next++ % this.workers.length]!;
    worker.postMessage({ id: this.batchStart, files: this.batch, sizes: this.sizes });
    this.batchStart += this.batch.length;
    this.batch = [];
    this.sizes = [];
  }

  private receive(msg: { id: number; results: WorkerResult[] }): void {
    msg.results.forEach((r, i) => {
      this.results[msg.id + i] = r.md5 !== undefined ? { md5: r.md5 } : { error: r.error ?? 'unreadable' };
      this.bytesDone += r.bytes;
    });
    this.received += msg.results.length;
    this.options.onBytes?.(this.bytesDone);
    if (this.received >= this.added && this.batch.length === 0) this.settle?.();
  }

  private fail(err: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    this.settle?.();
  }
}

/** md5 of many files on worker threads; results come back in input order. */
export async function hashFiles(files: readonly string[], options: HashOptions = {}): Promise<HashOutcome[]> {
  if (files.length === 0) return [];
  const pool = new HashPool({ ...options, threads: Math.min(options.threads ?? Math.min(availableParallelism(), 4), Math.max(1, files.length)) });
  for (const f of files) pool.add(f);
  return pool.finish();
}

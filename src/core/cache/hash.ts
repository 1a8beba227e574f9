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
function md5(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const hash = createHash('md5');
    let bytes = 0;
    let n;
    while ((n = fs.readSync(fd, chunk, 0, CHUNK, null)) > 0) {
      hash.update(chunk.subarray(0, n));
      bytes += n;
    }
    return { md5: hash.digest('hex'), bytes };
  } finally {
    fs.closeSync(fd);
  }
}
parentPort.on('message', (batch) => {
  const results = batch.files.map((file) => {
    try { return md5(file); }
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
 * md5 of many files on worker threads. Files are handed out in small batches as workers free
 * up, so one huge file does not hold back the rest; results come back in input order.
 */
export async function hashFiles(files: readonly string[], options: HashOptions = {}): Promise<HashOutcome[]> {
  throwIfCancelled(options.signal);
  const results: HashOutcome[] = new Array(files.length);
  if (files.length === 0) return results;
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), 4), files.length));
  const batchSize = Math.max(1, Math.min(64, Math.ceil(files.length / (threads * 8))));
  let next = 0;
  let bytesDone = 0;
  const workers: Worker[] = [];

  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const onAbort = () => fail(new CancelledError());
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        options.signal?.removeEventListener('abort', onAbort);
        reject(err);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });

      const feed = (worker: Worker) => {
        if (failed) return;
        if (next >= files.length) {
          if (--running === 0) {
            options.signal?.removeEventListener('abort', onAbort);
            resolve();
          }
          return;
        }
        const id = next;
        const batch = files.slice(next, next + batchSize);
        next += batch.length;
        worker.postMessage({ id, files: batch });
      };

      for (let t = 0; t < threads; t++) {
        const worker = new Worker(WORKER_SOURCE, { eval: true });
        workers.push(worker);
        running += 1;
        worker.on('message', (msg: { id: number; results: WorkerResult[] }) => {
          msg.results.forEach((r, i) => {
            results[msg.id + i] = r.md5 !== undefined ? { md5: r.md5 } : { error: r.error ?? 'unreadable' };
            bytesDone += r.bytes;
          });
          options.onBytes?.(bytesDone);
          feed(worker);
        });
        worker.on('error', fail);
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

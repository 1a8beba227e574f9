/**
 * Reads and deflates small files on worker threads, a batch at a time, and hands back each
 * batch as ONE buffer laid out as it goes into the zip: room for each local header, then the
 * entry's data. The writer fills the headers in place and writes the batch with one call.
 *
 * Why this shape: the release of a data tree is ~74k files of a few kB. Per file, a zlib
 * stream, a structured-clone copy, a Buffer per header and a write per piece cost more than
 * compressing; here a file costs open + read + close + one deflateRawSync, and a batch one
 * transferred ArrayBuffer (no copy) and one write.
 */
import { Worker } from 'node:worker_threads';

export interface PackRequest {
  absPath: string;
  size: number;
  /** Store without trying deflate. */
  store: boolean;
  /** Bytes to leave free before the data, for the local header. */
  headerLength: number;
}

export interface PackedBatch {
  /** Header room + data for each file, back to back. */
  data: Buffer;
  /** Per file: method, CRC-32, compressed size (the data follows its header room). */
  methods: Uint32Array;
  crcs: Uint32Array;
  compressedSizes: Uint32Array;
}

/**
 * Plain JavaScript run by `eval` in each worker (a bundler would rename what a TS function
 * refers to). Reads `size + 1` bytes so a file that grew is noticed without an fstat.
 */
/**
 * Batch buffers are sized to a power of two at least this big, so a recycled buffer fits the
 * next batches of a similar size. Not larger: each buffer that arrives from a worker counts as
 * new memory outside the heap, and V8 answers a few tens of MB of it with a full collection
 * (4 MB buffers for batches of small files cost a 65k-entry zip ~25 collections).
 */
const MIN_BUFFER = 64 * 1024;
/** Buffers kept for reuse: about what is in flight ahead of the writer. */
const KEEP_BUFFERS = 8;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const nativeCrc = zlib.crc32;
let table;
function crc32(b) {
  if (nativeCrc) return nativeCrc(b) >>> 0;
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; table[n] = c >>> 0; }
  }
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = table[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function readExactly(file, into, at, size) {
  const fd = fs.openSync(file, 'r');
  let got = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, into, at + got, size + 1 - got, null);
      if (n === 0) break;
      got += n;
      if (got > size) break;
    }
  } finally { fs.closeSync(fd); }
  if (got !== size) {
    const err = new Error(file + ' changed size while the release was being written (' + size + ' → ' + (got > size ? 'more than ' + size : got) + ' bytes): run again');
    err.name = 'SourceChangedError';
    throw err;
  }
}
parentPort.on('message', (batch) => {
  const files = batch.files;
  let capacity = 1;
  for (const f of files) capacity += f.headerLength + f.size;
  const out = Buffer.from(batch.buffer && batch.buffer.byteLength >= capacity ? batch.buffer : new ArrayBuffer(Math.max(2 ** Math.ceil(Math.log2(capacity)), ${MIN_BUFFER})));
  const methods = new Uint32Array(files.length);
  const crcs = new Uint32Array(files.length);
  const sizes = new Uint32Array(files.length);
  let at = 0;
  try {
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const start = at + f.headerLength;
      readExactly(f.absPath, out, start, f.size);
      const raw = out.subarray(start, start + f.size);
      crcs[i] = crc32(raw);
      let length = f.size;
      if (!f.store && batch.level > 0 && f.size > 0) {
        const deflated = zlib.deflateRawSync(raw, { level: batch.level });
        // Deflate that does not shrink the data is stored instead, as zip tools do.
        if (deflated.length < f.size) {
          deflated.copy(out, start);
          length = deflated.length;
          methods[i] = 8;
        }
      }
      sizes[i] = length;
      at = start + length;
    }
  } catch (err) {
    parentPort.postMessage({ id: batch.id, error: { message: err.message, name: err.name, code: err.code, path: err.path } });
    return;
  }
  // The whole buffer is transferred, not copied; the reader takes its first \`length\` bytes.
  parentPort.postMessage({ id: batch.id, data: out.buffer, length: at, methods, crcs, sizes }, [out.buffer, methods.buffer, crcs.buffer, sizes.buffer]);
});
`;

interface Reply {
  id: number;
  data?: ArrayBuffer;
  length?: number;
  methods?: Uint32Array;
  crcs?: Uint32Array;
  sizes?: Uint32Array;
  error?: { message: string; name: string; code?: string; path?: string };
}

export class DeflatePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (r: PackedBatch) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  /**
   * Batch buffers the writer is done with, sent back to the workers: without reuse, each
   * batch's buffer waits for a garbage collection that comes late for memory outside the heap,
   * and the process grows by ~100 MB on a 74k-file release.
   */
  private readonly spare: ArrayBuffer[] = [];
  private failed: Error | undefined;
  private readonly inFlight = new Set<Promise<PackedBatch>>();

  constructor(threads: number, private readonly level: number) {
    this.workers = Array.from({ length: Math.max(1, threads) }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (reply: Reply) => this.answer(reply));
      w.on('error', (err) => this.failAll(err));
      return w;
    });
  }

  /** Packs the files of one batch on the next worker in turn. */
  pack(files: readonly PackRequest[]): Promise<PackedBatch> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    let capacity = 1;
    for (const f of files) capacity += f.headerLength + f.size;
    const i = this.spare.findIndex((b) => b.byteLength >= capacity);
    const buffer = i >= 0 ? this.spare.splice(i, 1)[0] : undefined;
    const packed = new Promise<PackedBatch>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, level: this.level, files, buffer }, buffer ? [buffer] : []);
    });
    this.inFlight.add(packed);
    const settled = () => this.inFlight.delete(packed);
    packed.then(settled, settled);
    return packed;
  }

  /** Gives a batch's buffer back once it is written; `data` must not be used after this. */
  recycle(batch: PackedBatch): void {
    if (this.spare.length < KEEP_BUFFERS) this.spare.push(batch.data.buffer as ArrayBuffer);
  }

  /**
   * Stops the workers once the batches in flight have answered (they are a few MB at most): a
   * worker terminated inside zlib can abort the whole process as Node frees it ("close before
   * init"), which a cancelled or failed release would otherwise risk.
   */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private answer(reply: Reply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    if (reply.data) {
      w.resolve({ data: Buffer.from(reply.data, 0, reply.length), methods: reply.methods!, crcs: reply.crcs!, compressedSizes: reply.sizes! });
      return;
    }
    const e = reply.error!;
    const err = Object.assign(new Error(e.message), e.code ? { code: e.code } : {}, e.path ? { path: e.path } : {});
    err.name = e.name === 'SourceChangedError' ? e.name : 'Error';
    w.reject(err);
  }

  private failAll(err: Error): void {
    this.failed = err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

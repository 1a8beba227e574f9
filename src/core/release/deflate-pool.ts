/**
 * Reads and deflates small files on worker threads, a batch at a time, and hands the results
 * back in the order asked for. One zlib call per few-kB file costs more in handle setup and
 * thread hops than in compressing, so each worker does whole batches synchronously.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { Worker } from 'node:worker_threads';

export interface PackedFile {
  method: number;
  crc: number;
  size: number;
  data: Buffer;
}

export interface PackRequest {
  absPath: string;
  size: number;
  /** Store without trying deflate. */
  store: boolean;
}

/**
 * One file read, CRC'd and deflated (or stored when deflate does not shrink it). Runs in the
 * workers from its source text, so it refers to nothing but its parameters.
 */
function packFile(nodeFs: typeof fs, nodeZlib: typeof zlib, file: string, size: number, store: boolean, level: number): { method: number; crc: number; size: number; data: Buffer } {
  const raw = nodeFs.readFileSync(file);
  if (raw.length !== size) {
    const err = new Error(`${file} changed size while the release was being written (${size} → ${raw.length} bytes): run again`);
    err.name = 'SourceChangedError';
    throw err;
  }
  let crc: number;
  const native = (nodeZlib as { crc32?: (d: Uint8Array) => number }).crc32;
  if (native) {
    crc = native(raw) >>> 0;
  } else {
    const g = globalThis as { alfCrcTable?: Uint32Array };
    if (!g.alfCrcTable) {
      g.alfCrcTable = new Uint32Array(256);
      for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        g.alfCrcTable[n] = c >>> 0;
      }
    }
    let c = 0xffffffff;
    for (let i = 0; i < raw.length; i++) c = g.alfCrcTable[(c ^ raw[i]!) & 0xff]! ^ (c >>> 8);
    crc = (c ^ 0xffffffff) >>> 0;
  }
  if (store || level === 0 || raw.length === 0) return { method: 0, crc, size: raw.length, data: raw };
  const deflated = nodeZlib.deflateRawSync(raw, { level });
  // Deflate that does not shrink the data is stored instead, as zip tools do.
  if (deflated.length >= raw.length) return { method: 0, crc, size: raw.length, data: raw };
  return { method: 8, crc, size: raw.length, data: deflated };
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const packFile = ${packFile.toString()};
parentPort.on('message', (batch) => {
  const results = [];
  for (const f of batch.files) {
    try { results.push(packFile(fs, zlib, f.absPath, f.size, f.store, batch.level)); }
    catch (err) {
      parentPort.postMessage({ id: batch.id, error: { message: err.message, name: err.name, code: err.code, path: err.path } });
      return;
    }
  }
  parentPort.postMessage({ id: batch.id, results });
});
`;

interface Reply {
  id: number;
  results?: PackedFile[];
  error?: { message: string; name: string; code?: string; path?: string };
}

export class DeflatePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (r: PackedFile[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failed: Error | undefined;

  constructor(threads: number, private readonly level: number) {
    this.workers = Array.from({ length: Math.max(1, threads) }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (reply: Reply) => this.answer(reply));
      w.on('error', (err) => this.failAll(err));
      return w;
    });
  }

  /** Packs the files of one batch on the next worker in turn. */
  pack(files: readonly PackRequest[]): Promise<PackedFile[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<PackedFile[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, level: this.level, files });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private answer(reply: Reply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    if (reply.results) {
      // Structured clone gives Uint8Arrays; the writer wants Buffers over the same memory.
      w.resolve(reply.results.map((r) => ({ ...r, data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength) })));
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

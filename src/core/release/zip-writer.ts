/**
 * Streams files into a zip: Zip64 where needed, deflate on zlib's thread pool for several
 * entries at once while this thread writes them in order, stored as-is when deflate would not
 * help, and nothing that varies between runs (see zip-format.ts). Memory stays bounded: small
 * files are read whole, a few megabytes at a time; large ones are streamed.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { availableParallelism } from 'node:os';
import { throwIfCancelled, type ProgressOptions } from '../progress';
import { crc32 } from './crc32';
import { DeflatePool, type PackedFile } from './deflate-pool';
import { centralHeader, endRecords, localHeader, METHOD_DEFLATE, METHOD_STORE, needsZip64Local, type EntryRecord } from './zip-format';

export interface ZipSource {
  /** Name inside the zip: posix separators, no leading slash. */
  name: string;
  absPath: string;
  size: number;
  mtimeMs: number;
}

export interface WriteZipOptions extends ProgressOptions {
  /** zlib level 0-9; 0 stores every entry. */
  level: number;
  /** Entries to store without trying deflate (already-compressed formats). */
  storeAsIs?: (name: string) => boolean;
  /** Deflate threads (default: one per core, at most 4). */
  threads?: number;
}

export interface WriteZipResult {
  entries: number;
  bytesIn: number;
  bytesOut: number;
}

/** Files above this are streamed in chunks on this thread rather than read whole by a worker. */
const STREAM_ABOVE = 8 * 1024 * 1024;
/** A batch for a worker closes at this many files or bytes. */
const BATCH_FILES = 64;
const BATCH_BYTES = 4 * 1024 * 1024;
/** Bytes of small files read and being deflated ahead of the writer: bounds the memory. */
const AHEAD_BYTES = 16 * 1024 * 1024;
const WRITE_BATCH = 1024 * 1024;

type Unit = { kind: 'batch'; sources: ZipSource[]; bytes: number; packed: Promise<PackedFile[]> } | { kind: 'large'; source: ZipSource };

export async function writeZip(outFile: string, sources: readonly ZipSource[], options: WriteZipOptions): Promise<WriteZipResult> {
  const threads = options.threads ?? Math.max(1, Math.min(availableParallelism(), 4));
  const pool = new DeflatePool(threads, options.level);
  const fh = await fsp.open(outFile, 'w');
  try {
    return await writeAll(fh, pool, sources, options);
  } finally {
    await fh.close();
    await pool.close();
  }
}

/** Splits the sources into worker batches and large files, in order, without starting them. */
function* units(sources: readonly ZipSource[]): Generator<{ kind: 'batch'; sources: ZipSource[]; bytes: number } | { kind: 'large'; source: ZipSource }> {
  let batch: ZipSource[] = [];
  let bytes = 0;
  for (const s of sources) {
    if (s.size > STREAM_ABOVE) {
      if (batch.length) yield { kind: 'batch', sources: batch, bytes };
      batch = [];
      bytes = 0;
      yield { kind: 'large', source: s };
      continue;
    }
    batch.push(s);
    bytes += s.size;
    if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) {
      yield { kind: 'batch', sources: batch, bytes };
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length) yield { kind: 'batch', sources: batch, bytes };
}

async function writeAll(fh: FileHandle, pool: DeflatePool, sources: readonly ZipSource[], options: WriteZipOptions): Promise<WriteZipResult> {
  const total = sources.reduce((n, s) => n + s.size, 0);
  const records: EntryRecord[] = [];
  let offset = 0;
  let bytesIn = 0;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batchBytes === 0) return;
    await writeFully(fh, batch, offset - batchBytes);
    batch = [];
    batchBytes = 0;
  };
  const put = async (b: Buffer) => {
    batch.push(b);
    batchBytes += b.length;
    offset += b.length;
    if (batchBytes >= WRITE_BATCH) await flush();
  };

  const plan = units(sources);
  const pending: Unit[] = [];
  let aheadBytes = 0;
  let planned = plan.next();
  const fill = () => {
    while (!planned.done) {
      const u = planned.value;
      if (u.kind === 'batch' && pending.length > 0 && aheadBytes + u.bytes > AHEAD_BYTES) break;
      planned = plan.next();
      if (u.kind === 'large') {
        pending.push(u);
        continue;
      }
      aheadBytes += u.bytes;
      const packed = pool.pack(u.sources.map((s) => ({ absPath: s.absPath, size: s.size, store: !!options.storeAsIs?.(s.name) })));
      // Awaited in order below; this only keeps a failure further ahead from being "unhandled".
      packed.catch(() => undefined);
      pending.push({ ...u, packed });
    }
  };

  for (fill(); pending.length > 0; fill()) {
    throwIfCancelled(options.signal);
    const unit = pending.shift()!;
    if (unit.kind === 'batch') {
      const packed = await unit.packed;
      aheadBytes -= unit.bytes;
      for (const [i, p] of packed.entries()) {
        const s = unit.sources[i]!;
        const record: EntryRecord = { name: Buffer.from(s.name, 'utf8'), method: p.method, crc: p.crc, compressedSize: p.data.length, size: p.size, offset, mtimeMs: s.mtimeMs };
        await put(localHeader(record, false));
        await put(p.data);
        records.push(record);
        bytesIn += p.size;
      }
      options.onProgress?.({ phase: 'zip', done: bytesIn, total, unit: 'bytes', detail: unit.sources[unit.sources.length - 1]!.name });
    } else {
      await flush();
      const s = unit.source;
      const base = bytesIn;
      const record = await streamLarge(fh, s, Buffer.from(s.name, 'utf8'), offset, options, (n) =>
        options.onProgress?.({ phase: 'zip', done: base + n, total, unit: 'bytes', detail: s.name }),
      );
      offset += record.headerLength + record.compressedSize;
      records.push(record);
      bytesIn += record.size;
    }
  }
  throwIfCancelled(options.signal);
  const cdOffset = offset;
  for (const r of records) await put(centralHeader(r));
  await put(endRecords(records.length, cdOffset, offset - cdOffset));
  await flush();
  await fh.sync();
  return { entries: records.length, bytesIn, bytesOut: offset };
}

/** Streams one large file after a local header whose CRC and sizes are written once known. */
async function streamLarge(
  fh: FileHandle,
  s: ZipSource,
  name: Buffer,
  offset: number,
  options: WriteZipOptions,
  onBytes: (n: number) => void,
): Promise<EntryRecord & { headerLength: number }> {
  const store = options.level === 0 || !!options.storeAsIs?.(s.name);
  const zip64 = needsZip64Local(s.size);
  const record: EntryRecord = { name, method: store ? METHOD_STORE : METHOD_DEFLATE, crc: 0, compressedSize: 0, size: 0, offset, mtimeMs: s.mtimeMs };
  const headerLength = localHeader(record, zip64).length;
  let at = offset + headerLength;
  let crc = 0;
  let size = 0;
  const deflater = store ? undefined : zlib.createDeflateRaw({ level: options.level });
  const output = async (chunk: Buffer) => {
    await writeFully(fh, [chunk], at);
    at += chunk.length;
  };
  const input = createReadStream(s.absPath, { highWaterMark: 1024 * 1024 });
  const writing = deflater ? (async () => {
    for await (const chunk of deflater) await output(chunk as Buffer);
  })() : undefined;
  writing?.catch(() => undefined);
  try {
    for await (const chunk of input) {
      throwIfCancelled(options.signal);
      const b = chunk as Buffer;
      crc = crc32(b, crc);
      size += b.length;
      if (deflater) {
        if (!deflater.write(b)) await new Promise((r) => deflater.once('drain', r));
      } else {
        await output(b);
      }
      onBytes(size);
    }
    deflater?.end();
    await writing;
  } finally {
    input.destroy();
    deflater?.destroy();
  }
  if (size !== s.size) throw new SourceChangedError(`${s.absPath} changed size while the release was being written (${s.size} → ${size} bytes): run again`);
  Object.assign(record, { crc, size, compressedSize: at - offset - headerLength });
  await writeFully(fh, [localHeader(record, zip64)], offset);
  return { ...record, headerLength };
}

/** A file changed while it was being packaged: the zip would not match the tables. */
export class SourceChangedError extends Error {
  override readonly name = 'SourceChangedError';
}

async function writeFully(fh: FileHandle, chunks: Buffer[], position: number): Promise<void> {
  const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

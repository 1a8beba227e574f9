/**
 * Streams files into a zip: Zip64 where needed, deflate on zlib's thread pool for several
 * entries at once while this thread writes them in order, stored as-is when deflate would not
 * help, and nothing that varies between runs (see zip-format.ts). Memory stays bounded: small
 * files are read whole, a few megabytes at a time; large ones are streamed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { availableParallelism } from 'node:os';
import { throwIfCancelled, type ProgressOptions } from '../progress';
import { crc32 } from './crc32';
import { DeflatePool, type PackedBatch } from './deflate-pool';
import { centralHeaderLength, endRecords, localHeader, localHeaderLength, METHOD_DEFLATE, METHOD_STORE, needsZip64Local, writeCentralHeader, writeLocalHeader, type EntryRecord } from './zip-format';

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
  /** sha256 of the zip, computed while writing it (no second read). */
  sha256: string;
}

/** Files above this are streamed in chunks on this thread rather than read whole by a worker. */
const STREAM_ABOVE = 8 * 1024 * 1024;
/** A batch for a worker closes at this many files or bytes. */
const BATCH_FILES = 128;
const BATCH_BYTES = 2 * 1024 * 1024;
/** Bytes of small files read and being deflated ahead of the writer: bounds the memory. */
const AHEAD_BYTES = 8 * 1024 * 1024;

type Planned = { kind: 'batch'; sources: ZipSource[]; names: Buffer[]; bytes: number } | { kind: 'large'; source: ZipSource };
type Unit = (Planned & { kind: 'batch' } & { packed: Promise<PackedBatch> }) | (Planned & { kind: 'large' });

export async function writeZip(outFile: string, sources: readonly ZipSource[], options: WriteZipOptions): Promise<WriteZipResult> {
  const threads = options.threads ?? Math.max(1, Math.min(availableParallelism(), 4));
  const pool = new DeflatePool(threads, options.level);
  const fh = await fsp.open(outFile, 'w+'); // read too: a streamed entry is hashed from disk
  try {
    return await writeAll(fh, pool, sources, options);
  } finally {
    await fh.close();
    await pool.close();
  }
}

/** Splits the sources into worker batches and large files, in order, without starting them. */
function* units(sources: readonly ZipSource[]): Generator<Planned> {
  let batch: ZipSource[] = [];
  let names: Buffer[] = [];
  let bytes = 0;
  const close = (): Planned => {
    const b: Planned = { kind: 'batch', sources: batch, names, bytes };
    batch = [];
    names = [];
    bytes = 0;
    return b;
  };
  for (const s of sources) {
    if (s.size > STREAM_ABOVE) {
      if (batch.length) yield close();
      yield { kind: 'large', source: s };
      continue;
    }
    batch.push(s);
    names.push(Buffer.from(s.name, 'utf8'));
    bytes += s.size;
    if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) yield close();
  }
  if (batch.length) yield close();
}

async function writeAll(fh: FileHandle, pool: DeflatePool, sources: readonly ZipSource[], options: WriteZipOptions): Promise<WriteZipResult> {
  const total = sources.reduce((n, s) => n + s.size, 0);
  const hash = createHash('sha256');
  const records: EntryRecord[] = [];
  let offset = 0;
  let bytesIn = 0;
  const put = async (b: Buffer) => {
    await writeFully(fh, b, offset);
    hash.update(b);
    offset += b.length;
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
      const packed = pool.pack(u.sources.map((s, i) => ({ absPath: s.absPath, size: s.size, store: !!options.storeAsIs?.(s.name), headerLength: localHeaderLength(u.names[i]!.length, false) })));
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
      let at = 0;
      for (const [i, s] of unit.sources.entries()) {
        const record: EntryRecord = { name: unit.names[i]!, method: packed.methods[i]!, crc: packed.crcs[i]!, compressedSize: packed.compressedSizes[i]!, size: s.size, offset: offset + at, mtimeMs: s.mtimeMs };
        at += writeLocalHeader(packed.data, at, record, false) + record.compressedSize;
        records.push(record);
        bytesIn += s.size;
      }
      await put(packed.data);
      pool.recycle(packed);
      options.onProgress?.({ phase: 'zip', done: bytesIn, total, unit: 'bytes', detail: unit.sources[unit.sources.length - 1]!.name });
    } else {
      const s = unit.source;
      const base = bytesIn;
      const record = await streamLarge(fh, s, Buffer.from(s.name, 'utf8'), offset, options, (n) =>
        options.onProgress?.({ phase: 'zip', done: base + n, total, unit: 'bytes', detail: s.name }),
      );
      const end = offset + record.headerLength + record.compressedSize;
      // Its header was patched after the data: hash what is on disk now.
      for await (const chunk of fh.createReadStream({ autoClose: false, start: offset, end: end - 1, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
      offset = end;
      records.push(record);
      bytesIn += record.size;
    }
  }
  throwIfCancelled(options.signal);
  const cdOffset = offset;
  const cd = Buffer.allocUnsafe(records.reduce((n, r) => n + centralHeaderLength(r), 0));
  let at = 0;
  for (const r of records) at += writeCentralHeader(cd, at, r);
  await put(cd);
  await put(endRecords(records.length, cdOffset, offset - cdOffset));
  await fh.sync();
  return { entries: records.length, bytesIn, bytesOut: offset, sha256: hash.digest('hex') };
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
    await writeFully(fh, chunk, at);
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
  await writeFully(fh, localHeader(record, zip64), offset);
  return { ...record, headerLength };
}

/** A file changed while it was being packaged: the zip would not match the tables. */
export class SourceChangedError extends Error {
  override readonly name = 'SourceChangedError';
}

async function writeFully(fh: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

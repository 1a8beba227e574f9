/**
 * Unpacks a checked zip into a temporary folder beside DIR and renames it into place, so a
 * failure leaves DIR as it was. Every entry's size and CRC are verified while it is written.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { throwIfCancelled, type ProgressOptions } from '../progress';
import { crc32 } from './crc32';
import { DEFAULT_LIMITS, readCentralDirectory, ReleaseArchiveError, type ArchiveLimits, type ZipEntryInfo } from './zip-reader';

export interface UnpackOptions extends ProgressOptions {
  limits?: ArchiveLimits;
}

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
    const total = entries.reduce((n, e) => n + e.size, 0);
    let bytes = 0;
    const made = new Set<string>([temp]);
    const ordered = [...entries].sort((a, b) => a.localOffset - b.localOffset);
    const window = new ReadWindow(fh.fd, fileSize);
    for (const [i, e] of ordered.entries()) {
      if (i % 256 === 0) {
        throwIfCancelled(options.signal);
        // Let the rest of the process (an editor's UI, a Ctrl-C) run between runs of files.
        await new Promise((r) => setImmediate(r));
      }
      const target = path.join(temp, ...e.name.split('/'));
      // checkName already refused every way out; this guards against a mistake there.
      if (!target.startsWith(temp + path.sep)) throw new ReleaseArchiveError(`${e.rawName}: would be written outside the folder: refused`);
      const dir = e.isFolder ? target : path.dirname(target);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      if (e.isFolder) continue;
      if (e.compressedSize <= READ_WHOLE && e.size <= READ_WHOLE) extractSmall(window, e, target);
      else await extractLarge(fh, e, target);
      bytes += e.size;
      if (i % 64 === 0) options.onProgress?.({ phase: 'unpack', done: bytes, total, unit: 'bytes', detail: e.name });
    }
    throwIfCancelled(options.signal);
    if (fs.existsSync(dest)) await fsp.rmdir(dest);
    await fsp.rename(temp, dest);
    const files = new Set(entries.filter((e) => !e.isFolder).map((e) => e.name));
    return { entries: files.size, bytes, files };
  } catch (err) {
    await fsp.rm(temp, { recursive: true, force: true });
    throw err;
  } finally {
    await fh.close();
  }
}

const READ_WHOLE = 8 * 1024 * 1024;

/** Where an entry's data starts, from its local header (at least 30 + name bytes of `h`). */
function localDataStart(e: ZipEntryInfo, h: Buffer): number {
  if (h.length < 30 + e.nameBytes.length || h.readUInt32LE(0) !== 0x04034b50) throw new ReleaseArchiveError(`${e.rawName}: no local header where the directory points: the zip is damaged`);
  const nameLength = h.readUInt16LE(26);
  if (nameLength !== e.nameBytes.length || !h.subarray(30, 30 + nameLength).equals(e.nameBytes)) {
    throw new ReleaseArchiveError(`${e.rawName}: the local header names another file than the directory does: refused`);
  }
  return e.localOffset + 30 + nameLength + h.readUInt16LE(28);
}

/**
 * The zip read in large consecutive blocks: the entries are unpacked in file order, so a
 * release of 74k small files costs a few dozen reads instead of one or two per file.
 */
class ReadWindow {
  private buf = Buffer.alloc(0);
  private start = 0;

  constructor(private readonly fd: number, private readonly fileSize: number) {}

  /** `length` bytes at `position` (clipped at the end of the file), valid until the next call. */
  get(position: number, length: number): Buffer {
    const end = Math.min(position + length, this.fileSize);
    if (position < this.start || end > this.start + this.buf.length) {
      const want = Math.min(Math.max(end - position, WINDOW), this.fileSize - position);
      if (this.buf.length < want || this.buf.length > Math.max(want, WINDOW)) this.buf = Buffer.allocUnsafe(want);
      let done = 0;
      while (done < want) {
        const n = fs.readSync(this.fd, this.buf, done, want - done, position + done);
        if (n === 0) break;
        done += n;
      }
      this.buf = this.buf.subarray(0, done);
      this.start = position;
    }
    return this.buf.subarray(position - this.start, end - this.start);
  }
}

const WINDOW = 8 * 1024 * 1024;

function extractSmall(window: ReadWindow, e: ZipEntryInfo, target: string): void {
  // The room left for the local extra field is a guess; a longer one costs a second read.
  let block = window.get(e.localOffset, 30 + e.nameBytes.length + 64 + e.compressedSize);
  const start = localDataStart(e, block) - e.localOffset;
  if (start + e.compressedSize > block.length) block = window.get(e.localOffset, start + e.compressedSize);
  if (start + e.compressedSize > block.length) throw new ReleaseArchiveError(`${e.rawName}: the zip ends inside this entry: it is truncated (download it again)`);
  const packed = block.subarray(start, start + e.compressedSize);
  let data: Buffer;
  try {
    // maxOutputLength stops a lying entry as soon as it passes its declared size.
    data = e.method === 0 ? packed : zlib.inflateRawSync(packed, { maxOutputLength: Math.max(e.size, 1) });
  } catch (err) {
    throw new ReleaseArchiveError(`${e.rawName}: ${err instanceof RangeError ? 'inflates to more than its declared size (a zip bomb?): refused' : 'damaged compressed data'}`);
  }
  check(e, data.length, crc32(data));
  const fd = fs.openSync(target, 'wx');
  try {
    for (let done = 0; done < data.length; ) done += fs.writeSync(fd, data, done, data.length - done);
    const t = new Date(e.mtimeMs);
    fs.futimesSync(fd, t, t);
  } finally {
    fs.closeSync(fd);
  }
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
  const input = fs.createReadStream('', { fd: fh.fd, autoClose: false, start, end: start + e.compressedSize - 1, highWaterMark: 1 << 20 });
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

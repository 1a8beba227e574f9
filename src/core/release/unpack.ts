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

export async function unpackZip(zipFile: string, into: string, options: UnpackOptions = {}): Promise<{ entries: number; bytes: number }> {
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
    for (const [i, e] of ordered.entries()) {
      if (i % 256 === 0) throwIfCancelled(options.signal);
      const target = path.join(temp, ...e.name.split('/'));
      // checkName already refused every way out; this guards against a mistake there.
      if (!target.startsWith(temp + path.sep)) throw new ReleaseArchiveError(`${e.rawName}: would be written outside the folder: refused`);
      const dir = e.isFolder ? target : path.dirname(target);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      if (e.isFolder) continue;
      await extractEntry(fh, e, target, fileSize);
      bytes += e.size;
      if (i % 64 === 0) options.onProgress?.({ phase: 'unpack', done: bytes, total, unit: 'bytes', detail: e.name });
    }
    throwIfCancelled(options.signal);
    if (fs.existsSync(dest)) await fsp.rmdir(dest);
    await fsp.rename(temp, dest);
    return { entries: entries.filter((e) => !e.isFolder).length, bytes };
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

async function extractEntry(fh: fsp.FileHandle, e: ZipEntryInfo, target: string, fileSize: number): Promise<void> {
  if (e.compressedSize <= READ_WHOLE && e.size <= READ_WHOLE) {
    // One read for the local header and the data: a second round trip per file would double
    // the time of a release of many small files. The room left for the local extra field is
    // a guess; a longer one costs a second read.
    const guess = Math.min(30 + e.nameBytes.length + 64 + e.compressedSize, fileSize - e.localOffset);
    let block = Buffer.alloc(guess);
    await fh.read(block, 0, guess, e.localOffset);
    const start = localDataStart(e, block) - e.localOffset;
    if (start + e.compressedSize > block.length) {
      block = Buffer.alloc(e.compressedSize);
      if (e.compressedSize > 0) await fh.read(block, 0, e.compressedSize, e.localOffset + start);
    } else {
      block = block.subarray(start, start + e.compressedSize);
    }
    const packed = block;
    let data: Buffer;
    try {
      // maxOutputLength stops a lying entry as soon as it passes its declared size.
      data = e.method === 0 ? packed : zlib.inflateRawSync(packed, { maxOutputLength: Math.max(e.size, 1) });
    } catch (err) {
      throw new ReleaseArchiveError(`${e.rawName}: ${err instanceof RangeError ? 'inflates to more than its declared size (a zip bomb?): refused' : 'damaged compressed data'}`);
    }
    check(e, data.length, crc32(data));
    fs.writeFileSync(target, data, { flag: 'wx' });
  } else {
    const h = Buffer.alloc(30 + e.nameBytes.length);
    await fh.read(h, 0, h.length, e.localOffset);
    await streamEntry(fh, e, localDataStart(e, h), target);
  }
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

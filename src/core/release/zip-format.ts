/**
 * The byte layout of the zip records this project writes and reads (PKWARE APPNOTE 6.3):
 * local and central headers, the Zip64 extra field, and the end records. Writing uses fixed
 * values everywhere a zip tool might put something that varies (host, time zone, uid), so
 * the same files give the same bytes.
 */
export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const EOCD_SIZE = 22;
export const ZIP64_EOCD_SIZE = 56;
export const ZIP64_LOCATOR_SIZE = 20;

export const MAX_U32 = 0xffffffff;
export const MAX_U16 = 0xffff;

const FLAG_UTF8 = 0x0800;
/** "Made by" Unix (3), spec version 4.5: the external attributes carry a Unix mode. */
const MADE_BY_UNIX = (3 << 8) | 45;
const EXTRA_ZIP64 = 0x0001;
const EXTRA_UNIX_TIME = 0x5455;

export interface EntryRecord {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  mtimeMs: number;
}

/** DOS date and time fields, in UTC so the bytes do not depend on the machine's time zone. */
export function dosDateTime(mtimeMs: number): { date: number; time: number } {
  const d = new Date(Math.max(mtimeMs, Date.UTC(1980, 0, 1)));
  const year = Math.min(d.getUTCFullYear(), 2107);
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

function isAscii(name: Buffer): boolean {
  for (const b of name) if (b > 0x7f) return false;
  return true;
}

/** The Info-ZIP "UT" extra field (modification time only): 9 bytes. */
const UNIX_TIME_EXTRA_SIZE = 9;

function writeUnixTimeExtra(b: Buffer, at: number, mtimeMs: number): void {
  b.writeUInt16LE(EXTRA_UNIX_TIME, at);
  b.writeUInt16LE(5, at + 2);
  b.writeUInt8(1, at + 4); // modification time present
  b.writeUInt32LE(Math.min(Math.max(Math.floor(mtimeMs / 1000), 0), MAX_U32), at + 5);
}

/** Whether a local header must carry Zip64 sizes: deflate can grow data a little, so keep a margin. */
export function needsZip64Local(size: number): boolean {
  return size >= MAX_U32 - 0x100000;
}

export function localHeaderLength(nameLength: number, zip64: boolean): number {
  return LOCAL_HEADER_SIZE + nameLength + UNIX_TIME_EXTRA_SIZE + (zip64 ? 20 : 0);
}

/**
 * A local header. With `zip64` the sizes live in a Zip64 extra field (patched after a streamed
 * entry, like the CRC), and the 32-bit fields hold 0xffffffff.
 */
export function localHeader(e: EntryRecord, zip64: boolean): Buffer {
  const b = Buffer.alloc(localHeaderLength(e.name.length, zip64));
  writeLocalHeader(b, 0, e, zip64);
  return b;
}

/**
 * Writes a local header at `at` (localHeaderLength bytes), in place: the packer leaves room
 * for it before each entry's data, so a batch of small files goes out in one buffer.
 */
export function writeLocalHeader(b: Buffer, at: number, e: EntryRecord, zip64: boolean): number {
  const extraLen = UNIX_TIME_EXTRA_SIZE + (zip64 ? 20 : 0);
  const { date, time: dosTime } = dosDateTime(e.mtimeMs);
  b.writeUInt32LE(SIG_LOCAL, at);
  b.writeUInt16LE(zip64 ? 45 : 20, at + 4);
  b.writeUInt16LE(isAscii(e.name) ? 0 : FLAG_UTF8, at + 6);
  b.writeUInt16LE(e.method, at + 8);
  b.writeUInt16LE(dosTime, at + 10);
  b.writeUInt16LE(date, at + 12);
  b.writeUInt32LE(e.crc, at + 14);
  b.writeUInt32LE(zip64 ? MAX_U32 : e.compressedSize, at + 18);
  b.writeUInt32LE(zip64 ? MAX_U32 : e.size, at + 22);
  b.writeUInt16LE(e.name.length, at + 26);
  b.writeUInt16LE(extraLen, at + 28);
  e.name.copy(b, at + LOCAL_HEADER_SIZE);
  let x = at + LOCAL_HEADER_SIZE + e.name.length;
  if (zip64) {
    b.writeUInt16LE(EXTRA_ZIP64, x);
    b.writeUInt16LE(16, x + 2);
    b.writeBigUInt64LE(BigInt(e.size), x + 4);
    b.writeBigUInt64LE(BigInt(e.compressedSize), x + 12);
    x += 20;
  }
  writeUnixTimeExtra(b, x, e.mtimeMs);
  return x + UNIX_TIME_EXTRA_SIZE - at;
}

function zip64Fields(e: EntryRecord): number {
  return (e.size >= MAX_U32 ? 1 : 0) + (e.compressedSize >= MAX_U32 ? 1 : 0) + (e.offset >= MAX_U32 ? 1 : 0);
}

export function centralHeaderLength(e: EntryRecord): number {
  const n = zip64Fields(e);
  return CENTRAL_HEADER_SIZE + e.name.length + UNIX_TIME_EXTRA_SIZE + (n ? 4 + 8 * n : 0);
}

/** A central directory header; Zip64 fields only for the values that do not fit 32 bits. */
export function centralHeader(e: EntryRecord): Buffer {
  const b = Buffer.alloc(centralHeaderLength(e));
  writeCentralHeader(b, 0, e);
  return b;
}

/** Writes a central header at `at` (centralHeaderLength bytes): the directory is one buffer. */
export function writeCentralHeader(b: Buffer, at: number, e: EntryRecord): number {
  const big = [e.size >= MAX_U32, e.compressedSize >= MAX_U32, e.offset >= MAX_U32];
  const zip64Len = zip64Fields(e) * 8;
  const extraLen = UNIX_TIME_EXTRA_SIZE + (zip64Len ? 4 + zip64Len : 0);
  const { date, time: dosTime } = dosDateTime(e.mtimeMs);
  b.fill(0, at, at + CENTRAL_HEADER_SIZE);
  b.writeUInt32LE(SIG_CENTRAL, at);
  b.writeUInt16LE(MADE_BY_UNIX, at + 4);
  b.writeUInt16LE(zip64Len ? 45 : 20, at + 6);
  b.writeUInt16LE(isAscii(e.name) ? 0 : FLAG_UTF8, at + 8);
  b.writeUInt16LE(e.method, at + 10);
  b.writeUInt16LE(dosTime, at + 12);
  b.writeUInt16LE(date, at + 14);
  b.writeUInt32LE(e.crc, at + 16);
  b.writeUInt32LE(big[1] ? MAX_U32 : e.compressedSize, at + 20);
  b.writeUInt32LE(big[0] ? MAX_U32 : e.size, at + 24);
  b.writeUInt16LE(e.name.length, at + 28);
  b.writeUInt16LE(extraLen, at + 30);
  // comment length, disk number, internal attributes: 0
  b.writeUInt32LE((0o100644 << 16) >>> 0, at + 38);
  b.writeUInt32LE(big[2] ? MAX_U32 : e.offset, at + 42);
  e.name.copy(b, at + CENTRAL_HEADER_SIZE);
  let x = at + CENTRAL_HEADER_SIZE + e.name.length;
  if (zip64Len) {
    b.writeUInt16LE(EXTRA_ZIP64, x);
    b.writeUInt16LE(zip64Len, x + 2);
    x += 4;
    // The order is fixed by the spec: size, compressed size, offset.
    for (const [i, v] of [e.size, e.compressedSize, e.offset].entries()) {
      if (!big[i]) continue;
      b.writeBigUInt64LE(BigInt(v), x);
      x += 8;
    }
  }
  writeUnixTimeExtra(b, x, e.mtimeMs);
  return x + UNIX_TIME_EXTRA_SIZE - at;
}

/** The end records: Zip64 ones when the count, the directory's size or its offset need them. */
export function endRecords(count: number, cdOffset: number, cdSize: number): Buffer {
  const zip64 = count >= MAX_U16 || cdOffset >= MAX_U32 || cdSize >= MAX_U32;
  const parts: Buffer[] = [];
  if (zip64) {
    const z = Buffer.alloc(ZIP64_EOCD_SIZE);
    z.writeUInt32LE(SIG_ZIP64_EOCD, 0);
    z.writeBigUInt64LE(BigInt(ZIP64_EOCD_SIZE - 12), 4);
    z.writeUInt16LE(MADE_BY_UNIX, 12);
    z.writeUInt16LE(45, 14);
    // disk numbers 0
    z.writeBigUInt64LE(BigInt(count), 24);
    z.writeBigUInt64LE(BigInt(count), 32);
    z.writeBigUInt64LE(BigInt(cdSize), 40);
    z.writeBigUInt64LE(BigInt(cdOffset), 48);
    const loc = Buffer.alloc(ZIP64_LOCATOR_SIZE);
    loc.writeUInt32LE(SIG_ZIP64_LOCATOR, 0);
    loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    loc.writeUInt32LE(1, 16);
    parts.push(z, loc);
  }
  const e = Buffer.alloc(EOCD_SIZE);
  e.writeUInt32LE(SIG_EOCD, 0);
  // Each field that overflows says so with all ones; the Zip64 record holds the real values.
  e.writeUInt16LE(Math.min(count, MAX_U16), 8);
  e.writeUInt16LE(Math.min(count, MAX_U16), 10);
  e.writeUInt32LE(Math.min(cdSize, MAX_U32), 12);
  e.writeUInt32LE(Math.min(cdOffset, MAX_U32), 16);
  parts.push(e);
  return Buffer.concat(parts);
}

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

function unixTimeExtra(mtimeMs: number): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(EXTRA_UNIX_TIME, 0);
  b.writeUInt16LE(5, 2);
  b.writeUInt8(1, 4); // modification time present
  b.writeUInt32LE(Math.min(Math.max(Math.floor(mtimeMs / 1000), 0), MAX_U32), 5);
  return b;
}

/** Whether a local header must carry Zip64 sizes: deflate can grow data a little, so keep a margin. */
export function needsZip64Local(size: number): boolean {
  return size >= MAX_U32 - 0x100000;
}

/**
 * A local header. With `zip64` the sizes live in a Zip64 extra field (patched after a streamed
 * entry, like the CRC), and the 32-bit fields hold 0xffffffff.
 */
export function localHeader(e: EntryRecord, zip64: boolean): Buffer {
  const time = unixTimeExtra(e.mtimeMs);
  const extraLen = time.length + (zip64 ? 20 : 0);
  const b = Buffer.alloc(LOCAL_HEADER_SIZE + e.name.length + extraLen);
  const { date, time: dosTime } = dosDateTime(e.mtimeMs);
  b.writeUInt32LE(SIG_LOCAL, 0);
  b.writeUInt16LE(zip64 ? 45 : 20, 4);
  b.writeUInt16LE(isAscii(e.name) ? 0 : FLAG_UTF8, 6);
  b.writeUInt16LE(e.method, 8);
  b.writeUInt16LE(dosTime, 10);
  b.writeUInt16LE(date, 12);
  b.writeUInt32LE(e.crc, 14);
  b.writeUInt32LE(zip64 ? MAX_U32 : e.compressedSize, 18);
  b.writeUInt32LE(zip64 ? MAX_U32 : e.size, 22);
  b.writeUInt16LE(e.name.length, 26);
  b.writeUInt16LE(extraLen, 28);
  e.name.copy(b, LOCAL_HEADER_SIZE);
  let at = LOCAL_HEADER_SIZE + e.name.length;
  if (zip64) {
    b.writeUInt16LE(EXTRA_ZIP64, at);
    b.writeUInt16LE(16, at + 2);
    b.writeBigUInt64LE(BigInt(e.size), at + 4);
    b.writeBigUInt64LE(BigInt(e.compressedSize), at + 12);
    at += 20;
  }
  time.copy(b, at);
  return b;
}

/** A central directory header; Zip64 fields only for the values that do not fit 32 bits. */
export function centralHeader(e: EntryRecord): Buffer {
  const big = [e.size, e.compressedSize, e.offset].map((v) => v >= MAX_U32);
  const zip64Len = big.filter(Boolean).length * 8;
  const time = unixTimeExtra(e.mtimeMs);
  const extraLen = time.length + (zip64Len ? 4 + zip64Len : 0);
  const b = Buffer.alloc(CENTRAL_HEADER_SIZE + e.name.length + extraLen);
  const { date, time: dosTime } = dosDateTime(e.mtimeMs);
  b.writeUInt32LE(SIG_CENTRAL, 0);
  b.writeUInt16LE(MADE_BY_UNIX, 4);
  b.writeUInt16LE(zip64Len ? 45 : 20, 6);
  b.writeUInt16LE(isAscii(e.name) ? 0 : FLAG_UTF8, 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(dosTime, 12);
  b.writeUInt16LE(date, 14);
  b.writeUInt32LE(e.crc, 16);
  b.writeUInt32LE(big[1] ? MAX_U32 : e.compressedSize, 20);
  b.writeUInt32LE(big[0] ? MAX_U32 : e.size, 24);
  b.writeUInt16LE(e.name.length, 28);
  b.writeUInt16LE(extraLen, 30);
  // comment length, disk number, internal attributes: 0
  b.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  b.writeUInt32LE(big[2] ? MAX_U32 : e.offset, 42);
  e.name.copy(b, CENTRAL_HEADER_SIZE);
  let at = CENTRAL_HEADER_SIZE + e.name.length;
  if (zip64Len) {
    b.writeUInt16LE(EXTRA_ZIP64, at);
    b.writeUInt16LE(zip64Len, at + 2);
    at += 4;
    // The order is fixed by the spec: size, compressed size, offset.
    for (const [i, v] of [e.size, e.compressedSize, e.offset].entries()) {
      if (!big[i]) continue;
      b.writeBigUInt64LE(BigInt(v), at);
      at += 8;
    }
  }
  time.copy(b, at);
  return b;
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

/**
 * Snappy compression (raw format, as Parquet uses it), written for speed on the data of cache
 * tables: UUID and hash strings compress by only ~11% and the pure-JS compressor in
 * hyparquet-writer spends ~30 ms per MB finding that out (see docs/parquet.md). This one follows
 * the reference algorithm (64 KiB blocks, a hash table of 4-byte sequences, the "skip" heuristic
 * that speeds through incompressible stretches) and writes straight into one preallocated
 * buffer. Output is standard Snappy, checked against hyparquet's decoder and the readers in the
 * tests (DuckDB, pyarrow, parquet-wasm).
 */

const BLOCK_SIZE = 1 << 16;
const MAX_HASH_BITS = 14;
const INPUT_MARGIN = 15;
const tables: Uint16Array[] = [];

/** The maximum compressed size of `n` bytes (the reference MaxCompressedLength). */
export function maxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

export function snappyCompress(input: Uint8Array): Uint8Array {
  const n = input.length;
  const out = new Uint8Array(maxCompressedLength(n));
  let op = 0;
  // preamble: uncompressed length as a varint
  for (let v = n; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      out[op++] = v;
      break;
    }
    out[op++] = (v & 0x7f) | 0x80;
  }
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  for (let start = 0; start < n; start += BLOCK_SIZE) {
    op = compressBlock(input, view, start, Math.min(start + BLOCK_SIZE, n), out, op);
  }
  return out.subarray(0, op);
}

/** Four input bytes as one int32 (a DataView read is ~20% faster than four byte reads). */
function load32(view: DataView, i: number): number {
  return view.getInt32(i, true);
}

/** Compresses input[start, end) (at most 64 KiB) into out at op; returns the new op. */
function compressBlock(input: Uint8Array, view: DataView, start: number, end: number, out: Uint8Array, op: number): number {
  const size = end - start;
  let bits = 8;
  while (bits < MAX_HASH_BITS && 1 << bits < size) bits++;
  const shift = 32 - bits;
  const table = (tables[bits] ??= new Uint16Array(1 << bits));
  table.fill(0);

  let nextEmit = start;
  if (size >= INPUT_MARGIN) {
    const ipLimit = end - INPUT_MARGIN;
    let ip = start + 1;
    let nextHash = Math.imul(load32(view, ip), 0x1e35a7bd) >>> shift;
    outer: for (;;) {
      // Look for a 4-byte match, taking bigger strides the longer none is found.
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      do {
        ip = nextIp;
        const hash = nextHash;
        nextIp = ip + (skip++ >>> 5);
        if (nextIp > ipLimit) break outer;
        nextHash = Math.imul(load32(view, nextIp), 0x1e35a7bd) >>> shift;
        candidate = start + table[hash];
        table[hash] = ip - start;
      } while (load32(view, ip) !== load32(view, candidate));

      op = emitLiteral(input, nextEmit, ip - nextEmit, out, op);

      // Emit copies for as long as the next position matches too.
      for (;;) {
        const base = ip;
        let matched = 4;
        while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        op = emitCopy(base - candidate, matched, out, op);
        nextEmit = ip;
        if (ip >= ipLimit) break outer;
        const prev = ip - 1;
        table[Math.imul(load32(view, prev), 0x1e35a7bd) >>> shift] = prev - start;
        const h = Math.imul(load32(view, ip), 0x1e35a7bd) >>> shift;
        candidate = start + table[h];
        table[h] = ip - start;
        if (load32(view, ip) !== load32(view, candidate)) break;
      }
      ip++;
      nextHash = Math.imul(load32(view, ip), 0x1e35a7bd) >>> shift;
    }
  }
  if (nextEmit < end) op = emitLiteral(input, nextEmit, end - nextEmit, out, op);
  return op;
}

function emitLiteral(input: Uint8Array, from: number, len: number, out: Uint8Array, op: number): number {
  const n = len - 1;
  if (n < 60) {
    out[op++] = n << 2;
  } else if (n < 0x100) {
    out[op++] = 60 << 2;
    out[op++] = n;
  } else {
    out[op++] = 61 << 2; // literals never exceed a 64 KiB block: two length bytes suffice
    out[op++] = n & 0xff;
    out[op++] = n >>> 8;
  }
  if (len < 32) {
    for (let i = 0; i < len; i++) out[op + i] = input[from + i];
  } else {
    out.set(input.subarray(from, from + len), op);
  }
  return op + len;
}

function emitCopy(offset: number, len: number, out: Uint8Array, op: number): number {
  while (len >= 68) {
    op = emitCopyUpTo64(offset, 64, out, op);
    len -= 64;
  }
  if (len > 64) {
    op = emitCopyUpTo64(offset, 60, out, op);
    len -= 60;
  }
  return emitCopyUpTo64(offset, len, out, op);
}

function emitCopyUpTo64(offset: number, len: number, out: Uint8Array, op: number): number {
  if (len < 12 && offset < 2048) {
    out[op++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
  } else {
    out[op++] = 2 | ((len - 1) << 2);
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
  }
  return op;
}

/**
 * Bytes of an `.npy` data part → a typed array in C (row-major) order, in host byte order.
 * 64-bit integers stay exact as BigInt64Array/BigUint64Array unless `int64: 'number'` is asked.
 */
import type { NpyDtype } from './dtype';
import { HOST_LITTLE_ENDIAN } from './dtype';

export type NpyTypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** A decoded array. `data` is always in C order, whatever the file's order. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /**
   * bool → Uint8Array (0/1), int8..uint32 → the matching typed array, float16 → Float32Array
   * (exact: every float16 is a float32), float32/64 → Float32Array/Float64Array,
   * int64/uint64 → BigInt64Array/BigUint64Array, or Float64Array with `int64: 'number'`.
   */
  data: NpyTypedArray;
}

export interface DecodeOptions {
  /**
   * How to return int64/uint64: 'bigint' (default, exact) or 'number' (Float64Array; exact up to
   * 2^53 = 9,007,199,254,740,992 in magnitude, rounded to the nearest double beyond — fine for
   * sample counts and indices, wrong for IDs or hashes stored as integers).
   */
  int64?: 'bigint' | 'number';
}

/** Decodes `count` elements from `bytes` (file order, file byte order) to a host-order typed array. */
export function decodeElements(bytes: Uint8Array, dtype: NpyDtype, count: number, options: DecodeOptions = {}): NpyTypedArray {
  const size = dtype.itemSize;
  const aligned = hostOrderCopy(bytes.subarray(0, count * size), dtype);
  const buf = aligned.buffer;
  const off = aligned.byteOffset;
  switch (dtype.name) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(buf, off, count);
    case 'int8':
      return new Int8Array(buf, off, count);
    case 'int16':
      return new Int16Array(buf, off, count);
    case 'uint16':
      return new Uint16Array(buf, off, count);
    case 'int32':
      return new Int32Array(buf, off, count);
    case 'uint32':
      return new Uint32Array(buf, off, count);
    case 'float32':
      return new Float32Array(buf, off, count);
    case 'float64':
      return new Float64Array(buf, off, count);
    case 'float16':
      return float16ToFloat32(new Uint16Array(buf, off, count));
    case 'int64':
      return options.int64 === 'number' ? int64ToNumbers(new Uint32Array(buf, off, count * 2), true) : new BigInt64Array(buf, off, count);
    case 'uint64':
      return options.int64 === 'number' ? int64ToNumbers(new Uint32Array(buf, off, count * 2), false) : new BigUint64Array(buf, off, count);
  }
}

/**
 * The bytes in host order at an offset aligned to the item size. A view when nothing needs
 * changing (no copy of a 100 MB file), else a copy: typed arrays need alignment, and
 * Buffer.swapNN does the byte swap natively.
 */
function hostOrderCopy(bytes: Uint8Array, dtype: NpyDtype): Uint8Array {
  const size = dtype.itemSize;
  const swap = size > 1 && dtype.littleEndian !== HOST_LITTLE_ENDIAN;
  if (!swap && bytes.byteOffset % size === 0) return bytes;
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  if (swap) {
    const b = Buffer.from(copy.buffer, copy.byteOffset, copy.length);
    if (size === 2) b.swap16();
    else if (size === 4) b.swap32();
    else b.swap64();
  }
  return copy;
}

let halfTable: Float32Array | undefined;

/** float16 bit patterns → float32, through a 65,536-entry table (256 kB, built once). */
function float16ToFloat32(bits: Uint16Array): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = halfToNumber(h);
  }
  const t = halfTable;
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = t[bits[i] as number] as number;
  return out;
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

/** 64-bit integers (as host-order 32-bit halves) → doubles, correctly rounded beyond 2^53. */
function int64ToNumbers(halves: Uint32Array, signed: boolean): Float64Array {
  const n = halves.length / 2;
  const out = new Float64Array(n);
  const lo = HOST_LITTLE_ENDIAN ? 0 : 1;
  const hi = 1 - lo;
  for (let i = 0; i < n; i++) {
    const h = halves[2 * i + hi] as number;
    // hi·2^32 is exact in a double; the one addition rounds once.
    out[i] = (signed ? h | 0 : h) * 4294967296 + (halves[2 * i + lo] as number);
  }
  return out;
}

type Constructor<T> = { new (length: number): T };

/** Reorders Fortran-order (column-major) elements of `shape` into C order. */
export function fortranToC<T extends NpyTypedArray>(src: T, shape: readonly number[]): T {
  if (shape.filter((d) => d > 1).length <= 1) return src;
  const n = src.length;
  const out = new (src.constructor as Constructor<T>)(n);
  const o = out as unknown as { [i: number]: number | bigint };
  const s = src as unknown as { readonly [i: number]: number | bigint };
  if (shape.length === 2) {
    const rows = shape[0] as number;
    const cols = shape[1] as number;
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) o[base + j] = s[j * rows + i] as number | bigint;
    }
    return out;
  }
  // Odometer over C order; the Fortran offset moves by the Fortran stride of the axis that ticks.
  const nd = shape.length;
  const fStride = new Array<number>(nd);
  let acc = 1;
  for (let k = 0; k < nd; k++) {
    fStride[k] = acc;
    acc *= shape[k] as number;
  }
  const idx = new Array<number>(nd).fill(0);
  let f = 0;
  for (let c = 0; c < n; c++) {
    o[c] = s[f] as number | bigint;
    for (let k = nd - 1; k >= 0; k--) {
      if (++(idx[k] as number) < (shape[k] as number)) {
        f += fStride[k] as number;
        break;
      }
      f -= ((shape[k] as number) - 1) * (fStride[k] as number);
      idx[k] = 0;
    }
  }
  return out;
}

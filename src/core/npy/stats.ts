/**
 * Summaries for previews and plots: min/max/mean with NaN counts, and min/max decimation
 * (per bucket) so a 10-million-sample trace plots as ~2,000 points without losing its spikes.
 * Both work incrementally, so a large file can be fed chunk by chunk.
 */
import type { NpyArray } from './decode';

/** Any array of numbers; 64-bit integer arrays are converted with Number() (exact up to 2^53). */
export type NumericArray = ArrayLike<number> | BigInt64Array | BigUint64Array;

export interface NpyStats {
  /** Elements seen, NaN included. */
  count: number;
  nanCount: number;
  /** null when there is no non-NaN value. ±Infinity count as values. */
  min: number | null;
  max: number | null;
  /** Mean of the non-NaN values (compensated sum); null when there are none. */
  mean: number | null;
}

function isBig(values: NumericArray): values is BigInt64Array | BigUint64Array {
  return values instanceof BigInt64Array || values instanceof BigUint64Array;
}

/** Accumulates NpyStats over any number of arrays. */
export class StatsAccumulator {
  private count = 0;
  private nan = 0;
  private min = Infinity;
  private max = -Infinity;
  /**
   * Blocks of BLOCK values are summed plainly, and the block sums with Neumaier's compensation:
   * nearly as accurate as compensating every value (float64 sums of millions of samples
   * otherwise drift), at the speed of a plain sum.
   */
  private sum = 0;
  private comp = 0;
  private block = 0;
  private filled = 0;

  /** Adds values[from], values[from + stride], … (`count` of them, default to the end). */
  add(values: NumericArray, from = 0, stride = 1, count?: number): void {
    const n = count ?? Math.max(0, Math.ceil((values.length - from) / stride));
    if (isBig(values)) {
      const tmp = new Float64Array(n);
      for (let k = 0; k < n; k++) tmp[k] = Number(values[from + k * stride] as bigint);
      this.addNumbers(tmp, 0, 1, n);
    } else {
      this.addNumbers(values, from, stride, n);
    }
  }

  private addNumbers(values: ArrayLike<number>, from: number, stride: number, n: number): void {
    let min = this.min;
    let max = this.max;
    let nan = 0;
    let k0 = 0;
    while (k0 < n) {
      // Blocks run across calls, so the answer does not depend on how the values were chunked.
      const k1 = Math.min(n, k0 + BLOCK - this.filled);
      const i0 = from + k0 * stride;
      // Comparisons with NaN are false, so min/max need no NaN test, and a NaN shows as a NaN
      // sum; only then is the segment scanned again, value by value.
      let seg = 0;
      for (let k = k0, i = i0; k < k1; k++, i += stride) {
        const v = values[i] as number;
        if (v < min) min = v;
        if (v > max) max = v;
        seg += v;
      }
      if (seg !== seg) {
        seg = 0;
        for (let k = k0, i = i0; k < k1; k++, i += stride) {
          const v = values[i] as number;
          if (v !== v) nan++;
          else if (v !== Infinity && v !== -Infinity) seg += v;
        }
      }
      this.block += seg;
      this.filled += k1 - k0;
      if (this.filled === BLOCK) this.flush();
      k0 = k1;
    }
    this.min = min;
    this.max = max;
    this.nan += nan;
    this.count += n;
  }

  private flush(): void {
    const b = this.block;
    const t = this.sum + b;
    this.comp += Math.abs(this.sum) >= Math.abs(b) ? this.sum - t + b : b - t + this.sum;
    this.sum = t;
    this.block = 0;
    this.filled = 0;
  }

  result(): NpyStats {
    const valid = this.count - this.nan;
    if (valid === 0) return { count: this.count, nanCount: this.nan, min: null, max: null, mean: null };
    // Infinities show in min/max; the sum alone would turn +∞ + −∞ into NaN silently.
    let mean: number;
    if (this.max === Infinity && this.min === -Infinity) mean = NaN;
    else if (this.max === Infinity) mean = Infinity;
    else if (this.min === -Infinity) mean = -Infinity;
    else {
      const b = this.block;
      const t = this.sum + b;
      const comp = this.comp + (Math.abs(this.sum) >= Math.abs(b) ? this.sum - t + b : b - t + this.sum);
      mean = (t + comp) / valid;
    }
    return { count: this.count, nanCount: this.nan, min: this.min, max: this.max, mean };
  }
}

const BLOCK = 256;

/** min, max, mean, NaN count and element count of an array (all elements, whatever the shape). */
export function npyStats(array: NpyArray | NumericArray): NpyStats {
  const acc = new StatsAccumulator();
  acc.add(isNpyArray(array) ? array.data : array);
  return acc.result();
}

export interface Decimated {
  /** Samples covered (the length of the decimated series). */
  length: number;
  /** Bucket b covers samples [start[b], start[b + 1]) — the last one up to `length`. */
  start: Float64Array;
  /** Smallest and largest non-NaN value of each bucket; NaN for a bucket of NaNs only. */
  min: Float64Array;
  max: Float64Array;
  /**
   * Sample index of the min and of the max (-1 for a bucket of NaNs only). Drawing each bucket's
   * two points in index order keeps the trace's shape.
   */
  minIndex: Float64Array;
  maxIndex: Float64Array;
}

/**
 * Min/max decimation fed in pieces: samples must arrive in index order. With `length` ≤
 * `buckets` every sample gets its own bucket (min = max = the value).
 */
export class Decimator {
  readonly length: number;
  readonly buckets: number;
  private readonly out: Decimated;
  private bucket = 0;
  private bucketEnd: number;
  private next = 0;

  constructor(length: number, buckets: number) {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`decimate: length must be a whole number ≥ 0, got ${length}`);
    if (!Number.isSafeInteger(buckets) || buckets < 1) throw new RangeError(`decimate: buckets must be a whole number ≥ 1, got ${buckets}`);
    this.length = length;
    this.buckets = Math.min(buckets, length);
    const b = this.buckets;
    this.out = {
      length,
      start: new Float64Array(b),
      min: new Float64Array(b).fill(NaN),
      max: new Float64Array(b).fill(NaN),
      minIndex: new Float64Array(b).fill(-1),
      maxIndex: new Float64Array(b).fill(-1),
    };
    for (let k = 0; k < b; k++) this.out.start[k] = this.boundary(k);
    this.bucketEnd = b > 0 ? this.boundary(1) : 0;
  }

  private boundary(k: number): number {
    return Math.floor((k * this.length) / this.buckets);
  }

  /**
   * Adds `count` samples values[from], values[from + stride], …, which are samples
   * `sampleStart`, `sampleStart + 1`, … of the series (sampleStart must continue where the
   * previous push ended).
   */
  push(values: NumericArray, sampleStart: number, from = 0, stride = 1, count?: number): void {
    const n = count ?? Math.max(0, Math.ceil((values.length - from) / stride));
    if (sampleStart !== this.next) throw new RangeError(`decimate: expected sample ${this.next} next, got ${sampleStart}`);
    if (sampleStart + n > this.length) throw new RangeError(`decimate: more than ${this.length} samples`);
    if (isBig(values)) {
      const tmp = new Float64Array(n);
      for (let k = 0; k < n; k++) tmp[k] = Number(values[from + k * stride] as bigint);
      this.pushNumbers(tmp, sampleStart, 0, 1, n);
    } else {
      this.pushNumbers(values, sampleStart, from, stride, n);
    }
    this.next = sampleStart + n;
  }

  /** Bucket by bucket, so the inner loop is a plain min/max scan with no boundary test. */
  private pushNumbers(values: ArrayLike<number>, sampleStart: number, from: number, stride: number, n: number): void {
    const { min, max, minIndex, maxIndex } = this.out;
    let b = this.bucket;
    let end = this.bucketEnd;
    let s = sampleStart;
    let i = from;
    const last = sampleStart + n;
    while (s < last) {
      while (s >= end) {
        b++;
        end = b + 1 < this.buckets ? this.boundary(b + 1) : this.length;
      }
      const stop = Math.min(end, last);
      // ±Infinity stand for "nothing yet" while scanning: NaN fails both tests, so needs no check.
      let lo = minIndex[b] === -1 ? Infinity : (min[b] as number);
      let hi = maxIndex[b] === -1 ? -Infinity : (max[b] as number);
      let loAt = minIndex[b] as number;
      let hiAt = maxIndex[b] as number;
      for (; s < stop; s++, i += stride) {
        const v = values[i] as number;
        if (v < lo) {
          lo = v;
          loAt = s;
        }
        if (v > hi) {
          hi = v;
          hiAt = s;
        }
      }
      // A bucket of +∞ only never beats the initial +∞ for min (and −∞ likewise for max).
      if (loAt === -1 && hiAt !== -1) loAt = hiAt;
      if (hiAt === -1 && loAt !== -1) hiAt = loAt;
      min[b] = loAt === -1 ? NaN : loAt === hiAt && lo === Infinity ? hi : lo;
      max[b] = hiAt === -1 ? NaN : hiAt === loAt && hi === -Infinity ? lo : hi;
      minIndex[b] = loAt;
      maxIndex[b] = hiAt;
    }
    this.bucket = b;
    this.bucketEnd = end;
  }

  result(): Decimated {
    return this.out;
  }
}

/**
 * Min/max per bucket of a 1-D series (an NpyArray is taken flat; use npyColumn for one column
 * of a 2-D array). ~2,000 buckets suit a plot a few thousand pixels wide.
 */
export function decimate(values: NpyArray | NumericArray, buckets = 2000): Decimated {
  const data = isNpyArray(values) ? values.data : values;
  const d = new Decimator(data.length, buckets);
  d.push(data, 0);
  return d.result();
}

/**
 * Column `index` of an array with rows along the first axis (the other axes flattened): for a
 * (n, 2) intervals array, npyColumn(a, 1) gives the n end times.
 */
export function npyColumn(array: NpyArray, index: number): NpyArray['data'] {
  const rows = array.shape.length === 0 ? 1 : (array.shape[0] as number);
  const width = rows === 0 ? 0 : array.data.length / rows;
  if (!Number.isInteger(index) || index < 0 || (index >= width && rows > 0)) {
    throw new RangeError(`npyColumn: column ${index} does not exist (rows have ${width} element${width === 1 ? '' : 's'})`);
  }
  const Ctor = array.data.constructor as { new (n: number): NpyArray['data'] };
  const out = new Ctor(rows);
  const o = out as unknown as { [i: number]: number | bigint };
  const s = array.data as unknown as { readonly [i: number]: number | bigint };
  for (let r = 0; r < rows; r++) o[r] = s[r * width + index] as number | bigint;
  return out;
}

export function isNpyArray(v: unknown): v is NpyArray {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'shape' in v && 'data' in v;
}

/**
 * What a viewer needs to show a large `.npy` file quickly: its header, statistics of all values
 * and a min/max-decimated trace of one column, computed while reading the data in chunks (the
 * whole array is never held in memory, and the next chunk is read while one is processed).
 */
import { CancelledError, type ProgressOptions } from '../progress';
import { decodeElements } from './decode';
import { NpyError } from './errors';
import type { NpyHeader } from './header';
import { NpyFile, assertComplete } from './read';
import { type Decimated, Decimator, type NpyStats, type NumericArray, StatsAccumulator } from './stats';

export interface NpyPreviewOptions extends ProgressOptions {
  /** Buckets of the decimated trace (default 2000: two points each). */
  buckets?: number;
  /**
   * Which column to trace when rows have several elements (index into a row flattened in C
   * order, e.g. 1 for the end times of an (n, 2) intervals array). Default 0.
   */
  column?: number;
  /** Bytes read at a time (default 4 MiB). */
  chunkBytes?: number;
}

export interface NpyPreview {
  path: string;
  header: NpyHeader;
  /** Of every element (64-bit integers converted to doubles: exact up to 2^53). */
  stats: NpyStats;
  /** The traced column along the first axis; null for a 0-d or empty array. */
  plot: Decimated | null;
  /** The column traced, null when `plot` is null. */
  column: number | null;
  /** Columns per row (the product of shape[1:]). */
  rowWidth: number;
  durationMs: number;
}

const DEFAULT_CHUNK = 4 << 20;

export async function previewNpy(path: string, options: NpyPreviewOptions = {}): Promise<NpyPreview> {
  const t0 = performance.now();
  const { signal, onProgress } = options;
  const buckets = options.buckets ?? 2000;
  const file = await NpyFile.open(path);
  try {
    const h = file.header;
    assertComplete(h, path, h.dataOffset + h.byteLength);
    const rows = h.shape.length === 0 ? 1 : (h.shape[0] as number);
    const width = h.shape.slice(1).reduce((a, b) => a * b, 1);
    const column = options.column ?? 0;
    if (!Number.isInteger(column) || column < 0 || (column >= width && h.count > 0)) {
      throw new NpyError(path, 'bad-argument', `column ${column} does not exist (rows have ${width} element${width === 1 ? '' : 's'})`, `pass a column from 0 to ${width - 1}`);
    }
    const traced = h.shape.length > 0 && h.count > 0;
    const stats = new StatsAccumulator();
    const dec = traced ? new Decimator(rows, buckets) : null;
    const size = h.dtype.itemSize;
    const chunkElems = Math.max(1, Math.floor((options.chunkBytes ?? DEFAULT_CHUNK) / size));
    const readChunk = (e0: number): Promise<Uint8Array> => {
      const p = file.read(h.dataOffset + e0 * size, Math.min(chunkElems, h.count - e0) * size);
      // A read still in flight when something throws fails at close(): not an unhandled rejection.
      p.catch(() => undefined);
      return p;
    };
    let pending = h.count > 0 ? readChunk(0) : null;
    for (let e0 = 0; pending; e0 += chunkElems) {
      const bytes = await pending;
      if (signal?.aborted) throw new CancelledError();
      const n = bytes.length / size;
      pending = e0 + n < h.count ? readChunk(e0 + n) : null;
      const values = decodeElements(bytes, h.dtype, n, { int64: 'number' });
      stats.add(values);
      if (dec) traceColumn(dec, values, e0, n, h.fortranOrder, rows, width, column);
      onProgress?.({ phase: 'read', done: (e0 + n) * size, total: h.byteLength, unit: 'bytes', detail: path });
    }
    return {
      path,
      header: h,
      stats: stats.result(),
      plot: dec ? dec.result() : null,
      column: dec ? column : null,
      rowWidth: width,
      durationMs: performance.now() - t0,
    };
  } finally {
    await file.close();
  }
}

/** Feeds the elements of `column` found in file elements [e0, e0 + n) to the decimator. */
function traceColumn(dec: Decimator, values: NumericArray, e0: number, n: number, fortran: boolean, rows: number, width: number, column: number): void {
  if (fortran && width > 1) {
    // Column-major: the column is one contiguous run, elements [column·rows, (column+1)·rows).
    const from = Math.max(e0, column * rows);
    const to = Math.min(e0 + n, (column + 1) * rows);
    if (to > from) dec.push(values, from - column * rows, from - e0, 1, to - from);
    return;
  }
  // Row-major: every width-th element, starting at the first one in this chunk.
  const first = e0 + ((((column - e0) % width) + width) % width);
  if (first >= e0 + n) return;
  dec.push(values, Math.floor(first / width), first - e0, width, Math.floor((e0 + n - 1 - first) / width) + 1);
}

/**
 * Reading `.npy` files: the header alone (a few hundred bytes, whatever the file size), the whole
 * array, or rows along the first axis without reading the rest of the file.
 */
import { type Stats, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { type DecodeOptions, type NpyArray, decodeElements, fortranToC } from './decode';
import { NpyError } from './errors';
import { MAX_HEADER_BYTES, type NpyHeader, parseHeader, readPreamble } from './header';

const FIRST_READ = 4096;
/** One read call at most (the OS and libuv cap a single read near 2 GiB). */
const MAX_READ = 1 << 30;
/** Fortran-order slices read the whole span between their runs when it is at most this… */
const SPAN_READ_LIMIT = 8 << 20;
/** …or at most this many times the bytes actually wanted. */
const SPAN_READ_FACTOR = 4;

/** An open `.npy` file with its parsed header. Close it when done. */
export class NpyFile {
  private constructor(
    readonly path: string,
    readonly header: NpyHeader,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<NpyFile> {
    const handle = await openFile(path);
    try {
      return new NpyFile(path, await readHeader(handle, path), handle);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /** `length` bytes from `position`, into a fresh buffer (so typed-array views can be aligned). */
  async read(position: number, length: number): Promise<Uint8Array> {
    return readFully(this.handle, this.path, position, length);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** The header of an `.npy` file; reads only the header bytes, never the data. */
export async function readNpyHeader(path: string): Promise<NpyHeader> {
  const handle = await openFile(path);
  try {
    return await readHeader(handle, path);
  } finally {
    await handle.close();
  }
}

/** The whole array, in C order. */
export async function readNpy(path: string, options: DecodeOptions = {}): Promise<NpyArray> {
  const file = await NpyFile.open(path);
  try {
    const h = file.header;
    assertComplete(h, path, h.dataOffset + h.byteLength);
    const bytes = await file.read(h.dataOffset, h.byteLength);
    const data = decodeElements(bytes, h.dtype, h.count, options);
    return { dtype: h.dtype, shape: [...h.shape], data: h.fortranOrder ? fortranToC(data, h.shape) : data };
  } finally {
    await file.close();
  }
}

export interface NpySliceRange {
  /** First row (index along the first axis), default 0. */
  start?: number;
  /** Number of rows, default all to the end. A range past the end is clipped, like Python's a[start:start+count]. */
  count?: number;
}

export interface NpySlice extends NpyArray {
  /** The rows actually returned: shape[0] === count. */
  start: number;
  count: number;
  /** Rows in the whole file (the file's shape[0]). */
  totalRows: number;
}

/**
 * Rows `[start, start + count)` along the first axis, reading only their bytes. In C order a
 * row block is one contiguous run. In Fortran order the first axis varies fastest, so the block
 * is one run of `count` elements per combination of the other axes (stride shape[0] elements);
 * those runs are read (or one covering span when that is cheaper) and reordered to C order.
 */
export async function readNpySlice(path: string, range: NpySliceRange, options: DecodeOptions = {}): Promise<NpySlice> {
  const file = await NpyFile.open(path);
  try {
    return await readSlice(file, range, options);
  } finally {
    await file.close();
  }
}

/** readNpySlice on an already open file (used when reading a large file in chunks). */
export async function readSlice(file: NpyFile, range: NpySliceRange, options: DecodeOptions = {}): Promise<NpySlice> {
  const h = file.header;
  const path = file.path;
  if (h.shape.length === 0) {
    throw new NpyError(path, 'bad-argument', 'a 0-d array (a single value) has no rows to slice', 'read it whole with readNpy');
  }
  const totalRows = h.shape[0] as number;
  const start = checkIndex(range.start ?? 0, 'start', path);
  const wanted = range.count === undefined ? totalRows : checkIndex(range.count, 'count', path);
  const first = Math.min(start, totalRows);
  const count = Math.min(wanted, totalRows - first);
  const rest = h.shape.slice(1);
  const rowElems = rest.reduce((a, b) => a * b, 1);
  const size = h.dtype.itemSize;
  const shape = [count, ...rest];
  const n = count * rowElems;
  let bytes: Uint8Array;
  if (n === 0) {
    bytes = new Uint8Array(0);
  } else if (!h.fortranOrder || rowElems === 1) {
    const from = h.dataOffset + first * rowElems * size;
    assertComplete(h, path, from + n * size);
    bytes = await file.read(from, n * size);
  } else {
    bytes = await readFortranRuns(file, first, count, rowElems);
  }
  let data = decodeElements(bytes, h.dtype, n, options);
  if (h.fortranOrder) data = fortranToC(data, shape);
  return { dtype: h.dtype, shape, data, start: first, count, totalRows };
}

async function readFortranRuns(file: NpyFile, first: number, count: number, runs: number): Promise<Uint8Array> {
  const h = file.header;
  const size = h.dtype.itemSize;
  const stride = (h.shape[0] as number) * size;
  const runBytes = count * size;
  const wanted = runs * runBytes;
  const spanStart = h.dataOffset + first * size;
  const span = (runs - 1) * stride + runBytes;
  assertComplete(h, file.path, spanStart + span);
  const out = new Uint8Array(wanted);
  if (span <= SPAN_READ_LIMIT || span <= SPAN_READ_FACTOR * wanted) {
    const all = await file.read(spanStart, span);
    for (let k = 0; k < runs; k++) out.set(all.subarray(k * stride, k * stride + runBytes), k * runBytes);
    return out;
  }
  for (let k = 0; k < runs; k++) out.set(await file.read(spanStart + k * stride, runBytes), k * runBytes);
  return out;
}

function checkIndex(v: number, field: string, path: string): number {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new NpyError(path, 'bad-argument', `slice ${field} must be a whole number ≥ 0, got ${String(v)}`, 'pass row indices along the first axis');
  }
  return v;
}

export function assertComplete(h: NpyHeader, path: string, end: number): void {
  if (h.fileSize < end) {
    const have = Math.max(0, h.fileSize - h.dataOffset);
    throw new NpyError(
      path,
      'truncated',
      `truncated: the header (shape (${h.shape.join(', ')}${h.shape.length === 1 ? ',' : ''}), ${h.dtype.descr}) promises ${h.byteLength} data bytes, the file has ${have}`,
      'the file was cut short (an interrupted copy or download?); copy or download it again',
    );
  }
}

async function openFile(path: string): Promise<FileHandle> {
  // Looked at before opening: opening a FIFO would wait for a writer, and a device such as
  // /dev/zero reads forever; neither is an .npy file.
  let kind: string | undefined;
  try {
    kind = notAFile(await fs.stat(path));
  } catch (e) {
    throw fileError(path, e);
  }
  if (kind !== undefined) throw new NpyError(path, 'not-npy', `not an .npy file: it is ${kind}, not a regular file`, 'pass the path of an .npy file');
  let handle: FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  return handle;
}

/** What a path is when it is not a regular file ("a folder", "a device"), else undefined. */
function notAFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function fileError(path: string, e: unknown): NpyError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new NpyError(path, 'not-found', 'no such file', 'check the path, or rebuild the cache if the file was moved');
  if (code === 'EISDIR') return new NpyError(path, 'not-npy', 'not an .npy file: it is a folder, not a regular file', 'pass the path of an .npy file');
  return new NpyError(path, 'unreadable', `cannot read the file (${code ?? String(e)})`, 'check its permissions');
}

async function readHeader(handle: FileHandle, path: string): Promise<NpyHeader> {
  const size = (await handle.stat()).size;
  let bytes = await readFully(handle, path, 0, Math.min(size, FIRST_READ));
  const pre = readPreamble(bytes, path);
  const end = pre.textStart + pre.textLength;
  if (end > MAX_HEADER_BYTES) {
    throw new NpyError(path, 'bad-header', `the header claims ${pre.textLength} bytes, more than any real .npy file has`, 'the file is damaged; save it again with numpy.save');
  }
  if (end > bytes.length) {
    if (end > size) throw new NpyError(path, 'truncated', 'truncated inside the header', 'copy or download the file again');
    bytes = await readFully(handle, path, 0, end);
  }
  return parseHeader(bytes, path, size);
}

async function readFully(handle: FileHandle, path: string, position: number, length: number): Promise<Uint8Array> {
  // Not zero-filled (the loop overwrites every byte) and not from Buffer's shared pool, so
  // typed-array views over it start at offset 0.
  const out = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    let n: number;
    try {
      ({ bytesRead: n } = await handle.read(out, done, Math.min(length - done, MAX_READ), position + done));
    } catch (e) {
      throw fileError(path, e);
    }
    if (n === 0) throw new NpyError(path, 'truncated', 'the file ended early (was it changed while being read?)', 'read it again');
    done += n;
  }
  return out;
}

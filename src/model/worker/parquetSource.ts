/**
 * A Parquet file opened for viewing, read lazily: the footer on open, then only the rows and
 * columns a page shows (a window read decodes the pages up to the rows asked for, not the whole
 * table), and whole columns only when a filter or sort needs them. Nothing here holds the file's
 * bytes: slices are read from an open file handle as hyparquet asks for them.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { ParquetReadError, daysToIsoDate, type ParquetColumnInfo } from '../../core/parquet';
import { loadCompressors, loadHyparquet, type AsyncBuffer, type FileMetaData } from '../../core/parquet/deps';
import { describeColumn } from '../../core/parquet/read';
import { buildColumn, type ColumnStore } from './columnStore';

export interface RowGroupSpan {
  start: number;
  rows: number;
}

export interface ColumnProgress {
  column: string;
  group: number;
  groups: number;
}

const MAGIC = 0x31524150; // 'PAR1'

/** Rows a window read is rounded to, and cached by: a read costs mostly its column chunks' fetch and dictionary, little per row. */
export const BLOCK_ROWS = 4096;
/** Blocks × columns kept from window reads (a few screens either side of where the user is). */
const BLOCK_CACHE = 128;

export class ParquetSource {
  private readonly blocks = new Map<string, unknown[]>();
  private readonly whole = new Map<string, Promise<ColumnStore>>();
  private readonly settled = new Map<string, ColumnStore>();
  private readonly listeners = new Map<string, Set<(p: ColumnProgress) => void>>();

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly file: AsyncBuffer,
    private readonly meta: FileMetaData,
    readonly columns: ParquetColumnInfo[],
    readonly rowGroups: RowGroupSpan[],
    readonly metadata: Record<string, string>,
  ) {}

  get rowCount(): number {
    const last = this.rowGroups.at(-1);
    return last ? last.start + last.rows : 0;
  }

  static async open(path: string): Promise<ParquetSource> {
    const fail = (code: ParquetReadError['code'], reason: string) => new ParquetReadError(path, code, reason, 'is it a Parquet file?');
    // Loaded while the footer is read: the first page needs them.
    loadCompressors().catch(() => undefined);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw fail('not-found', 'file not found');
      if (code === 'EACCES' || code === 'EPERM') throw fail('unreadable', 'permission denied');
      throw fail('unreadable', `cannot read the file (${code ?? String(e)})`);
    }
    try {
      const { size } = await handle.stat();
      if (size === 0) throw fail('not-parquet', 'empty file (0 bytes), not a Parquet file');
      const head = Buffer.alloc(4);
      await handle.read(head, 0, 4, 0);
      if (size < 12 || head.readUInt32LE(0) !== MAGIC) throw fail('not-parquet', 'not a Parquet file (no PAR1 magic)');
      const tail = Buffer.alloc(8);
      await handle.read(tail, 0, 8, size - 8);
      if (tail.readUInt32LE(4) !== MAGIC) throw fail('truncated', `truncated Parquet file (${size} bytes, no PAR1 at the end)`);
      const file: AsyncBuffer = {
        byteLength: size,
        slice: async (start, end = size) => {
          const buf = Buffer.allocUnsafe(end - start);
          const { bytesRead } = await handle.read(buf, 0, buf.length, start);
          if (bytesRead < buf.length) throw new Error(`the file is shorter than its footer says (${path} changed while open?)`);
          // Large buffers own their memory: hand it over rather than copy tens of MB per chunk.
          if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.length) return buf.buffer as ArrayBuffer;
          return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
        },
      };
      const hp = await loadHyparquet();
      let meta: FileMetaData;
      try {
        meta = await hp.parquetMetadataAsync(file);
      } catch (e) {
        throw fail('corrupt', `corrupt Parquet metadata (${e instanceof Error ? e.message : String(e)})`);
      }
      const columns = hp.parquetSchema(meta).children.map(describeColumn);
      const rowGroups: RowGroupSpan[] = [];
      let start = 0;
      for (const g of meta.row_groups) {
        rowGroups.push({ start, rows: Number(g.num_rows) });
        start += Number(g.num_rows);
      }
      const kv: Record<string, string> = {};
      for (const { key, value } of meta.key_value_metadata ?? []) kv[key] = value ?? '';
      return new ParquetSource(path, handle, file, meta, columns, rowGroups, kv);
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
  }

  async close(): Promise<void> {
    this.blocks.clear();
    this.whole.clear();
    this.settled.clear();
    await this.handle.close().catch(() => undefined);
  }

  /** The whole column, if it has been decoded already (for pages of a sorted view). */
  decoded(name: string): ColumnStore | undefined {
    return this.settled.get(name);
  }

  /** Decodes a whole column (row group by row group), once; later calls share the result. */
  column(name: string, onProgress?: (p: ColumnProgress) => void, signal?: AbortSignal): Promise<ColumnStore> {
    const settled = this.settled.get(name);
    if (settled) return Promise.resolve(settled);
    // Every caller waiting for this column hears its progress, not only the one that started it.
    let listeners = this.listeners.get(name);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(name, listeners);
    }
    if (onProgress) listeners.add(onProgress);
    let pending = this.whole.get(name);
    if (!pending) {
      const told = listeners;
      pending = this.decodeColumn(name, (p) => told.forEach((l) => l(p)), signal).then((store) => {
        this.settled.set(name, store);
        return store;
      });
      // A cancelled or failed decode is tried again by the next caller.
      pending.catch(() => this.whole.delete(name)).finally(() => this.listeners.delete(name)).catch(() => undefined);
      this.whole.set(name, pending);
    }
    if (onProgress) {
      const own = listeners;
      pending.finally(() => own.delete(onProgress)).catch(() => undefined);
    }
    return pending;
  }

  private async decodeColumn(name: string, onProgress?: (p: ColumnProgress) => void, signal?: AbortSignal): Promise<ColumnStore> {
    const chunks: unknown[][] = [];
    for (let g = 0; g < this.rowGroups.length; g++) {
      signal?.throwIfAborted();
      onProgress?.({ column: name, group: g, groups: this.rowGroups.length });
      const { start, rows } = this.rowGroups[g]!;
      const data = await this.read(start, start + rows, [name]);
      chunks.push(data[name]!);
    }
    return buildColumn(chunks, this.rowCount);
  }

  /**
   * Rows [start, end) of these columns, from whole decoded columns where there are, else from
   * window reads rounded to BLOCK_ROWS and cached.
   */
  async rows(start: number, end: number, names: string[]): Promise<Record<string, ArrayLike<unknown> | ColumnStore>> {
    const out: Record<string, ArrayLike<unknown> | ColumnStore> = {};
    const fromBlocks = names.filter((n) => !this.settled.has(n));
    for (const n of names) {
      const whole = this.settled.get(n);
      if (whole) out[n] = whole;
    }
    if (fromBlocks.length === 0 || end <= start) return out;
    const first = Math.floor(start / BLOCK_ROWS);
    const last = Math.floor((end - 1) / BLOCK_ROWS);
    const missing: number[] = [];
    for (let b = first; b <= last; b++) if (fromBlocks.some((n) => !this.blocks.has(`${b}:${n}`))) missing.push(b);
    if (missing.length) {
      const from = missing[0]! * BLOCK_ROWS;
      const to = Math.min(this.rowCount, (missing.at(-1)! + 1) * BLOCK_ROWS);
      const data = await this.read(from, to, fromBlocks);
      for (let b = missing[0]!; b <= missing.at(-1)!; b++) {
        for (const n of fromBlocks) this.remember(`${b}:${n}`, data[n]!.slice(b * BLOCK_ROWS - from, Math.min(to, (b + 1) * BLOCK_ROWS) - from));
      }
    }
    for (const n of fromBlocks) {
      const values = new Array<unknown>(end - start);
      for (let b = first; b <= last; b++) {
        const block = this.blocks.get(`${b}:${n}`) ?? [];
        const lo = Math.max(start, b * BLOCK_ROWS);
        const hi = Math.min(end, (b + 1) * BLOCK_ROWS);
        for (let r = lo; r < hi; r++) values[r - start] = block[r - b * BLOCK_ROWS] ?? null;
      }
      out[n] = values;
    }
    return out;
  }

  private remember(key: string, values: unknown[]): void {
    this.blocks.delete(key);
    this.blocks.set(key, values);
    while (this.blocks.size > BLOCK_CACHE) this.blocks.delete(this.blocks.keys().next().value!);
  }

  /** Decodes rows [start, end) of these columns straight from the file. */
  private async read(start: number, end: number, names: string[]): Promise<Record<string, unknown[]>> {
    const hp = await loadHyparquet();
    const out: Record<string, unknown[]> = {};
    for (const n of names) out[n] = new Array<unknown>(end - start).fill(null);
    const wide = new Set(this.columns.filter((c) => c.physicalType === 'INT64' && !c.type.startsWith('timestamp')).map((c) => c.name));
    try {
      await hp.parquetRead({
        file: this.file,
        metadata: this.meta,
        columns: names,
        rowStart: start,
        rowEnd: end,
        compressors: await loadCompressors(),
        parsers: { dateFromDays: daysToIsoDate },
        onChunk: ({ columnName, columnData, rowStart }) => {
          const target = out[columnName];
          if (!target) return;
          const toNumber = wide.has(columnName);
          const lo = Math.max(start, rowStart);
          const hi = Math.min(end, rowStart + columnData.length);
          for (let r = lo; r < hi; r++) {
            const v = columnData[r - rowStart] as unknown;
            target[r - start] = v === undefined ? null : toNumber ? safeNumber(v) : v;
          }
        },
      });
    } catch (e) {
      throw new ParquetReadError(this.path, 'corrupt', `corrupt Parquet data (${e instanceof Error ? e.message : String(e)})`, 'is it a Parquet file?');
    }
    return out;
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** 64-bit integers as numbers while exact, else as bigint (shown exactly either way). */
function safeNumber(v: unknown): unknown {
  return typeof v === 'bigint' && v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
}

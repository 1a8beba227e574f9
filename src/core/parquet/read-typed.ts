/**
 * A Parquet reader for big flat tables (ONE's cache at Alyx's size, 1.5 M rows): strings come back
 * dictionary-encoded (an Int32Array of codes into the distinct values), numbers and booleans as
 * typed arrays, and columns asked for lazily are decoded one page at a time when rows are read.
 * Where readParquetColumns makes a JavaScript string per row of every column, this makes one per
 * distinct value: a sorted `eid` column with runs of equal values costs one string per run.
 *
 * Only flat columns (no nesting) of types BYTE_ARRAY (utf8), BOOLEAN, INT32 and INT64, in PLAIN or
 * dictionary encoding, data pages v1 and v2, any codec hyparquet-compressors has. Anything else
 * throws TypedReadUnsupported, so a caller can fall back to readParquetColumns.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { ColumnMetaData, FileMetaData, SchemaElement } from './deps';
import { loadCompressors, loadHyparquet, loadPageDecoders, type PageDecoders } from './deps';
import { ParquetReadError } from './errors';
import { describeParquetColumn, type ParquetColumnInfo } from './read';

/** Utf8 values as codes into `dictionary`; -1 is null. A value may have several codes (see decodeStrings). */
export interface StringColumn {
  kind: 'strings';
  codes: Int32Array;
  dictionary: string[];
}

/** INT32/INT64 (also dates as days, and uint16/uint64) as doubles; NaN is null. Booleans as 0/1, 2 null. */
export interface NumberColumn {
  kind: 'numbers';
  values: Float64Array;
}

export interface BooleanColumn {
  kind: 'booleans';
  /** 0 false, 1 true, 2 null. */
  values: Uint8Array;
}

export type TypedColumn = StringColumn | NumberColumn | BooleanColumn;

/** A column decoded page by page on demand: values of rows [start, end) as plain values (null for null). */
export interface LazyColumn {
  readonly type: string;
  read(start: number, end: number): (string | number | boolean | null)[];
}

export interface TypedTable {
  numRows: number;
  columns: ParquetColumnInfo[];
  data: Record<string, TypedColumn>;
  lazy: Record<string, LazyColumn>;
  metadata: Record<string, string>;
}

export interface ReadTypedOptions {
  /** Decoded now (those absent from the file are left out). */
  columns: readonly string[];
  /** Decoded page by page when read (those absent from the file are left out). */
  lazyColumns?: readonly string[];
  /** Appended to error messages: what the user can do. */
  hint?: string;
}

/** The file uses something this reader does not decode (nesting, another type or encoding). */
export class TypedReadUnsupported extends Error {
  override readonly name = 'TypedReadUnsupported';
}

const MAGIC = 0x31524150; // 'PAR1'

/** Reads the columns of a flat Parquet file as typed arrays (see the module comment). */
export async function readParquetTyped(path: string, options: ReadTypedOptions): Promise<TypedTable> {
  const fail = (code: ParquetReadError['code'], reason: string) => new ParquetReadError(path, code, reason, options.hint);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw openError(e, fail);
  }
  try {
    const st = await fh.stat().catch((e: unknown) => {
      throw openError(e, fail);
    });
    if (st.isDirectory()) throw fail('not-a-file', 'is a folder, not a Parquet file');
    const n = st.size;
    if (n === 0) throw fail('not-parquet', 'empty file (0 bytes), not a Parquet file');
    const head = await readAt(fh, 0, Math.min(4, n));
    if (n < 4 || head.readUInt32LE(0) !== MAGIC) throw fail('not-parquet', 'not a Parquet file (no PAR1 magic)');
    if (n < 12) throw new TypedReadUnsupported('too short'); // the general reader words it
    const tail = await readAt(fh, n - 8, 8);
    const footerLength = tail.readUInt32LE(0);
    if (tail.readUInt32LE(4) !== MAGIC || footerLength === 0 || footerLength > n - 12) throw new TypedReadUnsupported('no footer');
    const [hp, dec, compressors] = await Promise.all([loadHyparquet(), loadPageDecoders(), loadCompressors()]);
    let metadata: FileMetaData;
    try {
      // the footer alone: column chunk offsets in it are absolute, and only the chunks asked for are read
      metadata = hp.parquetMetadata(await readAt(fh, n - 8 - footerLength, footerLength + 8));
    } catch (e) {
      throw fail('corrupt', `corrupt Parquet metadata (${e instanceof Error ? e.message : String(e)})`);
    }
    const numRows = Number(metadata.num_rows);
    const tree = hp.parquetSchema(metadata);
    const eager = new Set(options.columns);
    const lazyNames = new Set(options.lazyColumns ?? []);
    const selected = tree.children.filter((c) => eager.has(c.element.name) || lazyNames.has(c.element.name));
    for (const c of selected) {
      if (c.children.length || c.element.repetition_type === 'REPEATED') throw new TypedReadUnsupported(`column ${c.element.name} is nested`);
      if (!['BYTE_ARRAY', 'BOOLEAN', 'INT32', 'INT64'].includes(String(c.element.type))) throw new TypedReadUnsupported(`column ${c.element.name} is ${c.element.type}`);
    }
    const kv: Record<string, string> = {};
    for (const { key, value } of metadata.key_value_metadata ?? []) kv[key] = value ?? '';
    const data: Record<string, TypedColumn> = {};
    const lazy: Record<string, LazyColumn> = {};
    const ctx: Ctx = { dec, compressors };
    const stamp = `${st.size}:${st.mtimeMs}`;
    for (const c of selected) {
      const name = c.element.name;
      const chunks = metadata.row_groups.map((rg): Chunk => {
        const meta = rg.columns.find((x) => x.meta_data?.path_in_schema.join('.') === name)?.meta_data;
        if (!meta) throw new TypedReadUnsupported(`column ${name} has no metadata in a row group`);
        const dictAt = meta.dictionary_page_offset === undefined ? 0 : Number(meta.dictionary_page_offset);
        const dataAt = Number(meta.data_page_offset);
        // some writers put 0 there when there is no dictionary page
        const begin = dictAt > 0 && dictAt < dataAt ? dictAt : dataAt;
        const length = Number(meta.total_compressed_size);
        if (begin + length > n) throw fail('corrupt', `corrupt Parquet data (column ${name} runs past the end of the file)`);
        return { meta, rows: Number(rg.num_rows), begin, length, bytes: null };
      });
      try {
        if (eager.has(name)) {
          for (const ch of chunks) ch.bytes = await readAt(fh, ch.begin, ch.length);
          data[name] = decodeColumn(ctx, c.element, chunks, numRows);
        } else {
          lazy[name] = lazyColumn(ctx, c.element, chunks, describeParquetColumn(c).type, new LaterFile(path, stamp, options.hint));
        }
      } catch (e) {
        if (e instanceof TypedReadUnsupported || e instanceof ParquetReadError) throw e;
        throw fail('corrupt', `corrupt Parquet data (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    return { numRows, columns: selected.map(describeParquetColumn), data, lazy, metadata: kv };
  } finally {
    await fh.close();
  }
}

function openError(e: unknown, fail: (code: ParquetReadError['code'], reason: string) => Error): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return fail('not-found', 'file not found');
  if (code === 'EISDIR') return fail('not-a-file', 'is a folder, not a Parquet file');
  if (code === 'EACCES' || code === 'EPERM') return fail('unreadable', 'permission denied');
  return fail('unreadable', `cannot read the file (${code ?? String(e)})`);
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let at = 0;
  while (at < length) {
    const { bytesRead } = await fh.read(buf, at, length - at, position + at);
    if (bytesRead === 0) throw new TypedReadUnsupported('file shorter than its metadata says');
    at += bytesRead;
  }
  return buf;
}

/**
 * The file a lazy column reads from when rows are first asked for (synchronously: rows are read
 * by synchronous calls), a page at a time. A file rewritten since it was opened is an error, not
 * other rows' values.
 */
class LaterFile {
  constructor(
    readonly path: string,
    private readonly stamp: string,
    private readonly hint?: string,
  ) {}

  /** `length` bytes at `position` (fewer only at the end of the file). */
  read(position: number, length: number): Buffer {
    const fd = openSync(this.path, 'r');
    try {
      const st = fstatSync(fd);
      if (`${st.size}:${st.mtimeMs}` !== this.stamp) throw new ParquetReadError(this.path, 'unreadable', 'the file changed since it was opened', this.hint ?? 'open it again');
      const want = Math.max(0, Math.min(length, st.size - position));
      const buf = Buffer.allocUnsafe(want);
      let at = 0;
      while (at < want) {
        const got = readSync(fd, buf, at, want - at, position + at);
        if (got === 0) break;
        at += got;
      }
      return buf.subarray(0, at);
    } finally {
      closeSync(fd);
    }
  }
}

interface Ctx {
  dec: PageDecoders;
  compressors: Record<string, ((input: Uint8Array, outputLength: number) => Uint8Array) | undefined>;
}

interface Chunk {
  meta: ColumnMetaData;
  rows: number;
  /** Where the chunk is in the file (dictionary page first), and its bytes once read. */
  begin: number;
  length: number;
  bytes: Buffer | null;
}

/** One data page: where its values are once decompressed, and which rows it holds. */
interface Page {
  rowStart: number;
  rows: number;
  /** The page body (compressed), or where it is in the file until it is read. */
  body: Uint8Array | { at: number; size: number };
  header: PageHeaderLike;
  /** The dictionary of its column chunk, decoded as plain values (strings, numbers, booleans). */
  dictionary: DictionaryRef;
}

interface DictionaryRef {
  values: (string | number | boolean)[] | null;
  /** Reads and decodes `values` when first needed (lazy columns). */
  /** Lazy columns: one entry, decoded when first asked for (the dictionary page is read then). */
  entry?: (k: number) => string | number | boolean | null;
  /** Global codes of those values (strings only, eager decoding). */
  codes?: Int32Array;
}

type PageHeaderLike = ReturnType<PageDecoders['parquetHeader']>;

/** Splits each chunk into pages; decodes dictionary pages on the way. */
function pagesOf(ctx: Ctx, element: SchemaElement, chunks: readonly Chunk[]): Page[] {
  const pages: Page[] = [];
  let rowStart = 0;
  for (const { meta, rows, bytes } of chunks) {
    if (!bytes) throw new Error(`column ${element.name}: chunk not read`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const reader = { view, offset: 0 };
    const end = bytes.byteLength;
    let dictionary: DictionaryRef = { values: null };
    let seen = 0;
    while (reader.offset < end && seen < rows) {
      const header = ctx.dec.parquetHeader(reader);
      const bodyStart = reader.offset;
      const size = Number(header.compressed_page_size);
      const body = bytes.subarray(bodyStart, bodyStart + size);
      reader.offset = bodyStart + size;
      if (header.type === 'DICTIONARY_PAGE') {
        const n = header.dictionary_page_header?.num_values ?? 0;
        const raw = decompress(ctx, body, header, meta.codec);
        dictionary = { values: plainValues(raw, 0, element, n) };
      } else if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
        const n = header.type === 'DATA_PAGE' ? (header.data_page_header?.num_values ?? 0) : (header.data_page_header_v2?.num_rows ?? 0);
        pages.push({ rowStart: rowStart + seen, rows: n, body, header, dictionary });
        seen += n;
      } // index pages are skipped
    }
    if (seen !== rows) throw new Error(`column ${element.name}: pages hold ${seen} rows, the row group ${rows}`);
    rowStart += rows;
  }
  return pages;
}

function decompress(ctx: Ctx, body: Uint8Array, header: PageHeaderLike, codec: string): Uint8Array {
  return ctx.dec.decompressPage(body, Number(header.uncompressed_page_size), codec as never, ctx.compressors as never);
}

/** The page's definition levels (1 = present) and the bytes of its values, decompressed. */
function openPage(ctx: Ctx, element: SchemaElement, page: Page, codec: string): { present: Uint8Array | null; values: Uint8Array; encoding: string; count: number } {
  const optional = element.repetition_type !== 'REQUIRED';
  const h = page.header;
  const body = page.body;
  if (!(body instanceof Uint8Array)) throw new Error(`column ${element.name}: page not read`);
  if (h.type === 'DATA_PAGE') {
    const dph = h.data_page_header;
    if (!dph) throw new Error('data page without header');
    const raw = decompress(ctx, body, h, codec);
    const reader = { view: new DataView(raw.buffer, raw.byteOffset, raw.byteLength), offset: 0 };
    let present: Uint8Array | null = null;
    let count = page.rows;
    if (optional) {
      present = new Uint8Array(page.rows);
      ctx.dec.readRleBitPackedHybrid(reader, 1, present);
      count = countOnes(present);
    }
    return { present, values: raw.subarray(reader.offset), encoding: dph.encoding, count };
  }
  const v2 = h.data_page_header_v2;
  if (!v2) throw new Error('data page v2 without header');
  if (v2.repetition_levels_byte_length) throw new TypedReadUnsupported(`column ${element.name} has repetition levels`);
  const defLen = v2.definition_levels_byte_length;
  let present: Uint8Array | null = null;
  let count = page.rows;
  if (optional && defLen > 0) {
    present = new Uint8Array(page.rows);
    const reader = { view: new DataView(body.buffer, body.byteOffset, defLen), offset: 0 };
    ctx.dec.readRleBitPackedHybrid(reader, 1, present, defLen);
    count = countOnes(present);
  }
  const rest = body.subarray(defLen);
  const uncompressed = Number(h.uncompressed_page_size) - defLen;
  const values = v2.is_compressed === false || codec === 'UNCOMPRESSED' ? rest : ctx.dec.decompressPage(rest, uncompressed, codec as never, ctx.compressors as never);
  return { present, values, encoding: v2.encoding, count };
}

function countOnes(a: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) n += a[i] as number;
  return n;
}

const DICTIONARY_ENCODINGS = new Set(['PLAIN_DICTIONARY', 'RLE_DICTIONARY']);

/** Dictionary indices of a page's `count` present values. */
function dictionaryIndices(ctx: Ctx, values: Uint8Array, count: number): Int32Array {
  const out = new Int32Array(count);
  if (count === 0) return out;
  const width = values[0] as number;
  const reader = { view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: 1 };
  ctx.dec.readRleBitPackedHybrid(reader, width, out, values.byteLength - 1);
  return out;
}

const utf8 = new TextDecoder();

/** PLAIN values of a type, as JS values (dictionary pages and lazy reads). */
function plainValues(raw: Uint8Array, offset: number, element: SchemaElement, count: number): (string | number | boolean)[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Array<string | number | boolean>(count);
  let at = offset;
  switch (element.type) {
    case 'BYTE_ARRAY':
      for (let i = 0; i < count; i++) {
        const len = view.getUint32(at, true);
        out[i] = utf8.decode(raw.subarray(at + 4, at + 4 + len));
        at += 4 + len;
      }
      return out;
    case 'INT32':
      for (let i = 0; i < count; i++, at += 4) out[i] = isUnsigned(element) ? view.getUint32(at, true) : view.getInt32(at, true);
      return out;
    case 'INT64': {
      // as two 32-bit halves, not through a BigInt per value (file sizes, session numbers): the
      // same double, exact to 2^53 and rounded once beyond, at a fraction of the cost
      const unsigned = isUnsigned(element);
      for (let i = 0; i < count; i++, at += 8) {
        const hi = unsigned ? view.getUint32(at + 4, true) : view.getInt32(at + 4, true);
        out[i] = hi * 4294967296 + view.getUint32(at, true);
      }
      return out;
    }
    case 'BOOLEAN':
      for (let i = 0; i < count; i++) out[i] = ((raw[at + (i >> 3)] as number) >> (i & 7) & 1) === 1;
      return out;
    default:
      throw new TypedReadUnsupported(`type ${element.type}`);
  }
}

function isUnsigned(e: SchemaElement): boolean {
  return (e.logical_type?.type === 'INTEGER' && !e.logical_type.isSigned) || (typeof e.converted_type === 'string' && e.converted_type.startsWith('UINT'));
}

/** A page's values, one per row (null where absent). */
function pageValues(ctx: Ctx, element: SchemaElement, page: Page, codec: string): (string | number | boolean | null)[] {
  const { present, values, encoding, count } = openPage(ctx, element, page, codec);
  let dense: (string | number | boolean)[];
  if (DICTIONARY_ENCODINGS.has(encoding)) {
    const dict = page.dictionary.values;
    if (!dict) throw new Error(`column ${element.name}: dictionary-encoded page without a dictionary`);
    const idx = dictionaryIndices(ctx, values, count);
    dense = Array.from(idx, (k) => dict[k] as string | number | boolean);
  } else if (encoding === 'PLAIN') {
    dense = plainValues(values, 0, element, count);
  } else if (encoding === 'RLE' && element.type === 'BOOLEAN') {
    const bits = new Uint8Array(count);
    ctx.dec.readRleBitPackedHybrid({ view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: 0 }, 1, bits);
    dense = Array.from(bits, (b) => b === 1);
  } else {
    throw new TypedReadUnsupported(`column ${element.name}: encoding ${encoding}`);
  }
  if (!present) return dense;
  const out = new Array<string | number | boolean | null>(page.rows);
  for (let i = 0, j = 0; i < page.rows; i++) out[i] = present[i] ? (dense[j++] as string | number | boolean) : null;
  return out;
}

/** A lazy column's page once read: its levels and value bytes, and where each row's value is. */
interface OpenedPage {
  page: Page;
  /** Per row: the index of its value among the page's values, -1 when null. */
  slot: Int32Array;
  /** Dictionary pages: each value's dictionary index, decoded when asked for. */
  indices?: HybridValues;
  /** PLAIN byte arrays: each value's offset in `values`. */
  offsets?: Int32Array;
  values: Uint8Array;
  encoding: string;
}

function openLazyPage(ctx: Ctx, element: SchemaElement, page: Page, codec: string): OpenedPage {
  const { present, values, encoding, count } = openPage(ctx, element, page, codec);
  const slot = new Int32Array(page.rows);
  for (let i = 0, j = 0; i < page.rows; i++) slot[i] = !present || present[i] ? j++ : -1;
  const opened: OpenedPage = { page, slot, values, encoding };
  if (DICTIONARY_ENCODINGS.has(encoding)) opened.indices = new HybridValues(values, count);
  else if (encoding === 'PLAIN' && element.type === 'BYTE_ARRAY') {
    const offsets = new Int32Array(count);
    const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
    for (let j = 0, at = 0; j < count; j++) {
      offsets[j] = at;
      at += 4 + view.getUint32(at, true);
    }
    opened.offsets = offsets;
  } else if (encoding === 'RLE' && element.type === 'BOOLEAN') {
    const bits = new Uint8Array(count);
    ctx.dec.readRleBitPackedHybrid({ view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: 0 }, 1, bits);
    opened.values = bits;
    opened.encoding = 'BITS';
  } else if (encoding !== 'PLAIN') {
    throw new TypedReadUnsupported(`column ${element.name}: encoding ${encoding}`);
  }
  return opened;
}

/** The value of row `r` of an opened page (page-relative), decoding only that value. */
function valueAt(element: SchemaElement, p: OpenedPage, r: number): string | number | boolean | null {
  const j = p.slot[r] as number;
  if (j < 0) return null;
  if (p.indices) {
    const dict = p.page.dictionary;
    if (!dict.entry) throw new Error(`column ${element.name}: dictionary-encoded page without a dictionary`);
    return dict.entry(p.indices.get(j));
  }
  if (p.encoding === 'BITS') return p.values[j] === 1;
  if (p.offsets) {
    const at = p.offsets[j] as number;
    const len = new DataView(p.values.buffer, p.values.byteOffset + at, 4).getUint32(0, true);
    return utf8.decode(p.values.subarray(at + 4, at + 4 + len));
  }
  const width = element.type === 'INT64' ? 8 : element.type === 'INT32' ? 4 : 0;
  if (width === 0) return (((p.values[j >> 3] as number) >> (j & 7)) & 1) === 1;
  return plainValues(p.values, j * width, element, 1)[0] ?? null;
}

/**
 * A lazy column's dictionary page (PLAIN values), each entry decoded when first asked for: the
 * first page of an `id` or `hash` column holds ~28,000 strings and a session wants a dozen.
 */
class LazyDictionary {
  private readonly offsets: Int32Array | null = null;
  private readonly decoded = new Map<number, string | number | boolean>();

  constructor(
    private readonly raw: Uint8Array,
    private readonly element: SchemaElement,
    private readonly count: number,
  ) {
    if (element.type === 'BYTE_ARRAY') {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const offsets = new Int32Array(count);
      for (let k = 0, at = 0; k < count; k++) {
        offsets[k] = at;
        at += 4 + view.getUint32(at, true);
      }
      this.offsets = offsets;
    }
  }

  get(k: number): string | number | boolean | null {
    if (k < 0 || k >= this.count) return null;
    let v = this.decoded.get(k);
    if (v === undefined) {
      const width = this.element.type === 'INT64' ? 8 : this.element.type === 'INT32' ? 4 : 0;
      if (this.offsets) v = plainValues(this.raw, this.offsets[k] as number, this.element, 1)[0] as string;
      else if (width) v = plainValues(this.raw, k * width, this.element, 1)[0] as number;
      else v = (((this.raw[k >> 3] as number) >> (k & 7)) & 1) === 1;
      this.decoded.set(k, v);
    }
    return v;
  }
}

/**
 * A dictionary page's indices (RLE / bit-packed hybrid, bit width in the first byte) read one at
 * a time: the run headers are scanned once, and a value is decoded only when asked for. A page of
 * `file_size` indices holds ~500,000 rows; a session wants a dozen of them.
 */
export class HybridValues {
  private readonly starts: number[] = [];
  private readonly offsets: number[] = [];
  /** The run's value (RLE runs), or -1 (bit-packed runs). */
  private readonly repeated: number[] = [];
  private readonly width: number;

  constructor(
    private readonly bytes: Uint8Array,
    count: number,
  ) {
    const width = (this.width = count === 0 ? 0 : (bytes[0] as number));
    if (width > 32) throw new Error(`dictionary index bit width ${width}`);
    const byteWidth = (width + 7) >> 3;
    let at = 1;
    let n = 0;
    while (n < count) {
      if (at >= bytes.length) throw new Error('dictionary indices end before their values');
      let header = 0;
      let scale = 1;
      let b: number;
      do {
        b = bytes[at++] as number;
        header += (b & 0x7f) * scale;
        scale *= 128;
      } while (b & 0x80);
      this.starts.push(n);
      if (header % 2 === 1) {
        const groups = (header - 1) / 2;
        this.offsets.push(at);
        this.repeated.push(-1);
        at += groups * width;
        n += groups * 8;
      } else {
        let v = 0;
        for (let k = 0; k < byteWidth; k++) v += (bytes[at + k] as number) * 2 ** (8 * k);
        this.offsets.push(at);
        this.repeated.push(v);
        at += byteWidth;
        n += header / 2;
      }
    }
  }

  /** The j-th value. */
  get(j: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= j) lo = mid;
      else hi = mid - 1;
    }
    const v = this.repeated[lo] as number;
    if (v >= 0) return v;
    // bit-packed, least significant bit first
    let pos = (this.offsets[lo] as number) * 8 + (j - (this.starts[lo] as number)) * this.width;
    let out = 0;
    for (let got = 0; got < this.width; ) {
      const off = pos & 7;
      const take = Math.min(8 - off, this.width - got);
      out += (((this.bytes[pos >> 3] as number) >> off) & ((1 << take) - 1)) * 2 ** got;
      got += take;
      pos += take;
    }
    return out;
  }
}

function lazyColumn(ctx: Ctx, element: SchemaElement, chunks: readonly Chunk[], type: string, file: LaterFile): LazyColumn {
  let pages: { page: Page; codec: string }[] | null = null;
  let last: OpenedPage | null = null;
  const located = () => {
    if (pages) return pages;
    const out: { page: Page; codec: string }[] = [];
    let before = 0;
    for (const c of chunks) {
      for (const page of locatePages(ctx, element, c, file)) out.push({ page: { ...page, rowStart: page.rowStart + before }, codec: c.meta.codec });
      before += c.rows;
    }
    pages = out;
    return out;
  };
  return {
    type,
    read(start, end) {
      const out: (string | number | boolean | null)[] = [];
      const all = located();
      // pages are in row order: binary search for the first one holding `start`
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const p = (all[mid] as { page: Page }).page;
        if (p.rowStart + p.rows <= start) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < all.length; k++) {
        const { page, codec } = all[k] as { page: Page; codec: string };
        if (page.rowStart >= end) break;
        if (last?.page !== page) {
          const where = page.body;
          const body = where instanceof Uint8Array ? where : file.read(where.at, where.size);
          // one page is kept open (a session's rows are usually in one), not its neighbours
          last = { ...openLazyPage(ctx, element, { ...page, body }, codec), page };
        }
        const opened = last;
        for (let r = Math.max(start, page.rowStart); r < Math.min(end, page.rowStart + page.rows); r++) out.push(valueAt(element, opened, r - page.rowStart));
      }
      return out;
    },
  };
}

/** A chunk's pages from their headers alone (a few small reads); the dictionary page is read and decoded. */
function locatePages(ctx: Ctx, element: SchemaElement, chunk: Chunk, file: LaterFile): Page[] {
  const pages: Page[] = [];
  let dictionary: DictionaryRef = { values: null };
  let at = chunk.begin;
  const end = chunk.begin + chunk.length;
  let seen = 0;
  while (at < end && seen < chunk.rows) {
    let window = 4096;
    let header: PageHeaderLike | null = null;
    let headerLength = 0;
    while (!header) {
      const bytes = file.read(at, Math.min(window, end - at));
      const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
      try {
        header = ctx.dec.parquetHeader(reader);
        headerLength = reader.offset;
        if (headerLength > bytes.byteLength) throw new RangeError('header past the window');
      } catch (e) {
        if (!(e instanceof RangeError) || window >= end - at) throw e;
        header = null;
        window *= 8; // statistics made the header longer than the window
      }
    }
    const size = Number(header.compressed_page_size);
    const bodyAt = at + headerLength;
    if (header.type === 'DICTIONARY_PAGE') {
      const n = header.dictionary_page_header?.num_values ?? 0;
      const h = header;
      let entries: LazyDictionary | null = null;
      dictionary = { values: null, entry: (k) => (entries ??= new LazyDictionary(decompress(ctx, file.read(bodyAt, size), h, chunk.meta.codec), element, n)).get(k) };
    } else if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
      const n = header.type === 'DATA_PAGE' ? (header.data_page_header?.num_values ?? 0) : (header.data_page_header_v2?.num_rows ?? 0);
      pages.push({ rowStart: seen, rows: n, body: { at: bodyAt, size }, header, dictionary });
      seen += n;
    }
    at = bodyAt + size;
  }
  if (seen !== chunk.rows) throw new Error(`column ${element.name}: pages hold ${seen} rows, the row group ${chunk.rows}`);
  return pages;
}

/** Decodes a whole column into a typed array (strings dictionary-encoded). */
function decodeColumn(ctx: Ctx, element: SchemaElement, chunks: readonly Chunk[], numRows: number): TypedColumn {
  if (element.type === 'BYTE_ARRAY') return decodeStrings(ctx, element, chunks, numRows);
  if (element.type === 'BOOLEAN') return decodeBooleans(ctx, element, chunks, numRows);
  const out = new Float64Array(numRows).fill(Number.NaN);
  eachPage(ctx, element, chunks, (rowStart, values) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'number') out[rowStart + i] = v;
    }
  });
  return { kind: 'numbers', values: out };
}

function eachPage(ctx: Ctx, element: SchemaElement, chunks: readonly Chunk[], use: (rowStart: number, values: (string | number | boolean | null)[]) => void): void {
  let before = 0;
  for (const c of chunks) {
    for (const page of pagesOf(ctx, element, [c])) use(before + page.rowStart, pageValues(ctx, element, page, c.meta.codec));
    before += c.rows;
  }
}

/**
 * Strings as codes. Dictionary pages are decoded once per chunk; PLAIN pages (a writer falls back
 * to them when the dictionary grows past its limit) are interned, comparing each value's bytes
 * with the previous one first, so a run of equal values (a sorted column) decodes one string.
 */
const INTERN_LIMIT = 4096;

function decodeStrings(ctx: Ctx, element: SchemaElement, chunks: readonly Chunk[], numRows: number): StringColumn {
  const codes = new Int32Array(numRows).fill(-1);
  const dictionary: string[] = [];
  const known = new Map<string, number>();
  // Distinct values share a code while they are few (rel_path, qc, lab). Past INTERN_LIMIT the
  // column is id-like (eid, id) and hashing every value costs more than it saves: a new value
  // (a new run, a new dictionary entry) then gets a new code, so one string may have several.
  let interning = true;
  const intern = (s: string): number => {
    let k = interning ? known.get(s) : undefined;
    if (k === undefined) {
      k = dictionary.length;
      dictionary.push(s);
      if (interning) known.set(s, k);
      if (known.size > INTERN_LIMIT) {
        interning = false;
        known.clear();
      }
    }
    return k;
  };
  let before = 0;
  for (const c of chunks) {
    for (const page of pagesOf(ctx, element, [c])) {
      const { present, values, encoding, count } = openPage(ctx, element, page, c.meta.codec);
      const base = before + page.rowStart;
      let write = 0;
      const next = (): number => {
        if (!present) return base + write++;
        while (present[write] === 0) write++;
        return base + write++;
      };
      if (DICTIONARY_ENCODINGS.has(encoding)) {
        const dict = page.dictionary;
        if (!dict.values) throw new Error(`column ${element.name}: dictionary-encoded page without a dictionary`);
        dict.codes ??= Int32Array.from(dict.values, (v) => intern(String(v)));
        const global = dict.codes;
        const idx = dictionaryIndices(ctx, values, count);
        for (let i = 0; i < count; i++) codes[next()] = global[idx[i] as number] as number;
      } else if (encoding === 'PLAIN') {
        const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
        let at = 0;
        let prevAt = -1;
        let prevLen = -1;
        let prevCode = -1;
        for (let i = 0; i < count; i++) {
          const len = view.getUint32(at, true);
          const from = at + 4;
          // four bytes at a time: in a sorted eid column most values equal the previous one,
          // so this comparison runs to the end for nearly every row
          let same = len === prevLen;
          let b = 0;
          for (; same && b + 4 <= len; b += 4) same = view.getUint32(from + b, true) === view.getUint32(prevAt + b, true);
          for (; same && b < len; b++) same = values[from + b] === values[prevAt + b];
          if (!same) {
            prevCode = intern(utf8.decode(values.subarray(from, from + len)));
            prevAt = from;
            prevLen = len;
          }
          codes[next()] = prevCode;
          at = from + len;
        }
      } else {
        throw new TypedReadUnsupported(`column ${element.name}: encoding ${encoding}`);
      }
    }
    before += c.rows;
  }
  return { kind: 'strings', codes, dictionary };
}

/** Booleans straight into a Uint8Array (0, 1, 2 for null): no JS value per row. */
function decodeBooleans(ctx: Ctx, element: SchemaElement, chunks: readonly Chunk[], numRows: number): BooleanColumn {
  const out = new Uint8Array(numRows).fill(2);
  let before = 0;
  for (const c of chunks) {
    for (const page of pagesOf(ctx, element, [c])) {
      const { present, values, encoding, count } = openPage(ctx, element, page, c.meta.codec);
      let bits: Uint8Array;
      if (encoding === 'PLAIN') {
        bits = new Uint8Array(count);
        for (let i = 0; i < count; i++) bits[i] = ((values[i >> 3] as number) >> (i & 7)) & 1;
      } else if (encoding === 'RLE') {
        bits = new Uint8Array(count);
        ctx.dec.readRleBitPackedHybrid({ view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: 0 }, 1, bits);
      } else {
        throw new TypedReadUnsupported(`column ${element.name}: encoding ${encoding}`);
      }
      const base = before + page.rowStart;
      if (!present) out.set(bits, base);
      else for (let i = 0, j = 0; i < page.rows; i++) if (present[i]) out[base + i] = bits[j++] as number;
    }
    before += c.rows;
  }
  return { kind: 'booleans', values: out };
}

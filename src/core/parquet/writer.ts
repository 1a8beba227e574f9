/**
 * A compact Parquet writer for flat tables of a few column types, laid out the way pyarrow
 * (parquet-cpp) lays out a `pq.write_table` of a pandas frame: one row group, every column
 * OPTIONAL, SNAPPY, a PLAIN dictionary page + DATA_PAGE (v1) pages with RLE_DICTIONARY indices
 * (PLAIN pages once the dictionary would pass 1 MiB), booleans PLAIN, RLE definition levels,
 * chunk statistics, legacy + logical type annotations, TypeDefinedOrder column orders.
 *
 * Unlike the JavaScript writers available (see docs/parquet.md), a string column can be given a
 * FIXED dictionary: the dictionary page then holds exactly those values in that order, whatever
 * values occur — what pandas needs to rebuild an ordered categorical such as ONE's `qc`.
 *
 * The byte-level pieces come from hyparquet-writer (thrift compact protocol, RLE/bit-packing
 * hybrid); snappy is ./snappy.ts (3-4x faster on cache tables); the page and chunk layout is ours.
 */
import { loadWriterPrimitives, type WriterPrimitives } from './deps';
import { ParquetWriteError } from './errors';
import { snappyCompress } from './snappy';

export type ParquetColumnType = 'utf8' | 'date32' | 'uint16' | 'uint64' | 'bool';

export interface ParquetColumnInput {
  name: string;
  type: ParquetColumnType;
  /**
   * One value per row, `null`/`undefined` for a missing value. utf8: string; date32: days since
   * 1970-01-01 (integer); uint16: integer 0..65535; uint64: non-negative safe integer or bigint
   * below 2^64; bool: boolean.
   */
  values: ArrayLike<unknown>;
  /** utf8 only: the exact dictionary page (values, order). Every non-null value must be one of them. */
  dictionary?: readonly string[];
}

export interface EncodeParquetOptions {
  columns: ParquetColumnInput[];
  /** Footer key-value metadata, in order. */
  keyValueMetadata?: [string, string][];
  createdBy?: string;
  codec?: 'SNAPPY' | 'UNCOMPRESSED';
  /** Dictionary-encode a column only while its dictionary page stays under this many bytes (parquet-cpp: 1 MiB). */
  dictionaryPageSizeLimit?: number;
  /** Target uncompressed size of a data page (parquet-cpp: 1 MiB). */
  dataPageSize?: number;
}

// Parquet thrift enum values (parquet.thrift)
const T_BOOLEAN = 0, T_INT32 = 1, T_INT64 = 2, T_BYTE_ARRAY = 6;
const OPTIONAL = 1, REQUIRED = 0;
const CT_UTF8 = 0, CT_DATE = 6, CT_UINT_16 = 12, CT_UINT_64 = 14;
const E_PLAIN = 0, E_RLE = 3, E_RLE_DICTIONARY = 8;
const P_DATA_PAGE = 0, P_DICTIONARY_PAGE = 2;
const CODEC = { UNCOMPRESSED: 0, SNAPPY: 1 } as const;
// thrift compact protocol element types, for the fields hyparquet-writer cannot infer from a JS value
const TC_BOOLEAN_FALSE = 2, TC_BYTE = 3;
/** parquet-cpp drops min/max statistics longer than this (max_statistics_size). */
const MAX_STATISTICS_SIZE = 4096;

interface TypeInfo {
  physical: number;
  /** bytes per PLAIN value for fixed-width types */
  width: number;
  schema: (p: WriterPrimitives) => Record<string, unknown>;
  /** parquet-cpp writes the deprecated min/max fields only for signed sort orders */
  legacyStats: boolean;
}

/** SchemaElement.logicalType (field 10) = LogicalType union member INTEGER (10): IntType{bitWidth: i8, isSigned: false} */
const intLogical = (p: WriterPrimitives, bitWidth: number) =>
  ({ field_10: { field_10: new p.ThriftStruct([[1, TC_BYTE, bitWidth], [2, TC_BOOLEAN_FALSE, false]]) } });

const TYPES: Record<ParquetColumnType, TypeInfo> = {
  utf8: { physical: T_BYTE_ARRAY, width: 0, legacyStats: false, schema: () => ({ field_6: CT_UTF8, field_10: { field_1: {} } }) },
  date32: { physical: T_INT32, width: 4, legacyStats: true, schema: () => ({ field_6: CT_DATE, field_10: { field_6: {} } }) },
  uint16: { physical: T_INT32, width: 4, legacyStats: false, schema: (p) => ({ field_6: CT_UINT_16, ...intLogical(p, 16) }) },
  uint64: { physical: T_INT64, width: 8, legacyStats: false, schema: (p) => ({ field_6: CT_UINT_64, ...intLogical(p, 64) }) },
  bool: { physical: T_BOOLEAN, width: 0, legacyStats: true, schema: () => ({}) },
};

type Value = string | number | bigint | boolean;

/** Encodes one table as a complete Parquet file. */
export async function encodeParquet(options: EncodeParquetOptions): Promise<Uint8Array> {
  const p = await loadWriterPrimitives();
  const { columns, keyValueMetadata = [], createdBy = 'alf-workbench', codec = 'SNAPPY' } = options;
  if (!columns.length) throw new ParquetWriteError('a Parquet file needs at least one column');
  const numRows = columns[0].values.length;
  for (const c of columns) {
    if (c.values.length !== numRows) throw new ParquetWriteError(`column ${c.name} has ${c.values.length} values, expected ${numRows}`);
    if (!TYPES[c.type]) throw new ParquetWriteError(`column ${c.name}: unsupported type ${String(c.type)}`);
    if (c.dictionary && c.type !== 'utf8') throw new ParquetWriteError(`column ${c.name}: a fixed dictionary needs a utf8 column`);
  }
  const parts: Uint8Array[] = [MAGIC];
  let offset = MAGIC.length;
  const emit = (bytes: Uint8Array) => {
    parts.push(bytes);
    offset += bytes.length;
  };
  const chunks = columns.map((column) => writeColumnChunk(p, column, options, CODEC[codec], emit, () => offset));

  const thrift = {
    field_1: 2,
    field_2: [
      { field_3: REQUIRED, field_4: 'schema', field_5: columns.length },
      ...columns.map((c) => ({ field_1: TYPES[c.type].physical, field_3: OPTIONAL, field_4: c.name, ...TYPES[c.type].schema(p) })),
    ],
    field_3: BigInt(numRows),
    field_4: [{
      field_1: chunks.map((c) => c.thrift),
      field_2: chunks.reduce((n, c) => n + c.uncompressed, 0n),
      field_3: BigInt(numRows),
      field_5: chunks[0].start,
      field_6: chunks.reduce((n, c) => n + c.compressed, 0n),
    }],
    field_5: keyValueMetadata.length ? keyValueMetadata.map(([key, value]) => ({ field_1: key, field_2: value })) : undefined,
    field_6: createdBy,
    field_7: columns.map(() => ({ field_1: {} })), // TypeDefinedOrder
  };
  const footer = new p.ByteWriter(4096);
  p.serializeTCompactProtocol(footer, thrift);
  const footerBytes = footer.getBytes();
  emit(footerBytes);
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footerBytes.length, true);
  tail.set(MAGIC, 4);
  emit(tail);

  const out = new Uint8Array(offset);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // PAR1

interface ChunkResult {
  thrift: Record<string, unknown>;
  start: bigint;
  uncompressed: bigint;
  compressed: bigint;
}

function writeColumnChunk(
  p: WriterPrimitives,
  column: ParquetColumnInput,
  options: EncodeParquetOptions,
  codec: number,
  emit: (bytes: Uint8Array) => void,
  position: () => number,
): ChunkResult {
  const info = TYPES[column.type];
  const { defined, values } = normalize(column);
  const dict = column.type === 'bool' ? undefined : buildDictionary(column, values, options.dictionaryPageSizeLimit ?? 1 << 20);
  const stats = statistics(column, dict ? dict.used : values);

  let uncompressed = 0;
  let compressed = 0;
  /** `pageHeader`: the PageHeader fields after the sizes (data_page_header or dictionary_page_header). */
  const writePage = (type: number, pageHeader: Record<string, unknown>, body: Uint8Array) => {
    const data = codec === CODEC.SNAPPY ? snappyCompress(body) : body;
    const h = new p.ByteWriter(64);
    p.serializeTCompactProtocol(h, { field_1: type, field_2: body.length, field_3: data.length, ...pageHeader });
    const hb = h.getBytes();
    emit(hb);
    emit(data);
    uncompressed += hb.length + body.length;
    compressed += hb.length + data.length;
  };

  let dictionaryPageOffset: number | undefined;
  let bitWidth = 0;
  if (dict) {
    dictionaryPageOffset = position();
    const body = encodePlain(column.type, dict.entries, 0, dict.entries.length);
    writePage(P_DICTIONARY_PAGE, { field_7: { field_1: dict.entries.length, field_2: E_PLAIN } }, body);
    bitWidth = dict.entries.length <= 1 ? 1 : Math.ceil(Math.log2(dict.entries.length));
  }

  // Split rows into data pages of about dataPageSize uncompressed bytes.
  const pageSize = options.dataPageSize ?? 1 << 20;
  const dataPageOffset = position();
  let pages = 0;
  let row = 0;
  let valueIndex = 0;
  do {
    let end = row;
    let bytes = 0;
    let valueEnd = valueIndex;
    while (end < defined.length && (bytes < pageSize || end === row)) {
      if (defined[end]) {
        bytes += dict ? bitWidth / 8 : info.width || (column.type === 'bool' ? 1 / 8 : 4 + (values[valueEnd] as string).length);
        valueEnd++;
      }
      end++;
    }
    // v1 data page: definition levels (int32 length + RLE/bit-packed, width 1), then the values:
    // PLAIN, or the index bit width + RLE/bit-packed dictionary indices.
    const levels = new p.ByteWriter(64);
    levels.appendUint32(0);
    const levelsLength = p.writeRleBitPackedHybrid(levels, defined.subarray(row, end), 1);
    levels.view.setUint32(0, levelsLength, true); // after the write: it may have replaced levels.view
    let encoded: Uint8Array;
    if (dict) {
      const w = new p.ByteWriter(Math.ceil(bytes) + 64);
      w.appendUint8(bitWidth);
      p.writeRleBitPackedHybrid(w, dict.indices.subarray(valueIndex, valueEnd), bitWidth);
      encoded = w.getBytes();
    } else {
      encoded = encodePlain(column.type, values, valueIndex, valueEnd);
    }
    const body = new Uint8Array(levels.offset + encoded.length);
    body.set(levels.getBytes());
    body.set(encoded, levels.offset);
    writePage(P_DATA_PAGE, {
      field_5: { field_1: end - row, field_2: dict ? E_RLE_DICTIONARY : E_PLAIN, field_3: E_RLE, field_4: E_RLE },
    }, body);
    pages++;
    row = end;
    valueIndex = valueEnd;
  } while (row < defined.length);

  const start = BigInt(dictionaryPageOffset ?? dataPageOffset);
  const thrift = {
    field_2: start,
    field_3: {
      field_1: info.physical,
      field_2: dict ? [E_PLAIN, E_RLE, E_RLE_DICTIONARY] : [E_PLAIN, E_RLE],
      field_3: [column.name],
      field_4: codec,
      field_5: BigInt(defined.length),
      field_6: BigInt(uncompressed),
      field_7: BigInt(compressed),
      field_9: BigInt(dataPageOffset),
      field_11: dictionaryPageOffset === undefined ? undefined : BigInt(dictionaryPageOffset),
      field_12: statisticsThrift(column.type, stats, defined.length - values.length),
      field_13: [
        ...(dict ? [{ field_1: P_DICTIONARY_PAGE, field_2: E_PLAIN, field_3: 1 }] : []),
        { field_1: P_DATA_PAGE, field_2: dict ? E_RLE_DICTIONARY : E_PLAIN, field_3: pages },
      ],
    },
  };
  return { thrift, start, uncompressed: BigInt(uncompressed), compressed: BigInt(compressed) };
}

/**
 * Definition levels (1 = present) and the present values, checked and normalised. One loop per
 * type: a switch inside the loop made this the writer's hottest function on large tables.
 */
function normalize(column: ParquetColumnInput): { defined: Uint8Array; values: Value[] } {
  const n = column.values.length;
  const defined = new Uint8Array(n);
  const src = column.values;
  const bad = (i: number, want: string): never => {
    const v = src[i];
    throw new ParquetWriteError(`column ${column.name}, row ${i}: expected ${want}, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  };
  const present = (check: (v: unknown, i: number) => Value): Value[] => {
    const values: Value[] = [];
    for (let i = 0; i < n; i++) {
      const v = src[i];
      if (v === null || v === undefined) continue;
      values.push(check(v, i));
      defined[i] = 1;
    }
    return values;
  };
  switch (column.type) {
    case 'utf8':
      return { defined, values: present((v, i) => (typeof v === 'string' ? v : bad(i, 'a string'))) };
    case 'bool':
      return { defined, values: present((v, i) => (typeof v === 'boolean' ? v : bad(i, 'a boolean'))) };
    case 'date32':
      return {
        defined,
        values: present((v, i) =>
          typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : bad(i, 'a day number (int32)'),
        ),
      };
    case 'uint16':
      return {
        defined,
        values: present((v, i) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : bad(i, 'an integer 0..65535'))),
      };
    case 'uint64':
      return {
        defined,
        values: present((v, i) => {
          if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : bad(i, 'a non-negative integer');
          if (typeof v === 'bigint') {
            if (v < 0n || v >= 1n << 64n) bad(i, 'an integer 0..2^64-1');
            return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
          }
          return bad(i, 'a non-negative integer');
        }),
      };
  }
}

interface Dictionary {
  entries: Value[];
  /** dictionary index of each present value */
  indices: Uint32Array;
  /** the entries that occur, for statistics */
  used: Value[];
}

function buildDictionary(column: ParquetColumnInput, values: Value[], limit: number): Dictionary | undefined {
  const indices = new Uint32Array(values.length);
  if (column.dictionary) {
    const index = new Map<Value, number>(column.dictionary.map((v, i) => [v, i]));
    if (index.size !== column.dictionary.length) throw new ParquetWriteError(`column ${column.name}: the fixed dictionary has duplicates`);
    const seen = new Uint8Array(column.dictionary.length);
    for (let i = 0; i < values.length; i++) {
      const k = index.get(values[i]);
      if (k === undefined) {
        throw new ParquetWriteError(`column ${column.name}: ${JSON.stringify(values[i])} is not one of ${column.dictionary.join(', ')}`);
      }
      indices[i] = k;
      seen[k] = 1;
    }
    return { entries: [...column.dictionary], indices, used: column.dictionary.filter((_, i) => seen[i]) };
  }
  if (!values.length) return undefined;
  const fixed = TYPES[column.type].width;
  if (likelyOverLimit(values, fixed, limit)) return undefined;
  const index = new Map<Value, number>();
  const entries: Value[] = [];
  let bytes = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let k = index.get(v);
    if (k === undefined) {
      k = entries.length;
      index.set(v, k);
      entries.push(v);
      bytes += fixed || 4 + (v as string).length;
      if (bytes > limit) return undefined; // parquet-cpp falls back to PLAIN past the dictionary page limit
    }
    indices[i] = k;
  }
  return { entries, indices, used: entries };
}

/**
 * Whether the dictionary is bound to pass the limit (ids, hashes: nearly every value distinct),
 * judged from the first values, which saves building most of it before falling back to PLAIN.
 * A prefix, not a spread sample: rows come grouped (by session), so a spread sample would take
 * a repeated value such as `eid` for a distinct one.
 */
function likelyOverLimit(values: Value[], fixed: number, limit: number): boolean {
  const sample = Math.min(values.length, 1024);
  const seen = new Set<Value>();
  let bytes = 0;
  for (let i = 0; i < sample; i++) {
    bytes += fixed || 4 + (values[i] as string).length;
    seen.add(values[i]);
  }
  return seen.size > 0.9 * sample && (bytes / sample) * values.length > 2 * limit;
}

const textEncoder = new TextEncoder();

/** PLAIN encoding of values[start, end). */
function encodePlain(type: ParquetColumnType, values: Value[], start: number, end: number): Uint8Array {
  const n = end - start;
  switch (type) {
    case 'utf8': {
      let max = 0;
      for (let i = start; i < end; i++) max += 4 + 3 * (values[i] as string).length;
      const out = new Uint8Array(max);
      const view = new DataView(out.buffer);
      let at = 0;
      for (let i = start; i < end; i++) {
        const { written } = textEncoder.encodeInto(values[i] as string, out.subarray(at + 4));
        view.setUint32(at, written, true);
        at += 4 + written;
      }
      return out.subarray(0, at);
    }
    case 'date32':
    case 'uint16': {
      const out = new Uint8Array(4 * n);
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) view.setInt32(4 * i, values[start + i] as number, true);
      return out;
    }
    case 'uint64': {
      const out = new Uint8Array(8 * n);
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) {
        const v = values[start + i];
        if (typeof v === 'bigint') view.setBigUint64(8 * i, v, true);
        else {
          view.setUint32(8 * i, (v as number) % 0x100000000, true);
          view.setUint32(8 * i + 4, Math.floor((v as number) / 0x100000000), true);
        }
      }
      return out;
    }
    case 'bool': {
      const out = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if (values[start + i]) out[i >> 3] |= 1 << (i & 7);
      return out;
    }
  }
}

/** Compares strings in UTF-8 byte order (= code point order), as Parquet orders BYTE_ARRAY statistics. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 puts surrogates (code points >= U+10000) below U+E000..U+FFFF; UTF-8 does not.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

function compare(type: ParquetColumnType, a: Value, b: Value): number {
  if (type === 'utf8') return compareUtf8(a as string, b as string);
  if (type === 'bool') return Number(a) - Number(b);
  // numbers and (for uint64 above 2^53) bigints compare correctly with < across the two types
  return a < b ? -1 : a > b ? 1 : 0;
}

function statistics(column: ParquetColumnInput, values: Value[]): { min: Value; max: Value } | undefined {
  if (!values.length) return undefined;
  let min = values[0];
  let max = values[0];
  for (let i = 1; i < values.length; i++) {
    const v = values[i];
    if (compare(column.type, v, min) < 0) min = v;
    else if (compare(column.type, v, max) > 0) max = v;
  }
  return { min, max };
}

function statisticsThrift(type: ParquetColumnType, stats: { min: Value; max: Value } | undefined, nulls: number): Record<string, unknown> {
  const base = { field_3: BigInt(nulls) };
  if (!stats) return base;
  const max = encodePlainStat(type, stats.max);
  const min = encodePlainStat(type, stats.min);
  if (max.length > MAX_STATISTICS_SIZE || min.length > MAX_STATISTICS_SIZE) return base;
  const legacy = TYPES[type].legacyStats;
  return {
    field_1: legacy ? max : undefined,
    field_2: legacy ? min : undefined,
    ...base,
    field_5: max,
    field_6: min,
    field_7: true,
    field_8: true,
  };
}

function encodePlainStat(type: ParquetColumnType, v: Value): Uint8Array {
  if (type === 'utf8') return textEncoder.encode(v as string);
  if (type === 'bool') return new Uint8Array([v ? 1 : 0]);
  return encodePlain(type, [v], 0, 1);
}

/**
 * Reading any Parquet file with hyparquet (+ hyparquet-compressors: gzip, brotli, zstd, lz4 and a
 * WebAssembly snappy), with plain JavaScript values and errors that name the file.
 *
 * Values: strings as strings, INT64/UINT64 as numbers while safe (else bigint), DATE as
 * 'yyyy-mm-dd', booleans, other integers and floats as numbers, dictionary columns as their
 * values, timestamps as Date, nulls as null.
 */
import { readFile } from 'node:fs/promises';
import { loadCompressors, loadHyparquet, type FileMetaData, type SchemaElement, type SchemaTree } from './deps';
import { ParquetReadError } from './errors';
import { errorMessage } from '../util/errors';

export interface ParquetColumnInfo {
  /** Top-level column name. */
  name: string;
  /**
   * The column's type, Arrow-style: utf8, binary, bool, int8..int64, uint8..uint64, float32,
   * float64, date32, timestamp[ms|us|ns], decimal(p,s), fixed_size_binary[n], json, uuid,
   * int96, list, map, struct.
   */
  type: string;
  /** The Parquet physical type (BYTE_ARRAY, INT64, …); undefined for a nested column. */
  physicalType?: string;
  nullable: boolean;
}

export interface ParquetColumns {
  numRows: number;
  columns: ParquetColumnInfo[];
  /** Column name → one value per row. */
  data: Record<string, unknown[]>;
  /** Footer key-value metadata. */
  metadata: Record<string, string>;
}

export interface ParquetTable {
  rows: Record<string, unknown>[];
  metadata: Record<string, string>;
  columns: ParquetColumnInfo[];
}

export interface ReadParquetOptions {
  /** Only these columns (those absent from the file are ignored). */
  columns?: string[];
  /** Appended to error messages: what the user can do, e.g. 'rebuild the cache'. */
  hint?: string;
}

/** Reads a whole Parquet file into row objects. */
export async function readParquet(path: string, options: ReadParquetOptions = {}): Promise<ParquetTable> {
  const { numRows, columns, data, metadata } = await readParquetColumns(path, options);
  const names = columns.map((c) => c.name);
  const arrays = names.map((n) => data[n]);
  const rows = new Array<Record<string, unknown>>(numRows);
  for (let i = 0; i < numRows; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c]] = arrays[c][i];
    rows[i] = row;
  }
  return { rows, metadata, columns };
}

/** Reads a whole Parquet file column by column (cheaper than rows for large tables). */
export async function readParquetColumns(path: string, options: ReadParquetOptions = {}): Promise<ParquetColumns> {
  const { hint } = options;
  const fail = (code: ParquetReadError['code'], reason: string) => new ParquetReadError(path, code, reason, hint);
  const file = await readParquetBytes(path, hint);
  const hp = await loadHyparquet();

  let metadata: FileMetaData;
  try {
    metadata = hp.parquetMetadata(file);
  } catch (e) {
    throw fail('corrupt', `corrupt Parquet metadata (${messageOf(e)})`);
  }
  const numRows = Number(metadata.num_rows);
  const tree = hp.parquetSchema(metadata);
  const wanted = options.columns ? new Set(options.columns) : undefined;
  const selected = tree.children.filter((c) => !wanted || wanted.has(c.element.name));
  const columns = selected.map(describeParquetColumn);
  const data: Record<string, unknown[]> = {};

  if (selected.length && numRows > 0) {
    const converters = new Map(selected.map((c) => [c.element.name, converterFor(c.element)]));
    try {
      await hp.parquetRead({
        file,
        metadata,
        columns: selected.map((c) => c.element.name),
        // all codecs; also a WebAssembly snappy decoder, ~20% faster than hyparquet's own on cache tables
        compressors: await loadCompressors(),
        parsers: { dateFromDays: daysToIsoDate },
        onChunk: ({ columnName, columnData, rowStart }) => {
          const convert = converters.get(columnName);
          if (!convert) return;
          if (rowStart === 0 && columnData.length === numRows && Array.isArray(columnData)) {
            // the usual case, one row group: convert in place rather than copy
            for (let i = 0; i < columnData.length; i++) columnData[i] = convert(columnData[i]);
            data[columnName] = columnData;
            return;
          }
          const out = (data[columnName] ??= new Array(numRows).fill(null));
          for (let i = 0; i < columnData.length; i++) out[rowStart + i] = convert(columnData[i]);
        },
      });
    } catch (e) {
      throw fail('corrupt', `corrupt Parquet data (${messageOf(e)})`);
    }
  }

  for (const c of selected) data[c.element.name] ??= new Array(numRows).fill(null);
  const kv: Record<string, string> = {};
  for (const { key, value } of metadata.key_value_metadata ?? []) kv[key] = value ?? '';
  return { numRows, columns, data, metadata: kv };
}

const MAGIC = 0x31524150; // 'PAR1' little-endian
const MAGIC_ENCRYPTED = 0x45524150; // 'PARE'

/** The file's bytes, after checking it looks like a complete Parquet file. */
async function readParquetBytes(path: string, hint?: string): Promise<ArrayBuffer> {
  const fail = (code: ParquetReadError['code'], reason: string) => new ParquetReadError(path, code, reason, hint);
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail('not-found', 'file not found');
    if (code === 'EISDIR') throw fail('not-a-file', 'is a folder, not a Parquet file');
    if (code === 'EACCES' || code === 'EPERM') throw fail('unreadable', 'permission denied');
    throw fail('unreadable', `cannot read the file (${code ?? messageOf(e)})`);
  }
  const n = buf.length;
  if (n === 0) throw fail('not-parquet', 'empty file (0 bytes), not a Parquet file');
  if (n < 4 || buf.readUInt32LE(0) !== MAGIC) throw fail('not-parquet', 'not a Parquet file (no PAR1 magic)');
  const tail = n >= 8 ? buf.readUInt32LE(n - 4) : 0;
  if (tail === MAGIC_ENCRYPTED) throw fail('unsupported', 'encrypted Parquet files are not supported');
  if (n < 12 || tail !== MAGIC) throw fail('truncated', `truncated Parquet file (${n} bytes, no PAR1 at the end)`);
  const metadataLength = buf.readUInt32LE(n - 8);
  if (metadataLength === 0 || metadataLength > n - 12) throw fail('truncated', `truncated or corrupt Parquet file (footer length ${metadataLength} in a ${n}-byte file)`);
  return buf.byteOffset === 0 && buf.buffer.byteLength === n ? (buf.buffer as ArrayBuffer) : (buf.buffer.slice(buf.byteOffset, buf.byteOffset + n) as ArrayBuffer);
}

function messageOf(e: unknown): string {
  return errorMessage(e);
}

/** 'yyyy-mm-dd' for days since 1970-01-01. */
export function daysToIsoDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

function bigintToNumber(v: unknown): unknown {
  if (typeof v === 'bigint') return v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v;
  return v === undefined ? null : v;
}

function nullish(v: unknown): unknown {
  return v === undefined ? null : v;
}

function converterFor(element: SchemaElement): (v: unknown) => unknown {
  return element.type === 'INT64' && !isTimestamp(element) ? bigintToNumber : nullish;
}

function isTimestamp(e: SchemaElement): boolean {
  return e.converted_type === 'TIMESTAMP_MILLIS' || e.converted_type === 'TIMESTAMP_MICROS' || e.logical_type?.type === 'TIMESTAMP';
}

/** A schema node as ParquetColumnInfo (name, Arrow-style type, physical type, nullability). */
export function describeParquetColumn(node: SchemaTree): ParquetColumnInfo {
  const e = node.element;
  return {
    name: e.name,
    type: describeType(node),
    physicalType: e.type,
    nullable: e.repetition_type !== 'REQUIRED',
  };
}

function describeType(node: SchemaTree): string {
  const e = node.element;
  const lt = e.logical_type;
  const ct = e.converted_type;
  if (node.children.length) {
    if (lt?.type === 'LIST' || ct === 'LIST' || e.repetition_type === 'REPEATED') return 'list';
    if (lt?.type === 'MAP' || ct === 'MAP' || ct === 'MAP_KEY_VALUE') return 'map';
    return 'struct';
  }
  if (lt?.type === 'STRING' || lt?.type === 'ENUM' || ct === 'UTF8' || ct === 'ENUM') return 'utf8';
  if (lt?.type === 'DATE' || ct === 'DATE') return 'date32';
  if (lt?.type === 'INTEGER') return `${lt.isSigned ? 'int' : 'uint'}${lt.bitWidth}`;
  if (ct && /^U?INT_\d+$/.test(ct)) return ct.replace('_', '').toLowerCase();
  if (lt?.type === 'TIMESTAMP') return `timestamp[${({ MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' } as Record<string, string>)[lt.unit] ?? lt.unit}]`;
  if (ct === 'TIMESTAMP_MILLIS') return 'timestamp[ms]';
  if (ct === 'TIMESTAMP_MICROS') return 'timestamp[us]';
  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') return `decimal(${e.precision ?? '?'},${e.scale ?? 0})`;
  if (lt?.type === 'JSON' || ct === 'JSON') return 'json';
  if (lt?.type === 'UUID') return 'uuid';
  switch (e.type) {
    case 'BOOLEAN': return 'bool';
    case 'INT32': return 'int32';
    case 'INT64': return 'int64';
    case 'INT96': return 'int96';
    case 'FLOAT': return 'float32';
    case 'DOUBLE': return 'float64';
    case 'BYTE_ARRAY': return 'binary';
    case 'FIXED_LEN_BYTE_ARRAY': return `fixed_size_binary[${e.type_length ?? '?'}]`;
    default: return String(e.type ?? 'unknown');
  }
}

/** The viewer's name for describeParquetColumn. */
export const describeColumn = describeParquetColumn;

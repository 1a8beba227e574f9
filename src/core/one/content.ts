/**
 * A dataset file's content, by extension, as ONE's `alfio.load_file_content` gives it: `.npy` as
 * an array (an (n, 1) array flattened to (n,), like ONE's `_ensure_flat`), `.json` parsed, `.pqt`
 * as columns; an empty file as nothing; other formats (csv, tsv, jsonable, yaml, npz, video…)
 * are not read here and come back as their path, as ONE does for formats it does not know.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { NpyArray, NpyDtype, NpyDtypeName, NpyTypedArray } from '../npy';
import { type DecodeOptions, readNpy } from '../npy';
import { readParquetColumns } from '../parquet';
import { OneError } from './errors';
import { errorMessage } from '../util/errors';

export type DatasetContent =
  | { kind: 'npy'; path: string; array: NpyArray }
  | { kind: 'json'; path: string; value: unknown }
  /** Numeric and boolean columns as arrays; other columns (strings…) as plain values. */
  | { kind: 'table'; path: string; columns: Record<string, NpyArray>; otherColumns: Record<string, unknown[]> }
  /** A 0-byte file (ONE returns None). */
  | { kind: 'empty'; path: string }
  /** A format not read here. */
  | { kind: 'file'; path: string };

export async function loadFileContent(file: string, options: DecodeOptions = {}): Promise<DatasetContent> {
  const st = await fs.stat(file);
  if (st.size === 0) return { kind: 'empty', path: file };
  const ext = path.extname(file);
  if (ext === '.npy') return { kind: 'npy', path: file, array: ensureFlat(await readNpy(file, options)) };
  if (ext === '.json') {
    const text = await fs.readFile(file, 'utf8');
    try {
      return { kind: 'json', path: file, value: JSON.parse(text) as unknown };
    } catch (e) {
      throw new OneError('unreadable', `${file}: not valid JSON (${errorMessage(e)}) — fix or regenerate the file`);
    }
  }
  if (ext === '.pqt') return loadTable(file);
  return { kind: 'file', path: file };
}

/** (n, 1) → (n,): MATLAB-style column vectors, as ONE flattens them. */
function ensureFlat(a: NpyArray): NpyArray {
  return a.shape.length === 2 && a.shape[1] === 1 ? { ...a, shape: [a.shape[0] as number] } : a;
}

const DTYPES: Record<string, [NpyDtypeName, string, NpyDtype['kind'], number]> = {
  float64: ['float64', '<f8', 'f', 8],
  float32: ['float32', '<f4', 'f', 4],
  int8: ['int8', '|i1', 'i', 1],
  int16: ['int16', '<i2', 'i', 2],
  int32: ['int32', '<i4', 'i', 4],
  int64: ['int64', '<i8', 'i', 8],
  uint8: ['uint8', '|u1', 'u', 1],
  uint16: ['uint16', '<u2', 'u', 2],
  uint32: ['uint32', '<u4', 'u', 4],
  uint64: ['uint64', '<u8', 'u', 8],
  bool: ['bool', '|b1', 'b', 1],
};

function dtypeOf(type: string): NpyDtype | undefined {
  const d = DTYPES[type];
  return d && { name: d[0], descr: d[1], kind: d[2], itemSize: d[3], littleEndian: true };
}

async function loadTable(file: string): Promise<DatasetContent> {
  const t = await readParquetColumns(file, { hint: 'regenerate the table' });
  const columns: Record<string, NpyArray> = {};
  const otherColumns: Record<string, unknown[]> = {};
  for (const info of t.columns) {
    const values = t.data[info.name] ?? [];
    const array = toArray(info.type, values);
    if (array) columns[info.name] = array;
    else otherColumns[info.name] = values;
  }
  return { kind: 'table', path: file, columns, otherColumns };
}

const NUMERIC = { float32: Float32Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array };

/** A numeric/bool column as an array; integers with nulls become float64 with NaN, as pandas does. */
function toArray(type: string, values: unknown[]): NpyArray | undefined {
  let dtype = dtypeOf(type);
  if (!dtype) return undefined;
  const n = values.length;
  const hasNull = values.some((v) => v === null || v === undefined);
  if (hasNull && dtype.kind !== 'f') dtype = dtypeOf('float64') as NpyDtype;
  let data: NpyTypedArray;
  switch (dtype.name) {
    case 'int64':
      data = BigInt64Array.from(values, (v) => BigInt(v as bigint | number));
      break;
    case 'uint64':
      data = BigUint64Array.from(values, (v) => BigInt(v as bigint | number));
      break;
    case 'bool':
      data = Uint8Array.from(values, (v) => (v ? 1 : 0));
      break;
    default: {
      const numbers = Float64Array.from(values, (v) => (v === null || v === undefined ? NaN : Number(v)));
      data = dtype.name === 'float64' ? numbers : new NUMERIC[dtype.name as keyof typeof NUMERIC](numbers);
    }
  }
  return { dtype, shape: [n], data };
}

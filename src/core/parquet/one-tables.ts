/**
 * ONE's cache tables (`sessions.pqt`, `datasets.pqt`) in the exact format Python ONE 3.4.2 writes
 * through pandas + pyarrow (see ../shared/docs/one-cache-format.md): column order (data columns,
 * then the index columns), Parquet and Arrow types, and the footer key-value metadata
 * `one_metadata`, `pandas` and `ARROW:schema`, in that order.
 */
import { QC_NAMES, type CacheMetadata, type DatasetRow, type SessionRow } from '../cache/types';
import { encodeArrowSchema, type ArrowType } from './arrow-schema';
import { ParquetWriteError } from './errors';
import { pythonJsonDumps } from './python-json';
import { encodeParquet, type ParquetColumnType } from './writer';
import { version } from '../../../package.json';

export type OneTableName = 'sessions' | 'datasets';

interface OneColumn<Row> {
  name: string;
  parquet: ParquetColumnType;
  arrow: ArrowType;
  /** pandas metadata: pandas_type, numpy_type, metadata */
  pandas: [string, string, Record<string, unknown> | null];
  /** the column's value for a row; throws on a value ONE cannot hold */
  value: (row: Row) => unknown;
  dictionary?: readonly string[];
}

const UTF8: ArrowType = { type: 'utf8' };
const unicode: OneColumn<unknown>['pandas'] = ['unicode', 'object', null];

function str<Row>(name: keyof Row & string): OneColumn<Row> {
  return { name, parquet: 'utf8', arrow: UTF8, pandas: unicode, value: (row) => requireType(row, name, 'string') };
}

export const SESSIONS_COLUMNS: readonly OneColumn<SessionRow>[] = [
  str('lab'),
  str('subject'),
  {
    name: 'date', parquet: 'date32', arrow: { type: 'date32' }, pandas: ['date', 'object', null],
    value: (row) => {
      const days = isoDateToDays(requireType(row, 'date', 'string') as string);
      if (days === undefined) throw new ParquetWriteError(`date ${JSON.stringify(row.date)} is not a valid yyyy-mm-dd date`);
      return days;
    },
  },
  {
    name: 'number', parquet: 'uint16', arrow: { type: 'int', bitWidth: 16, signed: false }, pandas: ['uint16', 'uint16', null],
    value: (row) => {
      const n = requireType(row, 'number', 'number');
      if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > 65535) throw new ParquetWriteError(`number ${String(n)} is not an integer 0..65535`);
      return n;
    },
  },
  str('task_protocol'),
  str('projects'),
  str('id'),
];

export const DATASETS_COLUMNS: readonly OneColumn<DatasetRow>[] = [
  str('rel_path'),
  {
    name: 'file_size', parquet: 'uint64', arrow: { type: 'int', bitWidth: 64, signed: false }, pandas: ['uint64', 'UInt64', null],
    value: (row) => {
      const v = row.file_size;
      if (v === null || v === undefined) return null;
      if (!Number.isSafeInteger(v) || v < 0) throw new ParquetWriteError(`file_size ${String(v)} is not a non-negative integer`);
      return v;
    },
  },
  {
    name: 'hash', parquet: 'utf8', arrow: UTF8, pandas: unicode,
    value: (row) => (row.hash === null || row.hash === undefined ? null : requireType(row, 'hash', 'string')),
  },
  { name: 'exists', parquet: 'bool', arrow: { type: 'bool' }, pandas: ['bool', 'bool', null], value: (row) => requireType(row, 'exists', 'boolean') },
  {
    name: 'qc', parquet: 'utf8', dictionary: QC_NAMES,
    arrow: { type: 'dictionary-utf8', indexBitWidth: 8, ordered: true },
    pandas: ['categorical', 'int8', { num_categories: QC_NAMES.length, ordered: true }],
    value: (row) => {
      if (!(QC_NAMES as readonly unknown[]).includes(row.qc)) throw new ParquetWriteError(`qc ${JSON.stringify(row.qc)} is not one of ${QC_NAMES.join(', ')}`);
      return row.qc;
    },
  },
  str('eid'),
  str('id'),
];

export const INDEX_COLUMNS: Record<OneTableName, readonly string[]> = { sessions: ['id'], datasets: ['eid', 'id'] };

/** The pandas version whose metadata layout we reproduce (that of the ONE 3.4.2 reference tables); no reader uses it. */
const PANDAS_VERSION = '2.2.3';

export interface OneTableOptions {
  /** Parquet `created_by` and the pandas metadata `creator`. */
  creator?: { library: string; version: string };
  /** Key-value metadata after ONE's three (ONE and pyarrow ignore keys they do not know). */
  extraKeyValues?: ReadonlyArray<readonly [string, string]>;
}

function requireType(row: unknown, key: string, type: 'string' | 'number' | 'boolean'): unknown {
  const v = (row as Record<string, unknown>)[key];
  if (typeof v !== type) {
    throw new ParquetWriteError(v === null || v === undefined ? `${key} is missing` : `${key} ${JSON.stringify(v)} is not a ${type}`);
  }
  return v;
}

/** Days since 1970-01-01 for a valid `yyyy-mm-dd` date, else undefined. */
export function isoDateToDays(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t / 86_400_000;
}

/** `datetime.now().isoformat(sep=' ', timespec='minutes')`: local time, `YYYY-MM-DD HH:MM`, as ONE writes `date_created`. */
export function formatDateCreated(date: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(date.getFullYear(), 4)}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}`;
}

/** The `one_metadata` value: `json.dumps(metadata)`. ONE's load_tables skips a table without `date_created`. */
export function oneMetadataJson(metadata: CacheMetadata): string {
  if (!metadata || typeof metadata.date_created !== 'string' || !metadata.date_created) {
    throw new ParquetWriteError('cache metadata needs a date_created string (ONE skips tables without it)');
  }
  return pythonJsonDumps(metadata);
}

/** The `pandas` value pyarrow's `Table.from_pandas` writes for this table. */
export function pandasMetadataJson(table: OneTableName, options: OneTableOptions = {}): string {
  const columns: readonly OneColumn<never>[] = table === 'sessions' ? SESSIONS_COLUMNS : DATASETS_COLUMNS;
  return pythonJsonDumps({
    index_columns: INDEX_COLUMNS[table],
    column_indexes: [{ name: null, field_name: null, pandas_type: 'unicode', numpy_type: 'object', metadata: { encoding: 'UTF-8' } }],
    columns: columns.map((c) => ({ name: c.name, field_name: c.name, pandas_type: c.pandas[0], numpy_type: c.pandas[1], metadata: c.pandas[2] })),
    attributes: {},
    creator: options.creator ?? DEFAULT_CREATOR,
    pandas_version: PANDAS_VERSION,
  });
}

const DEFAULT_CREATOR = { library: 'alf-workbench', version };

/** Encodes `sessions.pqt` (rows in the order given). */
export function encodeSessionsTable(rows: readonly SessionRow[], metadata: CacheMetadata, options?: OneTableOptions): Promise<Uint8Array> {
  return encodeOneTable('sessions', SESSIONS_COLUMNS, rows, metadata, options);
}

/** Encodes `datasets.pqt` (rows in the order given). The `qc` dictionary page always holds all five QC names in QC order. */
export function encodeDatasetsTable(rows: readonly DatasetRow[], metadata: CacheMetadata, options?: OneTableOptions): Promise<Uint8Array> {
  return encodeOneTable('datasets', DATASETS_COLUMNS, rows, metadata, options);
}

async function encodeOneTable<Row extends SessionRow | DatasetRow>(
  table: OneTableName,
  columns: readonly OneColumn<Row>[],
  rows: readonly Row[],
  metadata: CacheMetadata,
  options: OneTableOptions = {},
): Promise<Uint8Array> {
  const values = columns.map(() => new Array<unknown>(rows.length));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let c = 0; c < columns.length; c++) {
      try {
        values[c][i] = columns[c].value(row);
      } catch (e) {
        const key = table === 'sessions' ? `id ${(row as SessionRow)?.id}` : `eid ${(row as DatasetRow)?.eid}, rel_path ${(row as DatasetRow)?.rel_path}`;
        throw new ParquetWriteError(`${table} row ${i} (${key}): ${(e as Error).message}`);
      }
    }
  }
  const kv: [string, string][] = [
    ['one_metadata', oneMetadataJson(metadata)],
    ['pandas', pandasMetadataJson(table, options)],
  ];
  const arrowSchema = encodeArrowSchema(columns.map((c) => ({ name: c.name, type: c.arrow, nullable: true })), kv);
  const creator = options.creator ?? DEFAULT_CREATOR;
  return encodeParquet({
    columns: columns.map((c, i) => ({ name: c.name, type: c.parquet, values: values[i], dictionary: c.dictionary })),
    keyValueMetadata: [...kv, ['ARROW:schema', arrowSchema], ...(options.extraKeyValues ?? []).map(([k, v]): [string, string] => [k, v])],
    createdBy: `${creator.library} version ${creator.version}`,
  });
}

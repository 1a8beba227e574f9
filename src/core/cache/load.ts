/**
 * Loads ONE's cache tables from a folder: tables written by current ONE/pyarrow, by us, and by
 * ONE's older layout (int64 UUID halves `id_0/id_1`, `eid_0/eid_1`; `project`; `session_path`;
 * float `file_size`; no `qc`), which is upgraded in memory the way ONE's `patch_tables` does.
 *
 * Rows come back in file order. Extra columns (e.g. those of Alyx-made caches) are ignored.
 */
import path from 'node:path';
import { ParquetReadError } from '../parquet/errors';
import { daysToIsoDate, readParquetColumns, type ParquetColumns } from '../parquet/read';
import { readParquetTyped, TypedReadUnsupported, type LazyColumn, type StringColumn, type TypedTable } from '../parquet/read-typed';
import { type DatasetStore, QC_NUMBER, qcName, storeFromRows } from './dataset-store';
import { DATASETS_FILE, MixedCacheTablesError, SESSIONS_FILE, WRITE_ID_KEY, recoverCacheTables } from './table-pair';
import { type ColumnKind, checkColumnKinds } from './column-types';
import { QC_NAMES, type CacheMetadata, type DatasetRow, type QcName, type SessionRow } from './types';

export interface LoadedCache {
  sessions: SessionRow[];
  datasets: DatasetRow[];
  /** Each table's `one_metadata`; null when it is missing or has no `date_created` (ONE skips such a table). */
  metadata: { sessions: CacheMetadata | null; datasets: CacheMetadata | null };
  /** True when a table was in an older layout and was converted in memory. */
  upgraded: boolean;
  /** What the upgrade changed, one line each (empty when `upgraded` is false). */
  upgrades: string[];
  /** One line when a write killed part-way was found and undone before reading (see recoverCacheTables). */
  recovered: string | null;
  /** The datasets table has Alyx's `default_revision` column (each row then has `default_revision`). */
  hasDefaultRevision: boolean;
}

const SESSION_COLUMNS = ['id', 'id_0', 'id_1', 'lab', 'subject', 'date', 'number', 'task_protocol', 'projects', 'project'];
const DATASET_COLUMNS = ['eid', 'eid_0', 'eid_1', 'id', 'id_0', 'id_1', 'rel_path', 'file_size', 'hash', 'exists', 'qc', 'default_revision'];

/** Like LoadedCache, with the datasets table held column by column (see DatasetStore). */
export interface LoadedCacheTables extends Omit<LoadedCache, 'datasets'> {
  datasets: DatasetStore;
  /**
   * The sessions' text columns as the reader decoded them (codes parallel to `sessions`; a value
   * may have several codes), so an index need not intern 100,000 strings again. Absent when the
   * table was read the general way.
   */
  sessionCodes?: SessionCodes;
}

/** Text columns of the sessions table as codes into values (null read as ''). */
export type SessionCodes = Record<'lab' | 'subject' | 'date' | 'task_protocol' | 'projects', { codes: Int32Array; values: readonly string[] }>;

/**
 * Reads both tables, every row in memory (for an Alyx-size cache that is ~1 GB: OneLocal reads
 * loadCacheTables instead). The rows are made now, so rewriting the files afterwards is safe.
 */
export async function loadCache(dir: string): Promise<LoadedCache> {
  const { datasets: store, ...rest } = await loadCacheTables(dir);
  return { ...rest, datasets: store.rows(Int32Array.from({ length: store.length }, (_, i) => i)) };
}

/**
 * Reads both tables for searching and listing: the sessions as rows, the datasets as a
 * DatasetStore that decodes only the columns a search needs now and the others a page at a time
 * when rows are read. Tables in an older layout, or that the typed reader does not decode, are
 * read the general way and upgraded as loadCache describes.
 */
export async function loadCacheTables(dir: string): Promise<LoadedCacheTables> {
  const recovered = await recoverCacheTables(dir);
  const sessionsFile = path.join(dir, SESSIONS_FILE);
  const datasetsFile = path.join(dir, DATASETS_FILE);
  const [s, d] = await Promise.all([readTyped(sessionsFile, TYPED_SESSION_COLUMNS, []), readTyped(datasetsFile, TYPED_DATASET_EAGER, TYPED_DATASET_LAZY)]);
  const sMeta = s?.metadata ?? null;
  const dMeta = d?.metadata ?? null;
  const upgrades: string[] = [];
  let sessions: SessionRow[];
  let datasets: DatasetStore;
  let sessionMetadata: Record<string, string>;
  let datasetMetadata: Record<string, string>;
  // a table the typed reader declined is read (and upgraded, or refused with a reason) the general way
  const sTyped = s && typedSessions(s);
  let sessionCodes: SessionCodes | undefined;
  if (sTyped) {
    sessions = sTyped.rows;
    sessionCodes = sTyped.codes;
    sessionMetadata = sMeta as Record<string, string>;
  } else {
    const t = await readTable(sessionsFile, SESSION_COLUMNS);
    sessions = toSessions(t, upgrades);
    sessionMetadata = t.table.metadata;
  }
  const dTyped = d && typedDatasets(d, upgrades);
  if (dTyped) {
    datasets = dTyped;
    datasetMetadata = dMeta as Record<string, string>;
  } else {
    const t = await readTable(datasetsFile, DATASET_COLUMNS);
    datasets = storeFromRows(toDatasets(t, upgrades), t.table.data.default_revision !== undefined);
    datasetMetadata = t.table.metadata;
  }
  const ids = [sessionMetadata[WRITE_ID_KEY], datasetMetadata[WRITE_ID_KEY]];
  if (ids[0] && ids[1] && ids[0] !== ids[1]) {
    // Not an interrupted write of ours (that is undone above): tables copied or replaced one at a time.
    throw new MixedCacheTablesError(
      `${sessionsFile} and ${DATASETS_FILE} were not written together (writes ${ids[0]} and ${ids[1]}): rebuild the cache${originHint(sessionMetadata.one_metadata)}`,
    );
  }
  return {
    sessions,
    ...(sessionCodes ? { sessionCodes } : {}),
    datasets,
    metadata: { sessions: parseOneMetadata(sessionMetadata.one_metadata), datasets: parseOneMetadata(datasetMetadata.one_metadata) },
    upgraded: upgrades.length > 0,
    upgrades,
    recovered,
    hasDefaultRevision: datasets.hasDefaultRevision,
  };
}

const TYPED_SESSION_COLUMNS = ['id', 'lab', 'subject', 'date', 'number', 'task_protocol', 'projects'];
// default_revision is one bit a row and listing needs it, so it is read with the others at open
const TYPED_DATASET_EAGER = ['eid', 'rel_path', 'qc', 'exists', 'default_revision'];
const TYPED_DATASET_LAZY = ['id', 'file_size', 'hash'];

/** The typed read, or null when the file needs the general reader (older layout, other types or encodings). */
async function readTyped(file: string, columns: string[], lazyColumns: string[]): Promise<TypedTable | null> {
  try {
    return await readParquetTyped(file, { columns, lazyColumns, hint: 'rebuild the cache' });
  } catch (e) {
    if (e instanceof TypedReadUnsupported) return null;
    if (e instanceof ParquetReadError && e.code === 'not-found') throw new ParquetReadError(file, e.code, 'cache table not found', 'build the cache first');
    if (e instanceof ParquetReadError && e.code !== 'corrupt') throw e;
    return null; // the general reader gives its own, fuller, account of a damaged file
  }
}

const typeOf = (t: TypedTable, name: string): string | undefined => t.columns.find((c) => c.name === name)?.type;
const isText = (t: TypedTable, name: string): boolean => typeOf(t, name) === 'utf8';
const isInteger = (t: TypedTable, name: string): boolean => /^u?int(8|16|32|64)$/.test(typeOf(t, name) ?? '');

/** The sessions, when the table has ONE's current columns with their usual types. */
function typedSessions(t: TypedTable): { rows: SessionRow[]; codes: SessionCodes } | null {
  const d = t.data;
  if (!['id', 'lab', 'subject', 'task_protocol', 'projects'].every((c) => isText(t, c)) || typeOf(t, 'date') !== 'date32' || !isInteger(t, 'number')) return null;
  const text = (c: string) => {
    const col = d[c] as StringColumn;
    return (i: number): string => (col.codes[i] === -1 ? '' : (col.dictionary[col.codes[i] as number] as string));
  };
  const [id, lab, subject, task, projects] = ['id', 'lab', 'subject', 'task_protocol', 'projects'].map(text) as ((i: number) => string)[];
  const days = d.date?.kind === 'numbers' ? d.date.values : null;
  const numbers = d.number?.kind === 'numbers' ? d.number.values : null;
  if (!days || !numbers || !id || !lab || !subject || !task || !projects) return null;
  const dayCodes = new Map<number, number>();
  const dateValues: string[] = [];
  const dateCodes = new Int32Array(t.numRows);
  const rows = new Array<SessionRow>(t.numRows);
  for (let i = 0; i < t.numRows; i++) {
    const day = days[i] as number;
    let code = dayCodes.get(day);
    if (code === undefined) {
      code = dateValues.length;
      dateValues.push(Number.isNaN(day) ? '' : daysToIsoDate(day));
      dayCodes.set(day, code);
    }
    dateCodes[i] = code;
    const n = numbers[i] as number;
    rows[i] = { id: id(i), lab: lab(i), subject: subject(i), date: dateValues[code] as string, number: Number.isNaN(n) ? 0 : n, task_protocol: task(i), projects: projects(i) };
  }
  // the reader's codes, with null (-1) as one more value, ''
  const coded = (c: string) => {
    const col = d[c] as StringColumn;
    const empty = col.dictionary.length;
    return { codes: col.codes.map((k) => (k === -1 ? empty : k)), values: [...col.dictionary, ''] };
  };
  const codes: SessionCodes = { lab: coded('lab'), subject: coded('subject'), date: { codes: dateCodes, values: dateValues }, task_protocol: coded('task_protocol'), projects: coded('projects') };
  return { rows, codes };
}

/** The datasets as a store, when the table has ONE's current columns with their usual types. */
function typedDatasets(t: TypedTable, upgrades: string[]): DatasetStore | null {
  const d = t.data;
  const lazy = t.lazy;
  if (!['eid', 'id', 'rel_path', 'hash', 'qc'].every((c) => isText(t, c)) || !isInteger(t, 'file_size') || typeOf(t, 'exists') !== 'bool') return null;
  const hasDefault = typeOf(t, 'default_revision') !== undefined;
  if (hasDefault && typeOf(t, 'default_revision') !== 'bool') return null;
  const eid = d.eid as StringColumn;
  const rel = d.rel_path as StringColumn;
  const qcCol = d.qc as StringColumn;
  const existsCol = d.exists;
  if (eid?.kind !== 'strings' || rel?.kind !== 'strings' || qcCol?.kind !== 'strings' || existsCol?.kind !== 'booleans') return null;
  const n = t.numRows;
  // QC per dictionary entry, then per row; names ONE does not know are read as NOT_SET, as loadCache does
  const qcOfCode = Uint8Array.from(qcCol.dictionary, (name) => QC_NUMBER[name as QcName] ?? 0);
  const known = qcCol.dictionary.map((name) => (QC_NAMES as readonly string[]).includes(name));
  const qc = new Uint8Array(n);
  let unknownQc = 0;
  for (let i = 0; i < n; i++) {
    const c = qcCol.codes[i] as number;
    if (c >= 0) {
      qc[i] = qcOfCode[c] as number;
      if (!known[c]) unknownQc++;
    }
  }
  if (unknownQc) upgrades.push(`datasets: ${unknownQc} qc value(s) not in ${QC_NAMES.join(', ')} read as NOT_SET`);
  // the decoded columns are ours alone: rewritten in place, not copied (1.5 M rows each)
  const exists = existsCol.values;
  for (let i = 0; i < n; i++) exists[i] = exists[i] === 0 ? 0 : 1; // a null exists counts as true, as loadCache reads it
  const relPaths = rel.dictionary.concat(['']);
  const relPathCodes = rel.codes;
  for (let i = 0; i < n; i++) if (relPathCodes[i] === -1) relPathCodes[i] = relPaths.length - 1;
  const [idCol, sizeCol, hashCol] = [lazy.id, lazy.file_size, lazy.hash] as LazyColumn[];
  if (!idCol || !sizeCol || !hashCol) return null;
  let defaultRevision: Uint8Array | null = null;
  if (hasDefault) {
    const col = d.default_revision;
    if (col?.kind !== 'booleans') return null;
    // a null default_revision is not a marked default (pandas would read it as False in a bool mask)
    defaultRevision = col.values;
    for (let i = 0; i < n; i++) defaultRevision[i] = defaultRevision[i] === 1 ? 1 : 0;
  }
  return {
    length: n,
    hasDefaultRevision: hasDefault,
    eidCodes: eid.codes,
    eids: eid.dictionary,
    relPathCodes,
    relPaths,
    qc,
    exists,
    defaultRevision,
    rows(indices) {
      const out = new Array<DatasetRow>(indices.length);
      // contiguous runs of rows (a session's, in a table sorted by eid) are read a page at a time
      for (let a = 0; a < indices.length; ) {
        let b = a + 1;
        while (b < indices.length && (indices[b] as number) === (indices[b - 1] as number) + 1) b++;
        const from = indices[a] as number;
        const to = (indices[b - 1] as number) + 1;
        const ids = idCol.read(from, to);
        const sizes = sizeCol.read(from, to);
        const hashes = hashCol.read(from, to);
        for (let k = 0; k < to - from; k++) {
          const i = from + k;
          const e = eid.codes[i] as number;
          const size = sizes[k];
          const h = hashes[k];
          const row: DatasetRow = {
            eid: e === -1 ? '' : (eid.dictionary[e] as string),
            id: typeof ids[k] === 'string' ? (ids[k] as string) : '',
            rel_path: relPaths[relPathCodes[i] as number] as string,
            file_size: typeof size === 'number' ? size : null,
            hash: h === null || h === undefined ? null : String(h),
            exists: exists[i] === 1,
            qc: qcName(qc[i] as number),
          };
          if (defaultRevision) row.default_revision = defaultRevision[i] === 1;
          out[a + k] = row;
        }
        a = b;
      }
      return out;
    },
    hasHashes() {
      const BLOCK = 65_536;
      for (let from = 0; from < n; from += BLOCK) if (hashCol.read(from, Math.min(n, from + BLOCK)).some((h) => h !== null && h !== '')) return true;
      return false;
    },
  };
}

function originHint(oneMetadata: string | undefined): string {
  const origin = parseOneMetadata(oneMetadata)?.origin;
  return typeof origin === 'string' && origin ? ` with \`alf build-cache ${origin}\`` : '';
}

interface Table {
  file: string;
  table: ParquetColumns;
}

async function readTable(file: string, columns: string[]): Promise<Table> {
  try {
    return { file, table: await readParquetColumns(file, { columns, hint: 'rebuild the cache' }) };
  } catch (e) {
    if (e instanceof ParquetReadError && e.code === 'not-found') {
      throw new ParquetReadError(file, e.code, 'cache table not found', 'build the cache first');
    }
    throw e;
  }
}

const SESSION_KINDS: Readonly<Record<string, ColumnKind>> = {
  id: 'string', lab: 'string', subject: 'string', date: 'date', number: 'integer', task_protocol: 'string', projects: 'string', project: 'string',
};
const DATASET_KINDS: Readonly<Record<string, ColumnKind>> = {
  eid: 'string', id: 'string', rel_path: 'string', file_size: 'integer', hash: 'string', exists: 'boolean', default_revision: 'boolean',
};

function toSessions({ file, table }: Table, upgrades: string[]): SessionRow[] {
  checkColumnKinds(file, table, SESSION_KINDS);
  const d = table.data;
  const n = table.numRows;
  const id = uuidColumn(file, table, 'id', upgrades, 'sessions');
  let projects = d.projects;
  if (!projects && d.project) {
    projects = d.project;
    upgrades.push('sessions: column project renamed projects');
  }
  const lab = stringColumn(d.lab, n, 'sessions.lab', upgrades);
  const subject = stringColumn(d.subject, n, 'sessions.subject', upgrades);
  const taskProtocol = stringColumn(d.task_protocol, n, 'sessions.task_protocol', upgrades);
  const proj = stringColumn(projects, n, 'sessions.projects', upgrades);
  const date = d.date ?? missing(n, '', 'sessions.date', upgrades);
  const number = d.number ?? missing(n, 0, 'sessions.number', upgrades);
  const rows = new Array<SessionRow>(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      id: id[i],
      lab: lab[i],
      subject: subject[i],
      date: toIsoDate(date[i]),
      number: toInteger(number[i]) ?? 0,
      task_protocol: taskProtocol[i],
      projects: proj[i],
    };
  }
  return rows;
}

function toDatasets({ file, table }: Table, upgrades: string[]): DatasetRow[] {
  checkColumnKinds(file, table, DATASET_KINDS);
  const d = table.data;
  const n = table.numRows;
  const eid = uuidColumn(file, table, 'eid', upgrades, 'datasets');
  const id = uuidColumn(file, table, 'id', upgrades, 'datasets');
  const relPath = stringColumn(d.rel_path, n, 'datasets.rel_path', upgrades);
  const fileSize = d.file_size ?? missing(n, null, 'datasets.file_size', upgrades);
  const hash = d.hash ?? missing(n, null, 'datasets.hash', upgrades);
  const exists = d.exists ?? missing(n, true, 'datasets.exists', upgrades);
  const qc = d.qc ?? missing(n, 'NOT_SET', 'datasets.qc', upgrades);
  const defaultRevision = d.default_revision;
  const sizeType = table.columns.find((c) => c.name === 'file_size')?.type;
  if (sizeType && sizeType !== 'uint64' && sizeType !== 'int64') upgrades.push(`datasets: file_size ${sizeType} read as integers`);
  let unknownQc = 0;
  const rows = new Array<DatasetRow>(n);
  for (let i = 0; i < n; i++) {
    const q = toQc(qc[i]);
    if (q === undefined) unknownQc++;
    const h = hash[i];
    rows[i] = {
      eid: eid[i],
      id: id[i],
      rel_path: relPath[i],
      file_size: toInteger(fileSize[i]),
      hash: h === null || h === undefined ? null : String(h),
      exists: exists[i] === null || exists[i] === undefined ? true : Boolean(exists[i]),
      qc: q ?? 'NOT_SET',
    };
    // a null default_revision is not a marked default (pandas would read it as False in a bool mask)
    if (defaultRevision) (rows[i] as DatasetRow).default_revision = defaultRevision[i] === true;
  }
  if (unknownQc) upgrades.push(`datasets: ${unknownQc} qc value(s) not in ${QC_NAMES.join(', ')} read as NOT_SET`);
  return rows;
}

function missing<T>(n: number, value: T, what: string, upgrades: string[]): T[] {
  upgrades.push(`${what} missing, filled with ${JSON.stringify(value)}`);
  return new Array<T>(n).fill(value);
}

function stringColumn(values: unknown[] | undefined, n: number, what: string, upgrades: string[]): string[] {
  if (!values) return missing(n, '', what, upgrades);
  if (values.every((v) => typeof v === 'string')) return values as string[];
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    out[i] = typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
  }
  return out;
}

/** The UUID strings of `name`, or of the legacy int64 halves `name_0`/`name_1`. */
function uuidColumn(file: string, table: ParquetColumns, name: string, upgrades: string[], label: string): string[] {
  const d = table.data;
  if (d[name]) return stringColumn(d[name], table.numRows, `${label}.${name}`, upgrades);
  const lo = d[`${name}_0`];
  const hi = d[`${name}_1`];
  if (!lo || !hi) throw new ParquetReadError(file, 'corrupt', `not a ONE cache table (no ${name} column, nor ${name}_0/${name}_1)`, 'rebuild the cache');
  upgrades.push(`${label}: ${name}_0/${name}_1 int64 halves converted to ${name} UUID strings`);
  const out = new Array<string>(table.numRows);
  for (let i = 0; i < out.length; i++) out[i] = int64PairToUuid(lo[i], hi[i]);
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pair = new DataView(new ArrayBuffer(16));

/**
 * iblutil's `np2str`: the UUID whose 16 bytes are the two int64 values in little-endian order
 * (`uuid.UUID(bytes=np.array([lo, hi], dtype=np.int64).tobytes())`).
 */
export function int64PairToUuid(lo: unknown, hi: unknown): string {
  pair.setBigInt64(0, toBigInt(lo), true);
  pair.setBigInt64(8, toBigInt(hi), true);
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[pair.getUint8(i)];
  }
  return s;
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new TypeError(`not an int64 UUID half: ${String(v)}`);
}

function toInteger(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v) : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^\s*\d+(\.\d*)?\s*$/.test(v)) return Math.round(Number(v));
  return null;
}

function toIsoDate(v: unknown): string {
  if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'number' && Number.isInteger(v)) return daysToIsoDate(v);
  return '';
}

const QC_BY_VALUE: Record<number, QcName> = { 0: 'NOT_SET', 10: 'PASS', 30: 'WARNING', 40: 'FAIL', 50: 'CRITICAL' };

function toQc(v: unknown): QcName | undefined {
  if (v === null || v === undefined) return 'NOT_SET';
  if (typeof v === 'string') return (QC_NAMES as readonly string[]).includes(v) ? (v as QcName) : undefined;
  if (typeof v === 'number' || typeof v === 'bigint') return QC_BY_VALUE[Number(v)];
  return undefined;
}

function parseOneMetadata(json: string | undefined): CacheMetadata | null {
  if (json === undefined) return null;
  try {
    const m = JSON.parse(json) as unknown;
    if (m && typeof m === 'object' && !Array.isArray(m) && typeof (m as CacheMetadata).date_created === 'string') return m as CacheMetadata;
  } catch {
    // not JSON: treated like a table without metadata
  }
  return null;
}

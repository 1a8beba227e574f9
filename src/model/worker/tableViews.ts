/**
 * Parquet tables opened in the custom editor (the worker's side). A table is opened lazily (see
 * ParquetSource): its footer on open, the rows of a page when asked; a filter or sort decodes
 * the columns it needs, once, and keeps them compactly. The extension host only ever carries a
 * page of text cells, so neither a 1.5 M-row file nor a sort over it ever blocks it.
 */
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { readParquetColumns } from '../../core/parquet';
import { cellText, shownCell } from './cellText';
import { mapColumn, type ColumnStore } from './columnStore';
import { writeCsv } from './csvExport';
import { ParquetSource, type ColumnProgress } from './parquetSource';
import type { TableColumn, TableExportParams, TableExportResult, TableInfo, TablePage, TablePageParams, TableProgress, TableQuery } from './protocol';
import { queryOrder } from './tableQuery';

/** A column of the view: one of the file's, or the session of the eid column. */
type ViewColumn = { kind: 'file'; name: string } | { kind: 'session'; eid: string };

interface OpenTable {
  source: ParquetSource;
  columns: ViewColumn[];
  info: TableInfo;
  sessionsPath?: string;
  sessions?: Promise<Map<string, string>>;
  /** The session labels once read (a first page does not wait for them). */
  sessionsRead?: Map<string, string>;
  /** Row orders of recent queries (most recent last). */
  orders: Map<string, Promise<Uint32Array | null>>;
}

type Emit = (event: TableProgress) => void;

const tables = new Map<number, OpenTable>();
let nextTableId = 1;
const ORDERS_KEPT = 4;
/** Rows a page's rows may span and still come from a window read rather than whole columns. */
const WINDOW_SPAN = 64 * 1024;

const SESSIONS_TABLE = 'sessions.pqt';

export async function openTable(file: string): Promise<TableInfo> {
  const source = await ParquetSource.open(file);
  const columns: ViewColumn[] = [];
  const infoColumns: TableColumn[] = [];
  const sessionsPath = path.join(path.dirname(file), SESSIONS_TABLE);
  const eid = source.columns.find((c) => c.name === 'eid' && c.type === 'utf8');
  const withSessions = !!eid && path.basename(file) !== SESSIONS_TABLE && !source.columns.some((c) => c.name === 'session') && (await access(sessionsPath).then(() => true, () => false));
  for (const c of source.columns) {
    columns.push({ kind: 'file', name: c.name });
    infoColumns.push({ name: c.name, type: c.type });
    if (withSessions && c === eid) {
      columns.push({ kind: 'session', eid: c.name });
      infoColumns.push({ name: 'session', type: 'lab/subject/date/number', derived: true });
    }
  }
  const tableId = nextTableId++;
  const info: TableInfo = {
    tableId,
    rowCount: source.rowCount,
    columns: infoColumns,
    metadata: source.metadata,
    rowGroups: source.rowGroups.map((g) => g.rows),
    ...(withSessions ? { sessionsTable: sessionsPath } : {}),
  };
  const table: OpenTable = { source, columns, info, ...(withSessions ? { sessionsPath } : {}), orders: new Map() };
  tables.set(tableId, table);
  return info;
}

export async function closeTable(tableId: number): Promise<void> {
  const table = tables.get(tableId);
  tables.delete(tableId);
  await table?.source.close();
}

function tableOf(tableId: number): OpenTable {
  const table = tables.get(tableId);
  if (!table) throw new Error('this table is no longer open; reopen the file');
  return table;
}

/** eid → 'lab/subject/date/NNN', read from sessions.pqt once. */
function sessionLabels(table: OpenTable): Promise<Map<string, string>> {
  table.sessions ??= (async () => {
    const s = await readParquetColumns(table.sessionsPath!, { columns: ['id', 'lab', 'subject', 'date', 'number'], hint: 'the session column needs the sessions table beside this file' });
    const [id, lab, subject, date, number] = ['id', 'lab', 'subject', 'date', 'number'].map((n) => s.data[n] ?? []);
    const labels = new Map<string, string>();
    for (let i = 0; i < s.numRows; i++) {
      const key = id![i];
      if (typeof key !== 'string') continue;
      const n = number![i];
      labels.set(key, [lab![i], subject![i], date![i], n === null || n === undefined ? null : String(n).padStart(3, '0')].filter((x) => x !== null && x !== undefined && x !== '').join('/'));
    }
    table.sessionsRead = labels;
    return labels;
  })();
  table.sessions.catch(() => (table.sessions = undefined));
  return table.sessions;
}

const progressTo = (emit: Emit) => (p: ColumnProgress) =>
  emit({ text: `Reading column ${p.column}${p.groups > 1 ? ` (row group ${p.group + 1} of ${p.groups})` : ''}…`, done: p.group, total: p.groups });

/** The whole column of the view, decoded (a session column from the eid column). */
async function wholeColumn(table: OpenTable, index: number, emit: Emit, signal: AbortSignal): Promise<ColumnStore> {
  const column = table.columns[index];
  if (!column) throw new Error(`column ${index} is not in this table; reopen the file`);
  const name = column.kind === 'file' ? column.name : column.eid;
  const store = await table.source.column(name, progressTo(emit), signal);
  if (column.kind === 'file') return store;
  const labels = await sessionLabels(table);
  return mapColumn(store, (eid) => (typeof eid === 'string' ? labels.get(eid) : undefined) ?? null);
}

const queryKey = (q: TableQuery) => JSON.stringify([q.filters.map((f) => [f.column, f.mode, f.value, !!f.negate]), q.sort ? [q.sort.column, q.sort.descending] : null]);

function viewOrder(table: OpenTable, query: TableQuery, emit: Emit, signal: AbortSignal): Promise<Uint32Array | null> {
  if (query.filters.length === 0 && !query.sort) return Promise.resolve(null);
  const key = queryKey(query);
  let order = table.orders.get(key);
  if (order) {
    table.orders.delete(key);
    table.orders.set(key, order);
    return order;
  }
  order = (async () => {
    const needed = [...new Set([...query.filters.map((f) => f.column), ...(query.sort ? [query.sort.column] : [])])];
    const stores = new Map<number, ColumnStore>();
    for (const i of needed) stores.set(i, await wholeColumn(table, i, emit, signal));
    emit({ text: query.sort ? 'Sorting…' : 'Filtering…', done: 0, total: 1 });
    return queryOrder(
      {
        names: table.info.columns.map((c) => c.name),
        column: (i) => stores.get(i)!,
        rowCount: table.source.rowCount,
        text: cellText,
        signal,
      },
      query.filters,
      query.sort,
    );
  })();
  order.catch(() => table.orders.delete(key));
  table.orders.set(key, order);
  while (table.orders.size > ORDERS_KEPT) table.orders.delete(table.orders.keys().next().value!);
  return order;
}

/**
 * Cells of the given view rows (physical numbers), for these view columns. Unless `complete`,
 * cells that would need a long read are left out and named in `pending` (positions in
 * `columns`), and that read starts in the background: the session column before sessions.pqt is
 * read, and, for rows scattered by a sort, the columns not decoded yet. The page shows the rest
 * at once and asks again with `complete`.
 */
async function cellsOf(table: OpenTable, physical: ArrayLike<number>, columns: number[], complete: boolean, emit: Emit, signal: AbortSignal, text: (v: unknown) => string | null): Promise<{ cells: (string | null)[][]; pending: number[] }> {
  const n = physical.length;
  const out: (string | null)[][] = Array.from({ length: n }, () => new Array<string | null>(columns.length).fill(null));
  if (n === 0) return { cells: out, pending: [] };
  let lo = physical[0]!;
  let hi = lo;
  for (let k = 1; k < n; k++) {
    const r = physical[k]!;
    if (r < lo) lo = r;
    else if (r > hi) hi = r;
  }
  // Rows close together (a page in file order, or of a filtered view) come from a window read;
  // rows scattered by a sort need whole columns.
  const windowed = hi - lo < WINDOW_SPAN;
  const wantsLabels = columns.some((c) => table.columns[c]?.kind === 'session');
  // sessions.pqt is read after the rows when the page does not wait for it (one thread: reading
  // both at once delays both).
  const labelsLater = wantsLabels && !complete && !table.sessionsRead;
  const labelsPending = wantsLabels && !labelsLater ? sessionLabels(table) : undefined;
  const sourceOf = (c: number): string | undefined => {
    const column = table.columns[c];
    return column && (column.kind === 'file' ? column.name : column.eid);
  };
  const names = [...new Set(columns.map(sourceOf).filter((name) => name !== undefined))];
  const ready = new Set<string>(names);
  let get: (name: string, k: number) => unknown;
  if (windowed) {
    const rows = await table.source.rows(lo, hi + 1, names);
    get = (name, k) => {
      const v = rows[name]!;
      const r = physical[k]!;
      return 'get' in v && typeof v.get === 'function' ? v.get(r) : (v as ArrayLike<unknown>)[r - lo];
    };
  } else {
    const stores = new Map<string, ColumnStore>();
    const missing: string[] = [];
    for (const name of names) {
      const decoded = table.source.decoded(name);
      if (decoded) stores.set(name, decoded);
      else if (complete) stores.set(name, await table.source.column(name, progressTo(emit), signal));
      else missing.push(name);
    }
    if (missing.length) {
      for (const name of missing) ready.delete(name);
      // One after the other, in the background; the second request waits for the same reads.
      void (async () => {
        for (const name of missing) await table.source.column(name);
      })().catch(() => undefined);
    }
    get = (name, k) => stores.get(name)?.get(physical[k]!) ?? null;
  }
  if (labelsLater) sessionLabels(table).catch(() => undefined); // a failure is reported by the second answer
  const labels = labelsLater ? undefined : await labelsPending;
  const pending: number[] = [];
  columns.forEach((c, j) => {
    const column = table.columns[c];
    if (!column) return;
    const name = sourceOf(c)!;
    if (!ready.has(name) || (column.kind === 'session' && !labels)) {
      pending.push(j);
      return;
    }
    for (let k = 0; k < n; k++) {
      if (column.kind === 'file') out[k]![j] = text(get(column.name, k));
      else {
        const eid = get(column.eid, k);
        out[k]![j] = typeof eid === 'string' ? (labels!.get(eid) ?? null) : null;
      }
    }
  });
  return { cells: out, pending };
}

export async function tablePage(params: TablePageParams, emit: Emit, signal: AbortSignal): Promise<TablePage> {
  const t0 = performance.now();
  const table = tableOf(params.tableId);
  const query: TableQuery = params.query ?? { filters: [], ...(params.sortColumn !== undefined ? { sort: { column: params.sortColumn, descending: params.descending ?? false } } : {}) };
  const order = await viewOrder(table, query, emit, signal);
  const rowCount = order ? order.length : table.source.rowCount;
  const offset = Math.max(0, Math.min(params.offset, Math.max(0, rowCount - 1)));
  const end = Math.min(rowCount, offset + Math.max(0, params.limit));
  const columns = (params.columns ?? table.columns.map((_, i) => i)).filter((c) => table.columns[c] !== undefined);
  let physical: ArrayLike<number>;
  if (order) physical = order.subarray(offset, end);
  else physical = Array.from({ length: Math.max(0, end - offset) }, (_, k) => offset + k);
  const { cells, pending } = await cellsOf(table, physical, columns, params.complete ?? false, emit, signal, shownCell);
  return { offset, rowCount, rowNumbers: Array.from(physical), rows: cells, ms: performance.now() - t0, ...(pending.length ? { partial: true, pending } : {}) };
}

export async function exportTableCsv(params: TableExportParams, emit: Emit, signal: AbortSignal): Promise<TableExportResult> {
  const table = tableOf(params.tableId);
  const order = await viewOrder(table, params.query, emit, signal);
  const columns = params.columns.filter((c) => table.columns[c] !== undefined);
  const rowCount = order ? order.length : table.source.rowCount;
  // Decode every exported column first (progress per column), then stream rows from memory.
  const stores: ColumnStore[] = [];
  for (const c of columns) stores.push(await wholeColumn(table, c, emit, signal));
  const result = await writeCsv(
    params.path,
    {
      header: columns.map((c) => table.info.columns[c]!.name),
      rowCount,
      rows: (start, end) => {
        const out: (string | null)[][] = [];
        for (let k = start; k < end; k++) {
          const r = order ? order[k]! : k;
          out.push(stores.map((s) => cellText(s.get(r))));
        }
        return out;
      },
    },
    { signal, onProgress: (p) => emit({ text: `Writing ${p.rows.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} rows…`, done: p.rows, total: p.total }) },
  );
  return { path: params.path, ...result };
}

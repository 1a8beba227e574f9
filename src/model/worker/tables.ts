/**
 * Parquet tables opened in the custom editor. The whole table stays here, in the worker; the
 * editor asks for one page at a time, sorted here, so the extension host only ever carries a
 * page of text cells.
 */
import { readParquetColumns } from '../../core/parquet';
import type { TableInfo, TablePage, TablePageParams } from './protocol';

interface OpenTable {
  columns: string[];
  data: unknown[][];
  rowCount: number;
  /** Row order per "column:direction", computed on first use. */
  orders: Map<string, Uint32Array>;
}

const tables = new Map<number, OpenTable>();
let nextTableId = 1;

export async function openTable(path: string): Promise<TableInfo> {
  const parsed = await readParquetColumns(path, { hint: 'is it a Parquet file?' });
  const tableId = nextTableId++;
  const names = parsed.columns.map((c) => c.name);
  tables.set(tableId, {
    columns: names,
    data: names.map((n) => parsed.data[n] ?? []),
    rowCount: parsed.numRows,
    orders: new Map(),
  });
  return {
    tableId,
    rowCount: parsed.numRows,
    columns: parsed.columns.map((c) => ({ name: c.name, type: c.type })),
    metadata: parsed.metadata,
  };
}

export function closeTable(tableId: number): void {
  tables.delete(tableId);
}

export function tablePage(params: TablePageParams): TablePage {
  const table = tables.get(params.tableId);
  if (!table) throw new Error('this table is no longer open; reopen the file');
  const offset = Math.max(0, Math.min(params.offset, Math.max(0, table.rowCount - 1)));
  const end = Math.min(table.rowCount, offset + Math.max(1, params.limit));
  const order = params.sortColumn !== undefined ? sortedOrder(table, params.sortColumn, params.descending ?? false) : undefined;
  const rows: (string | null)[][] = [];
  for (let i = offset; i < end; i++) {
    const r = order ? order[i]! : i;
    rows.push(table.data.map((column) => formatCell(column[r])));
  }
  return { offset, rowCount: table.rowCount, rows };
}

function sortedOrder(table: OpenTable, column: number, descending: boolean): Uint32Array {
  const key = `${column}:${descending ? 'desc' : 'asc'}`;
  const cached = table.orders.get(key);
  if (cached) return cached;
  const values = table.data[column] ?? [];
  const order = new Uint32Array(table.rowCount);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sign = descending ? -1 : 1;
  // Missing values last in both directions; ties keep file order (stable sort).
  order.sort((a, b) => {
    const va = values[a];
    const vb = values[b];
    const na = va === null || va === undefined;
    const nb = vb === null || vb === undefined;
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return sign * compareValues(va, vb) || a - b;
  });
  table.orders.set(key, order);
  return order;
}

function compareValues(a: unknown, b: unknown): number {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = typeof a === 'string' ? a : formatCell(a) ?? '';
  const sb = typeof b === 'string' ? b : formatCell(b) ?? '';
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const MAX_CELL = 500;

/** A cell as text: exact for 64-bit integers, ISO for times, hex for short binary. */
export function formatCell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value.length > MAX_CELL ? `${value.slice(0, MAX_CELL)}…` : value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      break;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid date' : value.toISOString();
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.subarray(0, 64)).toString('hex');
    return value.length > 64 ? `0x${hex}… (${value.length} bytes)` : `0x${hex}`;
  }
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? `<${v.length} bytes>` : v));
  return json.length > MAX_CELL ? `${json.slice(0, MAX_CELL)}…` : json;
}

/**
 * Filtering and sorting a table of millions of rows into a row order (a Uint32Array of physical
 * row numbers). Works on ColumnStores, so a filter or sort key on a dictionary column is computed
 * once per distinct value. Pure: no files, no worker.
 */
import { DictColumn, type ColumnStore } from './columnStore';
import type { TableFilter, TableSort } from './protocol';

/** A filter failed to compile (a bad regex): the message names the column and what to do. */
export class TableQueryError extends Error {
  override readonly name = 'TableQueryError';
}

/** A cell's text as filters and CSV see it. */
export type CellText = (value: unknown) => string | null;

/** One predicate per filter, on a value's text; null (a missing value) matches only "is empty". */
export function compileFilter(filter: TableFilter, columnName: string): (text: string | null) => boolean {
  const want = filter.value;
  let test: (text: string | null) => boolean;
  switch (filter.mode) {
    case 'equals':
      test = want === '' ? (t) => t === null || t === '' : (t) => t === want;
      break;
    case 'contains': {
      const needle = want.toLowerCase();
      test = (t) => t !== null && t.toLowerCase().includes(needle);
      break;
    }
    case 'regex': {
      let re: RegExp;
      try {
        re = new RegExp(want, 'u');
      } catch (e) {
        throw new TableQueryError(`filter on ${columnName}: ${want} is not a valid regular expression (${e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e)}); fix or remove it`);
      }
      test = (t) => t !== null && re.test(t);
      break;
    }
  }
  return filter.negate ? (t) => !test(t) : test;
}

export interface QueryColumns {
  names: string[];
  /** The whole column, decoded (only the filtered and sorted columns are asked for). */
  column(index: number): ColumnStore;
  rowCount: number;
  text: CellText;
  signal?: AbortSignal;
}

/** Rows (physical numbers) kept by every filter, in sort order; null: all rows, file order. */
export function queryOrder(q: QueryColumns, filters: TableFilter[], sort: TableSort | undefined): Uint32Array | null {
  if (filters.length === 0 && !sort) return null;
  let rows: Uint32Array;
  if (filters.length === 0) {
    rows = new Uint32Array(q.rowCount);
    for (let i = 0; i < rows.length; i++) rows[i] = i;
  } else {
    const keep = new Uint8Array(q.rowCount).fill(1);
    for (const f of filters) {
      const name = q.names[f.column];
      if (name === undefined) throw new TableQueryError(`filter on column ${f.column}: no such column; remove the filter`);
      applyFilter(keep, q.column(f.column), compileFilter(f, name), q.text);
      q.signal?.throwIfAborted();
    }
    let n = 0;
    for (let i = 0; i < keep.length; i++) n += keep[i]!;
    rows = new Uint32Array(n);
    for (let i = 0, j = 0; i < keep.length; i++) if (keep[i]) rows[j++] = i;
  }
  if (sort) {
    if (q.names[sort.column] === undefined) throw new TableQueryError(`sort by column ${sort.column}: no such column`);
    rows = sortRows(rows, q.column(sort.column), sort.descending);
  }
  return rows;
}

function applyFilter(keep: Uint8Array, column: ColumnStore, test: (t: string | null) => boolean, text: CellText): void {
  if (column instanceof DictColumn) {
    const pass = Uint8Array.from(column.dictionary, (v) => (test(text(v)) ? 1 : 0));
    const codes = column.codes;
    for (let i = 0; i < keep.length; i++) if (keep[i] && !pass[codes[i]!]) keep[i] = 0;
    return;
  }
  for (let i = 0; i < keep.length; i++) if (keep[i] && !test(text(column.get(i)))) keep[i] = 0;
}

/** Missing values last in both directions; ties keep file order (the sort is stable). */
export function sortRows(rows: Uint32Array, column: ColumnStore, descending: boolean): Uint32Array {
  const sign = descending ? -1 : 1;
  if (column instanceof DictColumn) {
    // Rank the few distinct values, then order rows by rank: one comparison per row pair on integers.
    const order = column.dictionary.map((_, i) => i).sort((a, b) => compareNullsLast(column.dictionary[a], column.dictionary[b], sign));
    const rank = new Uint32Array(column.dictionary.length);
    order.forEach((code, r) => (rank[code] = r));
    return countingSort(rows, column.codes, rank);
  }
  const numeric = isNumeric(column);
  if (numeric) {
    const keys = new Float64Array(column.length);
    for (let i = 0; i < keys.length; i++) {
      const v = column.get(i);
      keys[i] = v === null ? Number.NaN : Number(v as number | bigint);
    }
    return rows.slice().sort((a, b) => {
      const ka = keys[a]!;
      const kb = keys[b]!;
      const na = Number.isNaN(ka);
      const nb = Number.isNaN(kb);
      if (na || nb) return na === nb ? a - b : na ? 1 : -1;
      return ka < kb ? -sign : ka > kb ? sign : a - b;
    });
  }
  return rows.slice().sort((a, b) => compareNullsLast(column.get(a), column.get(b), sign) || a - b);
}

function countingSort(rows: Uint32Array, codes: Uint32Array, rank: Uint32Array): Uint32Array {
  const counts = new Uint32Array(rank.length + 1);
  for (const r of rows) counts[rank[codes[r]!]! + 1]!++;
  for (let i = 1; i < counts.length; i++) counts[i]! += counts[i - 1]!;
  const out = new Uint32Array(rows.length);
  for (const r of rows) out[counts[rank[codes[r]!]!]!++] = r;
  return out;
}

function isNumeric(column: ColumnStore): boolean {
  for (let i = 0; i < column.length; i++) {
    const v = column.get(i);
    if (v === null) continue;
    return typeof v === 'number' || typeof v === 'bigint';
  }
  return false;
}

function compareNullsLast(a: unknown, b: unknown, sign: number): number {
  const na = a === null || a === undefined;
  const nb = b === null || b === undefined;
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return sign * compareValues(a, b);
}

export function compareValues(a: unknown, b: unknown): number {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Checks that the columns of a ONE cache table hold values of the kind ONE writes there, so a
 * table with an integer `lab` or a date `2020-13-45` is refused with the file, the column and
 * what was found (as a table without its id column is), instead of loading and printing nonsense.
 * What older ONE layouts legitimately hold (float file sizes, digit strings, all-null columns) passes.
 */
import { ParquetReadError } from '../parquet/errors';
import { isoDateToDays } from '../parquet/one-tables';
import type { ParquetColumns } from '../parquet/read';

export type ColumnKind = 'string' | 'date' | 'integer' | 'boolean';

const EXPECTED: Record<ColumnKind, string> = {
  string: 'text',
  date: 'dates (yyyy-mm-dd)',
  integer: 'whole numbers',
  boolean: 'True/False',
};

/** Whether `v` (not null) is a value of `kind` as ONE or an older ONE layout writes it. */
function fits(kind: ColumnKind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      // NaN is pandas' missing value in a column of Python objects.
      return typeof v === 'string' || (typeof v === 'number' && Number.isNaN(v));
    case 'integer':
      // Floats: older tables stored file_size as float64 (NaN for unknown sizes).
      return typeof v === 'bigint' || typeof v === 'number' || (typeof v === 'string' && /^\s*\d+(\.\d*)?\s*$/.test(v));
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      if (typeof v === 'number') return Number.isInteger(v);
      if (v instanceof Date) return !Number.isNaN(v.getTime());
      return typeof v === 'string' && isoDateToDays(v.slice(0, 10)) !== undefined && (v.length === 10 || /^[T ]/.test(v.slice(10)));
  }
}

function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return String(v);
}

/**
 * Throws a ParquetReadError naming the first column in `kinds` (in that order) that holds a
 * value of another kind: the Parquet type found, the row and the value.
 */
export function checkColumnKinds(file: string, table: ParquetColumns, kinds: Readonly<Record<string, ColumnKind>>): void {
  for (const [name, kind] of Object.entries(kinds)) {
    const values = table.data[name];
    if (!values) continue;
    const row = values.findIndex((v) => v !== null && v !== undefined && !fits(kind, v));
    if (row < 0) continue;
    const v = values[row];
    const type = table.columns.find((c) => c.name === name)?.type ?? typeof v;
    const found =
      kind === 'date' && typeof v === 'string'
        ? `${shown(v)} (row ${row}, ${type}), which is not a real date`
        : `${type} values (row ${row}: ${shown(v)})`;
    throw new ParquetReadError(
      file,
      'wrong-type',
      `column ${name} holds ${found}; ONE writes ${EXPECTED[kind]} there`,
      'rebuild the cache (alf build-cache), or fix the program that wrote this table',
    );
  }
}

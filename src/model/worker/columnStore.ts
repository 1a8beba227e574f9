/**
 * A whole decoded column kept compactly on the worker, for sorting and filtering a table of
 * millions of rows. Columns with few distinct values (ONE's rel_path, eid, qc, lab) are stored as
 * a dictionary plus one 32-bit code per row: 4 bytes a row instead of a string object each, and a
 * filter or a sort key is computed once per distinct value rather than once per row.
 */

export interface ColumnStore {
  readonly length: number;
  get(row: number): unknown;
}

export class PlainColumn implements ColumnStore {
  constructor(readonly values: unknown[]) {}
  get length(): number {
    return this.values.length;
  }
  get(row: number): unknown {
    return this.values[row] ?? null;
  }
}

export class DictColumn implements ColumnStore {
  constructor(
    /** Distinct values, in first-seen order; null has its own code. */
    readonly dictionary: unknown[],
    readonly codes: Uint32Array,
  ) {}
  get length(): number {
    return this.codes.length;
  }
  get(row: number): unknown {
    return this.dictionary[this.codes[row]!] ?? null;
  }
}

/** Above this many distinct values a dictionary stops paying for itself. */
const MAX_DICTIONARY = 1 << 18;
/** Rows after which a column with more than half of them distinct is stored plain. */
const PROBE_ROWS = 8192;

/** Keys that identify a value in a Map: bigints and Dates by value. */
function keyOf(v: unknown): unknown {
  if (v instanceof Date) return `d${v.getTime()}`;
  if (typeof v === 'bigint') return `n${v}`;
  return v === undefined ? null : v;
}

/** Joins the decoded chunks of one column (row-group order) into the smallest store that fits. */
export function buildColumn(chunks: ArrayLike<unknown>[], length: number): ColumnStore {
  const codes = new Uint32Array(length);
  const index = new Map<unknown, number>();
  const dictionary: unknown[] = [];
  let row = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++, row++) {
      const v = chunk[i];
      const key = keyOf(v);
      let code = index.get(key);
      if (code === undefined) {
        if (dictionary.length >= MAX_DICTIONARY) return plain(chunks, length);
        code = dictionary.length;
        index.set(key, code);
        dictionary.push(v === undefined ? null : v);
      }
      codes[row] = code;
      // Ids and hashes are all distinct: seen early, and the Map is not built for nothing.
      if (row === PROBE_ROWS && dictionary.length > PROBE_ROWS / 2) return plain(chunks, length);
    }
  }
  return new DictColumn(dictionary, codes);
}

function plain(chunks: ArrayLike<unknown>[], length: number): ColumnStore {
  if (chunks.length === 1 && Array.isArray(chunks[0]) && chunks[0].length === length) return new PlainColumn(chunks[0]);
  const values = new Array<unknown>(length);
  let row = 0;
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) values[row++] = chunk[i];
  return new PlainColumn(values);
}

/** A column computed from another through a lookup (the session of an eid). */
export function mapColumn(source: ColumnStore, lookup: (value: unknown) => unknown): ColumnStore {
  if (source instanceof DictColumn) return new DictColumn(source.dictionary.map((v) => lookup(v) ?? null), source.codes);
  const values = new Array<unknown>(source.length);
  for (let i = 0; i < values.length; i++) values[i] = lookup(source.get(i)) ?? null;
  return new PlainColumn(values);
}

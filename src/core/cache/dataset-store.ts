/**
 * The datasets table held column by column: what a search scans (session, file, QC, exists) as
 * typed arrays and dictionary codes, and whole rows made only for the rows asked for. An
 * Alyx-size table (1.5 M rows) then costs tens of MB instead of a JavaScript object per row, and
 * its widest columns (`id`, `hash`) are not even decoded until a session's rows are read.
 */
import { QC } from '../alf/qc';
import { QC_NAMES, type DatasetRow, type QcName } from './types';

/** QC names by their number in ONE's QC enum (the number is what the typed `qc` array holds). */
export const QC_NUMBER: Readonly<Record<QcName, number>> = QC;
const QC_BY_NUMBER = new Map<number, QcName>(QC_NAMES.map((q) => [QC_NUMBER[q], q]));

export interface DatasetStore {
  readonly length: number;
  /** The table has Alyx's `default_revision` column (rows then carry `default_revision`). */
  readonly hasDefaultRevision: boolean;
  /** Each row's session, as a code into `eids` (-1: none); an eid may appear under several codes. */
  readonly eidCodes: Int32Array;
  readonly eids: readonly string[];
  /** Each row's rel_path, as a code into `relPaths` (a path may appear under several codes). */
  readonly relPathCodes: Int32Array;
  readonly relPaths: readonly string[];
  /** Each row's QC as its number (0, 10, 30, 40, 50). */
  readonly qc: Uint8Array;
  /** 1 when the file exists. */
  readonly exists: Uint8Array;
  /** 1 where Alyx's `default_revision` marks the row; null when the table has no such column. */
  readonly defaultRevision: Uint8Array | null;
  /**
   * The rows at these indices, every column, in the order given. For a table read from a file
   * this is the only place the wide columns (`id`, `hash`, `file_size`) are decoded.
   */
  rows(indices: ArrayLike<number>): DatasetRow[];
  /**
   * Whether any row has a hash (null and '' are none). Reads the hash column only now, and
   * stops at the first hash found (the first page of a hashed table).
   */
  hasHashes(): boolean;
}

/** What listing and choosing revisions need of a row: nothing a store must decode later. */
export type DatasetListing = Pick<DatasetRow, 'eid' | 'rel_path' | 'qc' | 'exists' | 'default_revision'>;

/** Row `i`'s listing columns, from the arrays read at open (no file access). */
export function listingOf(store: DatasetStore, i: number): DatasetListing {
  const e = store.eidCodes[i] as number;
  const row: DatasetListing = {
    eid: e === -1 ? '' : (store.eids[e] as string),
    rel_path: store.relPaths[store.relPathCodes[i] as number] as string,
    qc: qcName(store.qc[i] as number),
    exists: store.exists[i] === 1,
  };
  if (store.defaultRevision) row.default_revision = store.defaultRevision[i] === 1;
  return row;
}

export function qcName(n: number): QcName {
  return QC_BY_NUMBER.get(n) ?? 'NOT_SET';
}

/** A store over rows already in memory (caches built here, older layouts, tests). */
export function storeFromRows(rows: readonly DatasetRow[], hasDefaultRevision = rows.some((r) => r.default_revision !== undefined)): DatasetStore {
  const n = rows.length;
  const eidCodes = new Int32Array(n);
  const relPathCodes = new Int32Array(n);
  const qc = new Uint8Array(n);
  const exists = new Uint8Array(n);
  const defaultRevision = hasDefaultRevision ? new Uint8Array(n) : null;
  const eids: string[] = [];
  const relPaths: string[] = [];
  const eidIds = new Map<string, number>();
  const relIds = new Map<string, number>();
  const code = (map: Map<string, number>, list: string[], s: string): number => {
    let k = map.get(s);
    if (k === undefined) {
      k = list.length;
      list.push(s);
      map.set(s, k);
    }
    return k;
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i] as DatasetRow;
    eidCodes[i] = code(eidIds, eids, r.eid);
    relPathCodes[i] = code(relIds, relPaths, r.rel_path);
    qc[i] = QC_NUMBER[r.qc] ?? 0;
    exists[i] = r.exists ? 1 : 0;
    if (defaultRevision) defaultRevision[i] = r.default_revision === true ? 1 : 0;
  }
  return {
    length: n,
    hasDefaultRevision,
    eidCodes,
    eids,
    relPathCodes,
    relPaths,
    qc,
    exists,
    defaultRevision,
    rows: (indices) => Array.from(indices, (i) => rows[i] as DatasetRow),
    hasHashes: () => rows.some((r) => !!r.hash),
  };
}

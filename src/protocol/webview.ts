/**
 * The typed messages between the extension and its webviews. Shared by both sides: the
 * extension imports it into dist/extension.js, the browser bundle into dist/webview.js. Plain
 * data only (no `vscode`, no DOM).
 */

import type { BuildSummary, TableFilter, TableQuery } from '../model/worker/protocol';

export type { TableFilter, TableQuery };

/** Which UI a webview page boots (the `data-view` attribute of its <body>). */
export type WebviewKind = 'buildCache' | 'table' | 'search' | 'searchResults' | 'npy' | 'object' | 'registerSession' | 'alyxRecord';

// ------------------------------------------------------------------ Build ONE Cache form

export interface BuildFormValues {
  folder: string;
  hashFiles: boolean;
  /** Empty: the folder itself (ONE's default). */
  outDir: string;
  /** Empty: sessions without a lab folder get none. */
  lab: string;
}

export type BuildField = keyof BuildFormValues;

/** A build's summary as the form shows it: the worker's summary, plus the form's folders. */
export interface BuildSummaryView extends Omit<BuildSummary, 'fullRebuild'> {
  folder: string;
  outDir: string;
  /** An update was asked for but the whole tree was read again (see fullRebuildReason). */
  fullRebuild: boolean;
}

export type BuildFormToExtension =
  | { type: 'ready' }
  | { type: 'browse'; field: 'folder' | 'outDir' }
  | { type: 'build'; values: BuildFormValues }
  | { type: 'cancel' }
  | { type: 'openTable'; path: string };

export type BuildFormToWebview =
  /** Defaults for a fresh form; a form restored from its saved state keeps its own values. */
  | { type: 'init'; values: BuildFormValues; force: boolean }
  | { type: 'browsed'; field: 'folder' | 'outDir'; path: string }
  | { type: 'invalid'; errors: Partial<Record<BuildField, string>> }
  | { type: 'running'; text: string; percent?: number }
  | { type: 'result'; summary: BuildSummaryView }
  | { type: 'failed'; message: string }
  | { type: 'cancelled' };

// ------------------------------------------------------------------ Parquet table editor

export interface TableColumnView {
  name: string;
  type: string;
  /** Computed by the viewer, not in the file (the session of an eid). */
  derived?: boolean;
}

export interface TableInfoView {
  fileName: string;
  rowCount: number;
  columns: TableColumnView[];
  /** one_metadata parsed, when the file has it. */
  oneMetadata: Record<string, unknown> | null;
  /** Other key-value metadata, with long values cut short. */
  otherMetadata: { key: string; value: string }[];
  /** Rows per row group. */
  rowGroups: number[];
  /** The sessions.pqt the session column is read from. */
  sessionsTable: string | null;
  /** Time to read the footer, ms. */
  openMs: number;
}

export interface TablePageRequest {
  /** Echoed in the answer: the page keeps the latest answer per request. */
  seq: number;
  offset: number;
  limit: number;
  query: TableQuery;
  /** The visible columns (hidden ones are not read). */
  columns: number[];
  /** Asked again after a partial answer: wait for every cell. */
  complete?: boolean;
}

export type TableToExtension =
  | { type: 'ready' }
  | ({ type: 'page' } & TablePageRequest)
  | { type: 'copy'; what: 'cell' | 'row'; text: string }
  | { type: 'exportCsv'; query: TableQuery; columns: number[] };

export type TableToWebview =
  | { type: 'info'; info: TableInfoView }
  /** pending: positions of the columns still being read (the session column, columns a sort scattered); the page asks again. */
  | { type: 'page'; seq: number; offset: number; rowCount: number; rowNumbers: number[]; rows: (string | null)[][]; ms: number; pending?: number[] }
  /** Decoding whole columns for a sort or filter, or writing a CSV file. */
  | { type: 'progress'; text: string; done: number; total: number }
  | { type: 'exported'; path: string; rows: number; bytes: number; ms: number }
  | { type: 'error'; message: string; seq?: number };

// ------------------------------------------------------------------ guards for the extension side

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Messages from a webview are untrusted input: check their shape before acting on them. */
export function isBuildFormMessage(v: unknown): v is BuildFormToExtension {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'cancel':
      return true;
    case 'browse':
      return v.field === 'folder' || v.field === 'outDir';
    case 'openTable':
      return typeof v.path === 'string';
    case 'build': {
      const values = v.values;
      return (
        isObject(values) &&
        typeof values.folder === 'string' &&
        typeof values.hashFiles === 'boolean' &&
        typeof values.outDir === 'string' &&
        typeof values.lab === 'string'
      );
    }
    default:
      return false;
  }
}

const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isIndexList = (v: unknown): v is number[] => Array.isArray(v) && v.length <= 10_000 && v.every(isIndex);

function isTableFilter(v: unknown): v is TableFilter {
  return (
    isObject(v) &&
    isIndex(v.column) &&
    (v.mode === 'equals' || v.mode === 'contains' || v.mode === 'regex') &&
    typeof v.value === 'string' &&
    v.value.length <= 10_000 &&
    (v.negate === undefined || typeof v.negate === 'boolean')
  );
}

function isTableQuery(v: unknown): v is TableQuery {
  if (!isObject(v) || !Array.isArray(v.filters) || v.filters.length > 100 || !v.filters.every(isTableFilter)) return false;
  const sort = v.sort;
  return sort === undefined || (isObject(sort) && isIndex(sort.column) && typeof sort.descending === 'boolean');
}

export function isTableMessage(v: unknown): v is TableToExtension {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
      return true;
    case 'page':
      return Number.isInteger(v.seq) && isIndex(v.offset) && isIndex(v.limit) && isTableQuery(v.query) && isIndexList(v.columns) && (v.complete === undefined || typeof v.complete === 'boolean');
    case 'copy':
      return (v.what === 'cell' || v.what === 'row') && typeof v.text === 'string';
    case 'exportCsv':
      return isTableQuery(v.query) && isIndexList(v.columns);
    default:
      return false;
  }
}

/**
 * The messages between the extension host and its worker thread (dist/alf-worker.js), which runs
 * every call into the core that reads many files or much data: scans, cache builds, Parquet
 * reads. The extension host only ever receives small, already-shaped results or batches, so a
 * 74k-file tree never blocks it.
 */
import type { ProblemTally } from '../../core/alf';
import type { SearchForm } from '../../core/one/snippet';
import type { ProgressEvent } from '../../core/progress';
import type { FileEvent, RootDelta, SessionContents } from '../types';

export interface ScanParams {
  root: string;
  exclude: string[];
}

export interface UpdateRootParams {
  root: string;
  exclude: string[];
  events: FileEvent[];
}

export interface ScanSummary {
  fileCount: number;
  durationMs: number;
  /** Entries the walk could not read (permissions, broken links). */
  unreadable: { path: string; reason: string }[];
}

export interface BuildParams {
  root: string;
  outDir: string;
  hashFiles: boolean;
  /** Lab for sessions that have no lab folder. */
  lab?: string;
  exclude: string[];
}

export interface UpdateParams extends BuildParams {
  /**
   * Paths (root-relative, usually session folders) created, changed or deleted since the cache
   * was written: what an incremental update re-reads. Deleted sessions must be listed too.
   */
  changedPaths: string[];
}

export interface BuildSummary {
  sessionsPath: string;
  datasetsPath: string;
  sessions: number;
  datasets: number;
  /** The first entries the build did not index, with the reason (at most SKIPPED_LIMIT). */
  skipped: { path: string; reason: string }[];
  skippedCount: number;
  /** Things worth telling that did not stop the build. */
  warnings: string[];
  /** Every skipped entry and warning counted in the core's categories (not only the first SKIPPED_LIMIT). */
  counts: ProblemTally;
  durationMs: number;
  /** True when an incremental update was asked for but a full build ran. */
  fullRebuild?: boolean;
  /** Why the update was a full build (with fullRebuild). */
  fullRebuildReason?: string;
  /** Sessions an update read again (every session after a full build). */
  rescannedSessions?: number;
}

export interface CacheInfo {
  dir: string;
  sessionsPath: string;
  datasetsPath: string;
  /** `date_created` from the tables' one_metadata, as written. */
  dateCreated: string | null;
  /** Files modified after this instant are not in the cache. */
  builtAtMs: number;
  sessionCount: number;
  datasetCount: number;
  hasHashes: boolean;
  /** One line when a cache write killed part-way was found and undone before reading. */
  recovered?: string;
}

/** Skipped entries sent back with a build summary; the count covers the rest. */
export const SKIPPED_LIMIT = 1000;

/** A session as the sessions table keys it. */
export interface SessionRef {
  lab: string | null;
  subject: string;
  date: string;
  number: number;
}

export interface TableColumn {
  name: string;
  type: string;
  /** Not in the file: computed by the viewer (the session of an eid, from sessions.pqt beside it). */
  derived?: boolean;
}

export interface TableInfo {
  tableId: number;
  rowCount: number;
  columns: TableColumn[];
  /** Key-value metadata of the file (one_metadata, pandas, ARROW:schema…), as strings. */
  metadata: Record<string, string>;
  /** Rows per row group, in file order. */
  rowGroups: number[];
  /** The sessions table the session column comes from, when there is one. */
  sessionsTable?: string;
}

/** Keeps rows whose cell text equals / contains (case-insensitive) / matches (JS regex) value. */
export interface TableFilter {
  column: number;
  mode: 'equals' | 'contains' | 'regex';
  value: string;
  /** Keep the rows that do not match instead. */
  negate?: boolean;
}

export interface TableSort {
  column: number;
  descending: boolean;
}

/** Which rows a view shows, and in which order. */
export interface TableQuery {
  filters: TableFilter[];
  sort?: TableSort;
}

export interface TablePageParams {
  tableId: number;
  offset: number;
  limit: number;
  /** Which rows and in which order; file order when absent. */
  query?: TableQuery;
  /** Shorthand for query.sort (ignored when query is given). */
  sortColumn?: number;
  descending?: boolean;
  /** Column indexes to send (hidden columns are not read); all when absent. */
  columns?: number[];
  /** Wait for every cell (no partial page). */
  complete?: boolean;
}

export interface TablePage {
  offset: number;
  /** Rows in the view (after the filters). */
  rowCount: number;
  /** Physical row number (0-based, in the file) of each row sent. */
  rowNumbers: number[];
  /** Cells rendered as text, in the order of the columns asked for; null for a missing value. */
  rows: (string | null)[][];
  /** Time the worker spent on this page (decoding, filtering, sorting), ms. */
  ms: number;
  /** Some cells are still being read (see pending): ask again with `complete` for them. */
  partial?: boolean;
  /** Positions (in the columns asked for) of the columns whose cells are not sent yet. */
  pending?: number[];
}

export interface TableExportParams {
  tableId: number;
  query: TableQuery;
  columns: number[];
  /** The .csv file to write (written to a temporary file beside it, then renamed). */
  path: string;
}

export interface TableExportResult {
  path: string;
  rows: number;
  bytes: number;
}

/** Progress of a long table job (decoding whole columns, exporting). */
export interface TableProgress {
  text: string;
  done: number;
  total: number;
}

/** A ONE cache: the data root its session folders are under, and the folder of its tables. */
export interface OneCacheRef {
  root: string;
  tablesDir: string;
}

export interface OneSearchParams extends OneCacheRef {
  form: SearchForm;
  /** Sessions sent at most; `total` says how many matched. */
  limit: number;
}

/** A session as the Search view and the results tab list it. */
export interface OneSessionHit {
  eid: string;
  lab: string;
  subject: string;
  date: string;
  number: number;
  taskProtocol: string;
  datasets: number;
}

export interface OneSearchResult {
  sessions: OneSessionHit[];
  total: number;
  /** Time the worker spent searching and building the rows (not opening the cache), ms. */
  ms: number;
}

/** A dataset of a session as the Search view shows it when the session is expanded. */
export interface OneDatasetHit {
  relPath: string;
  collection: string;
  revision: string;
  name: string;
  object: string | null;
  /** The file is on disk where ONE would look. */
  onDisk: boolean;
}

/** What the extension host needs about a cached session to open its files or write a snippet. */
export interface OneSessionInfo {
  lab: string | null;
  subject: string;
  date: string;
  number: number;
  /** The session's folder on disk, or null when none of the usual places has it. */
  sessionPath: string | null;
  /** The session's datasets (rel_paths, as ONE's list_datasets), sorted. */
  datasets: string[];
}

export interface OneObjectFilesParams extends OneCacheRef {
  eid: string;
  object: string;
  /** The collection ('' for the session folder itself). */
  collection?: string;
}

/** The files of an object as ONE's load_object picks them (revision rules applied), on disk. */
export interface OneObjectFiles {
  files: { relPath: string; file: string }[];
  /** ONE's warnings about the choice (no single default revision marked). */
  warnings: string[];
}

/** method → its parameters, its result and the events it streams before the result. */
export interface WorkerMethods {
  /** Indexes a root from scratch (replacing what the worker had), streaming deltas. */
  scan: { params: ScanParams; result: ScanSummary; event: RootDelta };
  /** Applies file events to a scanned root. */
  update: { params: UpdateRootParams; result: RootDelta; event: never };
  sessionContents: { params: { root: string; sessionPath: string }; result: SessionContents; event: never };
  dropRoot: { params: { root: string }; result: null; event: never };
  buildCache: { params: BuildParams; result: BuildSummary; event: ProgressEvent };
  updateCache: { params: UpdateParams; result: BuildSummary; event: ProgressEvent };
  cacheInfo: { params: { dir: string }; result: CacheInfo | null; event: never };
  lookupEid: { params: { dir: string; session: SessionRef }; result: string | null; event: never };
  openTable: { params: { path: string }; result: TableInfo; event: never };
  tablePage: { params: TablePageParams; result: TablePage; event: TableProgress };
  exportTableCsv: { params: TableExportParams; result: TableExportResult; event: TableProgress };
  closeTable: { params: { tableId: number }; result: null; event: never };
  /** ONE's search on a cache the worker keeps open (opened, or re-opened when its tables changed). */
  oneSearch: { params: OneSearchParams; result: OneSearchResult; event: never };
  oneDatasets: { params: OneCacheRef & { eid: string }; result: OneDatasetHit[]; event: never };
  /** Null when the session is not in the cache. */
  oneSession: { params: OneCacheRef & { eid: string }; result: OneSessionInfo | null; event: never };
  oneObjectFiles: { params: OneObjectFilesParams; result: OneObjectFiles; event: never };
}

export type MethodName = keyof WorkerMethods;

export type WorkerRequest =
  | { [M in MethodName]: { id: number; method: M; params: WorkerMethods[M]['params'] } }[MethodName]
  | { id: number; cancel: true }
  /** The extension host has handled event `seq` of call `id`: the worker may send the next one. */
  | { id: number; ack: number };

export type WorkerResponse =
  | { id: number; event: unknown; seq: number }
  | { id: number; result: unknown }
  | { id: number; error: WorkerError };

export interface WorkerError {
  message: string;
  /** The search term or option the error is about (OneError.field, ONE's name), when there is one. */
  field?: string;
  /** The call stopped because it was cancelled. */
  cancelled?: boolean;
}

/**
 * Messages of the local-mode webviews (issue #6): the Search view, the .npy editor and the ALF
 * object view. Plain data only; shared by the extension and the browser bundle.
 */
import type { SearchForm } from '../core/one/snippet';
import type { RecentSearch } from '../model/recentSearches';

export type { RecentSearch, SearchForm };

// ------------------------------------------------------------------ plots and stats

export interface StatsView {
  count: number;
  nanCount: number;
  min: number | null;
  max: number | null;
  mean: number | null;
}

/** One line of a plot: points in index order (a min/max-decimated series keeps its shape). */
export interface TraceView {
  label: string;
  x: number[];
  /** null: a gap (a bucket of NaNs only). */
  y: (number | null)[];
}

export interface PlotView {
  xLabel: string;
  traces: TraceView[];
  /** Samples along x before decimation (the plot says "decimated" when this exceeds the points). */
  length: number;
  decimated: boolean;
}

// ------------------------------------------------------------------ Search view

export interface CacheChoice {
  /** The data root searched (sessions are found under it). */
  root: string;
  /** Where the tables are. */
  tablesDir: string;
  label: string;
  sessions: number;
}

export interface SessionHit {
  eid: string;
  lab: string;
  subject: string;
  date: string;
  number: number;
  taskProtocol: string;
  datasets: number;
}

export interface DatasetHit {
  relPath: string;
  collection: string;
  revision: string;
  name: string;
  /** The ALF object the dataset belongs to (parsed by the core), when its name is valid. */
  object: string | null;
  /** The file is on disk where ONE would look. */
  onDisk: boolean;
}

export type SearchField = keyof SearchForm;

export type SearchToExtension =
  | { type: 'ready' }
  | { type: 'search'; root: string; form: SearchForm }
  | { type: 'datasets'; root: string; eid: string }
  | { type: 'openDataset'; root: string; eid: string; relPath: string }
  /** object: open that object directly (a dataset row), else pick one (a session row). */
  | { type: 'openObject'; root: string; eid: string; object?: string }
  | { type: 'copySnippet'; root: string; form: SearchForm; eid?: string }
  | { type: 'buildCache' }
  /** Opens the results of this search in an editor tab, as a sortable table. */
  | { type: 'openResultsTab'; root: string; form: SearchForm }
  | { type: 'forgetRecent' };

export type SearchToWebview =
  | { type: 'caches'; caches: CacheChoice[] }
  | { type: 'results'; root: string; sessions: SessionHit[]; total: number; ms: number }
  | { type: 'invalid'; field: SearchField | null; message: string }
  | { type: 'datasets'; eid: string; datasets: DatasetHit[] }
  /** Asks the view to run this search (the e2e test and ALF: Search Sessions with a subject). */
  | { type: 'fill'; form: SearchForm }
  | { type: 'recent'; searches: RecentSearch[] };

// ------------------------------------------------------------------ Search results tab

export interface SearchResultsView {
  root: string;
  cacheLabel: string;
  form: SearchForm;
  /** A one-line summary of the terms (subject=…, lab=…). */
  terms: string;
  sessions: SessionHit[];
  total: number;
  ms: number;
}

export type SearchResultsToExtension =
  | { type: 'ready' }
  | { type: 'openObject'; eid: string }
  | { type: 'copy'; text: string; what: string }
  | { type: 'showInSidebar' };

export type SearchResultsToWebview = { type: 'results'; view: SearchResultsView } | { type: 'error'; message: string };

// ------------------------------------------------------------------ .npy editor

export interface NpyHeaderView {
  fileName: string;
  dtype: string;
  descr: string;
  shape: number[];
  order: 'C' | 'Fortran';
  count: number;
  byteLength: number;
  fileSize: number;
  version: string;
  /** Rows (first axis) and columns per row (the product of the other axes). */
  rows: number;
  width: number;
}

export type NpyToExtension = { type: 'ready' } | { type: 'page'; offset: number; limit: number };

export type NpyToWebview =
  | { type: 'header'; header: NpyHeaderView; headerMs: number }
  | { type: 'preview'; stats: StatsView; plot: PlotView | null; previewMs: number; columnsPlotted: number[] }
  | { type: 'page'; offset: number; rows: string[][]; columns: number }
  /** scope 'file': the file itself is unreadable (stays shown); 'page': one table page failed. */
  | { type: 'error'; message: string; scope: 'file' | 'page' };

// ------------------------------------------------------------------ ALF object view

export interface AttributeView {
  name: string;
  dtype: string;
  shape: number[];
  stats: StatsView;
  /** Plotted against the row index (1-D, or a few columns of a 2-D array); null when not numeric/plottable. */
  plot: PlotView | null;
  /** The expression names it takes ('intervals[0]', 'intervals[1]' for 2-D). */
  names: string[];
}

export interface ObjectInfoView {
  object: string;
  collection: string | null;
  session: string;
  /** Rows of the table: the longest first dimension. */
  rows: number;
  attributes: AttributeView[];
  /** Keys that are not arrays (JSON, other formats), with what they are. */
  other: { name: string; kind: string }[];
  warnings: string[];
  loadMs: number;
}

export type ObjectToExtension =
  | { type: 'ready' }
  | { type: 'page'; offset: number; limit: number }
  | { type: 'expression'; text: string };

export type ObjectToWebview =
  | { type: 'info'; info: ObjectInfoView; expression: string }
  | { type: 'page'; offset: number; columns: string[]; rows: string[][] }
  | { type: 'expression'; text: string; plot: PlotView; stats: StatsView }
  | { type: 'expressionError'; text: string; message: string }
  | { type: 'error'; message: string };

// ------------------------------------------------------------------ guards (extension side)

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isStr = (v: unknown): v is string => typeof v === 'string';
const FORM_KEYS: readonly SearchField[] = ['subject', 'lab', 'dateFrom', 'dateTo', 'number', 'datasets', 'datasetQcLte', 'taskProtocol', 'projects'];

function isForm(v: unknown): v is SearchForm {
  return isObject(v) && Object.entries(v).every(([k, x]) => (FORM_KEYS as readonly string[]).includes(k) && (x === undefined || isStr(x)));
}

export function isSearchMessage(v: unknown): v is SearchToExtension {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'buildCache':
      return true;
    case 'search':
      return isStr(v.root) && isForm(v.form);
    case 'datasets':
      return isStr(v.root) && isStr(v.eid);
    case 'openObject':
      return isStr(v.root) && isStr(v.eid) && (v.object === undefined || isStr(v.object));
    case 'openDataset':
      return isStr(v.root) && isStr(v.eid) && isStr(v.relPath);
    case 'copySnippet':
      return isStr(v.root) && isForm(v.form) && (v.eid === undefined || isStr(v.eid));
    case 'openResultsTab':
      return isStr(v.root) && isForm(v.form);
    case 'forgetRecent':
      return true;
    default:
      return false;
  }
}

export function isSearchResultsMessage(v: unknown): v is SearchResultsToExtension {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'showInSidebar':
      return true;
    case 'openObject':
      return isStr(v.eid);
    case 'copy':
      return isStr(v.text) && isStr(v.what);
    default:
      return false;
  }
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

export function isNpyMessage(v: unknown): v is NpyToExtension {
  return isObject(v) && (v.type === 'ready' || (v.type === 'page' && isCount(v.offset) && isCount(v.limit)));
}

export function isObjectMessage(v: unknown): v is ObjectToExtension {
  if (!isObject(v)) return false;
  if (v.type === 'ready') return true;
  if (v.type === 'page') return isCount(v.offset) && isCount(v.limit);
  return v.type === 'expression' && isStr(v.text) && v.text.length < 2000;
}

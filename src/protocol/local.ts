/**
 * Messages of the local-mode webviews (issue #6): the Search view, the .npy editor and the ALF
 * object view. Plain data only; shared by the extension and the browser bundle.
 */
import * as v from 'valibot';
import type { SearchForm } from '../core/one/snippet';
import { count, guardOf, sameShape } from './guard';
import type { RecentSearch } from '../model/recentSearches';
import type { OneDatasetHit, OneSessionHit } from '../model/worker/protocol';

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

/** The rows the worker builds (src/model/worker/oneSearch.ts) are the rows the views show. */
export type SessionHit = OneSessionHit;
export type DatasetHit = OneDatasetHit;

export type SearchField = keyof SearchForm;

/** The search form as the core reads it; no other keys. */
const SearchFormSchema = sameShape<SearchForm>()(
  v.strictObject({
    subject: v.optional(v.string()),
    lab: v.optional(v.string()),
    dateFrom: v.optional(v.string()),
    dateTo: v.optional(v.string()),
    number: v.optional(v.string()),
    datasets: v.optional(v.string()),
    datasetQcLte: v.optional(v.string()),
    taskProtocol: v.optional(v.string()),
    projects: v.optional(v.string()),
  }),
);

export const SearchToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('search'), root: v.string(), form: SearchFormSchema }),
  v.object({ type: v.literal('datasets'), root: v.string(), eid: v.string() }),
  v.object({ type: v.literal('openDataset'), root: v.string(), eid: v.string(), relPath: v.string() }),
  /** object: open that object directly (a dataset row), else pick one (a session row). */
  v.object({ type: v.literal('openObject'), root: v.string(), eid: v.string(), object: v.optional(v.string()) }),
  v.object({ type: v.literal('copySnippet'), root: v.string(), form: SearchFormSchema, eid: v.optional(v.string()) }),
  v.object({ type: v.literal('buildCache') }),
  /** Opens the results of this search in an editor tab, as a sortable table. */
  v.object({ type: v.literal('openResultsTab'), root: v.string(), form: SearchFormSchema }),
  v.object({ type: v.literal('forgetRecent') }),
]);
export type SearchToExtension = v.InferOutput<typeof SearchToExtensionSchema>;
export const isSearchMessage = guardOf(SearchToExtensionSchema);

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

export const SearchResultsToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('openObject'), eid: v.string() }),
  v.object({ type: v.literal('copy'), text: v.string(), what: v.string() }),
  v.object({ type: v.literal('showInSidebar') }),
]);
export type SearchResultsToExtension = v.InferOutput<typeof SearchResultsToExtensionSchema>;
export const isSearchResultsMessage = guardOf(SearchResultsToExtensionSchema);

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

export const NpyToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('page'), offset: count(), limit: count() }),
]);
export type NpyToExtension = v.InferOutput<typeof NpyToExtensionSchema>;
export const isNpyMessage = guardOf(NpyToExtensionSchema);

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

export const ObjectToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('page'), offset: count(), limit: count() }),
  // An expression is typed by hand: a longer text is not one.
  v.object({ type: v.literal('expression'), text: v.pipe(v.string(), v.maxLength(1999)) }),
]);
export type ObjectToExtension = v.InferOutput<typeof ObjectToExtensionSchema>;
export const isObjectMessage = guardOf(ObjectToExtensionSchema);

export type ObjectToWebview =
  | { type: 'info'; info: ObjectInfoView; expression: string }
  | { type: 'page'; offset: number; columns: string[]; rows: string[][] }
  | { type: 'expression'; text: string; plot: PlotView; stats: StatsView }
  | { type: 'expressionError'; text: string; message: string }
  | { type: 'error'; message: string };

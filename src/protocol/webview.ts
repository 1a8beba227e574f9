/**
 * The typed messages between the extension and its webviews. Shared by both sides: the
 * extension imports it into dist/extension.js, the browser bundle into dist/webview.js. Plain
 * data only (no `vscode`, no DOM). Each message a webview sends is a valibot schema, from which
 * its type and its guard come (./guard.ts).
 */

import * as v from 'valibot';
import type { BuildSummary, TableFilter, TableQuery } from '../model/worker/protocol';
import { count, guardOf, sameShape } from './guard';

export type { TableFilter, TableQuery };

/** Which UI a webview page boots (the `data-view` attribute of its <body>). */
export type WebviewKind = 'buildCache' | 'table' | 'search' | 'searchResults' | 'npy' | 'object' | 'registerSession' | 'registerUnregistered' | 'alyxRecord' | 'packageRelease';

// ------------------------------------------------------------------ Build ONE Cache form

const BuildFormValuesSchema = v.object({
  folder: v.string(),
  hashFiles: v.boolean(),
  /** Empty: the folder itself (ONE's default). */
  outDir: v.string(),
  /** Empty: sessions without a lab folder get none. */
  lab: v.string(),
});
export type BuildFormValues = v.InferOutput<typeof BuildFormValuesSchema>;

export type BuildField = keyof BuildFormValues;

/** A build's summary as the form shows it: the worker's summary, plus the form's folders. */
export interface BuildSummaryView extends Omit<BuildSummary, 'fullRebuild'> {
  folder: string;
  outDir: string;
  /** An update was asked for but the whole tree was read again (see fullRebuildReason). */
  fullRebuild: boolean;
  /** The core's one line for the counts ("43 invalid file names, 44 warnings, 21 skipped (not data)"). */
  problemsLine: string;
  /** The same counts as rows, in the core's words; categories with nothing in them are left out. */
  problemRows: { label: string; count: number }[];
}

export const BuildFormToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('browse'), field: v.picklist(['folder', 'outDir']) }),
  v.object({ type: v.literal('build'), values: BuildFormValuesSchema }),
  v.object({ type: v.literal('cancel') }),
  v.object({ type: v.literal('openTable'), path: v.string() }),
  /** The result's "Package as Data Release…": the release form for that folder. */
  v.object({ type: v.literal('packageRelease'), folder: v.string() }),
]);
export type BuildFormToExtension = v.InferOutput<typeof BuildFormToExtensionSchema>;
export const isBuildFormMessage = guardOf(BuildFormToExtensionSchema);

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

/** At most this many columns or filters in one message: a page never needs more. */
const indexList = v.pipe(v.array(count()), v.maxLength(10_000));

const TableQuerySchema = sameShape<TableQuery>()(
  v.object({
    filters: v.pipe(
      v.array(
        sameShape<TableFilter>()(
          v.object({
            column: count(),
            mode: v.picklist(['equals', 'contains', 'regex']),
            value: v.pipe(v.string(), v.maxLength(10_000)),
            negate: v.optional(v.boolean()),
          }),
        ),
      ),
      v.maxLength(100),
    ),
    sort: v.optional(v.object({ column: count(), descending: v.boolean() })),
  }),
);

const TablePageRequestEntries = {
  /** Echoed in the answer: the page keeps the latest answer per request. */
  seq: v.pipe(v.number(), v.integer()),
  offset: count(),
  limit: count(),
  query: TableQuerySchema,
  /** The visible columns (hidden ones are not read). */
  columns: indexList,
  /** Asked again after a partial answer: wait for every cell. */
  complete: v.optional(v.boolean()),
};
export type TablePageRequest = v.InferOutput<v.ObjectSchema<typeof TablePageRequestEntries, undefined>>;

export const TableToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('page'), ...TablePageRequestEntries }),
  v.object({ type: v.literal('copy'), what: v.picklist(['cell', 'row']), text: v.string() }),
  v.object({ type: v.literal('exportCsv'), query: TableQuerySchema, columns: indexList }),
]);
export type TableToExtension = v.InferOutput<typeof TableToExtensionSchema>;
export const isTableMessage = guardOf(TableToExtensionSchema);

export type TableToWebview =
  | { type: 'info'; info: TableInfoView }
  /** pending: positions of the columns still being read (the session column, columns a sort scattered); the page asks again. */
  | { type: 'page'; seq: number; offset: number; rowCount: number; rowNumbers: number[]; rows: (string | null)[][]; ms: number; pending?: number[] }
  /** Decoding whole columns for a sort or filter, or writing a CSV file. */
  | { type: 'progress'; text: string; done: number; total: number }
  | { type: 'exported'; path: string; rows: number; bytes: number; ms: number }
  | { type: 'error'; message: string; seq?: number };

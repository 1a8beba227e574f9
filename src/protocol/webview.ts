/**
 * The typed messages between the extension and its webviews. Shared by both sides: the
 * extension imports it into dist/extension.js, the browser bundle into dist/webview.js. Plain
 * data only (no `vscode`, no DOM). Each message a webview sends is a valibot schema, from which
 * its type and its guard come (./guard.ts).
 */

import * as v from 'valibot';
import type { BuildSummary } from '../model/worker/protocol';
import { guardOf } from './guard';

/** Which UI a webview page boots (the `data-view` attribute of its <body>). */
export type WebviewKind = 'buildCache' | 'table' | 'search' | 'npy' | 'object' | 'registerSession' | 'alyxRecord';

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
}

export interface TableInfoView {
  fileName: string;
  rowCount: number;
  columns: TableColumnView[];
  /** one_metadata parsed, when the file has it. */
  oneMetadata: Record<string, unknown> | null;
  /** Other key-value metadata, with long values cut short. */
  otherMetadata: { key: string; value: string }[];
}

const TablePageRequestEntries = {
  offset: v.pipe(v.number(), v.integer()),
  limit: v.pipe(v.number(), v.integer()),
  sortColumn: v.optional(v.pipe(v.number(), v.integer())),
  descending: v.optional(v.boolean()),
};
export type TablePageRequest = v.InferOutput<v.ObjectSchema<typeof TablePageRequestEntries, undefined>>;

export const TableToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('page'), ...TablePageRequestEntries }),
]);
export type TableToExtension = v.InferOutput<typeof TableToExtensionSchema>;
export const isTableMessage = guardOf(TableToExtensionSchema);

export type TableToWebview =
  | { type: 'info'; info: TableInfoView }
  | { type: 'page'; request: TablePageRequest; rows: (string | null)[][] }
  | { type: 'error'; message: string };

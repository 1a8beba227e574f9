/**
 * The typed messages between the extension and its webviews. Shared by both sides: the
 * extension imports it into dist/extension.js, the browser bundle into dist/webview.js. Plain
 * data only (no `vscode`, no DOM).
 */

import type { BuildSummary } from '../model/worker/protocol';

/** Which UI a webview page boots (the `data-view` attribute of its <body>). */
export type WebviewKind = 'buildCache' | 'table' | 'search' | 'npy' | 'object' | 'registerSession' | 'alyxRecord' | 'packageRelease';

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
  | { type: 'openTable'; path: string }
  /** The result's "Package as Data Release…": the release form for that folder. */
  | { type: 'packageRelease'; folder: string };

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

export interface TablePageRequest {
  offset: number;
  limit: number;
  sortColumn?: number;
  descending?: boolean;
}

export type TableToExtension = { type: 'ready' } | ({ type: 'page' } & TablePageRequest);

export type TableToWebview =
  | { type: 'info'; info: TableInfoView }
  | { type: 'page'; request: TablePageRequest; rows: (string | null)[][] }
  | { type: 'error'; message: string };

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
    case 'packageRelease':
      return typeof v.folder === 'string';
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

export function isTableMessage(v: unknown): v is TableToExtension {
  if (!isObject(v)) return false;
  if (v.type === 'ready') return true;
  return (
    v.type === 'page' &&
    Number.isInteger(v.offset) &&
    Number.isInteger(v.limit) &&
    (v.sortColumn === undefined || Number.isInteger(v.sortColumn)) &&
    (v.descending === undefined || typeof v.descending === 'boolean')
  );
}

/**
 * Messages of the Package Data Release form (issue #10). Plain data only; shared by the
 * extension and the browser bundle.
 */

export interface ReleaseFormValues {
  folder: string;
  /** The zip to write; empty: FOLDER.zip beside the folder. */
  outFile: string;
  hashFiles: boolean;
  /** zlib level 0-9, as text from the field. */
  level: string;
}

export type ReleaseField = keyof ReleaseFormValues;

export interface LeftOutView {
  path: string;
  reason: string;
  code: string;
}

export interface ReleasePlanView {
  folder: string;
  entries: number;
  bytes: number;
  leftOut: LeftOutView[];
  documents: string[];
}

export interface ReleaseResultView {
  outFile: string;
  entries: number;
  bytesIn: number;
  bytesOut: number;
  sha256: string;
  durationMs: number;
  /** One line: the cache was current, built or updated, and why. */
  cache: string;
  leftOutCount: number;
}

export type ReleaseFormToExtension =
  | { type: 'ready' }
  | { type: 'browse'; field: 'folder' | 'outFile' }
  | { type: 'preview'; values: ReleaseFormValues }
  | { type: 'package'; values: ReleaseFormValues }
  | { type: 'cancel' }
  | { type: 'reveal'; path: string }
  | { type: 'copy'; text: string };

export type ReleaseFormToWebview =
  | { type: 'init'; values: ReleaseFormValues; force: boolean }
  | { type: 'browsed'; field: 'folder' | 'outFile'; path: string }
  | { type: 'invalid'; errors: Partial<Record<ReleaseField, string>> }
  | { type: 'plan'; plan: ReleasePlanView }
  | { type: 'running'; text: string; percent?: number }
  | { type: 'result'; result: ReleaseResultView }
  | { type: 'failed'; message: string }
  | { type: 'cancelled' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isValues(v: unknown): v is ReleaseFormValues {
  return isObject(v) && typeof v.folder === 'string' && typeof v.outFile === 'string' && typeof v.hashFiles === 'boolean' && typeof v.level === 'string';
}

/** Messages from the page are untrusted input: check their shape before acting on them. */
export function isReleaseFormMessage(v: unknown): v is ReleaseFormToExtension {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'cancel':
      return true;
    case 'browse':
      return v.field === 'folder' || v.field === 'outFile';
    case 'preview':
    case 'package':
      return isValues(v.values);
    case 'reveal':
    case 'copy':
      return typeof (v.type === 'reveal' ? v.path : v.text) === 'string';
    default:
      return false;
  }
}

/**
 * Messages of the Package Data Release form (issue #10). Plain data only; shared by the
 * extension and the browser bundle. The messages the page sends are valibot schemas (./guard.ts).
 */
import * as v from 'valibot';
import type { ReleaseResult } from '../core/release/package-release';
import { guardOf } from './guard';

const ReleaseFormValuesSchema = v.object({
  folder: v.string(),
  /** The zip to write; empty: FOLDER.zip beside the folder. */
  outFile: v.string(),
  hashFiles: v.boolean(),
  /** zlib level 0-9, as text from the field. */
  level: v.string(),
});
export type ReleaseFormValues = v.InferOutput<typeof ReleaseFormValuesSchema>;

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

/** What the form shows of the core's ReleaseResult: the cache state as its one line, the left-out files counted. */
export type ReleaseResultView = Pick<ReleaseResult, 'outFile' | 'entries' | 'bytesIn' | 'bytesOut' | 'sha256' | 'durationMs'> & {
  /** One line: the cache was current, built or updated, and why. */
  cache: string;
  leftOutCount: number;
};

export const ReleaseFormToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('browse'), field: v.picklist(['folder', 'outFile']) }),
  v.object({ type: v.literal('preview'), values: ReleaseFormValuesSchema }),
  v.object({ type: v.literal('package'), values: ReleaseFormValuesSchema }),
  v.object({ type: v.literal('cancel') }),
  v.object({ type: v.literal('reveal'), path: v.string() }),
  v.object({ type: v.literal('copy'), text: v.string() }),
]);
export type ReleaseFormToExtension = v.InferOutput<typeof ReleaseFormToExtensionSchema>;
/** Messages from the page are untrusted input: check their shape before acting on them. */
export const isReleaseFormMessage = guardOf(ReleaseFormToExtensionSchema);

export type ReleaseFormToWebview =
  | { type: 'init'; values: ReleaseFormValues; force: boolean }
  | { type: 'browsed'; field: 'folder' | 'outFile'; path: string }
  | { type: 'invalid'; errors: Partial<Record<ReleaseField, string>> }
  | { type: 'plan'; plan: ReleasePlanView }
  | { type: 'running'; text: string; percent?: number }
  | { type: 'result'; result: ReleaseResultView }
  | { type: 'failed'; message: string }
  | { type: 'cancelled' };

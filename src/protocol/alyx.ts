/**
 * Messages between the extension and the Alyx forms (Register Session; Register Weight/Water).
 * Plain data shared by both sides; the form values and their checks live in the core
 * (src/core/registration/forms.ts).
 */
import * as v from 'valibot';
import type { AlyxRecordFormValues, RegisterSessionFormValues } from '../core/registration/forms';
import type { SessionFileRow } from '../core/registration/session-form';
import { guardOf, sameShape } from './guard';
import type { SubjectWaterStatus } from '../core/registration/water-status';

export type { AlyxRecordFormValues, RegisterSessionFormValues, SessionFileRow, SubjectWaterStatus };

// ------------------------------------------------------------------ Register Session

export interface SessionInfo {
  path: string;
  lab: string | null;
  subject: string;
  date: string;
  number: string;
}

/** Pick-lists loaded from the server; null when the server has no such list (free text then). */
export interface AlyxLists {
  users: string[];
  procedures: string[] | null;
  projects: string[] | null;
  repositories: string[] | null;
  waterTypes: string[] | null;
  subjects: string[] | null;
}

export interface PlannedRequestView {
  method: string;
  path: string;
  body: unknown;
}

export interface MoveView {
  from: string;
  to: string;
}

export interface RegisteredFileView {
  rel: string;
  id?: string;
  /** The path it was registered under when moved into a revision folder. */
  registeredAs?: string;
  error?: string;
}

export type RegisterToWebview =
  | {
      type: 'init'; session: SessionInfo; server: string; values: RegisterSessionFormValues; lists: AlyxLists; files: SessionFileRow[]; force: boolean;
      /** How a lab adds a dataset type, shown when some file matches none. */
      datasetTypeHint?: string;
    }
  | { type: 'progress'; text: string; percent?: number }
  | { type: 'preview'; requests: PlannedRequestView[]; moves: MoveView[]; notes: string[] }
  | {
      type: 'registered'; sessionUrl: string; eid: string; created: boolean; files: RegisteredFileView[]; moves: MoveView[];
      /** Set when the session was created/updated but registering its files failed (each file then has an error). */
      filesError?: string;
    }
  | { type: 'invalid'; errors: Record<string, string> }
  | { type: 'failed'; message: string; unreachable: boolean }
  | { type: 'idle'; message?: string };

/** The Register Session form as the core reads it (src/core/registration/forms.ts). */
const RegisterSessionValuesSchema = sameShape<RegisterSessionFormValues>()(
  v.object({
    users: v.array(v.string()),
    startTime: v.string(),
    endTime: v.string(),
    procedures: v.array(v.string()),
    projects: v.array(v.string()),
    taskProtocol: v.string(),
    location: v.string(),
    nTrials: v.string(),
    nCorrectTrials: v.string(),
    json: v.string(),
    files: v.array(v.string()),
    repository: v.string(),
    serverOnly: v.boolean(),
    maxHashMb: v.string(),
  }),
);

export const RegisterToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('preview'), values: RegisterSessionValuesSchema }),
  v.object({ type: v.literal('register'), values: RegisterSessionValuesSchema }),
  v.object({ type: v.literal('cancel') }),
  v.object({ type: v.literal('showDetails') }),
  v.object({ type: v.literal('reload') }),
]);
export type RegisterToExtension = v.InferOutput<typeof RegisterToExtensionSchema>;
export const isRegisterMessage = guardOf(RegisterToExtensionSchema);

// ------------------------------------------------------------------ Register Weight / Water

export interface CreatedRecordView {
  kind: 'weight' | 'water';
  url: string;
  fields: Array<[string, string]>;
}

export type RecordToWebview =
  | { type: 'init'; values: AlyxRecordFormValues; lists: AlyxLists; server: string; force: boolean }
  | { type: 'busy'; text: string }
  | { type: 'created'; record: CreatedRecordView }
  | { type: 'invalid'; errors: Record<string, string> }
  | { type: 'failed'; message: string; unreachable: boolean }
  /** The subject's weight and water as Alyx computes them (null with `message` when it could not be read). */
  | { type: 'subjectStatus'; subject: string; status: SubjectWaterStatus | null; message?: string };

/** The Weight/Water form as the core reads it (src/core/registration/forms.ts). */
const RecordValuesSchema = sameShape<AlyxRecordFormValues>()(
  v.object({
    kind: v.picklist(['weight', 'water']),
    subject: v.string(),
    amount: v.string(),
    dateTime: v.string(),
    user: v.string(),
    waterType: v.string(),
    session: v.string(),
    adlib: v.boolean(),
  }),
);

export const RecordToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('submit'), values: RecordValuesSchema }),
  v.object({ type: v.literal('reload') }),
  v.object({ type: v.literal('showDetails') }),
  /** The user chose a subject: send its status. */
  v.object({ type: v.literal('subject'), subject: v.string() }),
]);
export type RecordToExtension = v.InferOutput<typeof RecordToExtensionSchema>;
export const isRecordMessage = guardOf(RecordToExtensionSchema);

// ------------------------------------------------------------------ Register Unregistered

/** One session of the Register Unregistered form: what it would send and move (paths relative to the session). */
export interface UnregisteredSessionView {
  /** Root-relative path, as the Sessions view shows it. */
  path: string;
  /** Alyx has no such session: it is created (POST /sessions); else only its files are registered. */
  create: boolean;
  files: string[];
  requests?: PlannedRequestView[];
  moves?: MoveView[];
  notes?: string[];
  /** The dry run of this session failed (Register tries it again). */
  error?: string;
}

/** One session's outcome after Register. */
export interface SessionResultView {
  path: string;
  outcome: 'registered' | 'failed' | 'skipped' | 'cancelled';
  created: boolean;
  eid: string | null;
  files: RegisteredFileView[];
  /** Moves that stand (also after a failure). */
  moves: MoveView[];
  movedBack: MoveView[];
  error?: string;
}

/** Where the form stands: the page shows it above the sessions. */
export type UnregisteredStatus = { kind: 'idle'; message?: string } | { kind: 'running'; text: string; percent?: number } | { kind: 'failed'; message: string; unreachable: boolean };

/**
 * The whole form, sent again whenever it changes (the page keeps nothing of its own to lose):
 * the sessions with their preview once it ran, each session's result once registered.
 */
export interface UnregisteredFormView {
  server: string;
  /** `subject algernon`, `lab cortexlab`, `session …`, `the open folders`. */
  scope: string;
  sessions: UnregisteredSessionView[];
  previewed: boolean;
  /** Protected files the preview says would move. */
  moves: number;
  /** More than 50 sessions: Register asks for the count first. */
  needsCountConfirmation: boolean;
  results: SessionResultView[];
  /** One line once a run ended. */
  summary?: string;
  status: UnregisteredStatus;
}

export type UnregisteredToWebview =
  | ({ type: 'init'; force: boolean } & UnregisteredFormView)
  | { type: 'progress'; text: string; percent?: number };

export const UnregisteredToExtensionSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('preview') }),
  v.object({ type: v.literal('register') }),
  v.object({ type: v.literal('cancel') }),
  v.object({ type: v.literal('showDetails') }),
]);
export type UnregisteredToExtension = v.InferOutput<typeof UnregisteredToExtensionSchema>;
export const isUnregisteredMessage = guardOf(UnregisteredToExtensionSchema);

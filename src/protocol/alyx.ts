/**
 * Messages between the extension and the Alyx forms (Register Session; Register Weight/Water).
 * Plain data shared by both sides; the form values and their checks live in the core
 * (src/core/registration/forms.ts).
 */
import type { AlyxRecordFormValues, RegisterSessionFormValues } from '../core/registration/forms';
import type { SessionFileRow } from '../core/registration/session-form';
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

export type RegisterToExtension =
  | { type: 'ready' }
  | { type: 'preview'; values: RegisterSessionFormValues }
  | { type: 'register'; values: RegisterSessionFormValues }
  | { type: 'cancel' }
  | { type: 'showDetails' }
  | { type: 'reload' };

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

export type RecordToExtension =
  | { type: 'ready' } | { type: 'submit'; values: AlyxRecordFormValues } | { type: 'reload' } | { type: 'showDetails' }
  /** The user chose a subject: send its status. */
  | { type: 'subject'; subject: string };

// ------------------------------------------------------------------ guards (extension side)

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function isRegisterSessionValues(v: unknown): v is RegisterSessionFormValues {
  if (!isObject(v)) return false;
  const strings = ['startTime', 'endTime', 'taskProtocol', 'location', 'nTrials', 'nCorrectTrials', 'json', 'repository', 'maxHashMb'];
  return (
    strings.every((k) => typeof v[k] === 'string') &&
    isStrings(v.users) && isStrings(v.procedures) && isStrings(v.projects) && isStrings(v.files) && typeof v.serverOnly === 'boolean'
  );
}

export function isRegisterMessage(v: unknown): v is RegisterToExtension {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'cancel':
    case 'showDetails':
    case 'reload':
      return true;
    case 'preview':
    case 'register':
      return isRegisterSessionValues(v.values);
    default:
      return false;
  }
}

export function isRecordValues(v: unknown): v is AlyxRecordFormValues {
  if (!isObject(v)) return false;
  return (
    (v.kind === 'weight' || v.kind === 'water') &&
    ['subject', 'amount', 'dateTime', 'user', 'waterType', 'session'].every((k) => typeof v[k] === 'string') &&
    typeof v.adlib === 'boolean'
  );
}

export function isRecordMessage(v: unknown): v is RecordToExtension {
  if (!isObject(v)) return false;
  if (v.type === 'ready' || v.type === 'reload' || v.type === 'showDetails') return true;
  if (v.type === 'subject') return typeof v.subject === 'string';
  return v.type === 'submit' && isRecordValues(v.values);
}

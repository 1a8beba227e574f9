/**
 * The editor's registration forms as plain data: what the user typed (strings, as the fields
 * hold them), checked and turned into the registration client's options, and server errors
 * mapped back onto the field they concern. No `vscode`, no DOM: unit-tested in test/unit.
 */
import { AlyxHttpError } from '../alyx/errors';
import { AlyxMemberNotFoundError, InvalidInputError } from './errors';
import type { RegisterSessionOptions } from './types';
import { errorMessage } from '../util/errors';

/** The Register Session form, as its fields hold it. */
export interface RegisterSessionFormValues {
  users: string[];
  /** `yyyy-mm-dd hh:mm[:ss]` (or with a `T`), as typed; or empty. */
  startTime: string;
  endTime: string;
  procedures: string[];
  projects: string[];
  taskProtocol: string;
  location: string;
  nTrials: string;
  nCorrectTrials: string;
  /** JSON object text, or empty. */
  json: string;
  /** Files to register, relative to the session folder (posix). */
  files: string[];
  /** Data repository name; empty: the lab's repositories, as the server decides. */
  repository: string;
  serverOnly: boolean;
  /** Files of this many MB or more are registered without md5; empty: hash every file. */
  maxHashMb: string;
}

export type RegisterSessionField = keyof RegisterSessionFormValues | 'subject' | 'lab' | 'date' | 'number';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export interface ParsedSessionForm {
  options: RegisterSessionOptions;
  errors: FieldErrors<RegisterSessionField>;
}

/**
 * Checks the form and builds `registerSession` options. `sessionDate` is the folder's date:
 * a start time on another day is refused here (the client would refuse it too, later).
 */
export function parseRegisterSessionForm(values: RegisterSessionFormValues, sessionPath: string, sessionDate: string): ParsedSessionForm {
  const errors: FieldErrors<RegisterSessionField> = {};
  const users = values.users.map((u) => u.trim()).filter(Boolean);
  if (!users.length) errors.users = 'Choose at least one user.';
  const start = isoDateTime(values.startTime);
  if (start && !isLocalDateTime(start)) errors.startTime = 'Give a date and time as yyyy-mm-dd hh:mm, e.g. 2024-05-02 09:30.';
  else if (start && start.slice(0, 10) !== sessionDate) errors.startTime = `The start must be on the session's date, ${sessionDate}.`;
  const end = isoDateTime(values.endTime);
  if (end && !isLocalDateTime(end)) errors.endTime = 'Give a date and time as yyyy-mm-dd hh:mm, e.g. 2024-05-02 10:30.';
  else if (end && start && !errors.startTime && end < start) errors.endTime = 'The end is before the start.';
  const nTrials = wholeNumber(values.nTrials, 'nTrials', errors);
  const nCorrect = wholeNumber(values.nCorrectTrials, 'nCorrectTrials', errors);
  if (nTrials !== undefined && nCorrect !== undefined && nCorrect > nTrials) errors.nCorrectTrials = 'More correct trials than trials.';
  let json: Record<string, unknown> | undefined;
  if (values.json.trim()) {
    try {
      const parsed = JSON.parse(values.json) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) errors.json = 'Give a JSON object, e.g. {"rig": "A"}.';
      else json = parsed as Record<string, unknown>;
    } catch (err) {
      errors.json = `Not valid JSON: ${errorMessage(err)}`;
    }
  }
  let maxMd5Size: number | null = null;
  if (values.maxHashMb.trim()) {
    const mb = Number(values.maxHashMb.trim());
    if (!/^\d+(\.\d+)?$/.test(values.maxHashMb.trim()) || !Number.isFinite(mb)) errors.maxHashMb = 'A size in MB (e.g. 500), or empty to hash every file.';
    else maxMd5Size = Math.round(mb * 1024 * 1024);
  }
  const base = sessionPath.replace(/[\\/]+$/, '');
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  const options: RegisterSessionOptions = {
    users,
    fileList: values.files.map((f) => `${base}${sep}${f.split('/').join(sep)}`),
    ...(start ? { startTime: withSeconds(start) } : {}),
    ...(end ? { endTime: withSeconds(end) } : {}),
    ...(values.procedures.length ? { procedures: [...values.procedures] } : {}),
    ...(values.projects.length ? { projects: [...values.projects] } : {}),
    ...(values.taskProtocol.trim() ? { taskProtocol: values.taskProtocol.trim() } : {}),
    ...(values.location.trim() ? { location: values.location.trim() } : {}),
    ...(nTrials !== undefined ? { nTrials } : {}),
    ...(nCorrect !== undefined ? { nCorrectTrials: nCorrect } : {}),
    ...(json ? { json } : {}),
    files: {
      ...(values.repository.trim() ? { repository: values.repository.trim() } : {}),
      serverOnly: values.serverOnly,
      maxMd5Size,
    },
  };
  return { options, errors };
}

/** The Register Weight / Register Water forms. */
export interface AlyxRecordFormValues {
  kind: 'weight' | 'water';
  subject: string;
  /** Grams (weight) or millilitres (water), as typed. */
  amount: string;
  /** `yyyy-mm-dd hh:mm[:ss]` (or with a `T`). */
  dateTime: string;
  user: string;
  waterType: string;
  /** Session UUID or URL (water only), optional. */
  session: string;
  adlib: boolean;
}

export type AlyxRecordField = keyof AlyxRecordFormValues;

export function parseAlyxRecordForm(values: AlyxRecordFormValues): { amount: number; dateTime: string; errors: FieldErrors<AlyxRecordField> } {
  const errors: FieldErrors<AlyxRecordField> = {};
  if (!values.subject.trim()) errors.subject = 'Choose a subject.';
  const unit = values.kind === 'weight' ? 'grams' : 'millilitres';
  const text = values.amount.trim();
  const amount = Number(text);
  if (!text) errors.amount = `Give the ${values.kind === 'weight' ? 'weight' : 'volume'} in ${unit}.`;
  else if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) || !Number.isFinite(amount) || amount <= 0) errors.amount = `A positive number of ${unit}, e.g. ${values.kind === 'weight' ? '23.4' : '1.5'}.`;
  const dt = isoDateTime(values.dateTime);
  if (!isLocalDateTime(dt)) errors.dateTime = 'Give a date and time as yyyy-mm-dd hh:mm, e.g. 2024-05-02 09:30.';
  if (!values.user.trim()) errors.user = 'Choose a user.';
  if (values.kind === 'water' && values.session.trim() && !/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/?$/i.test(values.session.trim())) {
    errors.session = 'A session UUID (eid) or a URL ending with one; or leave empty.';
  }
  return { amount, dateTime: dt ? withSeconds(dt) : dt, errors };
}

/** Fields of the server's session and file bodies, as the forms name them. */
const SERVER_FIELDS: Record<string, string> = {
  subject: 'subject',
  users: 'users',
  user: 'user',
  lab: 'lab',
  labs: 'lab',
  number: 'number',
  start_time: 'startTime',
  end_time: 'endTime',
  procedures: 'procedures',
  projects: 'projects',
  task_protocol: 'taskProtocol',
  location: 'location',
  n_trials: 'nTrials',
  n_correct_trials: 'nCorrectTrials',
  json: 'json',
  name: 'repository',
  server_only: 'serverOnly',
  created_by: 'users',
  weight: 'amount',
  water_administered: 'amount',
  date_time: 'dateTime',
  water_type: 'waterType',
  session: 'session',
  adlib: 'adlib',
};

/** Option names of the registration client, as the forms name them. */
const OPTION_FIELDS: Record<string, string> = {
  startTime: 'startTime',
  endTime: 'endTime',
  nTrials: 'nTrials',
  nCorrectTrials: 'nCorrectTrials',
  users: 'users',
  lab: 'lab',
  maxMd5Size: 'maxHashMb',
  files: 'files',
  createdBy: 'users',
  volume: 'amount',
  weight: 'amount',
  dateTime: 'dateTime',
  user: 'user',
  session: 'session',
  sessionPath: 'subject',
};

const ENDPOINT_FIELDS: Record<string, string> = { subjects: 'subject', users: 'users', labs: 'lab', projects: 'projects', 'data-repository': 'repository', repositories: 'repository' };

/**
 * The form fields an error names, each with its message; empty when it names none (the caller
 * then shows a notification). `userField` is what the form calls its user(s) field.
 */
export function fieldErrorsOf(err: unknown, userField: 'users' | 'user' = 'users'): Record<string, string> {
  const fix = (field: string) => (field === 'users' || field === 'user' ? userField : field);
  if (err instanceof InvalidInputError) {
    const field = OPTION_FIELDS[err.field];
    return field ? { [fix(field)]: err.message } : {};
  }
  if (err instanceof AlyxMemberNotFoundError) {
    const field = ENDPOINT_FIELDS[err.endpoint];
    return field ? { [fix(field)]: err.message } : {};
  }
  if (err instanceof AlyxHttpError && err.status === 400 && err.body && typeof err.body === 'object' && !Array.isArray(err.body)) {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(err.body as Record<string, unknown>)) {
      const field = SERVER_FIELDS[key];
      if (!field) continue;
      const text = Array.isArray(value) ? value.map(String).join(' ') : typeof value === 'string' ? value : JSON.stringify(value);
      out[fix(field)] = text;
    }
    return out;
  }
  return {};
}

/** `yyyy-mm-ddThh:mm` for a local date. */
export function localDateTimeString(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}

/**
 * `yyyy-mm-dd hh:mm` for a local date, as the forms show dates: ISO order whatever the browser's
 * locale (a datetime-local field would show 05/02/2024, 09:30 AM in one locale and 02.05.2024 in another).
 */
export function formDateTimeText(date: Date): string {
  return localDateTimeString(date).replace('T', ' ');
}

/** A typed date and time with the space (or spaces) between date and time made the `T` Alyx takes. */
function isoDateTime(text: string): string {
  return text.trim().replace(/^(\d{4}-\d{2}-\d{2})\s+(?=\d)/, '$1T');
}

function isLocalDateTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

function withSeconds(text: string): string {
  return /T\d{2}:\d{2}$/.test(text) ? `${text}:00` : text;
}

function wholeNumber(text: string, field: 'nTrials' | 'nCorrectTrials', errors: FieldErrors<RegisterSessionField>): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (!/^\d+$/.test(t)) {
    errors[field] = 'A whole number ≥ 0, or empty.';
    return undefined;
  }
  return Number(t);
}

import type { ProgressOptions } from '../progress';

/** What Alyx knows of a local session. `unknown` is never a guess: it carries why the server could not tell. */
export type SessionState = 'registered' | 'not-registered' | 'unknown';

/** What Alyx knows of one file of a registered session (the names scripts read from `alf status --json`). */
export type FileState = 'registered' | 'changed' | 'not-registered' | 'not-registrable' | 'server-only';

export const FILE_STATES: readonly FileState[] = ['registered', 'changed', 'not-registered', 'not-registrable', 'server-only'];

/** Why the server could not be asked: shown as one line with what to do (log in, retry). */
export type UnknownKind = 'logged-out' | 'unreachable' | 'http-error';

export interface FileStatus {
  /** Posix, relative to the session folder (`alf/#2024-01-01#/trials.intervals.npy`). */
  relPath: string;
  state: FileState;
  reason?: string;
  /** The Alyx dataset compared with (registered, changed, server-only). */
  datasetId?: string;
  /** Where the dataset sits on Alyx when that is not `relPath` (a protected file registered into a revision). */
  registeredAs?: string;
  localSize?: number;
  serverSize?: number | null;
  localMd5?: string;
  serverMd5?: string | null;
  /** The dataset is protected on Alyx (registering a changed file moves it into a revision). */
  protected?: boolean;
}

export interface SessionStatus extends LocalSession {
  state: SessionState;
  /** The Alyx session UUID when registered. */
  eid: string | null;
  reason?: string;
  unknownKind?: UnknownKind;
  /** Empty for `unknown` sessions: without the server no file can be said (not) registered. */
  files: FileStatus[];
}

/** A local session folder to ask about. */
export interface LocalSession {
  /** Posix, relative to its root (shown and printed). */
  path: string;
  absPath: string;
  lab: string | null;
  subject: string;
  date: string;
  number: number;
}

export interface AlyxStatusOptions extends ProgressOptions {
  /** Compare md5s as well as sizes (reads every file that Alyx has a hash for). */
  hash?: boolean;
  /** Requests in flight at once (default and most: 4). */
  concurrency?: number;
  /** The clock for the revision a protected file would be registered into; tests pin it. */
  now?: () => Date;
  /**
   * Milliseconds of work between two yields to the event loop (default 10): listing, comparing
   * and reporting sessions run in slices, so the thread that asks stays responsive.
   * `Infinity` runs without slices (for measuring what they cost and save).
   */
  sliceMs?: number;
  /** Each session's status as soon as it is known (to show it early; in the result's order unless hashing). */
  onSession?: (status: SessionStatus) => void;
}

export interface AlyxStatusResult {
  sessions: SessionStatus[];
  /** HTTP requests this run sent (retries included). */
  requests: number;
  /** Set when no session could be asked at all (logged out, unreachable). */
  unknown?: { kind: UnknownKind; reason: string };
}

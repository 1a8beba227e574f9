import type { RegisteredDataset, SessionRecord } from '../alyx/records';
import type { ProgressOptions } from '../progress';
import type { Md5Memo } from './md5';
import type { FileMove } from './moves';

export type SkipReason = 'no-session-path' | 'unknown-extension' | 'no-dataset-type' | 'several-dataset-types';

/** A file that was not registered, and why (ONE drops these with a debug log line). */
export interface SkippedFile {
  file: string;
  reason: SkipReason;
  message: string;
  /** For `no-dataset-type`: the types whose object.attribute come closest (nearest first; may be empty). */
  closest?: Array<{ name: string; filename_pattern: string }>;
}

/** The body of one `POST /register-file` (field names and order as ONE sends them). */
export interface RegisterFileBody {
  created_by: string;
  /** `subject/yyyy-mm-dd/NNN`. */
  path: string;
  filenames: string[];
  hashes: Array<string | null>;
  filesizes: number[];
  name: string | null;
  exists: boolean;
  server_only: boolean;
  default: boolean;
  versions: Array<string | null>;
  check_protected: boolean;
  labs?: string;
  [extra: string]: unknown;
}

/** A request as sent (or, in a dry run, as it would be sent). */
export interface PlannedRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  body?: unknown;
}

export interface RegisterFilesOptions extends ProgressOptions {
  /** One version for all files, or one per file (cycled, as ONE does). */
  versions?: string | null | ReadonlyArray<string | null>;
  default?: boolean;
  /** Alyx user recorded as creator; default: the logged-in user. */
  createdBy?: string;
  serverOnly?: boolean;
  repository?: string | null;
  exists?: boolean;
  /** Build the request bodies and predict revision moves without posting or moving anything. */
  dry?: boolean;
  /** Files of this many bytes or more are registered without an md5 (`null` hash). */
  maxMd5Size?: number | null;
  /** md5s computed earlier (e.g. by a Preview), reused for files whose size and mtime are unchanged. */
  md5Memo?: Md5Memo;
  /** Called with each request just before it is sent, so a caller can show the body of one that failed. */
  onRequest?: (request: PlannedRequest) => void;
  /**
   * Asked before protected files are moved into a revision folder (the moves the server's 403
   * calls for); false stops with `MovesDeclinedError`, nothing moved. Without it, moves are made as ONE makes them.
   */
  confirmMoves?: (moves: readonly FileMove[]) => boolean | Promise<boolean>;
  /** Extra fields passed straight into the request body (e.g. `labs`, `qc`). */
  extra?: Record<string, unknown>;
}

export interface RegisterFilesResult {
  /** One entry per input file, in input order: the dataset record, or null when not registered (or dry). */
  records: Array<RegisteredDataset | null>;
  /** Files left out before any request, each with its reason. */
  skipped: SkippedFile[];
  /** Files moved into revision folders that stay there (predicted ones in a dry run). */
  moves: FileMove[];
  /** Files moved into a revision folder and then back, because the server refused the retry. */
  movedBack: FileMove[];
  /** The `POST /register-file` bodies, in order (in a dry run, those that would be sent). */
  requests: PlannedRequest[];
  /** Dry runs only: sessions whose protection could not be checked, with the reason. */
  unchecked: Array<{ session: string; reason: string }>;
  dry: boolean;
}

export interface RegisterSessionOptions extends ProgressOptions {
  users?: string | readonly string[];
  /** true: every registrable file in the folder; false: none; or a list of files. */
  fileList?: boolean | readonly string[];
  location?: string;
  procedures?: string | readonly string[];
  nCorrectTrials?: number;
  nTrials?: number;
  json?: Record<string, unknown> | string;
  projects?: string | readonly string[];
  /** Session type; default 'Experiment'. */
  type?: string;
  taskProtocol?: string;
  lab?: string;
  startTime?: string | Date;
  endTime?: string | Date;
  dry?: boolean;
  /** Options for the file registration that follows. */
  files?: Omit<RegisterFilesOptions, keyof ProgressOptions | 'dry'>;
}

export interface RegisterSessionResult {
  /** The created or updated session (null in a dry run). With `data_dataset_session_related` once files are registered. */
  session: SessionRecord | null;
  /** Whether the session was new (`POST /sessions`) or existed (`PUT /sessions/<id>`). */
  created: boolean;
  request: PlannedRequest;
  /** Null when `fileList` is false. */
  files: RegisterFilesResult | null;
}

export interface CreateSessionsResult {
  /** Every flagged session folder, sorted. */
  sessionPaths: string[];
  /** One per folder: its session (null in a dry run, or not reached when the call failed). */
  records: Array<RegisterSessionResult | null>;
}

export interface CreateNewSessionOptions extends Omit<RegisterSessionOptions, 'startTime'> {
  /** Where `subject/date/NNN` is made; default: ONE's cache folder for the server. */
  sessionRoot?: string;
  date?: string | Date;
  /** Also create the session on Alyx (default true). */
  register?: boolean;
}

export interface CreateSessionsOptions extends ProgressOptions {
  globPattern?: string;
  registerFiles?: boolean;
  dry?: boolean;
}

export interface WaterAdministrationOptions {
  dateTime?: string | Date;
  waterType?: string;
  user?: string;
  /** Session UUID, or a URL or record ending with it. */
  session?: string | { url: string };
  adlib?: boolean;
  signal?: AbortSignal;
}

export interface WeightOptions {
  dateTime?: string | Date;
  user?: string;
  signal?: AbortSignal;
}

/**
 * The Alyx records this project reads, as the server sends them. Only the fields we use are
 * typed; servers add more. Types differ between endpoints (see docs/alyx.md): parse defensively.
 */

export interface SubjectRecord {
  nickname: string;
  id?: string;
  lab?: string | null;
  responsible_user?: string | null;
  projects?: string[];
  [key: string]: unknown;
}

export interface UserRecord {
  username: string;
  id?: number | string;
  [key: string]: unknown;
}

export interface DatasetTypeRecord {
  name: string;
  /** fnmatch pattern; empty (or null) means "match `object.attribute` against the name". */
  filename_pattern: string | null;
  id?: string;
  description?: string;
  created_by?: string | null;
  [key: string]: unknown;
}

export interface DataFormatRecord {
  name: string;
  /** With the leading dot, e.g. `.npy`. */
  file_extension: string;
  [key: string]: unknown;
}

export interface SessionRecord {
  /** Ends with the session UUID. */
  url: string;
  id?: string;
  subject: string;
  users?: string[];
  lab?: string | null;
  number?: number;
  start_time?: string | null;
  end_time?: string | null;
  type?: string | null;
  task_protocol?: string;
  procedures?: string[];
  projects?: string[];
  [key: string]: unknown;
}

export interface FileRecordSummary {
  id: string;
  data_repository: string;
  relative_path: string;
  exists: boolean;
}

/** One element of `POST /register-file`'s answer. */
export interface RegisteredDataset {
  id: string;
  name: string;
  file_size: number | null;
  subject: string | null;
  created_by: string;
  created_datetime: string;
  dataset_type: string;
  data_format: string;
  session?: string;
  session_number?: number;
  collection: string;
  revision: string;
  default: boolean;
  /** An integer here, a name (`NOT_SET`) in `/datasets`. */
  qc: number | string;
  file_records: FileRecordSummary[];
  [key: string]: unknown;
}

/** `{filename: [{revision: protected}, …]}`: newest revision first, the original (`""`) last. */
export type ProtectionDetail = Record<string, Array<Record<string, boolean>>>;

/** `GET /check-protected` always answers HTTP 200; the verdict is `status_code`. */
export interface CheckProtectedResponse {
  status_code: number;
  error?: string;
  details: ProtectionDetail[] | string;
}

export interface WeighingRecord {
  subject: string;
  date_time: string;
  weight: number;
  user: string;
  url: string;
  [key: string]: unknown;
}

export interface WaterAdministrationRecord {
  subject: string;
  date_time: string;
  water_administered: number;
  water_type: string;
  user: string;
  adlib: boolean;
  session: string | null;
  url: string;
  [key: string]: unknown;
}

/** The session UUID at the end of a record URL, or the id itself. */
export function uuidFromUrl(urlOrId: string): string {
  const last = urlOrId.replace(/\/+$/, '').split('/').pop() ?? urlOrId;
  return last;
}

/** The rows of ONE's cache tables, as plain values (see docs/one-cache-format.md in shared). */
import type { ProblemCode } from '../alf/problems';

export const QC_NAMES = ['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'] as const;
export type QcName = (typeof QC_NAMES)[number];

export interface SessionRow {
  /** Session UUID (lower-case, hyphenated). Index column `id`. */
  id: string;
  lab: string;
  subject: string;
  /** ISO date, yyyy-mm-dd. */
  date: string;
  number: number;
  task_protocol: string;
  projects: string;
}

export interface DatasetRow {
  /** Session UUID. Index column `eid`. */
  eid: string;
  /** Dataset UUID. Index column `id`. (eid, id) is the key. */
  id: string;
  /** Path relative to the session folder, posix separators, including the file name. */
  rel_path: string;
  file_size: number | null;
  hash: string | null;
  exists: boolean;
  qc: QcName;
  /**
   * Alyx's `default_revision` (caches made by Alyx have it; ONE's make_parquet_db and our build
   * do not): whether this is the revision ONE loads by default. Absent when the table has no such column.
   */
  default_revision?: boolean;
}

/** `one_metadata` of a table: `date_created` is required by ONE's `load_tables`. */
export interface CacheMetadata {
  date_created: string;
  origin: string | string[];
  [key: string]: unknown;
}

/** One file of a session, as found on disk by the scanner. */
export interface ScannedDataset {
  /** Path relative to the session folder (posix): the datasets table's `rel_path`. */
  relPath: string;
  /** Path relative to the scanned root (posix). */
  path: string;
  size: number;
  mtimeMs: number;
  collection: string | null;
  revision: string | null;
  /** md5 hex when hashing was asked for. */
  hash?: string;
}

/** One session folder found by the scanner. */
export interface ScannedSession {
  /** Stable session UUID (name-based, see src/core/cache/ids.ts). */
  eid: string;
  /** ONE's pre-hash session id: 'lab/subject/date/number' or 'subject/date/number'. */
  strId: string;
  /** Session folder relative to the scanned root (posix). */
  path: string;
  lab: string | null;
  subject: string;
  /** yyyy-mm-dd */
  date: string;
  number: number;
  datasets: ScannedDataset[];
}

/** Something under the root that was not indexed, with a reason a person understands. */
export interface SkippedEntry {
  /** Path relative to the scanned root (posix); a folder when `isFolder`. */
  path: string;
  reason: string;
  /** Stable problem code (see PROBLEM_CODES in src/core/alf). */
  code: ProblemCode;
  isFolder: boolean;
  /** A suggested new base name for `path`, when one can be derived. */
  fix?: string;
}

/** Something valid but probably unintended (indexed anyway), e.g. an upper-case extension. */
export interface ScanWarning {
  /** Root-relative posix path of the file or folder concerned. */
  path: string;
  code: ProblemCode;
  message: string;
  isFolder: boolean;
  /** A suggested new base name for `path`. */
  fix?: string;
}

export interface ScanResult {
  root: string;
  sessions: ScannedSession[];
  skipped: SkippedEntry[];
  warnings: ScanWarning[];
  /** Files examined (indexed + skipped). */
  fileCount: number;
  durationMs: number;
}

/**
 * What the extension keeps of one file under a root, as the core classified it. Plain data:
 * these records cross the worker-thread boundary, so they hold no classes and no `vscode` types.
 * All paths are relative to the root, with posix separators.
 */

export interface SessionKey {
  /** Session folder, root-relative. */
  path: string;
  lab: string | null;
  subject: string;
  /** yyyy-mm-dd */
  date: string;
  number: number;
  /** ONE's pre-hash session id: 'lab/subject/date/number' or 'subject/date/number'. */
  strId: string;
}

/** Something wrong with a file or folder name; one per offending path, however many files sit below it. */
export interface Problem {
  /** The offending file or folder, root-relative. */
  at: string;
  isFolder: boolean;
  /** Stable code from the core's PROBLEM_CODES. */
  code: string;
  message: string;
  /** A valid new base name for `at`, when the core could derive one. */
  fix?: string;
  /** The session the offending path belongs to, when it is inside one. */
  session?: SessionKey;
  /** 'error' for names and folders ALF rejects (the invalid categories); 'warning' for the rest. */
  level: 'error' | 'warning';
  /** The core's category (categoryOf): what every surface counts it as. */
  category: 'invalid-file' | 'invalid-folder' | 'warning' | 'skipped' | 'outside';
}

/** Problems are keyed by path and code: one path can have several (a name with two oddities). */
export const problemId = (p: Pick<Problem, 'at' | 'code'>): string => `${p.at}\u0000${p.code}`;

interface FileBase {
  path: string;
  mtimeMs: number;
}

export interface DatasetFile extends FileBase {
  kind: 'dataset';
  session: SessionKey;
  /** Path relative to the session folder (the datasets table's rel_path). */
  relPath: string;
  collection: string | null;
  revision: string | null;
  /** Warnings about a valid but unusual name: each is also a Problem of level 'warning'. */
  notes: Problem[];
}

export interface InvalidFile extends FileBase {
  kind: 'invalid';
  problem: Problem;
}

export interface OutsideFile extends FileBase {
  kind: 'outside';
  /** True when the base name itself is a valid ALF name (shown under "Outside sessions"). */
  alfName: boolean;
}

export type IndexedFile = DatasetFile | InvalidFile | OutsideFile;

/** What the extension host keeps of a session: enough for the view's labels, counts and staleness. */
export interface SessionSummary {
  key: SessionKey;
  datasetCount: number;
  /** Error-level problems inside the session (the "invalid" count). */
  errorCount: number;
  /** Ids of every problem of the session (errors and warnings). */
  problemIds: string[];
  /** Latest mtime of the session's files. */
  maxMtimeMs: number;
}

/** The datasets of one session, fetched when the session is expanded in the view. */
export interface SessionContents {
  datasets: DatasetFile[];
}

/**
 * What changed in a root's index, as the worker sends it: the extension host mirrors sessions,
 * problems and outside files, never the full file list.
 */
export interface RootDelta {
  sessions: SessionSummary[];
  removedSessions: string[];
  problemsAdded: Problem[];
  problemsRemoved: Problem[];
  outsideAdded: string[];
  outsideRemoved: string[];
}

/** A change on disk, root-relative. */
export interface FileEvent {
  path: string;
  kind: 'created' | 'changed' | 'deleted';
}

/**
 * The categories every surface counts problems in (Problems panel, Sessions view, status bar,
 * build summary, `alf validate`), with the words each one uses. Defined once here, from the
 * problem codes, so that the same tree gives the same numbers with the same words everywhere.
 */
import { PROBLEM_CODES, type ProblemCode } from './problems';

/**
 * - `invalid-file`: a file name ALF rejects; the file is not indexed.
 * - `invalid-folder`: a folder name (or session folder) ALF rejects; nothing below it is indexed.
 * - `warning`: a valid name that is probably a mistake; indexed anyway.
 * - `skipped`: not indexed, and not an ALF mistake: not data (system, editor, flag files) or unreadable.
 * - `outside`: a file outside every session folder; not indexed and not checked.
 */
export type ProblemCategory = 'invalid-file' | 'invalid-folder' | 'warning' | 'skipped' | 'outside';

/** Why a `skipped` entry was not indexed. */
export type SkipWhy = 'not-data' | 'unreadable' | 'root-in-session';

export interface CategoryWords {
  readonly one: string;
  readonly many: string;
  /** One line: what it means for the cache. */
  readonly meaning: string;
}

export const CATEGORY_WORDS: Readonly<Record<ProblemCategory, CategoryWords>> = {
  'invalid-file': { one: 'invalid file name', many: 'invalid file names', meaning: 'the name breaks the ALF rules, so the file is not indexed' },
  'invalid-folder': { one: 'invalid folder', many: 'invalid folders', meaning: 'a folder name breaks the ALF rules, so nothing below it is indexed' },
  warning: { one: 'warning', many: 'warnings', meaning: 'a valid name that is probably a mistake; indexed anyway' },
  skipped: { one: 'skipped', many: 'skipped', meaning: 'not data (system, editor or flag files) or unreadable, so not indexed' },
  outside: { one: 'file outside any session', many: 'files outside any session', meaning: 'not inside lab/Subjects/subject/yyyy-mm-dd/NNN, so not indexed and not checked' },
};

export const SKIP_WHY_WORDS: Readonly<Record<SkipWhy, string>> = {
  'not-data': 'not data',
  unreadable: 'unreadable',
  'root-in-session': 'inside a session',
};

/** How loudly an editor shows each category (the Problems panel's error / warning / info). */
export const CATEGORY_LEVEL: Readonly<Record<ProblemCategory, 'error' | 'warning' | 'information' | 'none'>> = {
  'invalid-file': 'error',
  'invalid-folder': 'error',
  warning: 'warning',
  skipped: 'information',
  outside: 'none',
};

/** Codes the walk reports when it cannot read an entry. */
const READ_CODES: ReadonlySet<string> = new Set(['permission-denied', 'unreadable', 'symlink-loop', 'broken-symlink', 'not-a-regular-file']);

function infoOf(code: string): (typeof PROBLEM_CODES)[ProblemCode] | undefined {
  return (PROBLEM_CODES as Record<string, (typeof PROBLEM_CODES)[ProblemCode] | undefined>)[code];
}

/** The category of a reported entry, from its code and whether it is a folder. */
export function categoryOf(code: string, isFolder: boolean): ProblemCategory {
  if (code === 'outside-session') return 'outside';
  if (READ_CODES.has(code) || code === 'root-inside-session') return 'skipped';
  const info = infoOf(code);
  if (info && !info.excluded) return 'warning';
  if (info && info.severity === 'warning') return 'skipped';
  return isFolder ? 'invalid-folder' : 'invalid-file';
}

/** Why a `skipped` entry was not indexed (undefined for the other categories). */
export function skipReasonOf(code: string, isFolder: boolean): SkipWhy | undefined {
  if (categoryOf(code, isFolder) !== 'skipped') return undefined;
  if (READ_CODES.has(code)) return 'unreadable';
  if (code === 'root-inside-session') return 'root-in-session';
  return 'not-data';
}

export interface ProblemTally {
  invalidFiles: number;
  invalidFolders: number;
  warnings: number;
  /** Skipped entries by why; `skippedTotal` is their sum. */
  skipped: Record<SkipWhy, number>;
  /** Files outside any session (only the CLI and the cache build see every one). */
  outside: number;
}

export function emptyTally(): ProblemTally {
  return { invalidFiles: 0, invalidFolders: 0, warnings: 0, skipped: { 'not-data': 0, unreadable: 0, 'root-in-session': 0 }, outside: 0 };
}

export function skippedTotal(t: ProblemTally): number {
  return t.skipped['not-data'] + t.skipped.unreadable + t.skipped['root-in-session'];
}

/** Adds one entry to a tally. */
export function countEntry(t: ProblemTally, code: string, isFolder: boolean): void {
  switch (categoryOf(code, isFolder)) {
    case 'invalid-file':
      t.invalidFiles += 1;
      break;
    case 'invalid-folder':
      t.invalidFolders += 1;
      break;
    case 'warning':
      t.warnings += 1;
      break;
    case 'outside':
      t.outside += 1;
      break;
    case 'skipped':
      t.skipped[skipReasonOf(code, isFolder)!] += 1;
      break;
  }
}

/** Counts entries that carry a problem code: a scan's skipped list and warnings, or the extension's problems. */
export function tallyProblems(entries: Iterable<{ readonly code: string; readonly isFolder: boolean }>): ProblemTally {
  const t = emptyTally();
  for (const e of entries) countEntry(t, e.code, e.isFolder);
  return t;
}

export function countWords(n: number, category: ProblemCategory): string {
  const words = CATEGORY_WORDS[category];
  return `${n.toLocaleString('en-US')} ${n === 1 ? words.one : words.many}`;
}

export interface DescribeOptions {
  /** Leave out why entries were skipped ("21 skipped" instead of "21 skipped (not data)"). */
  brief?: boolean;
  /** Add the files outside any session (the CLI and the build see them; the editor does not). */
  outside?: boolean;
}

/**
 * The one line every surface shows: "43 invalid file names, 44 warnings, 21 skipped (not data)".
 * Categories with nothing in them are left out; "no problems" when all are empty.
 */
export function describeTally(t: ProblemTally, options: DescribeOptions = {}): string {
  const parts: string[] = [];
  if (t.invalidFiles > 0) parts.push(countWords(t.invalidFiles, 'invalid-file'));
  if (t.invalidFolders > 0) parts.push(countWords(t.invalidFolders, 'invalid-folder'));
  if (t.warnings > 0) parts.push(countWords(t.warnings, 'warning'));
  const skipped = skippedTotal(t);
  if (skipped > 0) {
    const reasons = (Object.keys(t.skipped) as SkipWhy[]).filter((r) => t.skipped[r] > 0);
    const why =
      options.brief ? '' : reasons.length === 1 ? ` (${SKIP_WHY_WORDS[reasons[0]!]})` : ` (${reasons.map((r) => `${t.skipped[r].toLocaleString('en-US')} ${SKIP_WHY_WORDS[r]}`).join(', ')})`;
    parts.push(`${countWords(skipped, 'skipped')}${why}`);
  }
  if (options.outside && t.outside > 0) parts.push(countWords(t.outside, 'outside'));
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

/** Entries that make `alf validate` fail: invalid names and folders, and skipped entries. */
export function hasProblems(t: ProblemTally): boolean {
  return t.invalidFiles + t.invalidFolders + skippedTotal(t) > 0;
}

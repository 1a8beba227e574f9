/**
 * Filtering a session's datasets the way ONE's `util.filter_datasets` does with its default
 * `wildcards=True`: collection, revision and file name are shell patterns (`*`, `?`, `[seq]`,
 * Python's fnmatch), a list is OR, QC at or below a level (default FAIL, so CRITICAL is hidden),
 * and `filter_revision_last_before` to pick one revision per dataset for loading.
 *
 * ONE builds one regex over the whole rel_path; here each part is matched on its own, from the
 * ALF grammar's parse. The answers agree for every realistic pattern, and two ONE limitations go
 * away: `collection: ['alf', '']` matches both, and `''` for an optional part means "absent".
 */
import { QC, type QcValue, relPathParts, type RelPathParts } from '../alf';
import type { DatasetListing } from '../cache/dataset-store';
import { fnmatchToRegExp } from '../registration/fnmatch';
import { OneError } from './errors';
import { compareCodePoints } from '../order';
import { describe, parseQc } from './values';

/** A shell pattern ('alf/probe0*'), or a list of them (any may match). */
export type GlobPattern = string | readonly string[];

/** File name parts to match, each a shell pattern; '' matches an absent optional part. */
export interface DatasetParts {
  namespace?: GlobPattern;
  object?: GlobPattern;
  attribute?: GlobPattern;
  timescale?: GlobPattern;
  extra?: GlobPattern;
  extension?: GlobPattern;
}

export interface DatasetFilter {
  /** The file name (after the last '/') as a shell pattern, or the ALF parts it must have. */
  filename?: GlobPattern | DatasetParts;
  /** The collection ('' = none); any when absent. */
  collection?: GlobPattern;
  /** The revision without '#' ('' = none); any when absent. */
  revision?: GlobPattern;
  /** Only datasets at or below this QC level (default 'FAIL'). */
  qc?: string | number;
  /** Leave out datasets whose QC is NOT_SET. */
  ignoreQcNotSet?: boolean;
}

/** A dataset's listing columns with its parsed rel_path. */
export interface ParsedDataset {
  /** What listing and revision choice read; the wide columns (id, hash, size) come from the store by `at`. */
  row: DatasetListing;
  /** The row's index in its datasets table (-1 for a file found on disk, not in a table). */
  at: number;
  parts: RelPathParts;
  /** The file name: rel_path after the last '/'. */
  name: string;
}

const PART_NAMES = ['namespace', 'object', 'attribute', 'timescale', 'extra', 'extension'] as const;

/** The row parsed, or null when its rel_path is not a valid ALF path (ONE's regex never matches those). */
export function parseDataset(row: DatasetListing, at = -1): ParsedDataset | null {
  const parts = relPathParts(row.rel_path, { assertValid: false });
  if (parts.object === null) return null;
  return { row, at, parts, name: row.rel_path.slice(row.rel_path.lastIndexOf('/') + 1) };
}

function globList(value: unknown, field: string): RegExp[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (!list.every((v): v is string => typeof v === 'string')) {
    throw new OneError('invalid-value', `${field}: expected a pattern or a list of patterns, got ${describe(value)}`, field);
  }
  return list.map((p) => fnmatchToRegExp(p));
}

const anyMatch = (res: readonly RegExp[], s: string): boolean => res.some((re) => re.test(s));

/** A predicate for DatasetFilter (QC included); patterns are checked and compiled once. */
export function datasetMatcher(filter: DatasetFilter): (d: ParsedDataset) => boolean {
  const level: QcValue = parseQc(filter.qc ?? 'FAIL', 'qc');
  const collection = filter.collection === undefined ? null : globList(filter.collection, 'collection');
  const revision = filter.revision === undefined ? null : globList(filter.revision, 'revision');
  let name: RegExp[] | null = null;
  const parts: [keyof DatasetParts, RegExp[]][] = [];
  const f = filter.filename;
  if (typeof f === 'string' || Array.isArray(f)) name = globList(f, 'filename');
  else if (f && typeof f === 'object') {
    for (const [k, v] of Object.entries(f)) {
      if (!(PART_NAMES as readonly string[]).includes(k)) {
        throw new OneError('invalid-value', `filename: "${k}" is not an ALF file name part (${PART_NAMES.join(', ')})`, 'filename');
      }
      if (v !== undefined && v !== null) parts.push([k as keyof DatasetParts, globList(v, `filename.${k}`)]);
    }
  } else if (f !== undefined && f !== null) {
    throw new OneError('invalid-value', `filename: expected a pattern, a list of patterns or an object of ALF parts, got ${describe(f)}`, 'filename');
  }
  return (d) => {
    const q = QC[d.row.qc];
    if (q > level || (filter.ignoreQcNotSet && q === QC.NOT_SET)) return false;
    if (collection && !anyMatch(collection, d.parts.collection ?? '')) return false;
    if (revision && !anyMatch(revision, d.parts.revision ?? '')) return false;
    if (name && !anyMatch(name, d.name)) return false;
    for (const [k, res] of parts) if (!anyMatch(res, d.parts[k] ?? '')) return false;
    return true;
  };
}

/** rel_path without its '#revision#/' folder: what stays the same across revisions of a dataset. */
export function withoutRevision(d: ParsedDataset): string {
  return d.parts.revision === null ? d.row.rel_path : d.row.rel_path.replace(`#${d.parts.revision}#/`, '');
}

/**
 * The latest revision per dataset, or with `revision` the latest one at or before it (string
 * order; no revision counts as ''): ONE's `index_last_before`. A dataset with no such revision
 * is dropped. The `default_revision` column is not looked at (see filterRevisionLastBefore).
 */
export function lastRevisionBefore(datasets: readonly ParsedDataset[], revision?: string): ParsedDataset[] {
  const best = new Map<string, ParsedDataset>();
  for (const d of datasets) {
    const rev = d.parts.revision ?? '';
    if (revision !== undefined && compareCodePoints(rev, revision) > 0) continue;
    const key = withoutRevision(d);
    const cur = best.get(key);
    if (!cur || compareCodePoints(rev, cur.parts.revision ?? '') > 0) best.set(key, d);
  }
  return datasets.filter((d) => best.get(withoutRevision(d)) === d);
}

export interface RevisionChoice {
  /** Read this revision, or the latest one before it; the `default_revision` column is then ignored (as in ONE). */
  revision?: string;
  /** The cache has Alyx's `default_revision` column (caches built from files have none). */
  hasDefaultColumn: boolean;
  /** ONE's `assert_unique`: several revisions of one dataset marked default is an error (load_dataset), not a fallback (load_object). */
  assertUnique: boolean;
  /** Gets ONE's ALFWarning text when a dataset has no single marked default and the latest is used. */
  warn?: (message: string) => void;
}

/**
 * One revision per dataset, exactly as ONE's `filter_revision_last_before`. Without `revision`,
 * on a cache with a `default_revision` column: the one marked default; several marked is ONE's
 * ALFMultipleRevisionsFound when `assertUnique`; none marked (or several, without `assertUnique`)
 * takes the latest with ONE's warning, except that a dataset with a single revision is taken
 * silently. With `revision`, or on a cache without the column: lastRevisionBefore (silently; ONE
 * warns there on every dataset, see docs/one-local.md).
 */
export function filterRevisionLastBefore(datasets: readonly ParsedDataset[], choice: RevisionChoice): ParsedDataset[] {
  if (choice.revision !== undefined || !choice.hasDefaultColumn) return lastRevisionBefore(datasets, choice.revision);
  const groups = new Map<string, ParsedDataset[]>();
  for (const d of datasets) {
    const key = withoutRevision(d);
    const g = groups.get(key);
    if (g) g.push(d);
    else groups.set(key, [d]);
  }
  const keep = new Set<ParsedDataset>();
  for (const group of groups.values()) {
    const marked = group.filter((d) => d.row.default_revision === true);
    if (marked.length > 1 && choice.assertUnique) {
      const revisions = marked.map((d) => `"${d.parts.revision ?? ''}"`).join(', ');
      throw new OneError(
        'multiple-revisions',
        `dataset ${withoutRevision(group[0] as ParsedDataset)} has ${marked.length} revisions marked default in the cache's default_revision column (${revisions}), as ONE's ALFMultipleRevisionsFound: pass revision to choose one, or fix the cache`,
        'revision',
      );
    }
    if (marked.length === 1) keep.add(marked[0] as ParsedDataset);
    else if (group.length === 1) keep.add(group[0] as ParsedDataset);
    else {
      choice.warn?.(`No default revision for dataset ${(group[0] as ParsedDataset).row.rel_path}; using most recent`);
      for (const d of lastRevisionBefore(group)) keep.add(d);
    }
  }
  return datasets.filter((d) => keep.has(d));
}

/** Sorted, de-duplicated, code-point order. */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareCodePoints);
}

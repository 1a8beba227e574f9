/**
 * ONE's local `search`, over an index built once when the cache is opened: sessions already in
 * result order (date, subject, number, newest first), each session's datasets as compact arrays,
 * and dataset file names interned, so a `datasets` regex is tried once per distinct name rather
 * than once per dataset.
 */
import { type DatasetStore, storeFromRows } from '../cache/dataset-store';
import type { SessionCodes } from '../cache/load';
import type { DatasetRow, SessionRow } from '../cache/types';
import { OneError } from './errors';
import { compareCodePoints } from '../order';
import { PyRegexError, compilePyRegex } from './py-regex';
import { type NormalisedTerm, type OneSearchTerm, normaliseSearchTerms } from './terms';
import { describe, parseDateRange, parseQc, parseSessionNumber, sessionDateMs } from './values';

/** A text term's value: a Python regular expression, or a list of them (any may match). */
export type TextTerm = string | readonly string[];
/** A date ('2020-01-31', a Date), or [start, end] with null/undefined for an open end. */
export type DateRangeTerm = string | Date | readonly (string | Date | null | undefined)[];
/** A session number, or a list (any may match); strings are read like Python's int(). */
export type NumberTerm = number | string | readonly (number | string)[];
/** A QC level: a name in any case ('FAIL', 'warning'), a QC number (40) or a numeric string. */
export type QcLevel = string | number;

/** The search terms, camelCase. ONE's snake_case names and unique prefixes work too (see OneSearchTerms). */
export interface SearchQuery {
  subject?: TextTerm;
  /** ONE's `laboratory` (`lab` is a prefix of it). */
  lab?: TextTerm;
  dateRange?: DateRangeTerm;
  number?: NumberTerm;
  /** File names, each a regex matched against the whole name; every one must be present. */
  datasets?: TextTerm;
  /** Only datasets at or below this QC count for `datasets` (default 'FAIL'). */
  datasetQcLte?: QcLevel;
  taskProtocol?: TextTerm;
  projects?: TextTerm;
}

/** One value of a term given by name, as ONE's keyword arguments would be. */
export type SearchTermValue = string | number | Date | null | undefined | readonly (string | number | Date | null | undefined)[];

/**
 * Terms under ONE's names or any unique prefix, case-insensitive: `{ date: '2020-01-31' }`,
 * `{ task_protocol: 'training' }`, `{ subj: 'SWC' }`. Unknown or ambiguous names throw OneError.
 */
export type OneSearchTerms = { readonly [term: string]: SearchTermValue };

export interface SearchOptions {
  /** Also return each session's record (ONE's `details=True`). */
  details?: boolean;
}

/** A matching session's columns, without its id (as ONE's `details=True` records). */
export type SearchRecord = Omit<SessionRow, 'id'>;

export interface SearchDetails {
  eids: string[];
  /** Parallel to `eids`. Empty when nothing matched (ONE gives None there). */
  records: SearchRecord[];
}

/** A session text column as codes (in result order) into its distinct values. */
export interface CodedText {
  codes: Int32Array;
  values: string[];
}

/** The session columns text terms search. */
export type TextField = 'lab' | 'subject' | 'task_protocol' | 'projects';

/** The in-memory index a search runs over. */
export interface SessionIndex {
  /** Every session, in result order. */
  sessions: SessionRow[];
  /** sessions[k].id, as one array (a result is built from it without touching the rows). */
  eids: string[];
  /** An eid's index in `sessions`. */
  position: EidLookup;
  /** Session date as naive ms (NaN when unparsable). */
  dateMs: Float64Array;
  /** Session number. */
  numbers: Float64Array;
  /** Text terms test each distinct value once and pick sessions by code. */
  text: Record<TextField, CodedText>;
  /** Datasets of session k are entries dsStart[k] .. dsStart[k + 1] - 1 of the arrays below. */
  dsStart: Int32Array;
  /** Index into `names` of the dataset's file name. */
  dsName: Int32Array;
  /** The dataset's row in the datasets table. */
  dsRow: Int32Array;
  dsQc: Uint8Array;
  dsExists: Uint8Array;
  /** Distinct dataset file names (rel_path after the last '/'). */
  names: string[];
}

/** Result order: date, subject, number, all descending (code point order); ties by eid, as ONE's sorted index leaves them. */
export function compareSessions(a: SessionRow, b: SessionRow): number {
  return (
    compareCodePoints(b.date, a.date) ||
    compareCodePoints(b.subject, a.subject) ||
    b.number - a.number ||
    compareCodePoints(a.id, b.id)
  );
}

/** Codes for a column of strings: one per distinct value, in first-seen order. */
function codeStrings(n: number, valueAt: (i: number) => string): CodedText {
  const codes = new Int32Array(n);
  const values: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = valueAt(i);
    let c = seen.get(v);
    if (c === undefined) {
      c = values.length;
      values.push(v);
      seen.set(v, c);
    }
    codes[i] = c;
  }
  return { codes, values };
}

/**
 * The reader's codes made one per distinct value: its dictionary is interned (not every row), as
 * past a few thousand values the reader stops interning and a value may have many codes.
 */
function distinctCodes(given: { codes: Int32Array; values: readonly string[] }): CodedText {
  const once = codeStrings(given.values.length, (c) => given.values[c] as string);
  return { codes: given.codes.map((k) => once.codes[k] as number), values: once.values };
}

/** Each code's rank when its values are sorted in code point order; equal values (a value may have several codes) share a rank. */
function ranksOf(values: readonly string[]): Int32Array {
  const order = values.map((_, c) => c).sort((a, b) => compareCodePoints(values[a] as string, values[b] as string));
  const rank = new Int32Array(values.length);
  let r = -1;
  let previous: string | undefined;
  for (const c of order) {
    const v = values[c] as string;
    if (v !== previous) r++;
    previous = v;
    rank[c] = r;
  }
  return rank;
}

/** Where a session is in result order, by eid. */
export interface EidLookup {
  get(eid: string): number | undefined;
  /** get() of each of `eids`, -1 for none: one pass when they are in order too. */
  all(eids: readonly string[]): Int32Array;
}

/**
 * ONE writes the sessions table sorted by id, so an eid is found by binary search over the ids in
 * file order, without a Map of 100,000 strings (~0.1 s to build, and garbage to collect); and the
 * datasets' eids, sorted too, are matched in one merge pass. Ids not strictly increasing
 * (another writer, duplicates) get a Map, which keeps the last of duplicates as before.
 */
function eidLookup(sessions: readonly SessionRow[], positionOfRow: Int32Array, eidsInOrder: readonly string[]): EidLookup {
  const n = sessions.length;
  const ids = new Array<string>(n);
  let increasing = true;
  for (let i = 0; i < n; i++) {
    const id = (sessions[i] as SessionRow).id;
    ids[i] = id;
    if (i > 0 && !((ids[i - 1] as string) < id)) increasing = false;
  }
  if (!increasing) {
    const map = new Map<string, number>();
    eidsInOrder.forEach((eid, k) => map.set(eid, k));
    return { get: (eid) => map.get(eid), all: (eids) => Int32Array.from(eids, (eid) => map.get(eid) ?? -1) };
  }
  /** The first row whose id is not below `eid`, searching rows [lo, n). */
  const lowerBound = (eid: string, lo: number): number => {
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ids[mid] as string) < eid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const get = (eid: string): number | undefined => {
    const i = lowerBound(eid, 0);
    return i < n && ids[i] === eid ? (positionOfRow[i] as number) : undefined;
  };
  return {
    get,
    all(eids) {
      const out = new Int32Array(eids.length);
      let i = 0;
      let previous = '';
      for (let e = 0; e < eids.length; e++) {
        const eid = eids[e] as string;
        // in order: walk forward from the last match (a merge); out of order: search from the start
        if (eid < previous) i = 0;
        previous = eid;
        while (i < n && (ids[i] as string) < eid) {
          // far behind: jump by binary search instead of stepping
          if (i + 8 < n && (ids[i + 8] as string) < eid) i = lowerBound(eid, i + 8);
          else i++;
        }
        out[e] = i < n && ids[i] === eid ? (positionOfRow[i] as number) : -1;
      }
      return out;
    },
  };
}

/**
 * The search index. `codes`, when given, are the session text columns as the Parquet reader
 * decoded them (parallel to `sessions`), so the strings are not interned again.
 */
export function buildSessionIndex(sessions: readonly SessionRow[], datasets: readonly DatasetRow[] | DatasetStore, codes?: SessionCodes): SessionIndex {
  const store = Array.isArray(datasets) ? storeFromRows(datasets as readonly DatasetRow[]) : (datasets as DatasetStore);
  const n = sessions.length;
  // Sorting 100,000 rows by comparing strings costs most of a second; the columns have a few
  // thousand distinct values, so rank those once and sort on the ranks (ties on eid are rare).
  const row = (i: number) => sessions[i] as SessionRow;
  const coded = (field: TextField | 'date'): CodedText => {
    const given = codes?.[field];
    return given ? distinctCodes(given) : codeStrings(n, (i) => row(i)[field]);
  };
  const date = coded('date');
  const subject = coded('subject');
  const dateRank = ranksOf(date.values);
  const subjectRank = ranksOf(subject.values);
  // plain loops: a typed array's from() with a callback is several times slower on 100,000 rows
  const dr = new Int32Array(n);
  const sr = new Int32Array(n);
  const nums = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    dr[i] = dateRank[date.codes[i] as number] as number;
    sr[i] = subjectRank[subject.codes[i] as number] as number;
    nums[i] = row(i).number;
    order[i] = i;
  }
  order.sort(
    (a, b) =>
      (dr[b] as number) - (dr[a] as number) ||
      (sr[b] as number) - (sr[a] as number) ||
      (nums[b] as number) - (nums[a] as number) ||
      compareCodePoints(row(a).id, row(b).id),
  );
  const sorted = new Array<SessionRow>(n);
  const eids = new Array<string>(n);
  const positionOfRow = new Int32Array(n);
  const dateMs = new Float64Array(n);
  const numbers = new Float64Array(n);
  const msOfDate = date.values.map((d) => sessionDateMs(d));
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const s = row(i);
    sorted[k] = s;
    eids[k] = s.id;
    positionOfRow[i] = k;
    dateMs[k] = msOfDate[date.codes[i] as number] as number;
    numbers[k] = nums[i] as number;
  }
  const position = eidLookup(sessions, positionOfRow, eids);
  // in result order
  const sortedCodes = (c: CodedText): CodedText => {
    const out = new Int32Array(n);
    for (let k = 0; k < n; k++) out[k] = c.codes[order[k] as number] as number;
    return { codes: out, values: c.values };
  };
  const text: Record<TextField, CodedText> = {
    subject: sortedCodes(subject),
    lab: sortedCodes(coded('lab')),
    task_protocol: sortedCodes(coded('task_protocol')),
    projects: sortedCodes(coded('projects')),
  };

  // per distinct eid and rel_path once, not per row: a session's position, a file name's id
  const positionOfEid = position.all(store.eids);
  const nameIds = new Map<string, number>();
  const names: string[] = [];
  const nameOfRel = Int32Array.from(store.relPaths, (rel) => {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    let id = nameIds.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      nameIds.set(name, id);
    }
    return id;
  });

  // Counting sort of datasets by session position: two passes, no per-session arrays.
  // (each row's session is looked up in both passes rather than kept: 6 MB fewer for the
  // garbage collector to account for right after open)
  const rows = store.length;
  const dsStart = new Int32Array(n + 1);
  const { eidCodes, relPathCodes, qc, exists } = store;
  for (let d = 0; d < rows; d++) {
    const e = eidCodes[d] as number;
    const k = e < 0 ? -1 : (positionOfEid[e] as number);
    if (k >= 0) (dsStart[k + 1] as number)++;
  }
  for (let k = 0; k < n; k++) dsStart[k + 1] = (dsStart[k + 1] as number) + (dsStart[k] as number);
  const total = dsStart[n] as number;
  const dsName = new Int32Array(total);
  const dsRow = new Int32Array(total);
  const dsQc = new Uint8Array(total);
  const dsExists = new Uint8Array(total);
  const fill = dsStart.slice(0, n);
  for (let d = 0; d < rows; d++) {
    const e = eidCodes[d] as number;
    const k = e < 0 ? -1 : (positionOfEid[e] as number);
    if (k < 0) continue;
    const at = (fill[k] as number)++;
    dsName[at] = nameOfRel[relPathCodes[d] as number] as number;
    dsRow[at] = d;
    dsQc[at] = qc[d] as number;
    dsExists[at] = exists[d] as number;
  }
  return { sessions: sorted, eids, position, dateMs, numbers, text, dsStart, dsName, dsRow, dsQc, dsExists, names };
}

const TEXT_FIELDS: Partial<Record<OneSearchTerm, TextField>> = {
  subject: 'subject',
  laboratory: 'lab',
  task_protocol: 'task_protocol',
  projects: 'projects',
};

/** ONE's evaluation order: text terms (and a lone dataset_qc_lte) as given, then these. */
const LATE_ORDER: Partial<Record<OneSearchTerm, number>> = { date_range: 1, number: 2, datasets: 3 };

export function runSearch(index: SessionIndex, query: SearchQuery | OneSearchTerms, options: SearchOptions = {}): string[] | SearchDetails {
  const terms = normaliseSearchTerms(query);
  const hasDatasets = terms.some((t) => t.term === 'datasets');
  const qcTerm = terms.find((t) => t.term === 'dataset_qc_lte');
  const ordered = terms
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (LATE_ORDER[a.t.term] ?? 0) - (LATE_ORDER[b.t.term] ?? 0) || a.i - b.i)
    .map((x) => x.t);

  let cand: Int32Array = new Int32Array(index.sessions.length);
  for (let k = 0; k < cand.length; k++) cand[k] = k;
  for (const t of ordered) {
    // Like ONE, stop at the first term that leaves nothing: later values are not even checked.
    if (cand.length === 0) break;
    if (TEXT_FIELDS[t.term]) cand = filterText(index, cand, t);
    else if (t.term === 'date_range') cand = filterDates(index, cand, t);
    else if (t.term === 'number') cand = filterNumbers(index, cand, t);
    else if (t.term === 'datasets') cand = filterDatasets(index, cand, t.value, qcTerm?.value ?? 'FAIL', t.key);
    else if (t.term === 'dataset_qc_lte' && !hasDatasets) cand = filterAnyDatasetAtQc(index, cand, t);
  }
  const eids = new Array<string>(cand.length);
  for (let j = 0; j < cand.length; j++) eids[j] = index.eids[cand[j] as number] as string;
  if (!options.details) return eids;
  const records = new Array<SearchRecord>(cand.length);
  for (let j = 0; j < cand.length; j++) {
    const s = index.sessions[cand[j] as number] as SessionRow;
    records[j] = { lab: s.lab, subject: s.subject, date: s.date, number: s.number, task_protocol: s.task_protocol, projects: s.projects };
  }
  return { eids, records };
}

/** The candidates whose code is marked in `mask`: one plain loop, no callback per session. */
function filterCodes(cand: Int32Array, codes: Int32Array, mask: Uint8Array): Int32Array {
  const out = new Int32Array(cand.length);
  let n = 0;
  for (let j = 0; j < cand.length; j++) {
    const k = cand[j] as number;
    if (mask[codes[k] as number] === 1) out[n++] = k;
  }
  return out.subarray(0, n);
}

function filter(cand: Int32Array, keep: (k: number) => boolean): Int32Array {
  const out = new Int32Array(cand.length);
  let n = 0;
  for (let j = 0; j < cand.length; j++) {
    const k = cand[j] as number;
    if (keep(k)) out[n++] = k;
  }
  return out.subarray(0, n);
}

/** A list of regexes joined with '|' (ONE: `'|'.join(ensure_list(value))`). */
function textPattern(value: unknown, t: NormalisedTerm): string {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (!list.every((v): v is string => typeof v === 'string')) {
    throw new OneError('invalid-value', `${t.term}: expected a string (a regular expression) or a list of strings, got ${describe(value)}`, t.term);
  }
  return list.join('|');
}

function compile(pattern: string, mode: 'search' | 'full', term: string): RegExp {
  try {
    return compilePyRegex(pattern, mode);
  } catch (e) {
    if (e instanceof PyRegexError) {
      const code = e.kind === 'unsupported' ? 'unsupported-regex' : 'invalid-value';
      throw new OneError(code, `${term}: ${e.message}`, term);
    }
    throw e;
  }
}

function filterText(index: SessionIndex, cand: Int32Array, t: NormalisedTerm): Int32Array {
  const re = compile(textPattern(t.value, t), 'search', t.term);
  const { codes, values } = index.text[TEXT_FIELDS[t.term] as TextField];
  // the regex runs once per distinct value (a few thousand subjects), not once per session
  return filterCodes(cand, codes, Uint8Array.from(values, (v) => (re.test(v) ? 1 : 0)));
}

function filterDates(index: SessionIndex, cand: Int32Array, t: NormalisedTerm): Int32Array {
  const { start, end } = parseDateRange(t.value, t.term);
  const { dateMs } = index;
  const out = new Int32Array(cand.length);
  let n = 0;
  for (let j = 0; j < cand.length; j++) {
    const k = cand[j] as number;
    const d = dateMs[k] as number;
    if (d >= start && d <= end) out[n++] = k;
  }
  return out.subarray(0, n);
}

function filterNumbers(index: SessionIndex, cand: Int32Array, t: NormalisedTerm): Int32Array {
  const list = Array.isArray(t.value) ? (t.value as unknown[]) : [t.value];
  const wanted = new Set(list.map((v) => parseSessionNumber(v, t.term)));
  const { numbers } = index;
  return filter(cand, (k) => wanted.has(numbers[k] as number));
}

/**
 * Sessions holding, for every pattern, an existing dataset at or below the QC level whose file
 * name the pattern matches whole. Sessions without any dataset row never match (ONE's
 * `has_dset`); an empty list keeps every session that has one.
 */
function filterDatasets(index: SessionIndex, cand: Int32Array, value: unknown, qcValue: unknown, key: string): Int32Array {
  const level = parseQc(qcValue);
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (!list.every((v): v is string => typeof v === 'string')) {
    throw new OneError('invalid-value', `datasets: expected a file name (a regular expression) or a list of them, got ${describe(value)}`, 'datasets');
  }
  const masks = list.map((p) => {
    const re = compile(p, 'full', key === 'datasets' ? 'datasets' : `datasets (${key})`);
    return Uint8Array.from(index.names, (name) => (re.test(name) ? 1 : 0));
  });
  const { dsStart, dsName, dsQc, dsExists } = index;
  // one plain loop (not a predicate per session through filter()): the first search after
  // opening a 1.5 M-dataset cache runs before the JIT has warmed up to a callback
  const out = new Int32Array(cand.length);
  let n = 0;
  for (let j = 0; j < cand.length; j++) {
    const k = cand[j] as number;
    const from = dsStart[k] as number;
    const to = dsStart[k + 1] as number;
    if (from === to) continue;
    let all = true;
    for (let m = 0; m < masks.length && all; m++) {
      const mask = masks[m] as Uint8Array;
      let found = false;
      for (let d = from; d < to; d++) {
        if (mask[dsName[d] as number] === 1 && dsExists[d] === 1 && (dsQc[d] as number) <= level) {
          found = true;
          break;
        }
      }
      all = found;
    }
    if (all) out[n++] = k;
  }
  return out.subarray(0, n);
}

/**
 * `dataset_qc_lte` without `datasets`: sessions with at least one existing dataset at or below
 * the level, as ONE's docstring says. (ONE 3.4.2 itself returns no session here: it matches file
 * names against ''. See docs/one-local.md.)
 */
function filterAnyDatasetAtQc(index: SessionIndex, cand: Int32Array, t: NormalisedTerm): Int32Array {
  const level = parseQc(t.value, t.term);
  const { dsStart, dsQc, dsExists } = index;
  return filter(cand, (k) => {
    for (let d = dsStart[k] as number; d < (dsStart[k + 1] as number); d++) {
      if (dsExists[d] === 1 && (dsQc[d] as number) <= level) return true;
    }
    return false;
  });
}

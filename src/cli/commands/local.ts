/**
 * ONE's local mode on the command line: `alf search` (one.search), `alf list-datasets`
 * (one.list_datasets) and `alf load-object` (one.load_object), over a cache folder built by
 * `alf build-cache` or by Python ONE. All the semantics are the core's (src/core/one); this file
 * only turns options into the core's arguments and results into text, JSON or CSV.
 */
import type { SessionRow } from '../../core/cache/types';
import type { NpyArray } from '../../core/npy';
import { npyStats } from '../../core/npy';
import {
  type AlfObject,
  ExpressionError,
  ONE_SEARCH_TERMS,
  type OneLocal,
  type OneSearchTerm,
  completeSearchTerm,
  evaluateExpression,
  parseExpression,
  type SeriesSource,
} from '../../core/one';
import { OneError } from '../../core/one';
import { escapeControls as shown } from '../../core/escape';
import { flag, rejectUnknownOptions, stringOption } from '../args';
import { EXIT } from '../errors';
import { cliErrorOf, exactValue, formatNumber, openCache, resolveSession, sessionRelPath, shapeText, table, writeFileAtomic } from '../local-support';
import type { CliCommand, CliIo, ParsedArgs } from '../types';
import { UsageError } from '../types';

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

/** 64-bit integers as numbers when exact, else as strings (JSON has no integers beyond 2^53). */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  return value;
}

function values(args: ParsedArgs, key: string): string[] {
  const v = args.options[key];
  if (v === undefined) return [];
  if (v === true) throw new UsageError(`--${key} needs a value`);
  return Array.isArray(v) ? v : [v as string];
}

function positionals(args: ParsedArgs, command: string, names: string[]): string[] {
  if (args.positionals.length !== names.length) {
    throw new UsageError(`'alf ${command}' takes ${names.join(' ')} (see 'alf ${command} --help')`);
  }
  return args.positionals;
}

// ---------------------------------------------------------------------------------------------
// alf search

/** The option a term is shown as in messages. */
const TERM_OPTION: Record<OneSearchTerm, string> = {
  datasets: '--dataset',
  date_range: '--date-range',
  laboratory: '--lab',
  number: '--number',
  projects: '--projects',
  subject: '--subject',
  task_protocol: '--task-protocol',
  dataset_qc_lte: '--dataset-qc-lte',
};

/** Spellings that are not ONE's prefix completion: the singular `--dataset` (repeatable), as in the help. */
const EXTRA_SPELLINGS: Record<string, OneSearchTerm> = { dataset: 'datasets' };
const SEARCH_FLAGS = ['details', 'tables-dir'];

/**
 * Every option name that names a search term: ONE's names with dashes or underscores, the core's
 * camelCase aliases, and ONE's unique prefixes of at least three letters (`--lab`, `--date`,
 * `--subj`, `--task`, `--proj`) — the parser must know in advance which options take a value.
 */
function searchOptionNames(): string[] {
  const names = new Set<string>(Object.keys(EXTRA_SPELLINGS));
  for (const spelled of [...ONE_SEARCH_TERMS, 'dateRange', 'taskProtocol', 'datasetQcLte']) {
    for (const form of new Set([spelled, spelled.replace(/_/g, '-')])) {
      for (let n = 3; n <= form.length; n++) {
        const prefix = form.slice(0, n);
        try {
          completeSearchTerm(prefix.replace(/-/g, '_'));
          names.add(prefix);
        } catch {
          // ambiguous ('dat') or not a term: left out, reported by termOf when used
        }
      }
    }
  }
  return [...names];
}

function termOf(key: string): OneSearchTerm {
  const extra = EXTRA_SPELLINGS[key];
  if (extra) return extra;
  try {
    return completeSearchTerm(key.replace(/-/g, '_'));
  } catch (e) {
    if (e instanceof OneError) {
      throw new UsageError(`--${key}: ${e.code === 'ambiguous-term' ? e.message.replace(/^Ambiguous search term "[^"]*": /, 'ambiguous: ') : `unknown option for 'alf search'`} (see 'alf search --help')`);
    }
    throw e;
  }
}

/** The command line's terms as ONE's keyword arguments (what OneLocal.search takes). */
export function searchTermsFromArgs(args: ParsedArgs): Record<string, string | string[] | (string | null)[]> {
  const collected = new Map<OneSearchTerm, { key: string; values: string[] }>();
  for (const key of Object.keys(args.options)) {
    if (key === 'help' || key === 'json' || SEARCH_FLAGS.includes(key)) continue;
    const term = termOf(key);
    const entry = collected.get(term) ?? { key, values: [] };
    // --lab and --laboratory together are one term: their values are ORed like a repeat.
    entry.values.push(...values(args, key));
    collected.set(term, entry);
  }
  const terms: Record<string, string | string[] | (string | null)[]> = {};
  for (const [term, { key, values: vals }] of collected) {
    switch (term) {
      case 'date_range': {
        if (vals.length > 1) throw new UsageError(`--${key} given ${vals.length} times: give one date or one FROM,TO range`);
        const parts = (vals[0] as string).split(',').map((s) => s.trim());
        if (parts.length > 2) throw new UsageError(`--${key} ${vals[0]}: expected a date or FROM,TO (either may be empty for an open end)`);
        // One date is that whole day (ONE's shorthand); FROM, or ,TO is an open range.
        terms.date_range = parts.length === 1 ? (parts[0] as string) : parts.map((p) => (p === '' ? null : p));
        break;
      }
      case 'dataset_qc_lte':
        if (vals.length > 1) throw new UsageError(`--${key} given ${vals.length} times: give one QC level`);
        terms.dataset_qc_lte = vals[0] as string;
        break;
      case 'number': {
        const numbers = vals.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
        if (numbers.length === 0) throw new UsageError(`--${key} needs a session number`);
        terms.number = numbers.length === 1 ? (numbers[0] as string) : numbers;
        break;
      }
      default:
        // Regular expressions may hold commas ({1,3}), so lists come only from repeating the option.
        terms[term] = term === 'datasets' || vals.length > 1 ? vals : (vals[0] as string);
    }
  }
  return terms;
}

const searchCommand: CliCommand = {
  name: 'search',
  summary: "find sessions in a ONE cache by subject, lab, date, number, datasets… (ONE's one.search)",
  usage: `Usage: alf search CACHE_DIR [--subject S]… [--lab L]… [--date-range FROM[,TO]] [--number N]…
                  [--dataset NAME]… [--dataset-qc-lte LEVEL] [--task-protocol P]… [--projects P]…
                  [--details] [--json] [--tables-dir DIR]

Python ONE's One(cache_dir=CACHE_DIR, mode='local').search(...): the sessions matching every
option given, newest first (date, subject, number). Without options, every session.

  --subject S          subject name, a Python regular expression matched anywhere, case-sensitive
                       ('KS0', '^KS_001$', '(?i)ks'); repeat it for any of several
  --lab L              lab (ONE's laboratory), regex as --subject; repeatable
  --date-range D       one day (2020-01-31), or FROM,TO with both days included; an empty side
                       is open (2020-01-31, = from that day on; ,2020-01-31 = up to it)
  --number N           session number (2 or 002); repeat it or give 1,2 for either
  --dataset NAME       a dataset the session must have: a regex matching the whole file name
                       ('_ibl_trials.intervals.npy', '.*wheel.*'); repeat it: all must be present
  --dataset-qc-lte Q   count only datasets at or below QC level Q (NOT_SET, PASS, WARNING, FAIL,
                       CRITICAL or 0-50; default FAIL)
  --task-protocol P    task protocol regex; repeatable
  --projects P         project regex; repeatable
  --details            also show each session's record: lab, subject, date, number, task
                       protocol, projects (ONE's details=True)
  --json               print [{eid, path}] (with --details also the record's columns)
  --tables-dir DIR     sessions.pqt and datasets.pqt are there, not in CACHE_DIR (ONE's tables_dir)

ONE's keyword names work as well, with dashes or underscores: --laboratory, --datasets,
--date_range, --task_protocol, and unique prefixes of three letters or more (--subj, --date,
--task, --proj). Values are ONE's: see docs/one-local.md.

Output: one line per session, "eid  lab/Subjects/subject/yyyy-mm-dd/NNN" (the session folder
relative to CACHE_DIR; either one can be given to list-datasets and load-object). The count goes
to stderr, so the lines can be piped as they are.

Exit codes: 0 done (also when nothing matched); 2 bad option or value (the message names it), or
no cache in CACHE_DIR.`,
  valueOptions: [...searchOptionNames(), 'tables-dir'],
  async run(args, io) {
    // Options first: a misspelt option that swallowed its value as a positional is named as such.
    const terms = searchTermsFromArgs(args);
    const [cacheDir] = positionals(args, 'search', ['CACHE_DIR']) as [string];
    const one = await openCache(cacheDir, stringOption(args, 'tables-dir'), io.stderr);
    const details = flag(args, 'details');
    let found: { eids: string[]; records: Omit<SessionRow, 'id'>[] };
    try {
      found = one.search(terms, { details: true });
    } catch (e) {
      throw cliErrorOf(e, (field) => TERM_OPTION[field as OneSearchTerm]);
    }
    const rows = found.eids.map((eid, k) => ({ eid, record: found.records[k] as Omit<SessionRow, 'id'> }));
    if (flag(args, 'json')) {
      writeJson(
        io,
        rows.map(({ eid, record }) => ({ eid, path: sessionRelPath(record), ...(details ? record : {}) })),
      );
      return EXIT.ok;
    }
    if (details && rows.length > 0) {
      const cells = [['date', 'subject', 'no.', 'lab', 'task_protocol', 'projects', 'eid']];
      for (const { eid, record: r } of rows) cells.push([r.date, r.subject, String(r.number).padStart(3, '0'), r.lab || '-', r.task_protocol || '-', r.projects || '-', eid]);
      io.stdout.write(`${table(cells)}\n`);
    } else {
      for (const { eid, record } of rows) io.stdout.write(`${shown(eid)}  ${shown(sessionRelPath(record))}\n`);
    }
    io.stderr.write(`${rows.length.toLocaleString('en-US')} of ${one.sessions.length.toLocaleString('en-US')} session${one.sessions.length === 1 ? '' : 's'} matched\n`);
    return EXIT.ok;
  },
};

// ---------------------------------------------------------------------------------------------
// alf list-datasets

const LIST_OPTIONS = ['collection', 'revision', 'filename', 'tables-dir'];

function optionList(args: ParsedArgs, key: string): string | string[] | undefined {
  const v = values(args, key);
  return v.length === 0 ? undefined : v.length === 1 ? v[0] : v;
}

const listDatasetsCommand: CliCommand = {
  name: 'list-datasets',
  summary: "list a session's datasets in a ONE cache (ONE's one.list_datasets)",
  usage: `Usage: alf list-datasets CACHE_DIR SESSION [--collection C]… [--revision R]… [--filename GLOB]…
                         [--default-revisions-only] [--details] [--json] [--tables-dir DIR]

Python ONE's one.list_datasets(eid, ...): the session's datasets as paths relative to the session
folder (collection/#revision#/file), in code-point order, every revision. Datasets with QC
CRITICAL are hidden, as in ONE.

  SESSION            an eid, or the session's path: lab/Subjects/subject/yyyy-mm-dd/NNN,
                     subject/yyyy-mm-dd/NNN, or the folder on disk
  --collection C     shell pattern ('alf', 'alf/probe0*'); '' for the session folder itself;
                     repeat for any of several
  --revision R       shell pattern for the revision, without '#'; '' for none; repeatable
  --filename GLOB    shell pattern for the file name ('*trials*', '_ibl_trials.*_times.npy'); repeatable
  --default-revisions-only
                     only the rows the cache's default_revision column marks (ONE's
                     default_revisions_only; caches made by Alyx have the column, those built
                     from files do not, and then this is an error)
  --details          also show size, QC and whether the file exists, per dataset
  --json             print the paths as a list (with --details, the dataset rows)
  --tables-dir DIR   the tables are there, not in CACHE_DIR

Exit codes: 0 done (also when nothing matched); 2 bad arguments, unknown session or no cache.`,
  valueOptions: LIST_OPTIONS,
  async run(args, io) {
    rejectUnknownOptions(args, [...LIST_OPTIONS, 'details', 'default-revisions-only'], 'list-datasets');
    const [cacheDir, spec] = positionals(args, 'list-datasets', ['CACHE_DIR', 'SESSION']) as [string, string];
    const one = await openCache(cacheDir, stringOption(args, 'tables-dir'), io.stderr);
    const session = resolveSession(one, spec, cacheDir);
    const filter = {
      collection: optionList(args, 'collection'),
      revision: optionList(args, 'revision'),
      filename: optionList(args, 'filename'),
    };
    let rows;
    try {
      rows = one.listDatasets(session.id, { ...filter, details: true, defaultRevisionsOnly: flag(args, 'default-revisions-only') });
    } catch (e) {
      throw cliErrorOf(e, (field) => (LIST_OPTIONS.includes(field) ? `--${field}` : field === 'default_revisions_only' ? '--default-revisions-only' : undefined));
    }
    const details = flag(args, 'details');
    if (flag(args, 'json')) {
      writeJson(io, details ? rows : rows.map((r) => r.rel_path));
      return EXIT.ok;
    }
    if (details && rows.length > 0) {
      const cells = [['bytes', 'qc', 'exists', 'rel_path']];
      for (const r of rows) cells.push([r.file_size === null ? '-' : r.file_size.toLocaleString('en-US'), r.qc, r.exists ? 'yes' : 'no', r.rel_path]);
      io.stdout.write(`${table(cells, new Set([0]))}\n`);
    } else {
      for (const r of rows) io.stdout.write(`${shown(r.rel_path)}\n`);
    }
    io.stderr.write(`${rows.length} dataset${rows.length === 1 ? '' : 's'} in ${shown(sessionRelPath(session))} (${shown(session.id)})\n`);
    return EXIT.ok;
  },
};

// ---------------------------------------------------------------------------------------------
// alf load-object

const LOAD_OPTIONS = ['collection', 'revision', 'attribute', 'expr', 'csv', 'tables-dir'];

interface Column {
  name: string;
  /** The attribute or expression it comes from (for messages). */
  source: string;
  rows: number;
  /** Value of row i as CSV text. */
  cell: (i: number) => string;
}

function isSingle(a: NpyArray): boolean {
  return a.dtype.name === 'float32' || a.dtype.name === 'float16';
}

/** The CSV columns of one attribute: `attr` for 1-D, `attr[k]` per column for 2-D. */
function columnsOf(key: string, a: NpyArray): Column[] {
  const rows = a.shape[0] as number;
  const width = a.shape.length === 2 ? (a.shape[1] as number) : 1;
  const single = isSingle(a);
  const data = a.data;
  const cell = (idx: number): string => {
    const v = data[idx] as number | bigint;
    // pandas writes NaN as an empty cell (to_csv's na_rep) and reads it back as NaN.
    return typeof v === 'number' && Number.isNaN(v) ? '' : exactValue(v, single);
  };
  if (a.shape.length === 1) return [{ name: key, source: key, rows, cell }];
  return Array.from({ length: width }, (_, k) => ({ name: `${key}[${k}]`, source: key, rows, cell: (i: number) => cell(i * width + k) }));
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function* csvLines(columns: readonly Column[]): Generator<string> {
  yield `${columns.map((c) => csvField(c.name)).join(',')}\n`;
  const rows = columns[0]?.rows ?? 0;
  for (let i = 0; i < rows; i++) yield `${columns.map((c) => c.cell(i)).join(',')}\n`;
}

function numericSeries(a: NpyArray): SeriesSource {
  const d = a.data;
  const data = d instanceof BigInt64Array || d instanceof BigUint64Array ? Float64Array.from(d, (x) => Number(x)) : (d as ArrayLike<number>);
  return { shape: a.shape, data };
}

interface Derived {
  expr: string;
  values: Float64Array;
}

function evaluate(obj: AlfObject, exprs: readonly string[]): Derived[] {
  const sources: Record<string, SeriesSource> = {};
  for (const [k, a] of Object.entries(obj.attributes)) sources[k] = numericSeries(a);
  return exprs.map((expr) => {
    try {
      return { expr, values: evaluateExpression(parseExpression(expr), sources) };
    } catch (e) {
      if (e instanceof ExpressionError) throw new UsageError(`--expr "${expr}": ${e.message}`);
      throw e;
    }
  });
}

function statsJson(a: NpyArray | Float64Array): { count: number; nanCount: number; min: number | null; max: number | null; mean: number | null } {
  const s = npyStats(a);
  // JSON has no NaN or infinity: those become null (count and nanCount say what was there).
  const finite = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);
  return { count: s.count, nanCount: s.nanCount, min: finite(s.min), max: finite(s.max), mean: finite(s.mean) };
}

/** The array as nested lists, like NumPy's tolist(); NaN becomes null in JSON. */
function nested(a: NpyArray): unknown {
  const data = a.data;
  const build = (dim: number, offset: number): unknown => {
    if (dim === a.shape.length) return data[offset];
    const n = a.shape[dim] as number;
    const stride = a.shape.slice(dim + 1).reduce((p, q) => p * q, 1);
    return Array.from({ length: n }, (_, i) => build(dim + 1, offset + i * stride));
  };
  return build(0, 0);
}

const loadObjectCommand: CliCommand = {
  name: 'load-object',
  summary: "load an ALF object (e.g. trials) from a ONE cache: summary, JSON or CSV (ONE's one.load_object)",
  usage: `Usage: alf load-object CACHE_DIR SESSION OBJECT [--collection C] [--revision R] [--attribute A]…
                       [--expr EXPR]… [--json [--values] | --csv FILE] [--tables-dir DIR]

Python ONE's one.load_object(eid, OBJECT, ...): every attribute of the object (one file each,
the default revision: the one an Alyx-made cache's default_revision column marks, else the
latest), from one collection. Prints each attribute's dtype, shape, min, max, mean and NaN count.

  SESSION            an eid, or the session's path (lab/Subjects/subject/yyyy-mm-dd/NNN,
                     subject/yyyy-mm-dd/NNN, or the folder on disk)
  OBJECT             the object name ('trials', 'wheel', 'spikes')
  --collection C     the collection (shell pattern), needed when the object is in several
  --revision R       the revision to read, or the latest one before it (without '#'); the
                     cache's default_revision column is then not looked at, as in ONE
  --attribute A      only this attribute (shell pattern: 'goCue*'); repeatable
  --expr EXPR        a derived series, element by element: + - * / and parentheses on attribute
                     names and numbers ('feedback_times - goCue_times', 'intervals[1] -
                     intervals[0]'); shown with the attributes, added to the CSV; repeatable
  --csv FILE         write the 1-D and 2-D attributes side by side, one row per element along the
                     first axis, columns 'attr' or 'attr[k]' (then the --expr columns); NaN is an
                     empty cell. All must have the same length. Written atomically. '-' for stdout
  --json             print {eid, path, object, collection, files, attributes: {key: {dtype, shape,
                     stats}}, other, expressions, warnings}; NaN and infinities are null
  --values           with --json, also each attribute's values as nested lists (NumPy's tolist())
  --tables-dir DIR   the tables are there, not in CACHE_DIR

Exit codes: 0 done; 1 the files are missing on disk, unreadable or a .npy is truncated; 2 bad
arguments, unknown session, object or attribute, attributes of different lengths for --csv, a
file that is not a .npy we can read, or no cache; 3 a file the system will not let us read (as
'alf npy').`,
  valueOptions: LOAD_OPTIONS,
  async run(args, io) {
    rejectUnknownOptions(args, [...LOAD_OPTIONS, 'values'], 'load-object');
    const [cacheDir, spec, objectName] = positionals(args, 'load-object', ['CACHE_DIR', 'SESSION', 'OBJECT']) as [string, string, string];
    const json = flag(args, 'json');
    const csv = stringOption(args, 'csv');
    if (json && csv !== undefined) throw new UsageError('give --json or --csv, not both');
    if (flag(args, 'values') && !json) throw new UsageError('--values goes with --json (for a table of values use --csv FILE)');
    const exprs = values(args, 'expr');
    for (const e of exprs) {
      try {
        parseExpression(e);
      } catch (err) {
        if (err instanceof ExpressionError) throw new UsageError(`--expr "${e}": ${err.message}`);
        throw err;
      }
    }
    if (stringOption(args, 'revision') !== undefined && values(args, 'revision').length > 1) throw new UsageError('--revision given more than once: give one');
    const one = await openCache(cacheDir, stringOption(args, 'tables-dir'), io.stderr);
    const session = resolveSession(one, spec, cacheDir);
    const obj = await load(one, session.id, objectName, args);
    const derived = evaluate(obj, exprs);
    const where = sessionRelPath(session);

    if (csv !== undefined) {
      const columns: Column[] = [];
      const left: string[] = [];
      for (const [key, a] of Object.entries(obj.attributes)) {
        if (a.shape.length === 1 || a.shape.length === 2) columns.push(...columnsOf(key, a));
        else left.push(`${key} ${shapeText(a.shape)}`);
      }
      for (const d of derived) columns.push({ name: d.expr, source: `--expr "${d.expr}"`, rows: d.values.length, cell: (i) => (Number.isNaN(d.values[i] as number) ? '' : exactValue(d.values[i] as number, false)) });
      if (columns.length === 0) throw new UsageError(`${objectName} has no 1-D or 2-D attribute to write as CSV${left.length ? ` (only ${left.join(', ')})` : ''}`);
      const lengths = new Map<number, string[]>();
      for (const c of columns) {
        const list = lengths.get(c.rows) ?? [];
        if (!list.includes(c.source)) list.push(c.source);
        lengths.set(c.rows, list);
      }
      if (lengths.size > 1) {
        const groups = [...lengths.entries()].map(([n, names]) => `${names.join(', ')} (${n} rows)`).join('; ');
        throw new UsageError(`the attributes have different lengths, so they cannot share CSV rows: ${groups}; pick those of one length with --attribute`);
      }
      if (csv === '-') {
        for (const line of csvLines(columns)) io.stdout.write(line);
      } else {
        await writeFileAtomic(csv, csvLines(columns), io.signal);
        io.stdout.write(`Wrote ${shown(csv)}: ${columns[0]?.rows ?? 0} rows × ${columns.length} columns (${columns.map((c) => shown(c.name)).join(', ')})\n`);
      }
      if (left.length) io.stderr.write(`Not in the CSV (not 1-D or 2-D): ${left.join(', ')}\n`);
      for (const w of obj.warnings) io.stderr.write(`Warning: ${shown(w)}\n`);
      return EXIT.ok;
    }

    if (json) {
      const withValues = flag(args, 'values');
      writeJson(io, {
        eid: session.id,
        path: where,
        object: obj.object,
        collection: obj.collection,
        files: obj.files,
        attributes: Object.fromEntries(
          Object.entries(obj.attributes).map(([k, a]) => [k, { dtype: a.dtype.name, shape: a.shape, stats: statsJson(a), ...(withValues ? { values: nested(a) } : {}) }]),
        ),
        other: Object.fromEntries(Object.entries(obj.other).map(([k, c]) => [k, c.kind === 'json' ? { kind: c.kind, path: c.path, value: c.value } : { kind: c.kind, path: c.path }])),
        expressions: derived.map((d) => ({ expr: d.expr, shape: [d.values.length], stats: statsJson(d.values), ...(withValues ? { values: Array.from(d.values) } : {}) })),
        warnings: obj.warnings,
      });
      return EXIT.ok;
    }

    const files = obj.files.length;
    io.stdout.write(`${shown(obj.object)} of ${shown(where)} (${shown(session.id)})${obj.collection ? `, collection ${shown(obj.collection)}` : ''}: ${files} file${files === 1 ? '' : 's'}\n`);
    const cells = [['attribute', 'dtype', 'shape', 'min', 'max', 'mean', 'NaN']];
    for (const [key, a] of Object.entries(obj.attributes)) {
      const s = npyStats(a);
      cells.push([key, a.dtype.name, shapeText(a.shape), formatNumber(s.min), formatNumber(s.max), formatNumber(s.mean), String(s.nanCount)]);
    }
    for (const d of derived) {
      const s = npyStats(d.values);
      cells.push([`= ${d.expr}`, 'float64', shapeText([d.values.length]), formatNumber(s.min), formatNumber(s.max), formatNumber(s.mean), String(s.nanCount)]);
    }
    io.stdout.write(`${table(cells, new Set([3, 4, 5, 6]))}\n`);
    for (const [key, c] of Object.entries(obj.other)) io.stdout.write(`${shown(key)}: ${c.kind === 'json' ? 'JSON' : c.kind === 'table' ? 'table' : c.kind === 'empty' ? 'empty file' : 'file not read here'} (${shown(c.path)})\n`);
    for (const w of obj.warnings) io.stdout.write(`Warning: ${shown(w)}\n`);
    return EXIT.ok;
  },
};

async function load(one: OneLocal, eid: string, objectName: string, args: ParsedArgs): Promise<AlfObject> {
  const attribute = optionList(args, 'attribute');
  const collection = optionList(args, 'collection');
  const revision = stringOption(args, 'revision');
  try {
    return await one.loadObject(eid, objectName, {
      ...(collection !== undefined ? { collection } : {}),
      ...(revision !== undefined ? { revision } : {}),
      ...(attribute !== undefined ? { attribute } : {}),
    });
  } catch (e) {
    throw cliErrorOf(e, (field) => (field === 'object' ? undefined : LOAD_OPTIONS.includes(field) ? `--${field}` : undefined));
  }
}

export const localCommands: readonly CliCommand[] = [searchCommand, listDatasetsCommand, loadObjectCommand];

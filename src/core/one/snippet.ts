/**
 * The Python ONE code equivalent to a search made in the editor: the same terms, under ONE's
 * keyword names, so that pasting the snippet into Python finds the same sessions.
 */

/** A search as a form holds it: text as typed, empty meaning "not given". */
export interface SearchForm {
  subject?: string;
  lab?: string;
  dateFrom?: string;
  dateTo?: string;
  /** A session number, or several separated by commas. */
  number?: string;
  /** Dataset file names (regexes), separated by commas. */
  datasets?: string;
  /** A QC level name (PASS, WARNING, FAIL…). */
  datasetQcLte?: string;
  taskProtocol?: string;
  projects?: string;
}

/** Comma-separated values, trimmed, empty ones dropped. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const given = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';

/**
 * The form as ONE search terms (ONE's keyword names): what `OneLocal.search` takes and what the
 * snippet writes. Only the fields the user filled in are present.
 */
export function searchTermsOf(form: SearchForm): Record<string, string | string[] | number[] | (string | null)[]> {
  const terms: Record<string, string | string[] | number[] | (string | null)[]> = {};
  if (given(form.subject)) terms.subject = form.subject.trim();
  if (given(form.lab)) terms.laboratory = form.lab.trim();
  if (given(form.dateFrom) || given(form.dateTo)) {
    const from = given(form.dateFrom) ? form.dateFrom.trim() : null;
    const to = given(form.dateTo) ? form.dateTo.trim() : null;
    // One day is ONE's shorthand for [day, day]; an open end is None.
    terms.date_range = from !== null && from === to ? from : [from, to];
  }
  if (given(form.number)) {
    const parts = splitList(form.number);
    terms.number = parts.length === 1 ? (parts[0] as string) : parts;
  }
  if (given(form.datasets)) terms.datasets = splitList(form.datasets);
  if (given(form.datasetQcLte)) terms.dataset_qc_lte = form.datasetQcLte.trim();
  if (given(form.taskProtocol)) terms.task_protocol = form.taskProtocol.trim();
  if (given(form.projects)) terms.projects = form.projects.trim();
  return terms;
}

export interface SnippetOptions {
  /** The data root ONE opens (`cache_dir`). */
  cacheDir: string;
  /** Where the tables are when not in cacheDir (ONE's `tables_dir`). */
  tablesDir?: string;
  form: SearchForm;
  /** A session picked among the results: the snippet loads from it. */
  eid?: string;
  /** A label for the session in a comment ('lab/subject/2020-01-01/001'). */
  sessionLabel?: string;
  /** An object to load from the session ('trials'). */
  object?: string;
  collection?: string | null;
}

/** `from one.api import ONE` … `one.search(...)` … `one.load_object(...)`, ending with a newline. */
export function oneSearchSnippet(options: SnippetOptions): string {
  const terms = searchTermsOf(options.form);
  const tables = options.tablesDir ? `, tables_dir=${pyLiteral(options.tablesDir)}` : '';
  const lines = ['from one.api import ONE', '', `one = ONE(cache_dir=${pyLiteral(options.cacheDir)}${tables}, mode='local')`];
  const args = Object.entries(terms).map(([k, v]) => `${k}=${pyLiteral(v)}`);
  lines.push(`eids = one.search(${args.join(', ')})`);
  if (options.eid) {
    lines.push(`eid = ${pyLiteral(options.eid)}${options.sessionLabel ? `  # ${options.sessionLabel}` : ''}`);
    if (options.object) {
      const collection = options.collection ? `, collection=${pyLiteral(options.collection)}` : '';
      lines.push(`${pyIdentifier(options.object)} = one.load_object(eid, ${pyLiteral(options.object)}${collection})`);
    } else lines.push('datasets = one.list_datasets(eid)');
  }
  return lines.join('\n') + '\n';
}

/** A Python literal for a string, null (None), number or list of them. */
export function pyLiteral(value: string | number | null | readonly (string | number | null)[]): string {
  if (value === null) return 'None';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map((v: string | number | null) => pyLiteral(v)).join(', ')}]`;
  return pyString(value as string);
}

/**
 * A Python string literal: raw when that keeps it readable (Windows paths, regexes with
 * backslashes) and is safe, else an escaped one.
 */
export function pyString(text: string): string {
  const plain = !/['\n\r\t\\]/.test(text) && !/[^\x20-\x7e\u00a0-\uffff]/.test(text);
  if (plain) return `'${text}'`;
  if (!/['\n\r]/.test(text) && !text.endsWith('\\') && !/[^\x20-\x7e\u00a0-\uffff]/.test(text)) return `r'${text}'`;
  let out = "'";
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    // eslint-disable-next-line no-control-regex -- Python escapes the control characters: so do we
    else if (/[\x00-\x1f\x7f]/.test(ch)) out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + "'";
}

/** A Python variable name for an object ('passiveGabor' stays, 'wheel-moves' → 'wheel_moves'). */
export function pyIdentifier(name: string): string {
  const id = name.replace(/\W/g, '_');
  return /^\d/.test(id) ? `_${id}` : id || 'obj';
}

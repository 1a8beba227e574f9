/**
 * Building names from parts (toAlf) and showing parts to people (readableAlf), with ONE's
 * case conventions: objects and attributes in camel case, acronyms kept in capitals.
 */
import { AlfInvalidError } from './errors';
import { pyCapitalize } from './py-case';
import { PY_SPACE } from './unicode';

const SPLIT_WORDS = new RegExp(`[_${PY_SPACE}]`, 'u');
/** An acronym, optionally plural ('ROI', 'ROIs'); ONE keeps these as written. */
const ACRONYM = /^[A-Z]+s?\n?$/;

/**
 * Camel case from words separated by '_' or whitespace, keeping acronyms ('passive_RFM' →
 * 'passiveRFM', 'Hello world' → 'helloWorld'); ONE's `_dromedary`.
 */
export function dromedary(s: string): string {
  if (!s) return s;
  const [first = '', ...other] = s.split(SPLIT_WORDS);
  if (other.length === 0) {
    const head = String.fromCodePoint(first.codePointAt(0) as number);
    return head.toLowerCase() + first.slice(head.length);
  }
  const start = ACRONYM.test(first) ? first : first.toLowerCase();
  return start + other.map((x) => (ACRONYM.test(x) ? x : pyCapitalize(x))).join('');
}

export interface ToAlfOptions {
  namespace?: string | null;
  /** One timescale, or several joined with '_' (each converted to camel case; empty ones and nulls are skipped, as ONE does). */
  timescale?: string | readonly (string | null | undefined)[] | null;
  /** One or more extra parts; a string is split on '.'. */
  extra?: string | readonly string[] | null;
}

/**
 * A valid ALF file name from its parts (ONE's `to_alf`): adds the dots and underscores and
 * converts object, attribute and timescale to camel case, leaving a '_times',
 * '_timestamps' or '_intervals' ending of the attribute as it is.
 * Throws TypeError without an extension and AlfInvalidError for parts that cannot be used.
 * Unlike ONE, a timescale list item containing a '.' and an empty attribute are refused (see
 * docs/alf-grammar.md): ONE would write a name that means something else, or no valid name.
 */
export function toAlf(object: string, attribute: string, extension: string, options: ToAlfOptions = {}): string {
  if (!extension) throw new TypeError('An extension must be provided');
  const ext = extension.startsWith('.') ? extension.slice(1) : extension;
  const { namespace } = options;
  const given = options.timescale == null ? [] : typeof options.timescale === 'string' ? [options.timescale] : options.timescale;
  const timescales = given.filter((t): t is string => !!t);
  if ([object, attribute, namespace ?? '', ext, ...timescales].some((pt) => pt.includes('.'))) {
    throw new AlfInvalidError('ALF parts must not contain a period (`.`)', { terse: true });
  }
  if ((namespace ?? '').includes('_')) throw new AlfInvalidError('Namespace must not contain extra underscores', { terse: true });
  // ONE fails on these with IndexError (object[0]) or writes 'spikes..npy' (empty attribute).
  if (!object) throw new AlfInvalidError('The object must not be empty', { terse: true });
  if (!attribute) throw new AlfInvalidError('The attribute must not be empty', { terse: true });
  if (object.startsWith('_')) {
    throw new AlfInvalidError('Objects must not contain underscores; use namespace arg instead', { terse: true });
  }
  const timescale = timescales.map(dromedary).join('_');
  const times = /_(times|timestamps|intervals)$/.exec(attribute);
  const idx = times ? times.index : attribute.length;
  const attr = dromedary(attribute.slice(0, idx)) + attribute.slice(idx);
  const extra = !options.extra ? [] : typeof options.extra === 'string' ? options.extra.split('.') : [...options.extra];
  return [
    (namespace ? `_${namespace}_` : '') + dromedary(object),
    attr + (timescale ? `_${timescale}` : ''),
    ...extra,
    ext,
  ].join('.');
}

const WORD_START = /[A-Z](?=[a-rt-z0-9])|(?<=[a-z0-9])[A-Z]/g;

/**
 * A camel-case object or attribute as words for display ('someROIDataset' → 'some ROI
 * dataset'); ONE's `readableALF`, except that a leading capital does not produce a leading
 * space ('Trials' → 'trials', where ONE gives ' trials'). Capitalizing an empty name throws
 * RangeError, as ONE raises IndexError.
 */
export function readableAlf(name: string, capitalizeFirst = false): string {
  const words: string[] = [];
  let i = 0;
  for (const m of name.matchAll(WORD_START)) {
    const j = m.index ?? 0;
    if (j > i) words.push(name.slice(i, j));
    i = j;
  }
  words.push(name.slice(i));
  const display = words.map((w) => (ACRONYM.test(w) ? w : w.toLowerCase())).join(' ');
  if (!capitalizeFirst) return display;
  if (!display) throw new RangeError('readableAlf: an empty name cannot be capitalized');
  const first = String.fromCodePoint(display.codePointAt(0) as number);
  return first.toUpperCase() + display.slice(first.length);
}

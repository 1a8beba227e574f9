/**
 * ALF file names: `(_namespace_)object.attribute(_timescale)(.extra)*.extension`.
 *
 * The parser reproduces the groups Python's backtracking regex (ONE's FILE_SPEC, matched from
 * the start, `$` at the end) would capture, but decides everything from the positions of the
 * first and last dots in one pass, so its cost is linear in the name length whatever the name.
 * Why the positions are enough: no part but `extra` may contain a dot, so the object ends at the
 * first dot, the extension starts after the last dot, and the attribute(+timescale) ends at the
 * first dot after the object; whatever lies between is the extra parts.
 */
import { AlfInvalidError } from './errors';
import { ATTRIBUTE_NAMESPACE_CHARS, ATTRIBUTE_SUFFIXES, PART_CHARS } from './grammar';

export interface FilenameParts {
  readonly namespace: string | null;
  readonly object: string | null;
  readonly attribute: string | null;
  readonly timescale: string | null;
  /** All extra parts joined by '.', as ONE returns them ('extra.foo'). */
  readonly extra: string | null;
  readonly extension: string | null;
}

export const EMPTY_FILENAME_PARTS: FilenameParts = Object.freeze({
  namespace: null,
  object: null,
  attribute: null,
  timescale: null,
  extra: null,
  extension: null,
});

const NS = PART_CHARS.namespace;
const OBJ = PART_CHARS.object;
const ATTR = PART_CHARS.attribute;
const TS = PART_CHARS.timescale;
const EXTRA = PART_CHARS.extra;
const EXT = PART_CHARS.extension;
const UNDERSCORE = 95;
const DOT = 46;
const NEWLINE = 10;

/** Where the attribute ends and the timescale starts inside `name[from, to)`. */
interface AttributeSplit {
  attrEnd: number;
  /** -1 when there is no timescale. */
  tsStart: number;
}

/**
 * The attribute and timescale, in the order Python's regex tries them: the optional
 * `_xx_` prefix, the longest [a-zA-Z0-9] run, then `_times`/`_intervals` if an underscore or
 * the dot follows, then `_timescale` to the end; when the suffix reading leaves an invalid
 * timescale the regex backtracks to reading the suffix as part of the timescale.
 */
function splitAttribute(s: string, from: number, to: number): AttributeSplit | null {
  let p = from;
  if (p < to && s.charCodeAt(p) === UNDERSCORE) {
    const q = ATTRIBUTE_NAMESPACE_CHARS.runEnd(s, p + 1);
    // Backtracking into [a-z]+ cannot help: a shorter run is followed by a letter, not '_'.
    if (q === p + 1 || q >= to || s.charCodeAt(q) !== UNDERSCORE) return null;
    p = q + 1;
  }
  const u = ATTR.runEnd(s, p);
  if (u === p) return null;
  const end = Math.min(u, to);
  if (end === to) return { attrEnd: to, tsStart: -1 };
  if (s.charCodeAt(end) !== UNDERSCORE) return null;
  for (const suffix of ATTRIBUTE_SUFFIXES) {
    if (!s.startsWith(suffix, end + 1)) continue;
    const v = end + 1 + suffix.length;
    if (v > to) break;
    if (v === to) return { attrEnd: to, tsStart: -1 };
    if (s.charCodeAt(v) === UNDERSCORE && v + 1 < to && TS.all(s, v + 1, to)) return { attrEnd: v, tsStart: v + 1 };
    break; // only one suffix can start here; fall back to reading it as timescale
  }
  if (end + 1 < to && TS.all(s, end + 1, to)) return { attrEnd: end, tsStart: end + 1 };
  return null;
}

/**
 * Namespace and object from the part before the first dot, as the regex's
 * `_?(?<=_)[a-zA-Z0-9]+?_?\w+` would split it (including its surprising answers, e.g.
 * '_trials' gives namespace 'trial' and object 's': see lintValidName).
 */
function splitHead(s: string, d1: number): { nsStart: number; nsEnd: number; objStart: number } {
  if (s.charCodeAt(0) !== UNDERSCORE) return { nsStart: -1, nsEnd: -1, objStart: 0 };
  const m = NS.runEnd(s, 1);
  if (m > 1) {
    // The object needs at least one character: give one back from the namespace if needed.
    const nsEnd = m < d1 ? m : m - 1;
    if (nsEnd > 1) {
      const objStart = s.charCodeAt(nsEnd) === UNDERSCORE && nsEnd + 1 < d1 ? nsEnd + 1 : nsEnd;
      return { nsStart: 1, nsEnd, objStart };
    }
  }
  if (d1 > 2 && s.charCodeAt(1) === UNDERSCORE) return { nsStart: -1, nsEnd: -1, objStart: 2 };
  return { nsStart: -1, nsEnd: -1, objStart: d1 > 1 ? 1 : 0 };
}

/** The parts of a valid ALF file name, or null. Linear time. */
export function parseFilename(name: string): FilenameParts | null {
  // ONE's `$` also matches before one final newline, and no part can contain a newline.
  let end = name.length;
  if (end > 0 && name.charCodeAt(end - 1) === NEWLINE) end--;
  const d1 = name.indexOf('.');
  if (d1 <= 0 || d1 >= end) return null;
  const dl = name.lastIndexOf('.', end - 1);
  if (dl === d1 || dl === end - 1) return null;
  if (!EXT.all(name, dl + 1, end) || !OBJ.all(name, 0, d1)) return null;
  const d2 = name.indexOf('.', d1 + 1);
  const split = splitAttribute(name, d1 + 1, d2);
  if (!split) return null;
  // The extras are `(\.[.\w-]+)*`: one leading dot, then at least one character of [.\w-].
  let extra: string | null = null;
  if (d2 < dl) {
    if (dl - d2 < 2 || !EXTRA.all(name, d2 + 1, dl)) return null;
    extra = name.slice(d2 + 1, dl);
  }
  const head = splitHead(name, d1);
  return {
    namespace: head.nsStart < 0 ? null : name.slice(head.nsStart, head.nsEnd),
    object: name.slice(head.objStart, d1),
    attribute: name.slice(d1 + 1, split.attrEnd),
    timescale: split.tsStart < 0 ? null : name.slice(split.tsStart, d2),
    extra,
    extension: name.slice(dl + 1, end),
  };
}

/** Whether `name` is a valid ALF file name (ONE's `is_valid`). */
export function isValid(name: string): boolean {
  return parseFilename(name) !== null;
}

export interface PartsOptions {
  /** Throw AlfInvalidError instead of returning nulls (ONE's `assert_valid`). */
  assertValid?: boolean;
}

/**
 * The parts of an ALF file name. Unlike ONE's `filename_parts`, an invalid name gives all
 * nulls unless `assertValid` is set, because callers here mostly test many names.
 */
export function filenameParts(name: string, options: PartsOptions = {}): FilenameParts {
  const parts = parseFilename(name);
  if (parts) return parts;
  if (options.assertValid) throw new AlfInvalidError(name);
  return EMPTY_FILENAME_PARTS;
}

/** Exposed for the diagnostics: where the attribute reading stops (see describeInvalidName). */
export const internals = { splitAttribute, splitHead, DOT };

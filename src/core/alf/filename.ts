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
const NEWLINE = 10;

/*
 * The two splitters below report positions through these variables instead of returning
 * objects: parseFilename runs for every file of a build, and the allocations showed up.
 */
let attrEnd = 0;
let tsStart = -1;
let nsStart = -1;
let nsEnd = -1;
let objStart = 0;

/** Whether s[at..] starts with '_' + suffix, for the suffixes the attribute may end with. */
function suffixAt(s: string, at: number): number {
  for (let k = 0; k < ATTRIBUTE_SUFFIXES.length; k++) {
    const suffix = ATTRIBUTE_SUFFIXES[k] as string;
    if (s.startsWith(suffix, at + 1)) return at + 1 + suffix.length;
  }
  return -1;
}

/**
 * The attribute and timescale inside `name[from, to)`, in the order Python's regex tries
 * them: the optional `_xx_` prefix, the longest [a-zA-Z0-9] run, then `_times`/`_intervals`
 * if an underscore or the dot follows, then `_timescale` to the end; when the suffix reading
 * leaves an invalid timescale the regex backtracks to reading the suffix as the timescale.
 * Sets attrEnd and tsStart (-1 without a timescale); false when the piece is invalid.
 */
function splitAttribute(s: string, from: number, to: number): boolean {
  let p = from;
  if (p < to && s.charCodeAt(p) === UNDERSCORE) {
    const q = ATTRIBUTE_NAMESPACE_CHARS.runEnd(s, p + 1);
    // Backtracking into [a-z]+ cannot help: a shorter run is followed by a letter, not '_'.
    if (q === p + 1 || q >= to || s.charCodeAt(q) !== UNDERSCORE) return false;
    p = q + 1;
  }
  const u = ATTR.runEnd(s, p);
  if (u === p) return false;
  tsStart = -1;
  if (u >= to) {
    attrEnd = to;
    return true;
  }
  if (s.charCodeAt(u) !== UNDERSCORE) return false;
  // No suffix contains a dot, so a match never runs past `to`.
  const v = suffixAt(s, u);
  if (v === to) {
    attrEnd = to;
    return true;
  }
  if (v > 0 && s.charCodeAt(v) === UNDERSCORE && v + 1 < to && TS.all(s, v + 1, to)) {
    attrEnd = v;
    tsStart = v + 1;
    return true;
  }
  if (u + 1 < to && TS.all(s, u + 1, to)) {
    attrEnd = u;
    tsStart = u + 1;
    return true;
  }
  return false;
}

/**
 * Namespace and object from the part before the first dot, as the regex's
 * `_?(?<=_)[a-zA-Z0-9]+?_?\w+` would split it (including its surprising answers, e.g.
 * '_trials' gives namespace 'trial' and object 's': see lintValidName). Sets nsStart, nsEnd
 * (-1 without a namespace) and objStart.
 */
function splitHead(s: string, d1: number): void {
  nsStart = -1;
  nsEnd = -1;
  if (s.charCodeAt(0) !== UNDERSCORE) {
    objStart = 0;
    return;
  }
  const m = NS.runEnd(s, 1);
  if (m > 1) {
    // The object needs at least one character: give one back from the namespace if needed.
    const end = m < d1 ? m : m - 1;
    if (end > 1) {
      nsStart = 1;
      nsEnd = end;
      objStart = s.charCodeAt(end) === UNDERSCORE && end + 1 < d1 ? end + 1 : end;
      return;
    }
  }
  if (d1 > 2 && s.charCodeAt(1) === UNDERSCORE) objStart = 2;
  else objStart = d1 > 1 ? 1 : 0;
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
  if (!splitAttribute(name, d1 + 1, d2)) return null;
  // The extras are `(\.[.\w-]+)*`: one leading dot, then at least one character of [.\w-].
  let extra: string | null = null;
  if (d2 < dl) {
    if (dl - d2 < 2 || !EXTRA.all(name, d2 + 1, dl)) return null;
    extra = name.slice(d2 + 1, dl);
  }
  const attributeEnd = attrEnd;
  const timescaleStart = tsStart;
  splitHead(name, d1);
  return {
    namespace: nsStart < 0 ? null : name.slice(nsStart, nsEnd),
    object: name.slice(objStart, d1),
    attribute: name.slice(d1 + 1, attributeEnd),
    timescale: timescaleStart < 0 ? null : name.slice(timescaleStart, d2),
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

/**
 * Character classes with Python 3 `re` semantics, because ONE's answers come from Python regexes
 * on str patterns, where `\w` and `\d` are Unicode-aware (JavaScript's are ASCII-only).
 *
 * `\w` in Python is "str.isalnum() or '_'". For every code point Python 3.11 (Unicode 14) knows,
 * that set is exactly JavaScript's `[\p{L}\p{N}_]`; the two only differ on code points assigned
 * after Unicode 14, which Node's newer ICU counts as letters/numbers and Python does not (yet).
 * `\d` is `\p{Nd}` with the same caveat.
 */

/** Class bodies (no brackets) so the grammar table can compose them, e.g. `[${WORD}.-]`. */
export const WORD = '\\p{L}\\p{N}_';
export const DIGIT = '\\p{Nd}';

/**
 * Python's `\s` / str.isspace(). Unlike JavaScript's `\s` it includes the information
 * separators U+001C..U+001F and U+0085, and excludes U+FEFF.
 */
export const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/**
 * Characters that are str.isdigit() but not decimal (superscripts, circled digits, ...).
 * ONE's get_session_path tests the number folder with str.isdigit(), which accepts these;
 * JavaScript has no property for Numeric_Type=Digit, so the ranges are listed (generated
 * from Python 3.11).
 */
const NON_DECIMAL_DIGITS =
  '\\u{b2}-\\u{b3}\\u{b9}\\u{1369}-\\u{1371}\\u{19da}\\u{2070}\\u{2074}-\\u{2079}\\u{2080}-\\u{2089}' +
  '\\u{2460}-\\u{2468}\\u{2474}-\\u{247c}\\u{2488}-\\u{2490}\\u{24ea}\\u{24f5}-\\u{24fd}\\u{24ff}' +
  '\\u{2776}-\\u{277e}\\u{2780}-\\u{2788}\\u{278a}-\\u{2792}\\u{10a40}-\\u{10a43}\\u{10e60}-\\u{10e68}' +
  '\\u{11052}-\\u{1105a}\\u{1f100}-\\u{1f10a}';

const PY_ISDIGIT_RE = new RegExp(`^[${DIGIT}${NON_DECIMAL_DIGITS}]+$`, 'u');
const DECIMAL_RE = /^\p{Nd}$/u;

/** Python's str.isdigit() (non-empty string of Numeric_Type Digit or Decimal characters). */
export function pyIsDigit(s: string): boolean {
  return PY_ISDIGIT_RE.test(s);
}

/**
 * A fast membership test for one character class. Built from a class source so the grammar
 * table stays the single definition; ASCII answers are precomputed because nearly every
 * real name is ASCII and a regex call per character would dominate classifyPath's budget.
 */
export class CharClass {
  readonly source: string;
  private readonly ascii: Uint8Array;
  private readonly re: RegExp;

  constructor(classSource: string) {
    this.source = classSource;
    this.re = new RegExp(`^${classSource}$`, 'u');
    this.ascii = new Uint8Array(128);
    for (let c = 0; c < 128; c++) this.ascii[c] = this.re.test(String.fromCharCode(c)) ? 1 : 0;
  }

  /** Whether the code point is in the class. */
  hasCodePoint(cp: number): boolean {
    return cp < 128 ? this.ascii[cp] === 1 : this.re.test(String.fromCodePoint(cp));
  }

  /** Whether every character of s[from, to) is in the class (true for an empty range). */
  all(s: string, from = 0, to = s.length): boolean {
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        if (this.ascii[c] === 0) return false;
        continue;
      }
      const cp = s.codePointAt(i) as number;
      // A lone surrogate is not a Python str character we can match; treat it as foreign.
      if (!this.re.test(String.fromCodePoint(cp))) return false;
      if (cp > 0xffff) i++;
    }
    return true;
  }

  /** Index of the first character of s[from, to) outside the class, or -1. */
  firstOutside(s: string, from = 0, to = s.length): number {
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        if (this.ascii[c] === 0) return i;
        continue;
      }
      const cp = s.codePointAt(i) as number;
      if (!this.re.test(String.fromCodePoint(cp))) return i;
      if (cp > 0xffff) i++;
    }
    return -1;
  }

  /** Start index of the longest run of class characters ending just before `end`. */
  runStartBefore(s: string, end: number, floor = 0): number {
    let i = end;
    while (i > floor) {
      const c = s.charCodeAt(i - 1);
      if (c < 128) {
        if (this.ascii[c] === 0) break;
        i--;
        continue;
      }
      // Step back over a surrogate pair as one character.
      const isLow = c >= 0xdc00 && c <= 0xdfff;
      const start = isLow && i - 2 >= floor && isHighSurrogate(s.charCodeAt(i - 2)) ? i - 2 : i - 1;
      if (!this.re.test(s.slice(start, i))) break;
      i = start;
    }
    return i;
  }

  /** Index after the longest run (at most `max` characters) of class characters from `from`. */
  runEnd(s: string, from: number, max = Infinity): number {
    let i = from;
    let n = 0;
    while (i < s.length && n < max) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        if (this.ascii[c] === 0) break;
        i++;
      } else {
        const cp = s.codePointAt(i) as number;
        if (!this.re.test(String.fromCodePoint(cp))) break;
        i += cp > 0xffff ? 2 : 1;
      }
      n++;
    }
    return i;
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Python `\w`. */
export const WORD_CHARS = new CharClass(`[${WORD}]`);
/** Python `\d`. */
export const DIGIT_CHARS = new CharClass(`[${DIGIT}]`);

const SPACE_RE = new RegExp(`[${PY_SPACE}\\s]`, 'u');
/** Whitespace as a person means it: Python's or JavaScript's definition. */
export function isSpaceChar(ch: string): boolean {
  return SPACE_RE.test(ch);
}

/**
 * The value of one Unicode decimal digit. Unicode lays every Nd digit set out as consecutive
 * runs of ten starting at zero, so the offset from the start of the contiguous Nd block,
 * modulo ten, is the value (this also holds for the back-to-back mathematical digit sets).
 */
export function digitValue(cp: number): number {
  if (cp >= 48 && cp <= 57) return cp - 48;
  if (!DECIMAL_RE.test(String.fromCodePoint(cp))) return -1;
  let start = cp;
  while (start > 0 && DECIMAL_RE.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Python int() of a string of decimal digits (any script); NaN when not all decimal. */
export function decimalValue(s: string): number {
  if (s.length === 0) return Number.NaN;
  let v = 0;
  for (const ch of s) {
    const d = digitValue(ch.codePointAt(0) as number);
    if (d < 0) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

/** True when every character is ASCII (the common case, and what portable names use). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/**
 * Python `re` patterns → JavaScript RegExp, so a query written for ONE (which runs Python's
 * `re.search` / `re.fullmatch` through pandas) matches the same strings here.
 *
 * Translated: leading global flags `(?i)`, `(?s)`, `(?m)`, `(?x)`, `(?a)`, `(?u)`; `\A`, `\Z`
 * (and 3.14's `\z`); `(?P<name>…)`, `(?P=name)`; `(?#…)` comments; `{,n}` and lone `{`, `}`,
 * `]` (literal in Python, errors in JavaScript's Unicode mode); Python's `$` (end or before a
 * final newline), `.` (anything but `\n`), `^`/`$` in multiline mode (only `\n` ends a line);
 * Unicode `\w`, `\d`, `\s`, `\b` (JavaScript's are ASCII-only); `\U0001F600`; octal escapes;
 * escaped punctuation that Unicode-mode JavaScript refuses (`\-`, `\_`, `\#`…); character
 * classes (`[]a]`, `[\W]`, a literal `-` at either end).
 *
 * Refused with a reason: scoped flags `(?i:…)` (not in Node 20), flags after the start (an error
 * in Python 3.11+ too), atomic groups `(?>…)` and possessive quantifiers, conditionals
 * `(?(1)…)`, `\N{…}` names, `(?L)`, and everything Python itself rejects (bad escapes,
 * unterminated sets, bad ranges).
 *
 * The result uses JavaScript's `v` (unicodeSets) mode, which allows nested classes: that is how
 * `[\W\d]` is expressed.
 */
import { DIGIT, PY_SPACE, WORD } from '../alf/unicode';

export class PyRegexError extends Error {
  override readonly name = 'PyRegexError';
  constructor(
    readonly pattern: string,
    readonly reason: string,
    /** 'unsupported': valid Python that JavaScript cannot express; 'invalid': Python rejects it too. */
    readonly kind: 'unsupported' | 'invalid',
  ) {
    super(`${reason} in ${JSON.stringify(pattern)}`);
  }
}

export interface TranslatedRegex {
  /** The JavaScript source (body only: no anchors added). */
  source: string;
  /** JavaScript flags: always 'v', plus 'i' for Python's IGNORECASE. */
  flags: string;
}

/** Characters JavaScript's Unicode modes let (or make) you escape outside a class. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
/** …and the extra punctuators a `v`-mode class reserves. */
const CLASS_RESERVED = new Set('&-!#%,:;<=>@`~');
const HEX = /^[0-9a-fA-F]+$/;
const OCT = /^[0-7]$/;
const ASCII_ALNUM = /^[A-Za-z0-9]$/;
/** Python's whitespace for verbose mode (sre_parse WHITESPACE). */
const VERBOSE_SPACE = new Set(' \t\n\r\v\f');

interface Flags {
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
  verbose: boolean;
  ascii: boolean;
}

/** The Python pattern as JavaScript source + flags; throws PyRegexError. */
export function translatePyRegex(pattern: string): TranslatedRegex {
  return new Translator(pattern).run();
}

const cache = new Map<string, RegExp>();

/**
 * A RegExp for Python's `re.search(pattern, s)` (`mode: 'search'`) or `re.fullmatch`
 * (`mode: 'full'`). Compiled patterns are cached.
 */
export function compilePyRegex(pattern: string, mode: 'search' | 'full'): RegExp {
  const key = `${mode}\u0000${pattern}`;
  let re = cache.get(key);
  if (re) return re;
  const t = translatePyRegex(pattern);
  const source = mode === 'full' ? `^(?:${t.source})(?![\\s\\S])` : t.source;
  try {
    re = new RegExp(source, t.flags);
  } catch (e) {
    // What is left is what Python rejects as well (nothing to repeat, bad backreference, …).
    const detail = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : String(e);
    throw new PyRegexError(pattern, `invalid regular expression (${detail})`, 'invalid');
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

class Translator {
  private readonly cps: string[];
  private i = 0;
  private out = '';
  private readonly flags: Flags = { ignoreCase: false, multiline: false, dotAll: false, verbose: false, ascii: false };

  constructor(private readonly pattern: string) {
    this.cps = Array.from(pattern);
  }

  private unsupported(reason: string): never {
    throw new PyRegexError(this.pattern, reason, 'unsupported');
  }

  private invalid(reason: string): never {
    throw new PyRegexError(this.pattern, `${reason} at position ${this.i}`, 'invalid');
  }

  private peek(k = 0): string | undefined {
    return this.cps[this.i + k];
  }

  private lookingAt(s: string): boolean {
    for (let k = 0; k < s.length; k++) if (this.cps[this.i + k] !== s[k]) return false;
    return true;
  }

  run(): TranslatedRegex {
    this.leadingFlags();
    while (this.i < this.cps.length) this.item();
    return { source: this.out, flags: this.flags.ignoreCase ? 'iv' : 'v' };
  }

  /** `(?aiLmsux)` groups at the very start set flags for the whole pattern. */
  private leadingFlags(): void {
    for (;;) {
      const m = /^\(\?([a-zA-Z]+)\)/.exec(this.cps.slice(this.i, this.i + 12).join(''));
      if (!m) return;
      for (const f of m[1] as string) {
        if (f === 'i') this.flags.ignoreCase = true;
        else if (f === 'm') this.flags.multiline = true;
        else if (f === 's') this.flags.dotAll = true;
        else if (f === 'x') this.flags.verbose = true;
        else if (f === 'a') this.flags.ascii = true;
        else if (f === 'u') continue;
        else if (f === 'L') this.invalid('the L (locale) flag only works with bytes patterns');
        else this.invalid(`unknown flag ${f}`);
      }
      this.i += (m[0] as string).length;
    }
  }

  private item(): void {
    const c = this.cps[this.i] as string;
    if (this.flags.verbose) {
      if (VERBOSE_SPACE.has(c)) {
        this.i++;
        return;
      }
      if (c === '#') {
        while (this.i < this.cps.length && this.cps[this.i] !== '\n') this.i++;
        return;
      }
    }
    this.i++;
    switch (c) {
      case '\\':
        this.out += this.escape();
        return;
      case '[':
        this.out += this.charClass();
        return;
      case '(':
        this.out += this.group();
        return;
      case '{':
        this.out += this.brace();
        return;
      case '*':
      case '+':
      case '?':
        this.out += c + this.quantifierSuffix();
        return;
      case '}':
      case ']':
        this.out += `\\${c}`;
        return;
      case '.':
        this.out += this.flags.dotAll ? '[\\s\\S]' : '[^\\n]';
        return;
      case '^':
        // JavaScript's multiline ^ also follows \r, U+2028 and U+2029; Python's only \n.
        this.out += this.flags.multiline ? '(?<![^\\n])' : '^';
        return;
      case '$':
        // Python's $ also matches just before a final newline.
        this.out += this.flags.multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
        return;
      case ')':
      case '|':
        this.out += c;
        return;
      default:
        this.out += literal(c, false);
    }
  }

  /** After a quantifier: lazy `?` passes; possessive `+` has no JavaScript equivalent. */
  private quantifierSuffix(): string {
    if (this.peek() === '?') {
      this.i++;
      return '?';
    }
    if (this.peek() === '+') this.unsupported('possessive quantifiers (*+, ++, ?+, {m,n}+) have no JavaScript equivalent');
    return '';
  }

  /** `{` starts a quantifier only as {m}, {m,}, {,n}, {m,n} (or {,}); otherwise it is a literal. */
  private brace(): string {
    const rest = this.cps.slice(this.i, this.i + 24).join('');
    const m = /^([0-9]*)(?:(,)([0-9]*))?\}/.exec(rest);
    if (!m || (m[1] === '' && m[2] === undefined)) return '\\{';
    this.i += (m[0] as string).length;
    const lo = m[1] || '0';
    const q = m[2] === undefined ? `{${lo}}` : `{${lo},${m[3] ?? ''}}`;
    return q + this.quantifierSuffix();
  }

  private group(): string {
    if (this.peek() !== '?') return '(';
    this.i++;
    const c = this.peek();
    if (c === ':' || c === '=' || c === '!') {
      this.i++;
      return `(?${c}`;
    }
    if (this.lookingAt('<=') || this.lookingAt('<!')) {
      const which = this.cps[this.i + 1] as string;
      this.i += 2;
      return `(?<${which}`;
    }
    if (this.lookingAt('P<')) {
      this.i += 2;
      return `(?<${this.groupName('>')}>`;
    }
    if (this.lookingAt('P=')) {
      this.i += 2;
      return `\\k<${this.groupName(')')}>`;
    }
    if (c === '#') {
      while (this.i < this.cps.length && this.cps[this.i] !== ')') this.i++;
      if (this.i >= this.cps.length) this.invalid('missing ), unterminated comment');
      this.i++;
      return '';
    }
    if (c === '<') this.invalid('Python writes named groups (?P<name>…), not (?<name>…)');
    if (c === '>') this.unsupported('atomic groups (?>…) have no JavaScript equivalent');
    if (c === '(') this.unsupported('conditional groups (?(id)yes|no) have no JavaScript equivalent');
    const flags = /^-?[aiLmsux]+(?:-[aiLmsux]+)?([:)])/.exec(this.cps.slice(this.i, this.i + 12).join(''));
    if (flags) {
      if (flags[1] === ')') this.invalid('global flags not at the start of the expression');
      this.unsupported('scoped inline flags (?i:…) are not available in JavaScript here; put a global flag such as (?i) at the very start instead');
    }
    return this.invalid(`unknown extension ?${c ?? ''}`);
  }

  private groupName(end: string): string {
    let name = '';
    while (this.i < this.cps.length && this.cps[this.i] !== end) name += this.cps[this.i++];
    if (this.i >= this.cps.length) this.invalid(`missing ${end}, unterminated name`);
    this.i++;
    if (!/^[\p{ID_Start}_][\p{ID_Continue}]*$/u.test(name)) this.invalid(`bad character in group name ${JSON.stringify(name)}`);
    return name;
  }

  private category(e: string): string | undefined {
    const a = this.flags.ascii;
    switch (e) {
      case 'd':
        return a ? '[0-9]' : `[${DIGIT}]`;
      case 'D':
        return a ? '[^0-9]' : `[^${DIGIT}]`;
      case 'w':
        return a ? '[A-Za-z0-9_]' : `[${WORD}]`;
      case 'W':
        return a ? '[^A-Za-z0-9_]' : `[^${WORD}]`;
      case 's':
        return a ? '[ \\t\\n\\r\\f\\v]' : `[${PY_SPACE}]`;
      case 'S':
        return a ? '[^ \\t\\n\\r\\f\\v]' : `[^${PY_SPACE}]`;
      default:
        return undefined;
    }
  }

  /** An escape outside a class (the backslash already consumed). */
  private escape(): string {
    const e = this.cps[this.i++];
    if (e === undefined) this.invalid('bad escape (end of pattern)');
    const cat = this.category(e);
    if (cat) return cat;
    switch (e) {
      case 'A':
        return '(?<![\\s\\S])';
      case 'Z':
      case 'z':
        return '(?![\\s\\S])';
      case 'b':
      case 'B': {
        const w = this.category('w') as string;
        return e === 'b' ? `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))` : `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
      }
      default: {
        const cp = this.codeEscape(e, false);
        if (cp !== undefined) return literal(String.fromCodePoint(cp), false);
        if (/^[1-9]$/.test(e)) {
          // A group reference: one or two digits (three octal digits were taken as octal above).
          let ref = e;
          if (/^[0-9]$/.test(this.peek() ?? '')) ref += this.cps[this.i++];
          return `(?:\\${ref})`;
        }
        if (ASCII_ALNUM.test(e)) this.invalid(`bad escape \\${e}`);
        return literal(e, false);
      }
    }
  }

  /**
   * The code point of a character escape (\n, \x41, \u0041, \U0001F600, octal, \a…), or
   * undefined when `e` starts no such escape. In a class, \b is a backspace and every digit
   * escape is octal.
   */
  private codeEscape(e: string, inClass: boolean): number | undefined {
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (e in simple) return simple[e];
    if (inClass && e === 'b') return 8;
    if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = this.cps.slice(this.i, this.i + n).join('');
      if (hex.length !== n || !HEX.test(hex)) this.invalid(`incomplete escape \\${e}${hex}`);
      this.i += n;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) this.invalid(`bad escape \\${e}${hex}`);
      return cp;
    }
    if (e === 'N') this.unsupported('named characters \\N{…} are not supported; write the character itself or \\uXXXX');
    if (OCT.test(e)) {
      // Python: \0 starts an octal escape; \1-\7 only when three octal digits follow (else a group
      // reference) — except in a class, where any octal digit run is a character.
      const a = this.peek();
      const b = this.peek(1);
      if (e === '0' || inClass || (OCT.test(a ?? '') && OCT.test(b ?? ''))) {
        let digits = e;
        while (digits.length < 3 && OCT.test(this.peek() ?? '')) digits += this.cps[this.i++];
        const cp = parseInt(digits, 8);
        if (cp > 0o377) this.invalid(`octal escape value \\${digits} outside of range 0-0o377`);
        return cp;
      }
    }
    if (inClass && /^[89]$/.test(e)) this.invalid(`bad escape \\${e}`);
    return undefined;
  }

  /** A `[...]` set (the `[` already consumed) as a `v`-mode class. */
  private charClass(): string {
    let body = '';
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    let first = true;
    for (;;) {
      const c = this.cps[this.i];
      if (c === undefined) this.invalid('unterminated character set');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      this.i++;
      const lo = this.classAtom(c);
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.i++;
        const c2 = this.cps[this.i++] as string;
        const hi = this.classAtom(c2);
        if (lo.cp === undefined || hi.cp === undefined) this.invalid('bad character range');
        if (hi.cp < lo.cp) this.invalid('bad character range');
        body += `${lo.text}-${hi.text}`;
      } else {
        body += lo.text;
      }
    }
    return `[${negate ? '^' : ''}${body}]`;
  }

  /** One class member: a character (with its code point, for ranges) or a category. */
  private classAtom(c: string): { text: string; cp?: number } {
    if (c !== '\\') return { text: literal(c, true), cp: c.codePointAt(0) as number };
    const e = this.cps[this.i++];
    if (e === undefined) this.invalid('bad escape (end of pattern)');
    const cat = this.category(e);
    if (cat) return { text: cat }; // a nested class: v mode allows [a[^\p{L}]]
    const cp = this.codeEscape(e, true);
    if (cp !== undefined) return { text: literal(String.fromCodePoint(cp), true), cp };
    if (ASCII_ALNUM.test(e)) this.invalid(`bad escape \\${e}`);
    return { text: literal(e, true), cp: e.codePointAt(0) as number };
  }
}

/** One character as a literal in JavaScript `v` mode, inside or outside a class. */
function literal(ch: string, inClass: boolean): string {
  if (SYNTAX.has(ch) || (inClass && CLASS_RESERVED.has(ch))) return `\\${ch}`;
  const cp = ch.codePointAt(0) as number;
  // Control characters and line breaks written out, so the source stays readable in messages.
  if (cp < 0x20 || cp === 0x7f || cp === 0x2028 || cp === 0x2029) return `\\u{${cp.toString(16)}}`;
  return ch;
}

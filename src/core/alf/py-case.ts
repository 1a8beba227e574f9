/**
 * Python's case mappings where JavaScript's differ, because ONE builds names with
 * `str.capitalize` and matches dataset types with `str.casefold`. Tables generated from
 * Python 3.11 (Unicode 14) by comparing every code point with Node's toUpperCase/toLowerCase;
 * elsewhere the two agree (upper and lower case alike, one code point at a time).
 */

/**
 * Characters whose titlecase (what `str.capitalize` puts first) is not their uppercase:
 * ligatures and digraphs ('ß' → 'Ss', 'ﬁ' → 'Fi', 'ǆ' → 'ǅ') and Greek letters with
 * iota subscript. Each entry is the character followed by its titlecase.
 */
const TITLE_ENTRIES =
  '\u{df}Ss \u{1c4}\u{1c5} \u{1c5}\u{1c5} \u{1c6}\u{1c5} \u{1c7}\u{1c8} \u{1c8}\u{1c8} ' +
  '\u{1c9}\u{1c8} \u{1ca}\u{1cb} \u{1cb}\u{1cb} \u{1cc}\u{1cb} \u{1f1}\u{1f2} \u{1f2}\u{1f2} ' +
  '\u{1f3}\u{1f2} \u{587}\u{535}\u{582} \u{1f80}\u{1f88} \u{1f81}\u{1f89} \u{1f82}\u{1f8a} ' +
  '\u{1f83}\u{1f8b} \u{1f84}\u{1f8c} \u{1f85}\u{1f8d} \u{1f86}\u{1f8e} \u{1f87}\u{1f8f} ' +
  '\u{1f88}\u{1f88} \u{1f89}\u{1f89} \u{1f8a}\u{1f8a} \u{1f8b}\u{1f8b} \u{1f8c}\u{1f8c} ' +
  '\u{1f8d}\u{1f8d} \u{1f8e}\u{1f8e} \u{1f8f}\u{1f8f} \u{1f90}\u{1f98} \u{1f91}\u{1f99} ' +
  '\u{1f92}\u{1f9a} \u{1f93}\u{1f9b} \u{1f94}\u{1f9c} \u{1f95}\u{1f9d} \u{1f96}\u{1f9e} ' +
  '\u{1f97}\u{1f9f} \u{1f98}\u{1f98} \u{1f99}\u{1f99} \u{1f9a}\u{1f9a} \u{1f9b}\u{1f9b} ' +
  '\u{1f9c}\u{1f9c} \u{1f9d}\u{1f9d} \u{1f9e}\u{1f9e} \u{1f9f}\u{1f9f} \u{1fa0}\u{1fa8} ' +
  '\u{1fa1}\u{1fa9} \u{1fa2}\u{1faa} \u{1fa3}\u{1fab} \u{1fa4}\u{1fac} \u{1fa5}\u{1fad} ' +
  '\u{1fa6}\u{1fae} \u{1fa7}\u{1faf} \u{1fa8}\u{1fa8} \u{1fa9}\u{1fa9} \u{1faa}\u{1faa} ' +
  '\u{1fab}\u{1fab} \u{1fac}\u{1fac} \u{1fad}\u{1fad} \u{1fae}\u{1fae} \u{1faf}\u{1faf} ' +
  '\u{1fb2}\u{1fba}\u{345} \u{1fb3}\u{1fbc} \u{1fb4}\u{386}\u{345} ' +
  '\u{1fb7}\u{391}\u{342}\u{345} \u{1fbc}\u{1fbc} \u{1fc2}\u{1fca}\u{345} \u{1fc3}\u{1fcc} ' +
  '\u{1fc4}\u{389}\u{345} \u{1fc7}\u{397}\u{342}\u{345} \u{1fcc}\u{1fcc} ' +
  '\u{1ff2}\u{1ffa}\u{345} \u{1ff3}\u{1ffc} \u{1ff4}\u{38f}\u{345} ' +
  '\u{1ff7}\u{3a9}\u{342}\u{345} \u{1ffc}\u{1ffc} \u{fb00}Ff \u{fb01}Fi \u{fb02}Fl ' +
  '\u{fb03}Ffi \u{fb04}Ffl \u{fb05}St \u{fb06}St \u{fb13}\u{544}\u{576} ' +
  '\u{fb14}\u{544}\u{565} \u{fb15}\u{544}\u{56b} \u{fb16}\u{54e}\u{576} ' +
  '\u{fb17}\u{544}\u{56d}';

const TITLE = new Map<string, string>(
  TITLE_ENTRIES.split(' ').map((entry) => {
    const key = String.fromCodePoint(entry.codePointAt(0) as number);
    return [key, entry.slice(key.length)];
  }),
);

/** Georgian Mkhedruli letters are their own titlecase, though they have capitals (Mtavruli). */
function isGeorgianMkhedruli(c: string): boolean {
  const cp = c.codePointAt(0) as number;
  return cp >= 0x10d0 && cp <= 0x10ff;
}

/** Python's titlecase of one character. */
export function pyTitleChar(c: string): string {
  if (isGeorgianMkhedruli(c)) return c;
  return TITLE.get(c) ?? c.toUpperCase();
}

/**
 * Python's `str.capitalize()`: the first character in titlecase, the rest in lower case.
 * The rest is lowered together with the first character because a final sigma depends on
 * what comes before it ('ΑΣ' → 'Ας').
 */
export function pyCapitalize(s: string): string {
  if (!s) return s;
  const first = String.fromCodePoint(s.codePointAt(0) as number);
  return pyTitleChar(first) + s.toLowerCase().slice(first.toLowerCase().length);
}

/** Characters whose case folding is not lower(upper(c)). */
const FOLD = new Map<string, string>([
  ['\u0131', '\u0131'], // dotless i folds to itself, not to 'i'
  ['\u1e9e', 'ss'], // capital sharp s
]);

/**
 * Cherokee folds to its capitals (U+13A0–U+13F5), the reverse of every other script: small
 * letters U+AB70–U+ABBF and U+13F8–U+13FD map up.
 */
function foldCherokee(cp: number): string | undefined {
  if (cp >= 0x13a0 && cp <= 0x13f5) return String.fromCodePoint(cp);
  if (cp >= 0x13f8 && cp <= 0x13fd) return String.fromCodePoint(cp - 8);
  if (cp >= 0xab70 && cp <= 0xabbf) return String.fromCodePoint(cp - 0xab70 + 0x13a0);
  return undefined;
}

/**
 * Python's `str.casefold()` (full case folding): 'ß' → 'ss', 'ς' → 'σ', 'ﬁ' → 'fi'. Folded one
 * character at a time, so a final sigma folds like any sigma.
 */
export function pyCasefold(s: string): string {
  // eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL on purpose
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0) as number;
    out += FOLD.get(c) ?? foldCherokee(cp) ?? c.toUpperCase().toLowerCase();
  }
  return out;
}

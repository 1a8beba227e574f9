/**
 * String order as Python compares str: by code point. JavaScript's `<` compares UTF-16 code
 * units, which puts characters above U+FFFF (surrogate pairs, 0xD800–0xDFFF) before U+E000–U+FFFF;
 * `localeCompare` is worse (case- and locale-dependent). ONE sorts with Python's order.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      // A surrogate here starts a code point ≥ U+10000, above any BMP character.
      if (xs !== ys) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

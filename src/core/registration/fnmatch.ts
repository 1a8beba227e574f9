/**
 * Python's `fnmatch.fnmatchcase` (the matching half of `fnmatch.fnmatch` on POSIX): `*`, `?`,
 * `[seq]`, `[!seq]`, whole-string match, `*` crossing `/` and `.` alike. Dataset type patterns
 * on Alyx are written for it, so the same pattern must match the same names here.
 */
export function fnmatchToRegExp(pattern: string): RegExp {
  let out = '';
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i++] as string;
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (j < n && pattern[j] === '!') j++;
      if (j < n && pattern[j] === ']') j++;
      while (j < n && pattern[j] !== ']') j++;
      if (j >= n) {
        out += '\\[';
      } else {
        let set = pattern.slice(i, j).replace(/\\/g, '\\\\');
        i = j + 1;
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        else if (set.startsWith('^') || set.startsWith('[')) set = `\\${set}`;
        out += `[${set.replace(/]/g, '\\]')}]`;
      }
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^(?:${out})$`, 's');
}

const cache = new Map<string, RegExp>();

export function fnmatchCase(name: string, pattern: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = fnmatchToRegExp(pattern);
    if (cache.size > 2000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(name);
}

/** Python's `str.casefold`, closely enough for file names (ß → ss, final sigma, …). */
export function casefold(s: string): string {
  return s.toUpperCase().toLowerCase();
}

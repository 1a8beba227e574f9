import { pyCasefold } from '../alf/py-case';

/**
 * Python's `fnmatch.fnmatchcase` (the matching half of `fnmatch.fnmatch` on POSIX): `*`, `?`,
 * `[seq]`, `[!seq]`, whole-string match, `*` crossing `/` and `.` alike. Dataset type patterns
 * on Alyx are written for it, so the same pattern must match the same names here. Follows
 * `fnmatch.translate` of CPython 3.11, down to its handling of reversed ranges (`[z-a]` is
 * dropped) and of '-' and '\' inside sets; '?' and sets match one code point, as in Python.
 */
export function fnmatchToRegExp(pattern: string): RegExp {
  const pat = [...pattern];
  const n = pat.length;
  let out = '';
  let i = 0;
  while (i < n) {
    const c = pat[i++] as string;
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        out += '\\[';
      } else {
        out += setToRegExp(pat, i, j);
        i = j + 1;
      }
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^(?:${out})$`, 'su');
}

/** The set `pat[start, end)` (between '[' and ']') as a regex class, or a never/always match. */
function setToRegExp(pat: readonly string[], start: number, end: number): string {
  const escape = (s: string): string => s.replace(/[\\\]-]/g, '\\$&');
  let body: string;
  if (!pat.slice(start, end).includes('-')) {
    body = escape(pat.slice(start, end).join(''));
  } else {
    // Split at the hyphens that make ranges; a '-' right after '[' or '[!' is literal.
    const chunks: string[][] = [];
    let from = start;
    let k = pat[start] === '!' ? start + 2 : start + 1;
    for (;;) {
      k = pat.indexOf('-', k);
      if (k < 0 || k >= end) break;
      chunks.push(pat.slice(from, k));
      from = k + 1;
      k += 3;
    }
    const last = pat.slice(from, end);
    if (last.length) chunks.push(last);
    else (chunks[chunks.length - 1] as string[]).push('-');
    // A reversed range such as 'z-a' is dropped, with its two ends, as Python does.
    for (let m = chunks.length - 1; m > 0; m--) {
      const prev = chunks[m - 1] as string[];
      const cur = chunks[m] as string[];
      if ((prev[prev.length - 1] as string).codePointAt(0)! > (cur[0] as string).codePointAt(0)!) {
        chunks[m - 1] = [...prev.slice(0, -1), ...cur.slice(1)];
        chunks.splice(m, 1);
      }
    }
    body = chunks.map((ch) => escape(ch.join(''))).join('-');
  }
  if (!body) return '(?!)';
  if (body === '!') return '[^]';
  if (body.startsWith('!')) return `[^${body.slice(1)}]`;
  if (body.startsWith('^')) return `[\\${body}]`;
  return `[${body}]`;
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

/** Python's `str.casefold` (ß → ss, final sigma → σ, ﬁ → fi). */
export const casefold = pyCasefold;

/**
 * Deriving a valid ALF name from an invalid one, for quick fixes. The repairs are the smallest
 * edits that keep what the author evidently meant; a candidate is only offered when it passes
 * the validator, so a fix can never be another invalid name.
 */
import { parseFilename } from './filename';
import { PART_CHARS } from './grammar';
import { PY_SPACE } from './unicode';

const SPACES = new RegExp(`[${PY_SPACE}\\s]+`, 'gu');
const LEADING_TRAILING_SPACES = new RegExp(`^[${PY_SPACE}\\s]+|[${PY_SPACE}\\s]+$`, 'gu');
const SEPARATOR = new RegExp(`[${PY_SPACE}\\s_]+`, 'u');
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const MARKS = /\p{M}/gu;

/** Keep only the characters a part allows. */
function keep(s: string, allowed: (cp: number) => boolean): string {
  let out = '';
  for (const ch of s) if (allowed(ch.codePointAt(0) as number)) out += ch;
  return out;
}

const isWord = (cp: number): boolean => PART_CHARS.object.hasCodePoint(cp);
const isExtraChar = (cp: number): boolean => cp !== 46 && PART_CHARS.extra.hasCodePoint(cp);
const isAttrChar = (cp: number): boolean => cp === 95 || PART_CHARS.attribute.hasCodePoint(cp);

/** 'chöice' → 'choice': attributes are ASCII-only, and dropping the accent keeps the word. */
function toAsciiLetters(s: string): string {
  return s.normalize('NFD').replace(MARKS, '');
}

/**
 * The attribute (and timescale) between the first two dots. A '-' or other separator after
 * the attribute most often numbers a copy ('choice-2'); it becomes an extra part, so ONE
 * still files the data under the same attribute instead of inventing a new one ('choice2').
 */
function repairAttribute(s1: string): { attribute: string; extra: string | null } {
  let a = toAsciiLetters(s1.replace(SPACES, ''));
  let extra: string | null = null;
  const dash = a.search(/[^\p{L}\p{N}_]/u);
  if (dash >= 0) {
    extra = keep(a.slice(dash + 1), isExtraChar) || null;
    a = a.slice(0, dash);
  }
  a = keep(a, isAttrChar).replace(/_+/g, '_');
  // A leading '_' is only allowed as a deprecated _xx_ namespace; a trailing one starts an
  // empty timescale.
  if (!/^_[a-z]+_./.test(a)) a = a.replace(/^_+/, '');
  a = a.replace(/_+$/, '');
  return { attribute: a, extra };
}

/** A valid ALF name derived from `name`, or null when none can be derived safely. */
export function repairName(name: string): string | null {
  let t = name.normalize('NFC').replace(INVISIBLE, (ch) => (ch === '\t' ? ' ' : ''));
  t = t.replace(LEADING_TRAILING_SPACES, '');
  t = t.replace(/^\.+/, '').replace(/\.{2,}/g, '.').replace(/\.+$/, '');
  const segs = t.split('.');
  if (segs.length < 2) return null;
  if (segs.length === 2) {
    // 'trials choice.npy', 'trials_choice.npy': the first separator after the namespace is
    // where the author meant the dot to be.
    const head = segs[0] as string;
    const ns = /^_[^_\s]+_/u.exec(head)?.[0] ?? '';
    const rest = head.slice(ns.length);
    const m = SEPARATOR.exec(rest);
    if (!m || m.index === 0 || m.index + m[0].length >= rest.length) return null;
    segs.splice(0, 1, ns + rest.slice(0, m.index), rest.slice(m.index + m[0].length));
  }
  const head = keep((segs[0] as string).replace(SPACES, ''), isWord);
  const { attribute, extra } = repairAttribute(segs[1] as string);
  const extras = segs.slice(2, -1).map((x) => keep(x.replace(SPACES, ''), isExtraChar)).filter((x) => x);
  if (extra) extras.unshift(extra);
  const ext = keep((segs[segs.length - 1] as string).replace(SPACES, ''), isWord);
  const candidate = [head, attribute, ...extras, ext].join('.');
  return candidate !== name && parseFilename(candidate) ? candidate : null;
}

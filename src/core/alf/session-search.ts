/**
 * ONE finds sessions by *searching* a path for `(lab/Subjects/)?subject/date/number` rather
 * than matching whole folders, so a lab or subject can start in the middle of a folder name
 * ('my-lab/Subjects/...' gives lab 'lab'). This module reproduces that search exactly, with
 * Python's leftmost-match rule, without backtracking: every candidate hinges on a '/' followed
 * by a date, and from there the subject and lab can only be the character runs that end at
 * the preceding slashes.
 */
import { COLLECTION_PATH_CHARS, PART_CHARS } from './grammar';
import { DIGIT_CHARS, WORD_CHARS } from './unicode';

export interface SessionMatch {
  /** Index where the match starts (the lab when present, else the subject). */
  readonly start: number;
  /** Index just after the number. */
  readonly end: number;
  readonly lab: string | null;
  readonly subject: string;
  readonly date: string;
  readonly number: string;
}

/**
 * What must follow the number: nothing in particular (ONE's `search`), the end of the string
 * (`is_session_path`'s `$`, which also allows one final newline), or a '/' (`folder_parts`).
 */
export type SessionTail = 'any' | 'end' | 'folder';

const SLASH = 47;
const DASH = 45;
const NEWLINE = 10;
const SUBJECTS_SEP = '/Subjects/';
const SUBJECT = PART_CHARS.subject;

/** Index after exactly `n` decimal digits from `from`, or -1. */
function digits(s: string, from: number, n: number): number {
  let i = from;
  for (let k = 0; k < n; k++) {
    if (i >= s.length) return -1;
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      i++;
      continue;
    }
    if (c < 128) return -1;
    const cp = s.codePointAt(i) as number;
    if (!DIGIT_CHARS.hasCodePoint(cp)) return -1;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** Index after `\d{4}-\d{2}-\d{2}` at `from`, or -1. */
function dateEnd(s: string, from: number): number {
  let i = digits(s, from, 4);
  if (i < 0 || s.charCodeAt(i) !== DASH) return -1;
  i = digits(s, i + 1, 2);
  if (i < 0 || s.charCodeAt(i) !== DASH) return -1;
  return digits(s, i + 1, 2);
}

function tailOk(s: string, i: number, tail: SessionTail): boolean {
  if (tail === 'any') return true;
  if (tail === 'folder') return s.charCodeAt(i) === SLASH;
  return i === s.length || (i === s.length - 1 && s.charCodeAt(i) === NEWLINE);
}

/** The session ONE's regex search would find in `s`, or null. */
export function searchSession(s: string, tail: SessionTail): SessionMatch | null {
  let best: SessionMatch | null = null;
  for (let i = s.indexOf('/', 1); i !== -1; i = s.indexOf('/', i + 1)) {
    const dEnd = dateEnd(s, i + 1);
    if (dEnd < 0 || s.charCodeAt(dEnd) !== SLASH) continue;
    const nEnd = DIGIT_CHARS.runEnd(s, dEnd + 1, 3);
    if (nEnd === dEnd + 1 || !tailOk(s, nEnd, tail)) continue;
    const subjStart = SUBJECT.runStartBefore(s, i);
    if (subjStart === i) continue;
    let start = subjStart;
    let lab: string | null = null;
    // At any start position the regex tries the optional lab branch first, and a lab match
    // starts further left, so it wins whenever it exists.
    if (subjStart >= SUBJECTS_SEP.length && s.startsWith(SUBJECTS_SEP, subjStart - SUBJECTS_SEP.length)) {
      const labEnd = subjStart - SUBJECTS_SEP.length;
      const labStart = WORD_CHARS.runStartBefore(s, labEnd);
      if (labStart < labEnd) {
        start = labStart;
        lab = s.slice(labStart, labEnd);
      }
    }
    // A later date can still start further left, through its lab two folders up
    // ('lab/Subjects/2020-01-01/2020-01-02/001'), so every candidate is compared.
    if (best === null || start < best.start) {
      best = {
        start,
        end: nEnd,
        lab,
        subject: s.slice(subjStart, i),
        date: s.slice(i + 1, dEnd),
        number: s.slice(dEnd + 1, nEnd),
      };
    }
  }
  return best;
}

export interface CollectionRevision {
  readonly collection: string | null;
  readonly revision: string | null;
}

/**
 * `((collection)/)?(#(revision)#/)?` searched (not anchored) at `from`, as in ONE's
 * folder_parts: the collection is the greedy run of [\w./-] cut back to its last '/'.
 */
export function readCollectionRevision(s: string, from: number): CollectionRevision {
  let p = from;
  let collection: string | null = null;
  const runEnd = COLLECTION_PATH_CHARS.runEnd(s, from);
  const lastSlash = runEnd > from ? s.lastIndexOf('/', runEnd - 1) : -1;
  if (lastSlash > from) {
    collection = s.slice(from, lastSlash);
    p = lastSlash + 1;
  }
  let revision: string | null = null;
  if (s.charCodeAt(p) === 35 /* # */) {
    const r = PART_CHARS.revision.runEnd(s, p + 1);
    if (r > p + 1 && s.charCodeAt(r) === 35 && s.charCodeAt(r + 1) === SLASH) revision = s.slice(p + 1, r);
  }
  return { collection, revision };
}

/**
 * Where a file or folder sits in an ALF tree, and why it would or would not be indexed.
 *
 * ONE finds sessions with a regex search and then reads each dataset's session a second way
 * (get_session_path); on a messy tree the two disagree, and ONE then writes broken rows or
 * crashes. Here the first folder pair that looks like a session (a date, then a folder of
 * digits) decides: if it is a valid session the file belongs to it, and if it is nearly one
 * (0001, 2020-1-5, 2020-02-30) everything below is reported instead of silently dropped.
 * A final check compares the reading with ONE's own search, so an id that ONE would read
 * differently is never written.
 */
import { isValidSessionDate, parseLooseDate, type LooseDate } from './dates';
import { parseFilename, type FilenameParts } from './filename';
import { PARTS, PART_CHARS, PART_RE } from './grammar';
import { describeChar, describeInvalidName, lintParsedName } from './name-diagnosis';
import { normalisePath, normaliseSlashPath } from './paths';
import type { Finding, ProblemCode } from './problems';
import { searchSession } from './session-search';
import { PY_SPACE, type CharClass } from './unicode';

export interface SessionInfo {
  readonly lab: string | null;
  readonly subject: string;
  /** yyyy-mm-dd, as the folder is named. */
  readonly date: string;
  /** The number folder as written ('001', '1'): ONE keeps it so in the session id. */
  readonly number: string;
  /** The session folder, in the caller's coordinates (root-relative for classifyPath). */
  readonly path: string;
  /** ONE's session id before hashing: 'lab/subject/date/number' or 'subject/date/number'. */
  readonly strId: string;
}

export interface OutsideFolder {
  readonly kind: 'outside';
}

export interface SessionFolder {
  readonly kind: 'session-folder';
  readonly session: SessionInfo;
  readonly collection: null;
  readonly revision: null;
  readonly warnings: readonly Finding[];
}

export interface InsideSessionFolder {
  readonly kind: 'inside-session';
  readonly session: SessionInfo;
  /** 'alf', 'alf/probe00'; null for the session folder itself and a revision directly in it. */
  readonly collection: string | null;
  /** The revision label without '#', when the folder is (inside) '#label#'. */
  readonly revision: string | null;
  readonly warnings: readonly Finding[];
}

export interface InvalidVerdict {
  readonly kind: 'invalid';
  readonly code: ProblemCode;
  readonly message: string;
  /** The offending file or folder, in the caller's coordinates. */
  readonly at: string;
  readonly isFolder: boolean;
  /** A new base name for `at` that fixes this problem, when one can be derived. */
  readonly fix?: string;
  /** The session the offending path is in, when there is one. */
  readonly session?: SessionInfo;
}

export interface InvalidFolder extends InvalidVerdict {
  readonly isFolder: true;
}

export type FolderVerdict = OutsideFolder | SessionFolder | InsideSessionFolder | InvalidFolder;

export interface DatasetVerdict {
  readonly kind: 'dataset';
  readonly session: SessionInfo;
  readonly collection: string | null;
  readonly revision: string | null;
  /** Session-relative posix path, as ONE's get_alf_path(relative_to_session()) gives it. */
  readonly relPath: string;
  readonly parts: FilenameParts;
  /** Valid but unusual: folder warnings, then name warnings (each with `at`). */
  readonly warnings: readonly Finding[];
}

export interface OutsideVerdict {
  readonly kind: 'outside';
  /** Whether the base name alone is a valid ALF name. */
  readonly alfName: boolean;
}

export type PathVerdict = DatasetVerdict | InvalidVerdict | OutsideVerdict;

export interface ClassifyOptions {
  /**
   * The data root (absolute or not). ONE reads the lab from 'lab/Subjects' anywhere in the
   * absolute path, and a session folder can even be the root; give the root so those cases
   * are read as ONE reads them. Paths in the verdict stay relative to the root ('..' above it).
   */
  readonly root?: string;
  /**
   * Whether a backslash separates folders (default: on Windows only). On Linux and macOS a
   * backslash is a character of a file name (and not a valid ALF one): reading it as a
   * separator would index `alf\x.y.npy` as a file `x.y.npy` in `alf/` that does not exist.
   */
  readonly backslashSeparates?: boolean;
}

/** Windows paths take either separator; everywhere else only '/' separates. */
export const BACKSLASH_SEPARATES_HERE = typeof process !== 'undefined' && process.platform === 'win32';

const OUTSIDE: OutsideFolder = Object.freeze({ kind: 'outside' });
const NO_FINDINGS: readonly Finding[] = Object.freeze([]);
const ALL_DIGITS = /^\p{Nd}+$/u;
const HASH = 35;
const q = (s: string): string => JSON.stringify(s);
const SPACE_RUN = new RegExp(`[${PY_SPACE}\\s]+`, 'gu');

function startsWithDigit(s: string, at: number): boolean {
  const c = s.charCodeAt(at);
  return (c >= 48 && c <= 57) || c >= 128;
}

function firstBadChar(chars: CharClass, s: string): string {
  const i = chars.firstOutside(s);
  return i < 0 ? 'a character it may not hold' : describeChar(String.fromCodePoint(s.codePointAt(i) as number));
}

/** Spaces to '_', then only the characters the part allows; null when nothing is left. */
function cleanFolderName(s: string, chars: CharClass, spaces = '_'): string | null {
  let out = '';
  for (const ch of s.replace(SPACE_RUN, spaces)) if (chars.hasCodePoint(ch.codePointAt(0) as number)) out += ch;
  return out || null;
}

/** What Python's \w run ending a folder name is: the part ONE's search would read. */
function tailRun(s: string, chars: CharClass): string {
  return s.slice(chars.runStartBefore(s, s.length));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function dateProblem(d: LooseDate, folder: string): string {
  if (!/^[0-9-]+$/.test(folder)) return 'it is written with non-ASCII digits, which the cache builder cannot read';
  if (d.month < 1 || d.month > 12) return `there is no month ${d.month}`;
  if (d.day < 1) return 'there is no day 0';
  if (d.year < 1) return 'there is no year 0';
  return `${MONTHS[d.month - 1]} ${d.year} has no day ${d.day}`;
}

/**
 * Folder boundaries of the path being analysed, in buffers reused from one folder to the next:
 * analyse() runs once per folder of a build, so allocating arrays each time would show. Each
 * Classifier owns one, so two classifications never share them.
 */
class Segments {
  start: Int32Array = new Int32Array(64);
  end: Int32Array = new Int32Array(64);
  count = 0;
  text = '';

  split(s: string): void {
    this.text = s;
    this.count = 0;
    let a = 0;
    for (;;) {
      if (this.count === this.start.length) {
        this.start = grow(this.start);
        this.end = grow(this.end);
      }
      const b = s.indexOf('/', a);
      this.start[this.count] = a;
      this.end[this.count] = b < 0 ? s.length : b;
      this.count++;
      if (b < 0) return;
      a = b + 1;
    }
  }

  /** Folder k of the current path. */
  seg(k: number): string {
    return this.text.slice(this.start[k], this.end[k]);
  }

  /** The current path up to and including folder k. */
  upTo(k: number): string {
    return this.text.slice(0, this.end[k]);
  }
}

function grow(buf: Int32Array): Int32Array {
  const b = new Int32Array(buf.length * 2);
  b.set(buf);
  return b;
}

function bad(code: ProblemCode, message: string, at: string, fix: string | null = null, session?: SessionInfo): Analysed {
  return { verdict: invalidFolder(code, message, at, fix, session), sessionEnd: -1 };
}

/** The folder verdict plus where the session path ends in the classified string. */
interface Analysed {
  readonly verdict: FolderVerdict;
  readonly sessionEnd: number;
}

function invalidFolder(code: ProblemCode, message: string, at: string, fix: string | null, session?: SessionInfo): InvalidFolder {
  return { kind: 'invalid', code, message, at, isFolder: true, ...(fix ? { fix } : {}), ...(session ? { session } : {}) };
}

/** Classify a normalised folder path (posix, no empty or '.' folders, no trailing '/'). */
function analyse(dir: string, segments: Segments): Analysed {
  const none: Analysed = { verdict: OUTSIDE, sessionEnd: -1 };
  if (dir === '') return none;
  segments.split(dir);
  const s = dir;
  const n = segments.count;
  const segStart = segments.start;
  const segEnd = segments.end;
  const seg = (k: number): string => segments.seg(k);
  const upTo = (k: number): string => segments.upTo(k);

  // The first date folder followed by a folder of digits: what a person meant as a session.
  let k = -1;
  let loose: LooseDate | null = null;
  for (let j = 1; j < n; j++) {
    if (!startsWithDigit(s, segStart[j] as number) || !ALL_DIGITS.test(seg(j))) continue;
    loose = parseLooseDate(seg(j - 1));
    if (loose) {
      k = j;
      break;
    }
  }
  if (k < 0 || !loose) return none;

  const numSeg = seg(k);
  const dateSeg = seg(k - 1);
  const sessionPath = upTo(k);
  const subjIdx = k - 2;
  if (subjIdx < 0 || seg(subjIdx) === '') {
    return bad('session-at-root', `the date folder ${q(dateSeg)} is directly in the data root, so ONE would take the subject name from the root folder's own name; put sessions in subject folders (subject/${dateSeg}/${numSeg}), or classify with the data root given`, upTo(k - 1));
  }
  const subjSeg = seg(subjIdx);
  const warnings: Finding[] = [];
  let lab: string | null = null;
  const above = subjIdx >= 1 ? seg(subjIdx - 1) : null;
  if (above === 'Subjects') {
    const labSeg = subjIdx >= 2 ? seg(subjIdx - 2) : null;
    if (labSeg) {
      if (!PART_CHARS.lab.all(labSeg)) {
        const read = tailRun(labSeg, PART_CHARS.lab);
        return bad('bad-lab', `the lab folder ${q(labSeg)} contains ${firstBadChar(PART_CHARS.lab, labSeg)}: lab names may only contain ${PARTS.lab.allowed}. ${read ? `ONE would read the lab as ${q(read)} (the end of the folder name)` : 'ONE would not see a lab at all'}, so the sessions below are not indexed`, upTo(subjIdx - 2), cleanFolderName(labSeg, PART_CHARS.lab, ''));
      }
      lab = labSeg;
    } else if (labSeg === null) {
      warnings.push({ code: 'lab-from-root', message: `the ${q('Subjects')} folder is at the top of the data, so ONE takes the lab from the name of the data root folder itself`, at: upTo(subjIdx - 1), isFolder: true });
    }
  } else if (above !== null && above.toLowerCase() === 'subjects') {
    warnings.push({ code: 'lowercase-subjects', message: `the folder ${q(above)} is not spelt ${q('Subjects')}: ONE ignores the lab folder above it and indexes the session without a lab`, fix: 'Subjects', at: upTo(subjIdx - 1), isFolder: true });
  }
  if (!PART_CHARS.subject.all(subjSeg)) {
    const read = tailRun(subjSeg, PART_CHARS.subject);
    return bad('bad-subject', `the subject folder ${q(subjSeg)} contains ${firstBadChar(PART_CHARS.subject, subjSeg)}: subject names may only contain ${PARTS.subject.allowed}. ${read ? `ONE would read the subject as ${q(read)}` : 'ONE would not see a session here'}, so the sessions below are not indexed`, upTo(subjIdx), cleanFolderName(subjSeg, PART_CHARS.subject));
  }
  if (!PART_RE.date.test(dateSeg)) {
    return bad('date-format', `the folder ${q(dateSeg)} looks like a session date but is not written yyyy-mm-dd${loose.iso ? ` (${q(loose.iso)})` : ''}, so ONE does not treat ${q(sessionPath)} as a session and none of its files are indexed`, upTo(k - 1), loose.iso);
  }
  if (!isValidSessionDate(dateSeg)) {
    return bad('invalid-date', `the session date ${q(dateSeg)} is not usable: ${dateProblem(loose, dateSeg)}. ONE's cache builder fails on such a date, so the session is not indexed`, upTo(k - 1), loose.iso);
  }
  if (!PART_RE.number.test(numSeg)) {
    const value = /^[0-9]+$/.test(numSeg) ? Number(numSeg) : Number.NaN;
    return bad('session-number-digits', `the session number folder ${q(numSeg)} has ${[...numSeg].length} digits: session numbers must have 1 to 3 digits (001), so ONE does not treat ${q(sessionPath)} as a session and none of its files are indexed`, sessionPath, value < 1000 ? String(value).padStart(3, '0') : null);
  }
  const strId = (lab ? `${lab}/` : '') + `${subjSeg}/${dateSeg}/${numSeg}`;
  const session: SessionInfo = { lab, subject: subjSeg, date: dateSeg, number: numSeg, path: sessionPath, strId };
  // ONE's ids come from searching the whole session path; if that search lands elsewhere
  // (an earlier date/number pair, a lab or subject read from mid-name) the id would be wrong.
  const one = searchSession(sessionPath, 'any');
  if (!one || one.end !== sessionPath.length || one.lab !== lab || one.subject !== subjSeg || one.date !== dateSeg || one.number !== numSeg) {
    const read = one ? (one.lab ? `${one.lab}/` : '') + `${one.subject}/${one.date}/${one.number}` : null;
    return bad('ambiguous-session', `ONE would read this session as ${read ? q(read) : 'nothing'} instead of ${q(strId)}, because the lab/subject/date/number pattern also matches elsewhere in ${q(sessionPath)}; rename the folders so the session reads unambiguously`, sessionPath);
  }
  if (numSeg.length < 3) {
    warnings.push({ code: 'unpadded-number', message: `the session number ${q(numSeg)} is not zero-padded: ONE keeps it as written in the session id (${q(strId)}), so ${q(numSeg)} and ${q(numSeg.padStart(3, '0'))} would be two different sessions; the usual form is ${q(numSeg.padStart(3, '0'))}`, fix: numSeg.padStart(3, '0'), at: sessionPath, isFolder: true });
  }

  let revIdx = -1;
  for (let j = k + 1; j < n; j++) {
    const sg = seg(j);
    if (revIdx >= 0) {
      return bad('revision-not-last', `the folder ${q(sg)} is inside the revision folder ${q(seg(revIdx))}: a revision must be the last folder before the files (collection/#revision#/file), so ONE cannot read these files`, upTo(j), null, session);
    }
    const c0 = sg.charCodeAt(0);
    if (c0 === HASH || sg.charCodeAt(sg.length - 1) === HASH) {
      if (sg.length > 2 && c0 === HASH && sg.charCodeAt(sg.length - 1) === HASH && PART_CHARS.revision.all(sg, 1, sg.length - 1)) {
        revIdx = j;
        continue;
      }
      const inner = cleanFolderName(sg.replace(/^#+|#+$/g, ''), PART_CHARS.revision);
      return bad('bad-revision', `the folder ${q(sg)} is not a valid revision: revision folders are written #label#, with only ${PARTS.revision.allowed} in the label, so ONE cannot read the files below it`, upTo(j), inner ? `#${inner}#` : null, session);
    }
    if (!PART_CHARS.collection.all(sg)) {
      return bad('bad-collection', `the collection folder ${q(sg)} contains ${firstBadChar(PART_CHARS.collection, sg)}: collection folders may only contain ${PARTS.collection.allowed}. ONE would list its files without the collection, as if they were in the folder above, so they are not indexed`, upTo(j), cleanFolderName(sg, PART_CHARS.collection), session);
    }
    if (j + 1 < n && PART_RE.date.test(sg) && startsWithDigit(s, segStart[j + 1] as number)) {
      const inner = seg(j + 1);
      const isSession = PART_RE.number.test(inner);
      return bad('nested-session', isSession
        ? `${q(upTo(j + 1))} is a session folder inside the session ${q(sessionPath)}: ONE would index its files twice under two session ids; move it out of the other session`
        : `the folders ${q(`${sg}/${inner}`)} inside the session ${q(sessionPath)} look like a date and session number to ONE, which would read the files below as belonging to another session; rename them`, upTo(j + 1), null, session);
    }
    if (c0 === 46) {
      warnings.push({ code: 'hidden-folder', message: `the collection folder ${q(sg)} is hidden (its name starts with '.'); ONE still indexes the files in it`, at: upTo(j), isFolder: true });
    }
  }
  const firstColl = k + 1;
  const lastColl = revIdx >= 0 ? revIdx - 1 : n - 1;
  const collection = lastColl >= firstColl ? s.slice(segStart[firstColl], segEnd[lastColl]) : null;
  const revision = revIdx >= 0 ? seg(revIdx).slice(1, -1) : null;
  const frozen = warnings.length ? warnings : NO_FINDINGS;
  const verdict: FolderVerdict = k === n - 1
    ? { kind: 'session-folder', session, collection: null, revision: null, warnings: frozen }
    : { kind: 'inside-session', session, collection, revision, warnings: frozen };
  return { verdict, sessionEnd: sessionPath.length };
}

/**
 * Whether a path needs normalising: backslashes, '//', '.' folders or a trailing '/'. Native
 * substring searches are much cheaper than a character loop here; '/.' also catches hidden
 * folders, which then merely take the slow (still correct) path.
 */
function needsNormalising(p: string, backslashSeparates: boolean): boolean {
  const n = p.length;
  if (n === 0) return false;
  return (
    p.charCodeAt(n - 1) === 47 || (backslashSeparates && p.indexOf('\\') >= 0) || p.indexOf('//') >= 0 || p.indexOf('/.') >= 0 ||
    (p.charCodeAt(0) === 46 && (n === 1 || p.charCodeAt(1) === 47))
  );
}

/** Posix form without empty or '.' folders or a trailing '/'; '' for the root itself. */
function normalise(p: string, backslashSeparates: boolean): string {
  if (!needsNormalising(p, backslashSeparates)) return p;
  const s = backslashSeparates ? normalisePath(p) : normaliseSlashPath(p);
  return s === '.' ? '' : s;
}

function separatesIn(options: ClassifyOptions | undefined): boolean {
  return options?.backslashSeparates ?? BACKSLASH_SEPARATES_HERE;
}

/** Re-express a path of the classified string relative to the root prefix. */
function relativeTo(rootKey: string, p: string): string {
  if (!rootKey) return p;
  if (p === rootKey) return '';
  if (p.startsWith(`${rootKey}/`)) return p.slice(rootKey.length + 1);
  // Above the root: the root is itself inside a session.
  const up = rootKey.slice(p.length).split('/').filter((x) => x).length;
  return Array.from({ length: up }, () => '..').join('/');
}

function translate(rootKey: string, a: Analysed): Analysed {
  if (!rootKey) return a;
  const v = a.verdict;
  if (v.kind === 'outside') return a;
  // Messages quote paths of the classified string; people think in paths below their root.
  const prefix = `${rootKey}/`;
  const local = (message: string): string => (message.includes(prefix) ? message.split(prefix).join('') : message);
  const fixFinding = (f: Finding): Finding => (f.at === undefined ? f : { ...f, at: relativeTo(rootKey, f.at), message: local(f.message) });
  const session = 'session' in v && v.session ? { ...v.session, path: relativeTo(rootKey, v.session.path) } : undefined;
  if (v.kind === 'invalid') {
    return { verdict: { ...v, at: relativeTo(rootKey, v.at), message: local(v.message), ...(session ? { session } : {}) }, sessionEnd: a.sessionEnd };
  }
  return { verdict: { ...v, session: session as SessionInfo, warnings: v.warnings.map(fixFinding) }, sessionEnd: a.sessionEnd };
}

const CACHE_LIMIT = 50_000;
const NAME_CACHE_LIMIT = 10_000;

/**
 * Classifies paths, keeping what makes that fast on a big tree: a bounded cache of folder
 * verdicts, the previous folder and root (files come folder by folder, with one root), parsed
 * file names, and the segment buffers. Each caller that classifies many paths (a scan, an
 * update, the workspace index) owns one, so interleaved classifications of different roots —
 * two scans sliced on one thread — never see each other's state. The caches never go stale:
 * a verdict depends on the path only.
 */
export class Classifier {
  readonly #segments = new Segments();
  readonly #folders = new Map<string, Analysed>();
  /** The folder of the previous classifyPath call. */
  readonly #last: { dir: string; root: string; analysed: Analysed | null } = { dir: '', root: '', analysed: null };
  /** A scan passes the same root with every path: the last one's normal form. */
  readonly #lastRoot = { input: '', backslashSeparates: false, key: '' };
  // A tree repeats the same few dozen file names in every session (the IBL release: 74k files,
  // ~20 names): each name is parsed and linted once. Both results are read-only (FilenameParts
  // is readonly, findings are copied before use), so sharing them between verdicts is safe.
  readonly #names = new Map<string, { parts: FilenameParts | null; lint: readonly Finding[] }>();

  /**
   * Classify a folder: outside any session, a session folder, a folder inside a session (with
   * its collection and revision), or invalid with the offending folder as `at` (always the
   * folder itself or one of its ancestors).
   */
  classifyFolder(folderPath: string, options?: ClassifyOptions): FolderVerdict {
    return this.#cached(this.#rootKeyOf(options), normalise(folderPath, separatesIn(options))).verdict;
  }

  /**
   * Classify a file by its path relative to the data root: a dataset of a session (with
   * ONE's session id and rel_path), invalid with a reason and the offending file or folder, or
   * outside every session. Folder verdicts and parsed names are cached: a file usually costs one lookup.
   */
  classifyPath(relPath: string, options?: ClassifyOptions): PathVerdict {
    const rootKey = options?.root ? this.#rootKeyOf(options) : '';
    const backslashSeparates = separatesIn(options);
    // Files come folder by folder, so the previous folder usually matches: recognising it by
    // prefix skips normalising, slicing and hashing the folder path. The cached folder text is
    // already normalised, so only the name after it needs checking.
    let s: string;
    let slash: number;
    let a: Analysed;
    const last = this.#last;
    const ld = last.dir;
    const n = ld.length;
    if (
      last.analysed !== null && n > 0 && last.root === rootKey && relPath.length > n + 1 &&
      relPath.charCodeAt(n) === 47 && relPath.startsWith(ld) && relPath.indexOf('/', n + 1) < 0 &&
      (!backslashSeparates || relPath.indexOf('\\', n + 1) < 0) && !(relPath.length === n + 2 && relPath.charCodeAt(n + 1) === 46)
    ) {
      s = relPath;
      slash = n;
      a = last.analysed;
    } else {
      s = normalise(relPath, backslashSeparates);
      slash = s.lastIndexOf('/');
      const dir = slash < 0 ? '' : s.slice(0, slash);
      a = this.#cached(rootKey, dir);
      last.dir = dir;
      last.root = rootKey;
      last.analysed = a;
    }
    const name = s.slice(slash + 1);
    const v = a.verdict;
    if (v.kind === 'outside') return { kind: 'outside', alfName: this.#parseName(name).parts !== null };
    if (v.kind === 'invalid') return v;
    const { parts, lint } = this.#parseName(name);
    if (!parts) {
      const p = describeInvalidName(name);
      return {
        kind: 'invalid',
        code: p?.code ?? 'bad-character',
        message: p?.message ?? `${q(name)} is not a valid ALF name`,
        at: s,
        isFolder: false,
        ...(p?.fix ? { fix: p.fix } : {}),
        session: v.session,
      };
    }
    // sessionEnd counts in the root-prefixed string; skip building that string per file when the
    // session lies below the root (the usual case).
    const offset = rootKey ? rootKey.length + 1 : 0;
    const relPathInSession = a.sessionEnd + 1 >= offset ? s.slice(a.sessionEnd + 1 - offset) : `${rootKey}/${s}`.slice(a.sessionEnd + 1);
    if (startsWithDigit(name, 0) && v.collection !== null) {
      // A collection named like a date followed by a file starting with a digit: ONE's
      // get_alf_path would find a session there and cut the rel_path short.
      const m = searchSession(relPathInSession, 'any');
      if (m && m.start > 0) {
        return {
          kind: 'invalid',
          code: 'nested-session',
          message: `${q(relPathInSession)} contains a date folder followed by a name starting with digits, which ONE reads as another session (${q(relPathInSession.slice(m.start, m.end))}) and so cuts the dataset path short; rename the folder or the file`,
          at: s,
          isFolder: false,
          session: v.session,
        };
      }
    }
    let warnings = v.warnings;
    if (lint.length) warnings = [...v.warnings, ...lint.map((f) => ({ ...f, at: s, isFolder: false }))];
    return { kind: 'dataset', session: v.session, collection: v.collection, revision: v.revision, relPath: relPathInSession, parts, warnings };
  }

  /** Forget the cached verdicts and names. */
  clear(): void {
    this.#folders.clear();
    this.#names.clear();
    this.#last.analysed = null;
  }

  #cached(rootKey: string, dir: string): Analysed {
    const key = rootKey ? `${rootKey}\u0000${dir}` : dir;
    let a = this.#folders.get(key);
    if (a === undefined) {
      const full = rootKey ? (dir ? `${rootKey}/${dir}` : rootKey) : dir;
      a = translate(rootKey, analyse(full, this.#segments));
      // Many files share a folder; a bounded cache keeps memory flat on huge trees.
      if (this.#folders.size >= CACHE_LIMIT) this.#folders.clear();
      this.#folders.set(key, a);
    }
    return a;
  }

  #rootKeyOf(options: ClassifyOptions | undefined): string {
    const root = options?.root;
    if (!root) return '';
    const backslashSeparates = separatesIn(options);
    const lastRoot = this.#lastRoot;
    if (root !== lastRoot.input || backslashSeparates !== lastRoot.backslashSeparates) {
      lastRoot.key = normalise(root, backslashSeparates).replace(/\/+$/, '');
      lastRoot.input = root;
      lastRoot.backslashSeparates = backslashSeparates;
    }
    return lastRoot.key;
  }

  #parseName(name: string): { parts: FilenameParts | null; lint: readonly Finding[] } {
    let known = this.#names.get(name);
    if (known === undefined) {
      const parts = parseFilename(name);
      known = { parts, lint: parts ? lintParsedName(name, parts) : NO_FINDINGS };
      if (this.#names.size >= NAME_CACHE_LIMIT) this.#names.clear(); // a tree of all-different names gains nothing
      this.#names.set(name, known);
    }
    return known;
  }
}

/** For one-off calls (a quick fix, a hover); a caller that classifies a whole tree owns a Classifier. */
const oneOff = new Classifier();

/** Classify one folder (see Classifier.classifyFolder). */
export function classifyFolder(folderPath: string, options?: ClassifyOptions): FolderVerdict {
  return oneOff.classifyFolder(folderPath, options);
}

/** Classify one file (see Classifier.classifyPath). */
export function classifyPath(relPath: string, options?: ClassifyOptions): PathVerdict {
  return oneOff.classifyPath(relPath, options);
}

/** Forget the one-off classifier's cached verdicts. */
export function clearClassifyCache(): void {
  oneOff.clear();
}

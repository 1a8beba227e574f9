/**
 * Explaining names: why an invalid name is invalid (one problem, the one a person should fix
 * first, with a suggested valid name), and what is odd about a valid one.
 */
import { parseFilename, type FilenameParts } from './filename';
import { ATTRIBUTE_SUFFIXES, NAME_REMINDER, PARTS, PART_CHARS, type AlfPartName } from './grammar';
import type { Finding, NameProblem, ProblemCode } from './problems';
import { repairName } from './name-repair';
import { isAscii, isSpaceChar } from './unicode';

/** Files operating systems and desktop tools leave behind (compared in lower case). */
const OS_METADATA = new Map<string, string>([
  ['.ds_store', 'macOS Finder folder settings'],
  ['.localized', 'macOS folder name translations'],
  ['.apdisk', 'macOS AirPort disk settings'],
  ['.volumeicon.icns', 'the macOS volume icon'],
  ['icon\r', 'a macOS custom folder icon'],
  ['thumbs.db', 'the Windows thumbnail cache'],
  ['ehthumbs.db', 'the Windows Media Center thumbnail cache'],
  ['ehthumbs_vista.db', 'the Windows Media Center thumbnail cache'],
  ['desktop.ini', 'Windows folder display settings'],
  ['.directory', 'KDE folder display settings'],
]);

const CONTROL = /[\p{Cc}\p{Cf}]/u;
// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL on purpose
const NON_ASCII = /[^\x00-\x7f]/;
const BACKUP_EXTENSIONS = new Set(['bak', 'backup', 'old', 'orig', 'tmp', 'temp', 'swp', 'sav']);
const COPY_EXTRAS = /^(copy\d*|bak|backup|old|orig|tmp|temp|dup|duplicate)$/i;

/** Quote a name or part for a message; JSON escapes make invisible characters visible. */
const q = (s: string): string => JSON.stringify(s);

/** A character as a person can recognise it in a message, invisible ones included. */
export function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n') return 'a line break';
  const cp = ch.codePointAt(0) as number;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (isSpaceChar(ch)) return `an unusual space (${hex})`;
  if (CONTROL.test(ch)) return `an invisible character (${hex})`;
  return `'${ch}'`;
}

function problem(code: ProblemCode, message: string, part?: AlfPartName, fix?: string | null): NameProblem {
  return { code, message, ...(part ? { part } : {}), ...(fix ? { fix } : {}) };
}

function firstChar(s: string, test: (ch: string) => boolean): string | null {
  for (const ch of s) if (test(ch)) return ch;
  return null;
}

/** A piece of a loosely split name, labelled with the ALF part it stands for. */
interface Piece {
  part: AlfPartName;
  value: string;
}

/**
 * Split a name that failed validation into labelled pieces, as a person would read it, so
 * messages can say which part is wrong: the head (namespace and object), the attribute and
 * timescale, the extra parts, the extension.
 */
function pieces(t: string): Piece[] {
  const segs = t.split('.');
  const out: Piece[] = [];
  const head = segs[0] as string;
  // A leading '_ns_' is the namespace when it closes with a second underscore.
  const ns = /^_([^_]+)_(?=.)/u.exec(head);
  if (ns) {
    out.push({ part: 'namespace', value: ns[1] as string });
    out.push({ part: 'object', value: head.slice(ns[0].length) });
  } else {
    out.push({ part: 'object', value: head });
  }
  if (segs.length >= 3) {
    const s1 = segs[1] as string;
    const { attribute, timescale } = looseAttribute(s1);
    out.push({ part: 'attribute', value: attribute });
    if (timescale !== null) out.push({ part: 'timescale', value: timescale });
    for (const extra of segs.slice(2, -1)) out.push({ part: 'extra', value: extra });
  }
  if (segs.length >= 2) out.push({ part: 'extension', value: segs[segs.length - 1] as string });
  return out;
}

/** Attribute and timescale of a piece between the first two dots, read loosely. */
function looseAttribute(s1: string): { attribute: string; timescale: string | null } {
  let p = 0;
  const prefix = /^_[a-z]+_/.exec(s1);
  if (prefix) p = prefix[0].length;
  let u = s1.indexOf('_', p === 0 && s1.startsWith('_') ? 1 : p);
  if (u < 0) return { attribute: s1, timescale: null };
  for (const suffix of ATTRIBUTE_SUFFIXES) {
    const v = u + 1 + suffix.length;
    if (s1.startsWith(suffix, u + 1) && !/^[\p{L}\p{N}]/u.test(s1.slice(v))) {
      // 'stimOn_times-2': the attribute runs on to the next underscore.
      u = s1[v] === '_' ? v : s1.indexOf('_', v);
      break;
    }
  }
  if (u < 0 || u >= s1.length) return { attribute: s1, timescale: null };
  return { attribute: s1.slice(0, u), timescale: s1.slice(u + 1) };
}

function partWords(part: AlfPartName): string {
  return part === 'extra' ? 'an extra part' : `the ${part}`;
}

/** Why the attribute+timescale piece fails, once its characters are known to be allowed. */
function attributeFormat(name: string, s1: string, fix: string | null): NameProblem {
  const prefix = /^_[a-z]+_/.exec(s1);
  if (prefix && prefix[0].length === s1.length) {
    return problem('attribute-format', `${q(name)}: the attribute is empty after the attribute namespace ${q(prefix[0])}; ${NAME_REMINDER}`, 'attribute', fix);
  }
  if (s1.endsWith('_')) {
    return problem('empty-part', `${q(name)}: the attribute ${q(s1)} ends with '_', which starts a timescale and leaves it empty; remove the '_' or add the timescale (${q(s1 + 'bpod')})`, 'timescale', fix);
  }
  if (s1.startsWith('_')) {
    return problem('attribute-format', `${q(name)}: the attribute ${q(s1)} starts with '_'; attributes start with a letter or digit (${PARTS.attribute.allowed})`, 'attribute', fix);
  }
  return problem('attribute-format', `${q(name)}: the attribute ${q(s1)} does not fit the ALF pattern (${PARTS.attribute.allowed}); ${NAME_REMINDER}`, 'attribute', fix);
}

/**
 * What is wrong with a file name, or null when it is a valid ALF name. Reports the problem a
 * person should look at first, names the part at fault and, when a valid name can be derived,
 * suggests it as `fix` (never for OS litter, backups and temporary files, which should be
 * deleted rather than renamed).
 */
export function describeInvalidName(name: string): NameProblem | null {
  if (parseFilename(name)) return null;
  if (name === '') return problem('empty-name', 'The file name is empty.');

  const lower = name.toLowerCase();
  const os = OS_METADATA.get(lower);
  if (os) {
    return problem('os-metadata', `${q(name)} is a file the operating system creates (${os}); it is not data and ONE ignores it, so it can be deleted.`);
  }
  if (name.startsWith('._')) {
    return problem('apple-double', `${q(name)} is a macOS AppleDouble file holding Finder metadata for ${q(name.slice(2))}, created when copying to a non-Mac disk; it is not data (delete it, e.g. with dot_clean).`);
  }
  if (/^~\$|^\.~lock\..*#$|^#.*#$|^\.#|^\.nfs|^\.fuse_hidden/.test(name) || (name.startsWith('.') && /\.sw[a-p]$/.test(name))) {
    return problem('temp-file', `${q(name)} is an autosave, swap or lock file left by an editor or office program; it is not data and should not stay in the data folder.`);
  }
  if (name.endsWith('~')) {
    return problem('backup-suffix', `${q(name)} is an editor backup copy of ${q(name.replace(/~+$/, ''))} (the name ends with '~'); ONE does not index it. Delete it, or move it out of the data folder.`);
  }
  if (/^[^.]+\.flag$/i.test(name.trim())) {
    return problem('flag-file', `${q(name)} is a pipeline flag file, not a dataset: ALF datasets need object.attribute.extension, so ONE does not index it.`);
  }

  const fix = repairName(name);
  // One final newline is allowed (Python's `$`); it is never the problem reported.
  const t = name.length > 1 && name.endsWith('\n') ? name.slice(0, -1) : name;
  const control = firstChar(t, (ch) => CONTROL.test(ch) && ch !== '\t');
  if (control) {
    return problem('control-character', `${q(name)} contains ${describeChar(control)}; ${NAME_REMINDER} with visible characters only.`, undefined, fix);
  }
  const first = String.fromCodePoint(t.codePointAt(0) as number);
  const last = String.fromCodePoint(t.codePointAt(t.length - 1) as number);
  if (isSpaceChar(first) || isSpaceChar(last)) {
    const where = isSpaceChar(first) ? 'starts' : 'ends';
    return problem('leading-trailing-whitespace', `${q(name)} ${where} with ${describeChar(isSpaceChar(first) ? first : last)}; ALF names have no spaces, so ONE does not index this file.`, undefined, fix);
  }
  if (name.startsWith('.')) {
    return problem('hidden-file', `${q(name)} starts with '.', which hides the file and leaves the object empty; ${NAME_REMINDER}.`, 'object', fix);
  }
  if (!t.includes('.')) {
    return problem('no-extension', `${q(name)} has no extension: ${NAME_REMINDER}, with at least object.attribute.extension (e.g. trials.choice.npy).`, 'extension', fix);
  }

  const ps = pieces(t);
  for (const piece of ps) {
    const space = firstChar(piece.value, isSpaceChar);
    if (space) {
      return problem('whitespace', `${q(name)}: ${partWords(piece.part)} ${q(piece.value)} contains ${describeChar(space)}; ${NAME_REMINDER} with no spaces.`, piece.part, fix);
    }
  }
  if (t.includes('..') || t.endsWith('.')) {
    const message = t.endsWith('.')
      ? `${q(name)} ends with '.', which leaves the extension empty; ${NAME_REMINDER}.`
      : `${q(name)} has two dots in a row, which leaves an empty part between them; ${NAME_REMINDER}.`;
    return problem('empty-part', message, t.endsWith('.') ? 'extension' : 'extra', fix);
  }
  const segs = t.split('.');
  if (segs.length === 2) {
    return problem('missing-attribute', `${q(name)} has only one '.', so there is no attribute: ALF names need at least object.attribute.extension (e.g. trials.choice.npy).`, 'attribute', fix);
  }
  for (const piece of ps) {
    // The namespace is checked as part of the object: ONE reads any \w there as object.
    const chars = piece.part === 'namespace' ? PART_CHARS.object : PART_CHARS[piece.part];
    const bad = piece.part === 'attribute' ? attributeBadChar(piece.value) : firstBad(chars.firstOutside(piece.value), piece.value);
    if (bad) {
      return problem('bad-character', `${q(name)}: ${partWords(piece.part)} ${q(piece.value)} contains ${describeChar(bad)}, which is not allowed there (${PARTS[piece.part].allowed}).`, piece.part, fix);
    }
  }
  return attributeFormat(name, segs[1] as string, fix);
}

function firstBad(index: number, s: string): string | null {
  return index < 0 ? null : String.fromCodePoint(s.codePointAt(index) as number);
}

/** A character the attribute may not hold: ASCII letters and digits, plus its underscores. */
function attributeBadChar(value: string): string | null {
  return firstChar(value, (ch) => ch !== '_' && !PART_CHARS.attribute.hasCodePoint(ch.codePointAt(0) as number));
}

/**
 * Warnings about a valid ALF name that is probably not what its author meant. Returns [] for
 * invalid names (use describeInvalidName for those). Each `fix` is a whole valid name.
 */
export function lintValidName(name: string): Finding[] {
  const p = parseFilename(name);
  return p ? [...lintParsedName(name, p)] : [];
}

/** Whether any lint rule can fire: lets classifyPath skip the rules for ordinary names. */
function mayNeedLint(name: string, p: FilenameParts): boolean {
  if (p.extra !== null || name.charCodeAt(name.length - 1) === 10) return true;
  const ext = p.extension as string;
  for (let i = 0; i < ext.length; i++) {
    const c = ext.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  // Every backup extension starts with b, o, s or t: avoids hashing 'npy' for each file.
  const e0 = ext.charCodeAt(0) | 32;
  if ((e0 === 98 || e0 === 111 || e0 === 115 || e0 === 116) && BACKUP_EXTENSIONS.has(ext.toLowerCase())) return true;
  if ((p.attribute as string).charCodeAt(0) === 95) return true;
  if (name.charCodeAt(0) === 95 && !isWellFormedNamespace(name, p.namespace, p.object)) return true;
  return NON_ASCII.test(name);
}

function addFinding(found: Finding[], name: string, code: ProblemCode, message: string, fix?: string | null): void {
  found.push({ code, message, ...(fix && fix !== name && parseFilename(fix) ? { fix } : {}) });
}

const NO_FINDINGS: Finding[] = [];

/**
 * lintValidName for a name already parsed (classifyPath parses every name once). Returns a
 * shared empty array when nothing applies: callers must not push to the result.
 */
export function lintParsedName(name: string, p: FilenameParts): Finding[] {
  if (!mayNeedLint(name, p)) return NO_FINDINGS;
  const found: Finding[] = [];
  const ext = p.extension as string;
  const newline = name.endsWith('\n');
  const extStart = name.lastIndexOf('.', name.length - (newline ? 2 : 1)) + 1;

  if (newline) {
    addFinding(found, name, 'trailing-newline', `${q(name)} ends with a line break; ONE accepts it, but it is almost certainly an accident.`, name.slice(0, -1));
  }
  if (ext !== ext.toLowerCase()) {
    addFinding(found, name, 'uppercase-extension', `${q(name)}: the extension ${q(ext)} has capitals; use ${q(ext.toLowerCase())}, which is what readers look for.`, name.slice(0, extStart) + ext.toLowerCase() + name.slice(extStart + ext.length));
  }
  if (BACKUP_EXTENSIONS.has(ext.toLowerCase())) {
    const original = name.slice(0, extStart - 1);
    addFinding(found, name, 'backup-extension', `${q(name)} looks like a backup of ${q(original)}: ONE indexes it as a separate dataset with extension ${q(ext)}${p.extra ? ` and extra part(s) ${q(p.extra)}` : ''}.`);
  }
  const copy = p.extra === null ? undefined : p.extra.split('.').find((x) => COPY_EXTRAS.test(x));
  if (copy !== undefined) {
    addFinding(found, name, 'copy-extra', `${q(name)}: the extra part ${q(copy)} suggests a duplicate; ONE reads files that differ only in extra parts as pieces of one dataset and concatenates them.`);
  }
  if (name.startsWith('__')) {
    addFinding(found, name, 'double-underscore-namespace', `${q(name)} starts with two underscores: ONE reads no namespace and the object ${q(p.object as string)}; a namespace is written _namespace_ with single underscores.`, name.slice(1));
  } else if (name.startsWith('_') && !isWellFormedNamespace(name, p.namespace, p.object)) {
    const reading = p.namespace === null ? `no namespace and the object ${q(p.object as string)}` : `the namespace ${q(p.namespace)} and the object ${q(p.object as string)}`;
    addFinding(found, name, 'namespace-misparsed', `${q(name)} starts with '_' but has no well-formed _namespace_ before the object: ONE reads ${reading}.`, /^_[^_.]+\./.test(name) ? name.slice(1) : null);
  }
  const attribute = p.attribute as string;
  if (attribute.startsWith('_')) {
    const prefix = attribute.slice(0, attribute.indexOf('_', 1) + 1);
    addFinding(found, name, 'deprecated-attribute-namespace', `${q(name)}: the attribute ${q(attribute)} starts with an attribute namespace (${q(prefix)}), which ALF has deprecated; put the namespace before the object instead.`);
  }
  if (!isAscii(name)) {
    addFinding(found, name, 'non-ascii', `${q(name)} has non-ASCII characters: valid ALF, but other tools, file systems and servers may not handle them.`);
  }
  return found;
}

/** '_ns_object' where ONE reads exactly that namespace and an object not starting with '_'. */
function isWellFormedNamespace(name: string, ns: string | null, object: string | null): boolean {
  if (ns === null || object === null || object.charCodeAt(0) === 95) return false;
  // Compared in place: this runs for every '_ibl_' dataset of a build.
  const o = ns.length + 2;
  return name.charCodeAt(o - 1) === 95 && name.startsWith(ns, 1) && name.startsWith(object, o) && name.charCodeAt(o + object.length) === 46;
}

/**
 * The ALF grammar as data: one row per part. Every regex, character test, hover text and
 * error message in this module is derived from this table, so a change to the convention is
 * made in one place.
 *
 * Patterns are JavaScript sources for the `u` flag. None has a nested or ambiguous quantifier,
 * so each runs in linear time; ONE's whole-name regex is not used directly because its
 * `(?:\.[.\w-]+)*\.\w+$` tail backtracks exponentially on names with many dots.
 */
import { CharClass, DIGIT, WORD } from './unicode';

export type SessionPartName = 'lab' | 'subject' | 'date' | 'number';
export type FolderPartName = 'collection' | 'revision';
export type FilenamePartName = 'namespace' | 'object' | 'attribute' | 'timescale' | 'extra' | 'extension';
export type AlfPartName = SessionPartName | FolderPartName | FilenamePartName;

export interface AlfPartSpec {
  readonly name: AlfPartName;
  /** Where the part lives: a session folder, a folder below the session, or the file name. */
  readonly level: 'session' | 'folder' | 'filename';
  readonly optional: boolean;
  /** The fragment ONE 3.4.2 uses (Python `re` syntax), for reference in docs and hovers. */
  readonly onePattern: string;
  /** The characters the part may contain, as a JavaScript `u` character class. */
  readonly charClass: string;
  /** The whole part as a JavaScript `u` regex source without anchors. */
  readonly pattern: string;
  /** The allowed characters in words, for messages. */
  readonly allowed: string;
  /** What the part means, for hover texts and messages. */
  readonly description: string;
  readonly examples: readonly string[];
}

const W = `[${WORD}]`;
const D = `[${DIGIT}]`;

export const PARTS: Readonly<Record<AlfPartName, AlfPartSpec>> = {
  lab: {
    name: 'lab',
    level: 'session',
    optional: true,
    onePattern: '\\w+',
    charClass: W,
    pattern: `${W}+`,
    allowed: "letters, digits and '_'",
    description:
      "The lab that recorded the session. Optional; ONE only reads it from a 'lab/Subjects/subject/…' layout.",
    examples: ['cortexlab', 'churchlandlab_ucla'],
  },
  subject: {
    name: 'subject',
    level: 'session',
    optional: false,
    onePattern: '[\\w.-]+',
    charClass: `[${WORD}.\\-]`,
    pattern: `[${WORD}.\\-]+`,
    allowed: "letters, digits, '_', '-' and '.'",
    description: 'The subject (animal) name: the folder just above the date folder.',
    examples: ['KS023', 'NYU-40', 'CSH_ZAD_001'],
  },
  date: {
    name: 'date',
    level: 'session',
    optional: false,
    onePattern: '\\d{4}-\\d{2}-\\d{2}',
    charClass: `[${DIGIT}\\-]`,
    pattern: `${D}{4}-${D}{2}-${D}{2}`,
    allowed: 'a date written yyyy-mm-dd',
    description: 'The day of the session, written yyyy-mm-dd; it must be a real calendar date.',
    examples: ['2020-01-31', '2019-12-04'],
  },
  number: {
    name: 'number',
    level: 'session',
    optional: false,
    onePattern: '\\d{1,3}',
    charClass: D,
    pattern: `${D}{1,3}`,
    allowed: '1 to 3 digits',
    description: "The session's sequence number within the day: 1 to 3 digits, usually zero-padded (001).",
    examples: ['001', '002', '1'],
  },
  collection: {
    name: 'collection',
    level: 'folder',
    optional: true,
    onePattern: '[\\w./-]+',
    charClass: `[${WORD}.\\-]`,
    pattern: `[${WORD}./\\-]+`,
    allowed: "letters, digits, '_', '-' and '.' (folders separated by '/')",
    description:
      'Optional folder(s) between the session folder and the file that group datasets by device or modality; may be nested (alf/probe00).',
    examples: ['alf', 'raw_video_data', 'alf/probe00'],
  },
  revision: {
    name: 'revision',
    level: 'folder',
    optional: true,
    onePattern: '[\\w.-]+',
    charClass: `[${WORD}.\\-]`,
    pattern: `[${WORD}.\\-]+`,
    allowed: "letters, digits, '_', '-' and '.'",
    description:
      "Optional version folder written #label#, the last folder before the file. When a requested revision is missing ONE falls back to the previous one in lexicographic order.",
    examples: ['2021-01-01', 'v1.0.1'],
  },
  namespace: {
    name: 'namespace',
    level: 'filename',
    optional: true,
    onePattern: '(?<=_)[a-zA-Z0-9]+',
    charClass: '[a-zA-Z0-9]',
    pattern: '[a-zA-Z0-9]+',
    allowed: 'ASCII letters and digits, between a leading and a closing underscore',
    description:
      'Optional prefix between underscores for data specific to a rig, tool or lab rather than a shared standard (_ibl_, _iblrig_, _phy_).',
    examples: ['ibl', 'iblrig', 'phy'],
  },
  object: {
    name: 'object',
    level: 'filename',
    optional: false,
    onePattern: '\\w+',
    charClass: W,
    pattern: `${W}+`,
    allowed: "letters, digits and '_'",
    description:
      'What the file describes. All files of one object have the same number of rows, like the columns of a table (trials, wheelMoves, spikes).',
    examples: ['trials', 'wheelMoves', 'spikes'],
  },
  attribute: {
    name: 'attribute',
    level: 'filename',
    optional: false,
    onePattern: '(?:_[a-z]+_)?[a-zA-Z0-9]+(?:_times(?=[_.])|_intervals(?=[_.]))?',
    charClass: '[a-zA-Z0-9]',
    pattern: '(?:_[a-z]+_)?[a-zA-Z0-9]+(?:_times|_intervals)?',
    allowed: "ASCII letters and digits; the only underscore allowed is the one before 'times' or 'intervals'",
    description:
      "Which column of the object the file holds, in camel case (choice, contrastLeft, stimOn_times). 'times' are event times in seconds and 'intervals' start/end pairs.",
    examples: ['choice', 'intervals', 'stimOn_times'],
  },
  timescale: {
    name: 'timescale',
    level: 'filename',
    optional: true,
    onePattern: '\\w+',
    charClass: W,
    pattern: `${W}+`,
    allowed: "letters, digits and '_'",
    description: 'Optional clock the times are expressed in, after an underscore (spikes.times_ephysClock).',
    examples: ['ephysClock', 'bpod'],
  },
  extra: {
    name: 'extra',
    level: 'filename',
    optional: true,
    onePattern: '[.\\w-]+',
    charClass: `[${WORD}.\\-]`,
    pattern: `[${WORD}.\\-]+`,
    allowed: "letters, digits, '_' and '-'",
    description:
      'Optional dot-separated parts before the extension (a UUID, a part number); files that differ only by their extra parts are read as pieces of one dataset.',
    examples: ['raw', 'a976e418-c8b8-4d24-be47-d05120b18341'],
  },
  extension: {
    name: 'extension',
    level: 'filename',
    optional: false,
    onePattern: '\\w+',
    charClass: W,
    pattern: `${W}+`,
    allowed: "letters, digits and '_'",
    description: 'The file type, after the last dot (npy, tsv, json, bin).',
    examples: ['npy', 'tsv', 'json'],
  },
};

/** The order parts appear in a full path. */
export const PART_ORDER: readonly AlfPartName[] = [
  'lab', 'subject', 'date', 'number', 'collection', 'revision',
  'namespace', 'object', 'attribute', 'timescale', 'extra', 'extension',
];

/** The forms people are shown, with optional parts in brackets. */
export const SESSION_FORM = '(lab/Subjects/)subject/yyyy-mm-dd/number';
export const FOLDER_FORM = '(collection/)(#revision#/)';
export const NAME_FORM = '(_namespace_)object.attribute(_timescale)(.extra).extension';
export const PATH_FORM = `${SESSION_FORM}/${FOLDER_FORM}${NAME_FORM}`;
/** The one-line reminder used in messages. */
export const NAME_REMINDER = 'ALF names are _namespace_object.attribute_timescale.extra.ext';

/** Whole-value matchers, one per part. */
export const PART_RE: Readonly<Record<AlfPartName, RegExp>> = Object.fromEntries(
  PART_ORDER.map((p) => [p, new RegExp(`^(?:${PARTS[p].pattern})$`, 'u')]),
) as Record<AlfPartName, RegExp>;

/** Per-character tests, one per part (the class of characters that may appear in it). */
export const PART_CHARS: Readonly<Record<AlfPartName, CharClass>> = Object.fromEntries(
  PART_ORDER.map((p) => [p, new CharClass(PARTS[p].charClass)]),
) as Record<AlfPartName, CharClass>;

/**
 * The attribute's sub-grammar, kept beside the table because the parser needs its pieces:
 * a deprecated attribute-level namespace `_xx_`, and the suffixes that may follow an underscore.
 */
export const ATTRIBUTE_NAMESPACE_CHARS = new CharClass('[a-z]');
export const ATTRIBUTE_SUFFIXES: readonly string[] = ['times', 'intervals'];

/** Whether `value` is a valid value of `part` on its own (dates also checked on the calendar). */
export function isValidPart(part: AlfPartName, value: string): boolean {
  return PART_RE[part].test(value);
}

export const isValidLabName = (s: string): boolean => PART_RE.lab.test(s);
export const isValidSubjectName = (s: string): boolean => PART_RE.subject.test(s);
export const isValidSessionNumber = (s: string): boolean => PART_RE.number.test(s);
export const isValidNamespace = (s: string): boolean => PART_RE.namespace.test(s);
export const isValidObject = (s: string): boolean => PART_RE.object.test(s);
export const isValidAttribute = (s: string): boolean => PART_RE.attribute.test(s);
export const isValidTimescale = (s: string): boolean => PART_RE.timescale.test(s);
export const isValidExtension = (s: string): boolean => PART_RE.extension.test(s);

/** Characters of a whole collection path, nested folders included (the table's collection pattern). */
export const COLLECTION_PATH_CHARS = new CharClass(PARTS.collection.pattern.slice(0, -1));

/** A collection, possibly nested ('alf/probe00'); empty folders ('a//b') are refused. */
export function isValidCollection(s: string): boolean {
  if (!PART_RE.collection.test(s)) return false;
  return !s.split('/').some((seg) => seg === '');
}

/** A revision label without the '#' signs. */
export const isValidRevision = (s: string): boolean => PART_RE.revision.test(s);

/**
 * Every problem the grammar can report, with a stable code. The diagnostics provider, the
 * cache builder's skip list and the CLI all key on these codes, so codes are never renamed;
 * new ones may be added.
 */
import type { AlfPartName } from './grammar';

/** How loudly to show it. Anything that keeps a file out of the cache is at least a warning. */
export type Severity = 'error' | 'warning';

export interface ProblemCodeInfo {
  readonly severity: Severity;
  /** True when the file, or everything under the folder, is left out of the cache. */
  readonly excluded: boolean;
  /** What the code is about: a file name, a folder, where a file sits, or the tree as a whole. */
  readonly scope: 'name' | 'folder' | 'location' | 'tree';
  /** One line for tables and hovers. */
  readonly description: string;
}

export const PROBLEM_CODES = {
  // File names ONE rejects: the file is not indexed.
  'empty-name': { severity: 'error', excluded: true, scope: 'name', description: 'The file name is empty.' },
  'control-character': { severity: 'error', excluded: true, scope: 'name', description: 'The name contains an invisible control or formatting character.' },
  'leading-trailing-whitespace': { severity: 'error', excluded: true, scope: 'name', description: 'The name starts or ends with a space.' },
  whitespace: { severity: 'error', excluded: true, scope: 'name', description: 'A part of the name contains a space.' },
  'no-extension': { severity: 'error', excluded: true, scope: 'name', description: "The name has no '.', so no extension and no attribute." },
  'missing-attribute': { severity: 'error', excluded: true, scope: 'name', description: "The name has a single '.': object.attribute.extension needs two." },
  'empty-part': { severity: 'error', excluded: true, scope: 'name', description: "Two dots in a row, a trailing dot or a trailing '_' leave a part empty." },
  'bad-character': { severity: 'error', excluded: true, scope: 'name', description: 'A part of the name contains a character that part does not allow.' },
  'attribute-format': { severity: 'error', excluded: true, scope: 'name', description: "The attribute does not start with a letter or digit, or has underscores other than before 'times'/'intervals'." },
  // Names that are not data at all: not indexed, reported softly, never renamed.
  'hidden-file': { severity: 'warning', excluded: true, scope: 'name', description: "The name starts with '.', which hides the file and is not ALF." },
  'apple-double': { severity: 'warning', excluded: true, scope: 'name', description: "A macOS AppleDouble '._' companion file (Finder metadata), not data." },
  'os-metadata': { severity: 'warning', excluded: true, scope: 'name', description: 'A file the operating system creates (.DS_Store, Thumbs.db, desktop.ini), not data.' },
  'backup-suffix': { severity: 'warning', excluded: true, scope: 'name', description: "An editor backup copy (name ending in '~')." },
  'temp-file': { severity: 'warning', excluded: true, scope: 'name', description: 'An editor or office autosave, swap or lock file.' },
  'flag-file': { severity: 'warning', excluded: true, scope: 'name', description: "A pipeline flag file (name.flag), not a dataset." },
  // Valid names that are probably mistakes: indexed as they are.
  'uppercase-extension': { severity: 'warning', excluded: false, scope: 'name', description: 'The extension has capitals; readers usually expect lower case (.npy).' },
  'backup-extension': { severity: 'warning', excluded: false, scope: 'name', description: 'The extension marks a backup (.bak, .old, .orig); ONE indexes it as a separate dataset.' },
  'copy-extra': { severity: 'warning', excluded: false, scope: 'name', description: "An extra part such as 'copy' or 'old' suggests a duplicate of another dataset." },
  'double-underscore-namespace': { severity: 'warning', excluded: false, scope: 'name', description: "The name starts with '__': ONE reads no namespace and an object that starts with '_'." },
  'namespace-misparsed': { severity: 'warning', excluded: false, scope: 'name', description: 'A leading underscore without a well-formed _namespace_ makes ONE split the name unexpectedly.' },
  'deprecated-attribute-namespace': { severity: 'warning', excluded: false, scope: 'name', description: 'The attribute starts with an _xx_ namespace, which ALF has deprecated.' },
  'trailing-newline': { severity: 'warning', excluded: false, scope: 'name', description: 'The name ends with a newline character (ONE accepts it; most tools will not).' },
  'non-ascii': { severity: 'warning', excluded: false, scope: 'name', description: 'The name has non-ASCII characters: valid ALF, but other tools and servers may not cope.' },
  // Session folders.
  'session-number-digits': { severity: 'error', excluded: true, scope: 'folder', description: 'The session number folder does not have 1 to 3 digits, so it is not a session.' },
  'date-format': { severity: 'error', excluded: true, scope: 'folder', description: 'A session date folder not written yyyy-mm-dd, so it is not a session.' },
  'invalid-date': { severity: 'error', excluded: true, scope: 'folder', description: 'A session date that is not a real day (2020-02-30) or not in ASCII digits.' },
  'session-at-root': { severity: 'error', excluded: true, scope: 'folder', description: 'A date folder directly in the data root, so the subject would be the root folder.' },
  'bad-lab': { severity: 'error', excluded: true, scope: 'folder', description: "A lab folder (above 'Subjects') with characters other than letters, digits and '_'." },
  'bad-subject': { severity: 'error', excluded: true, scope: 'folder', description: "A subject folder with characters other than letters, digits, '_', '-' and '.'." },
  'ambiguous-session': { severity: 'error', excluded: true, scope: 'folder', description: 'ONE would read a different lab/subject/date/number from this path than its folders say.' },
  'nested-session': { severity: 'error', excluded: true, scope: 'folder', description: 'A session folder (or date/number pair) inside another session.' },
  'lowercase-subjects': { severity: 'warning', excluded: false, scope: 'folder', description: "A 'subjects' folder not spelt 'Subjects': ONE ignores the lab above it." },
  'unpadded-number': { severity: 'warning', excluded: false, scope: 'folder', description: "A session number not zero-padded to 3 digits ('1' and '001' are different sessions for ONE)." },
  'lab-from-root': { severity: 'warning', excluded: false, scope: 'folder', description: "The 'Subjects' folder is the data root's child: ONE takes the lab from the root folder's name." },
  // Folders below a session.
  'bad-collection': { severity: 'error', excluded: true, scope: 'folder', description: 'A collection folder with characters ALF does not allow (spaces, #, ...).' },
  'bad-revision': { severity: 'error', excluded: true, scope: 'folder', description: "A revision folder that is not '#label#' with letters, digits, '_', '-' or '.'." },
  'revision-not-last': { severity: 'error', excluded: true, scope: 'folder', description: 'A folder inside a #revision# folder: the revision must be the last folder.' },
  'hidden-folder': { severity: 'warning', excluded: false, scope: 'folder', description: "A collection folder whose name starts with '.' (hidden); ONE still indexes it." },
  // Where a file is, and the tree as a whole (reported by the cache builder).
  'outside-session': { severity: 'warning', excluded: true, scope: 'location', description: 'A file that is not inside any session folder.' },
  'duplicate-session-id': { severity: 'error', excluded: true, scope: 'tree', description: 'Two session folders that give ONE the same session id.' },
  'root-inside-session': { severity: 'warning', excluded: true, scope: 'tree', description: 'The data root is a folder inside a session, where ONE finds no session to index.' },
  'lab-option-conflict': { severity: 'warning', excluded: false, scope: 'tree', description: "A session in a lab folder other than the lab option given to the build; it keeps its folder's lab." },
  // Found by the walk of the tree.
  'permission-denied': { severity: 'error', excluded: true, scope: 'location', description: 'A file or folder that cannot be read (permission denied).' },
  'unreadable': { severity: 'error', excluded: true, scope: 'location', description: 'A file or folder that could not be read (an I/O error).' },
  'symlink-loop': { severity: 'warning', excluded: true, scope: 'location', description: 'A symbolic link that leads back into a folder containing it; not followed.' },
  'broken-symlink': { severity: 'warning', excluded: true, scope: 'location', description: 'A symbolic link whose target does not exist.' },
  'not-a-regular-file': { severity: 'warning', excluded: true, scope: 'location', description: 'A device, socket or pipe: not data.' },
} as const satisfies Record<string, ProblemCodeInfo>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** What is wrong with an invalid file name (describeInvalidName). */
export interface NameProblem {
  readonly code: ProblemCode;
  /** Names the offending part and says what ALF expects, in words a scientist follows. */
  readonly message: string;
  /** The part at fault, when one is. */
  readonly part?: AlfPartName;
  /** A valid ALF name derived from this one; it always passes isValid. */
  readonly fix?: string;
}

/** A warning-level note about a valid name or path (lintValidName, classifyPath). */
export interface Finding {
  readonly code: ProblemCode;
  readonly message: string;
  /**
   * A replacement: a whole file name for lintValidName, or the new base name of `at` in
   * classifyPath/classifyFolder.
   */
  readonly fix?: string;
  /** The file or folder concerned (path verdicts only), in the caller's coordinates. */
  readonly at?: string;
  readonly isFolder?: boolean;
}

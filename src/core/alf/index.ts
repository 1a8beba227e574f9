/**
 * The ALF grammar: the only place in the project that parses ALF names and paths.
 * Behaviour follows Python ONE 3.4.2 (one.alf.spec / one.alf.path); the deliberate
 * differences are listed in docs/alf-grammar.md.
 */
export { AlfError, AlfInvalidError, type AlfErrorOptions } from './errors';
export {
  PARTS,
  PART_ORDER,
  PART_RE,
  SESSION_FORM,
  FOLDER_FORM,
  NAME_FORM,
  PATH_FORM,
  NAME_REMINDER,
  isValidPart,
  isValidLabName,
  isValidSubjectName,
  isValidSessionNumber,
  isValidNamespace,
  isValidObject,
  isValidAttribute,
  isValidTimescale,
  isValidExtension,
  isValidCollection,
  isValidRevision,
  type AlfPartName,
  type AlfPartSpec,
  type SessionPartName,
  type FolderPartName,
  type FilenamePartName,
} from './grammar';
export { isValid, filenameParts, parseFilename, type FilenameParts, type PartsOptions } from './filename';
export {
  sessionPathParts,
  folderParts,
  relPathParts,
  fullPathParts,
  isSessionPath,
  getSessionPath,
  getAlfPath,
  paddedSequence,
  toPosix,
  normalisePath,
  type SessionParts,
  type FolderParts,
  type RelPathParts,
  type FullPathParts,
} from './paths';
export { isPyDatetime, isValidSessionDate } from './dates';
export { isUuidString, isUuid, addUuidString, removeUuidString } from './uuid';
export { toAlf, readableAlf, dromedary, type ToAlfOptions } from './naming';
export { QC, validateQc, qcName, type QcValue } from './qc';
export { PROBLEM_CODES, type ProblemCode, type ProblemCodeInfo, type Severity, type NameProblem, type Finding } from './problems';
export { describeInvalidName, lintValidName } from './name-diagnosis';
export {
  CATEGORY_WORDS,
  CATEGORY_LEVEL,
  SKIP_WHY_WORDS,
  categoryOf,
  skipReasonOf,
  countEntry,
  countWords,
  describeTally,
  emptyTally,
  hasProblems,
  skippedTotal,
  tallyProblems,
  type CategoryWords,
  type DescribeOptions,
  type ProblemCategory,
  type ProblemTally,
  type SkipWhy,
} from './categories';
export { checkRenameTarget, type RenameTargetOptions, type RenameTargetVerdict } from './rename-target';
export {
  BACKSLASH_SEPARATES_HERE,
  Classifier,
  classifyPath,
  classifyFolder,
  clearClassifyCache,
  type ClassifyOptions,
  type SessionInfo,
  type PathVerdict,
  type DatasetVerdict,
  type InvalidVerdict,
  type OutsideVerdict,
  type FolderVerdict,
  type OutsideFolder,
  type SessionFolder,
  type InsideSessionFolder,
  type InvalidFolder,
} from './classify';

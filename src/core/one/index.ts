/**
 * Python ONE's local mode in TypeScript: search a cache, list and load a session's datasets.
 * See docs/one-local.md for the semantics and the deliberate differences from ONE.
 */
export { OneLocal, type OneLocalOptions, type ListDatasetsOptions, type LoadObjectOptions, type LoadDatasetOptions, type OpenTimings } from './one-local';
export { OneError, type OneErrorCode } from './errors';
export {
  buildSessionIndex,
  runSearch,
  compareSessions,
  type SearchQuery,
  type OneSearchTerms,
  type SearchTermValue,
  type SearchOptions,
  type SearchDetails,
  type SearchRecord,
  type SessionIndex,
  type EidLookup,
  type TextTerm,
  type DateRangeTerm,
  type NumberTerm,
  type QcLevel,
} from './search';
export { ONE_SEARCH_TERMS, completeSearchTerm, normaliseSearchTerms, type OneSearchTerm, type NormalisedTerm } from './terms';
export { parseDateRange, parseSessionNumber, type DateBounds } from './values';
export { translatePyRegex, compilePyRegex, PyRegexError, type TranslatedRegex } from './py-regex';
export { compareCodePoints } from '../order';
export { type DatasetFilter, type DatasetParts, type GlobPattern } from './filters';
export { type AlfObject } from './alf-object';
export { type DatasetContent, loadFileContent } from './content';
export { sessionDirCandidates, findSessionDir } from './session-paths';
export { parseExpression, evaluateExpression, expressionNames, ExpressionError, type Expr, type SeriesSource } from './expression';
export { oneSearchSnippet, searchTermsOf, splitList, pyLiteral, pyString, pyIdentifier, type SearchForm, type SnippetOptions } from './snippet';
export { objectsOf, listSessionFiles, loadObjectFromFolder, type ObjectRef, type FolderObjectOptions } from './folder-object';

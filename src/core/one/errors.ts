/** Errors of the local ONE layer: messages meant for users as is, naming the field or file. */

export type OneErrorCode =
  /** A search term that is not one of ONE's (after prefix completion). */
  | 'unknown-term'
  /** A prefix that completes to more than one search term (e.g. 'dataset'). */
  | 'ambiguous-term'
  /** The same term given twice under different names ('lab' and 'laboratory'). */
  | 'duplicate-term'
  /** A value of the wrong type or form (a date that is not a date, 'two' as a number). */
  | 'invalid-value'
  /** A Python regular expression that cannot be translated for JavaScript. */
  | 'unsupported-regex'
  /** An eid that is not in the sessions table. */
  | 'session-not-found'
  /** No dataset matches (ONE's ALFObjectNotFound). */
  | 'not-found'
  /** The datasets match but their files are not on disk. */
  | 'not-on-disk'
  /** ONE's ALFMultipleCollectionsFound / ALFMultipleObjectsFound. */
  | 'multiple-collections'
  | 'multiple-objects'
  /** ONE's ALFMultipleRevisionsFound: several revisions of a dataset marked default in the cache. */
  | 'multiple-revisions'
  /** ONE's ALFError 'No default revisions specified': defaultRevisionsOnly on a cache without the column. */
  | 'no-default-revisions'
  /** A file's content could not be read (bad JSON, unreadable Parquet). */
  | 'unreadable';

export class OneError extends Error {
  override readonly name = 'OneError';
  constructor(
    readonly code: OneErrorCode,
    message: string,
    /** The search term or option concerned, in ONE's name ('date_range'), when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

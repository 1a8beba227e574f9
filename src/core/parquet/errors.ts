/** Errors raised by the Parquet layer: plain messages that name the file, no stack traces for users. */

export type ParquetReadErrorCode = 'not-found' | 'not-a-file' | 'unreadable' | 'not-parquet' | 'truncated' | 'corrupt' | 'unsupported' | 'wrong-type';

/**
 * A Parquet file could not be read. `message` is meant for users as is, e.g.
 * `/data/cache/sessions.pqt: not a Parquet file (no PAR1 magic) — rebuild the cache`.
 */
export class ParquetReadError extends Error {
  override readonly name = 'ParquetReadError';
  constructor(
    /** The path of the file, as given. */
    readonly file: string,
    readonly code: ParquetReadErrorCode,
    /** What is wrong, without the file name. */
    readonly reason: string,
    /** What the user can do about it, e.g. 'rebuild the cache'. */
    readonly hint?: string,
  ) {
    super(`${file}: ${reason}${hint ? ` — ${hint}` : ''}`);
  }
}

/** Values that cannot be written in the requested Parquet format (bad type, out of range, …). */
export class ParquetWriteError extends Error {
  override readonly name = 'ParquetWriteError';
}

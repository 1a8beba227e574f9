/** Errors raised by the NPY reader: plain messages that name the file and say what to do. */

export type NpyErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'not-npy'
  | 'bad-header'
  | 'unsupported-version'
  | 'truncated'
  | 'pickled'
  | 'structured'
  | 'unsupported-dtype'
  | 'bad-argument';

/**
 * An `.npy` file could not be read. `message` is meant for users as is, e.g.
 * `/data/x.npy: truncated: the header promises 800 data bytes, the file has 96 — copy or download the file again`.
 */
export class NpyError extends Error {
  override readonly name = 'NpyError';
  constructor(
    /** The path of the file, as given (or a label such as '<buffer>'). */
    readonly file: string,
    readonly code: NpyErrorCode,
    /** What is wrong, without the file name. */
    readonly reason: string,
    /** What the user can do about it. */
    readonly hint?: string,
  ) {
    super(`${file}: ${reason}${hint ? ` — ${hint}` : ''}`);
  }
}

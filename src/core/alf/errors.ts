/**
 * ALF errors, shaped like ONE's `one.alf.exceptions` so messages read the same to people who
 * know ONE: a specific detail plus a general explanation of the error class.
 */

export interface AlfErrorOptions {
  /** Leave the class explanation out of `message` (ONE's `terse=True`). */
  terse?: boolean;
}

export class AlfError extends Error {
  /** A general explanation shared by every error of the class. */
  static explanation = '';

  /** The specific part of the message (ONE's `ALFError.message`). */
  readonly detail: string;
  readonly terse: boolean;

  constructor(detail?: string | readonly unknown[], options: AlfErrorOptions = {}) {
    const text =
      detail === undefined
        ? ''
        : typeof detail === 'string'
          ? detail
          : `"${detail.map((d) => String(d)).join('", "')}"`;
    const explanation = (new.target as typeof AlfError).explanation;
    const terse = options.terse ?? false;
    super(terse || !explanation ? text : text ? `${text}\n${explanation}` : explanation);
    this.detail = text;
    this.terse = terse;
    this.name = new.target.name;
  }
}

/** A path or name that does not follow the ALF specification (ONE's `ALFInvalid`). */
export class AlfInvalidError extends AlfError {
  static override explanation =
    'The file path provided does not match the ALF path specification ' +
    '(lab/Subjects/subject/yyyy-mm-dd/number/collection/#revision#/_namespace_object.attribute_timescale.extra.extension).';
}

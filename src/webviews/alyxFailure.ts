import { AlyxConnectionError, AlyxHttpError } from '../core/alyx/errors';
import { fieldErrorsOf } from '../core/registration/forms';
import { errorMessage } from '../core/util/errors';

/** One line for an error from Alyx or the registration client (the server's own words when it gave some). */
export function describe(err: unknown): string {
  if (err instanceof AlyxHttpError) return err.describe();
  return errorMessage(err);
}

/** What a form shows for a failed request: both the Register Session and the Weight/Water forms understand these. */
export type FormFailureMessage = { type: 'invalid'; errors: Record<string, string> } | { type: 'failed'; message: string; unreachable: boolean };

export interface FormFailure {
  outcome: { kind: 'invalid' | 'failed'; message: string };
  /** For the page. */
  message: FormFailureMessage;
  /** Also a notification with Show details: not for field errors, nor when the server cannot be reached (the form says so). */
  notify: boolean;
}

/**
 * How a failed request shows in a form: errors that name a field go under that field; an
 * unreachable server is said in the form, which keeps what was typed; anything else is one
 * message in the form plus a notification.
 */
export function formFailure(err: unknown, userField: 'users' | 'user' = 'users'): FormFailure {
  const text = describe(err);
  const fields = fieldErrorsOf(err, userField);
  if (Object.keys(fields).length) return { outcome: { kind: 'invalid', message: text }, message: { type: 'invalid', errors: fields }, notify: false };
  const unreachable = err instanceof AlyxConnectionError;
  const message = unreachable ? `${text}. Your entries are kept: try again when the server is back.` : text;
  return { outcome: { kind: 'failed', message }, message: { type: 'failed', message, unreachable }, notify: !unreachable };
}

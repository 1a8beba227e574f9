import type { FileMove } from './moves';
import type { CreateSessionsResult, RegisterFilesResult, RegisterSessionResult } from './types';
import { isObject } from '../util/objects';

/** Bad input caught before any request is made. `field` names the option or argument at fault. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A subject, user or other record that must exist on the server does not. */
export class AlyxMemberNotFoundError extends Error {
  override readonly name = 'AlyxMemberNotFoundError';
  constructor(
    readonly endpoint: string,
    readonly member: string,
    readonly server: string,
  ) {
    super(`${describeEndpoint(endpoint)} "${member}" does not exist on ${server}`);
  }
}

/** A planned file move would overwrite a file or leave the session folder. Nothing was moved. */
export class UnsafeMoveError extends Error {
  override readonly name = 'UnsafeMoveError';
}

/** Files protected on Alyx would have had to move into a revision folder, and the caller said no. Nothing was moved. */
export class MovesDeclinedError extends Error {
  override readonly name = 'MovesDeclinedError';
}

function describeEndpoint(endpoint: string): string {
  switch (endpoint) {
    case 'subjects':
      return 'Subject';
    case 'users':
      return 'User';
    case 'labs':
      return 'Lab';
    case 'repositories':
    case 'data-repository':
      return 'Repository';
    case 'projects':
      return 'Project';
    default:
      return `"${endpoint}" member`;
  }
}

/**
 * What a registration had done when it stopped on an error. All of it stands: files moved into
 * revision folders stay moved, records created on the server stay. Each result has the shape of
 * the call's success result, with `null` where nothing was done.
 */
export type PartialRegistration =
  | { operation: 'registerFiles'; result: RegisterFilesResult }
  | { operation: 'registerSession'; result: RegisterSessionResult }
  | { operation: 'createSessions'; result: CreateSessionsResult; failedAt: string };

// Kept beside the error rather than in a wrapper, so callers keep matching the error's own type
// (HTTP status, lost connection, unsafe move…) and still find what was done before it.
const partials = new WeakMap<object, PartialRegistration>();

/** Records what was done before `err`; the outermost call's account replaces the inner one it contains. */
export function attachPartialRegistration(err: unknown, partial: PartialRegistration): unknown {
  if (isObject(err)) partials.set(err, partial);
  return err;
}

/** What the failed registration had done before `err`, if it had started. */
export function partialRegistrationOf(err: unknown): PartialRegistration | undefined {
  return isObject(err) ? partials.get(err) : undefined;
}

/** Every file result inside a partial registration (one per session reached). */
export function filesResultsOf(partial: PartialRegistration): RegisterFilesResult[] {
  switch (partial.operation) {
    case 'registerFiles':
      return [partial.result];
    case 'registerSession':
      return partial.result.files ? [partial.result.files] : [];
    case 'createSessions':
      return partial.result.records.flatMap((r) => (r?.files ? [r.files] : []));
  }
}

/** Every move that stands after a partial registration, in the order made. */
export function standingMovesOf(partial: PartialRegistration): FileMove[] {
  return filesResultsOf(partial).flatMap((f) => f.moves);
}

import { CancelledError } from '../core/progress';
import { BuildInputError, OutputNotWritableError } from '../core/cache/build';
import { WalkRootError, errnoCode } from '../core/cache/walk';
import { CliError } from './types';
import { isObject } from '../core/util/objects';

export const EXIT = {
  ok: 0,
  problems: 1,
  usage: 2,
  fileSystem: 3,
  server: 4,
  interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15, as a shell reports a process that SIGTERM ended. */
  terminated: 143,
  internal: 70,
} as const;

/**
 * Turns any error into one line for a person and an exit code; never a stack trace. An
 * interruption after `signal` was aborted with the reason 'SIGTERM' is reported as stopped by
 * it, with its own exit code; Ctrl-C (any other reason) stays 130.
 */
export function describeError(err: unknown, signal?: AbortSignal): { message: string; exitCode: number } {
  // A call given the signal may reject with the abort reason itself, or a plain AbortError.
  const aborted = signal?.aborted === true && (err === signal.reason || (err instanceof Error && err.name === 'AbortError'));
  const described = aborted ? describeAnyError(new CancelledError()) : describeAnyError(err);
  if (described.exitCode === EXIT.interrupted && signal?.aborted && signal.reason === 'SIGTERM') {
    return { message: described.message.replace(/^interrupted/, 'stopped (SIGTERM)'), exitCode: EXIT.terminated };
  }
  return described;
}

function describeAnyError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof CancelledError) return { message: 'interrupted; nothing was changed', exitCode: EXIT.interrupted };
  if (err instanceof WalkRootError || err instanceof BuildInputError) return { message: err.message, exitCode: EXIT.usage };
  if (err instanceof OutputNotWritableError) return { message: err.message, exitCode: EXIT.fileSystem };
  const code = errnoCode(err);
  const where = fileOf(err);
  switch (code) {
    case 'ENOSPC':
      return { message: `disk full${where ? ` while writing ${where}` : ''}: free some space and run again (the previous cache is untouched)`, exitCode: EXIT.fileSystem };
    case 'EDQUOT':
      return { message: `disk quota exceeded${where ? ` while writing ${where}` : ''}`, exitCode: EXIT.fileSystem };
    case 'EACCES':
    case 'EPERM':
      return { message: `permission denied${where ? `: ${where}` : ''}`, exitCode: EXIT.fileSystem };
    case 'EROFS':
      return { message: `read-only file system${where ? `: ${where}` : ''}: choose another output folder with --out`, exitCode: EXIT.fileSystem };
    case 'ENOENT':
      return { message: `not found${where ? `: ${where}` : ''}`, exitCode: EXIT.usage };
    case 'ENOTDIR':
      return { message: `not a folder${where ? `: ${where}` : ''}`, exitCode: EXIT.usage };
    case 'EISDIR':
      return { message: `is a folder, expected a file${where ? `: ${where}` : ''}`, exitCode: EXIT.usage };
    case 'ENAMETOOLONG':
      return { message: `a name too long for this file system${where ? `: ${where}` : ''}`, exitCode: EXIT.fileSystem };
    case 'EMFILE':
    case 'ENFILE':
      return { message: 'too many open files: raise the limit (ulimit -n) and run again', exitCode: EXIT.fileSystem };
    default:
      break;
  }
  if (err instanceof Error) {
    // Errors thrown by the core carry messages written for people already.
    const named = err.name && err.name !== 'Error' ? err.name : '';
    const isCoreError = /Error$/.test(named) && named !== 'TypeError' && named !== 'RangeError' && named !== 'SyntaxError' && named !== 'ReferenceError';
    if (isCoreError || named === '') return { message: err.message, exitCode: exitCodeOf(err) };
    return { message: `internal error: ${err.message} (set ALF_DEBUG=1 for details and please report it)`, exitCode: EXIT.internal };
  }
  return { message: String(err), exitCode: EXIT.internal };
}

function exitCodeOf(err: Error): number {
  if (/^Alyx/.test(err.name)) return EXIT.server;
  return EXIT.problems;
}

function fileOf(err: unknown): string | undefined {
  if (isObject(err)) {
    if (typeof err.dest === 'string') return err.dest;
    if (typeof err.path === 'string') return err.path;
  }
  return undefined;
}

/**
 * The progress/cancel handle every long core operation accepts. Plain values only, so the
 * same call works from the CLI (a terminal bar), the extension (withProgress) and tests.
 */
import { formatBytes } from './util/bytes';
export interface ProgressEvent {
  /** What is happening now, e.g. 'scan', 'hash', 'write', 'post'. */
  phase: string;
  /** Units done so far in this phase (files, bytes, sessions: see `unit`). */
  done: number;
  /** Total units when known. */
  total?: number;
  unit?: 'files' | 'bytes' | 'sessions' | 'requests';
  /** A short human-readable detail (a path, a session). */
  detail?: string;
}

export interface ProgressOptions {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** Raised when an operation stops because its AbortSignal fired. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** How far a phase is, in its unit ("12.3 MiB of 200 MiB", "30 of 120"), the same on every surface. */
export function progressAmount(e: ProgressEvent, of = 'of'): string {
  const show = e.unit === 'bytes' ? formatBytes : String;
  return `${show(e.done)}${e.total ? ` ${of} ${show(e.total)}` : ''}`;
}

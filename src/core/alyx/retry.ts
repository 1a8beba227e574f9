import { setTimeout as delay } from 'node:timers/promises';
import { CancelledError } from '../progress';

/** Statuses a busy or restarting server answers with; anything else is final. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export interface RetryPolicy {
  /** Retries after the first attempt (so `retries + 1` attempts in all). */
  retries: number;
  /** First backoff delay; doubles on each retry. */
  baseDelayMs: number;
  /** Longest single wait, whether from backoff or from `Retry-After`. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Milliseconds to wait before retry number `attempt` (0-based). A `Retry-After` header wins
 * over backoff; returns `undefined` when the server asks for longer than the policy allows,
 * so the caller reports the throttling instead of hanging.
 */
export function retryDelayMs(attempt: number, retryAfter: string | null, policy: RetryPolicy, now = Date.now()): number | undefined {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return asked <= policy.maxDelayMs ? asked : undefined;
  const backoff = policy.baseDelayMs * 2 ** attempt;
  // Jitter spreads clients that were throttled together.
  const jittered = backoff * (0.75 + Math.random() * 0.5);
  return Math.min(jittered, policy.maxDelayMs);
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const when = Date.parse(trimmed);
  if (Number.isNaN(when)) return undefined;
  return Math.max(0, when - now);
}

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` fires. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch (err) {
    if (signal?.aborted) throw new CancelledError();
    throw err;
  }
}

/**
 * Cooperative time slices for CPU-heavy loops on a thread that must stay responsive (the
 * extension host, or any Node event loop): run items until a time budget is spent, then yield
 * with `setImmediate` so timers, I/O and other extensions get their turn. An `await` of an
 * already-settled promise does not yield (it only queues a microtask), so a loop of small async
 * steps can hold the thread for seconds unless something like this yields on purpose.
 */
import { throwIfCancelled } from '../progress';

/** A slice this long keeps every turn far below the 50 ms at which VS Code reports a blocked host. */
export const DEFAULT_SLICE_MS = 10;

export interface SliceOptions {
  /** The most milliseconds of work between two yields (default 10). `Infinity` never yields. */
  budgetMs?: number;
  /** Checked after every yield: an abort stops the loop with a CancelledError. */
  signal?: AbortSignal;
  /** Milliseconds now (default performance.now); tests give a clock that their items advance. */
  clock?: () => number;
}

/**
 * One time budget shared by every loop of one operation: several loops that pause on the same
 * Slicer yield together, so together they hold the thread for one slice, not one slice each.
 */
export class Slicer {
  readonly budgetMs: number;
  readonly #signal: AbortSignal | undefined;
  readonly #clock: () => number;
  #sliceStart: number;
  /** The yield in progress, awaited by every loop that pauses while it is pending. */
  #yielding: Promise<void> | undefined;
  /** Times this slicer gave the thread away (for tests and figures). */
  yields = 0;

  constructor(options: SliceOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_SLICE_MS;
    this.#signal = options.signal;
    this.#clock = options.clock ?? (() => performance.now());
    this.#sliceStart = this.#clock();
  }

  /** Whether the current slice has used up its budget. */
  get spent(): boolean {
    return this.#clock() - this.#sliceStart >= this.budgetMs;
  }

  /**
   * Call between items: returns at once while the slice has time left, else after the event
   * loop has had a turn. Throws CancelledError once the signal has fired.
   */
  async pause(): Promise<void> {
    throwIfCancelled(this.#signal);
    while (this.spent) {
      this.#yielding ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          this.#yielding = undefined;
          this.#sliceStart = this.#clock();
          this.yields += 1;
          resolve();
        }),
      );
      await this.#yielding;
      throwIfCancelled(this.#signal);
      // A budget of 0 yields once before every item; otherwise a loop that shares the slicer
      // may have spent the fresh slice already, and this one waits for the next.
      if (this.budgetMs <= 0) return;
    }
  }

  /** Starts a fresh slice: for a loop that resumes after waiting on I/O, which was a yield already. */
  restart(): void {
    this.#sliceStart = this.#clock();
  }
}

/**
 * `items.map(fn)` in slices: results in the order of `items`, `fn` called one item at a time
 * (awaited when it returns a promise), a yield whenever the budget is spent.
 */
export async function mapSliced<T, R>(items: readonly T[], fn: (item: T, index: number) => R | Promise<R>, options: SliceOptions | Slicer = {}): Promise<R[]> {
  const slicer = options instanceof Slicer ? options : new Slicer(options);
  const out = new Array<R>(items.length);
  for (let i = 0; i < items.length; i++) {
    await slicer.pause();
    out[i] = await fn(items[i] as T, i);
  }
  return out;
}

/** `items.forEach(fn)` in slices. */
export async function forEachSliced<T>(items: Iterable<T>, fn: (item: T) => void | Promise<void>, options: SliceOptions | Slicer = {}): Promise<void> {
  const slicer = options instanceof Slicer ? options : new Slicer(options);
  for (const item of items) {
    await slicer.pause();
    await fn(item);
  }
}

import { Worker } from 'node:worker_threads';
import { CancelledError } from '../../core/progress';
import type { MethodName, WorkerMethods, WorkerRequest, WorkerResponse } from './protocol';

export interface CallOptions<M extends MethodName> {
  signal?: AbortSignal;
  onEvent?: (event: WorkerMethods[M]['event']) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvent?: (event: unknown) => void;
}

/** A failure reported by the worker, with the core's user-facing message. */
export class WorkerCallError extends Error {
  override readonly name = 'WorkerCallError';
  constructor(
    message: string,
    /** The search term or option the error is about (a OneError's field, ONE's name), when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The extension host's handle on the worker thread. Started on first use, so activation never
 * pays for loading the core's heavy parts; restarted transparently if it dies.
 */
export class CoreWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;

  constructor(private readonly scriptPath: string) {}

  call<M extends MethodName>(
    method: M,
    params: WorkerMethods[M]['params'],
    options: CallOptions<M> = {},
  ): Promise<WorkerMethods[M]['result']> {
    if (this.disposed) return Promise.reject(new WorkerCallError('ALF is shutting down'));
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<WorkerMethods[M]['result']>((resolve, reject) => {
      const onAbort = () => worker.postMessage({ id, cancel: true } satisfies WorkerRequest);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => options.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (value) => {
          cleanup();
          resolve(value as WorkerMethods[M]['result']);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
        onEvent: options.onEvent as ((event: unknown) => void) | undefined,
      });
      worker.postMessage({ id, method, params } as WorkerRequest);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.failAll(new WorkerCallError('ALF is shutting down'));
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.scriptPath);
    // The worker must never keep the extension host alive on its own.
    worker.unref();
    worker.on('message', (msg: WorkerResponse) => this.onMessage(msg));
    worker.on('error', (err) => this.onExit(err));
    worker.on('exit', (code) => this.onExit(new WorkerCallError(`the ALF worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private onMessage(msg: WorkerResponse): void {
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    if ('event' in msg) {
      try {
        pending.onEvent?.(msg.event);
      } finally {
        // Acknowledge on a later turn of the event loop, so that the next event (which the
        // worker sends only after this ack) never lands in the same task as this one.
        setImmediate(() => this.worker?.postMessage({ id: msg.id, ack: msg.seq } satisfies WorkerRequest));
      }
    } else if ('result' in msg) {
      this.pending.delete(msg.id);
      pending.resolve(msg.result);
    } else {
      this.pending.delete(msg.id);
      pending.reject(msg.error.cancelled ? new CancelledError() : new WorkerCallError(msg.error.message, msg.error.field));
    }
  }

  private onExit(error: Error): void {
    if (!this.worker) return;
    this.worker = undefined;
    this.failAll(error instanceof WorkerCallError ? error : new WorkerCallError(`the ALF worker failed: ${error.message}`));
  }

  private failAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }
}

/**
 * Entry point of dist/alf-worker.js: a worker thread that runs the core's file-system and
 * Parquet work for the extension host and answers with small messages (see protocol.ts).
 */
import { parentPort } from 'node:worker_threads';
import { buildCache, type BuildOptions, type BuildResult } from '../../core/cache/build';
import { updateCache } from '../../core/cache/update';
import { tallyProblems } from '../../core/alf';
import { OneError } from '../../core/one';
import { CancelledError, type ProgressEvent } from '../../core/progress';
import { cacheInfo, lookupEid } from './cacheTables';
import { SKIPPED_LIMIT, type BuildParams, type BuildSummary, type MethodName, type WorkerMethods, type WorkerRequest, type WorkerResponse } from './protocol';
import { OneCaches } from './oneCaches';
import { oneDatasets, oneObjectFiles, oneSearch, oneSession } from './oneSearch';
import { dropRoot, scanRoot, sessionContents, updateRoot } from './rootIndexes';
import { closeTable, exportTableCsv, openTable, tablePage } from './tableViews';

/** The ONE caches the Search view has used, kept open between calls. */
const oneCaches = new OneCaches();

type Handler<M extends MethodName> = (
  params: WorkerMethods[M]['params'],
  /** Sends an event; resolves once the extension host has handled it. */
  emit: (event: WorkerMethods[M]['event']) => Promise<void>,
  signal: AbortSignal,
) => Promise<WorkerMethods[M]['result']>;

const handlers: { [M in MethodName]: Handler<M> } = {
  scan: (params, emit, signal) => scanRoot(params, emit, signal),
  update: (params, _emit, signal) => updateRoot(params, signal),
  sessionContents: async (params) => sessionContents(params),
  dropRoot: async (params) => {
    dropRoot(params.root);
    return null;
  },
  buildCache: async (params, emit, signal) => summarise(await buildCache(params.root, buildOptions(params, emit, signal))),
  updateCache: async (params, emit, signal) => {
    // updateCache itself falls back to a full build (and says why) when the tables cannot be
    // updated in place.
    const result = await updateCache(params.root, { ...buildOptions(params, emit, signal), changedPaths: params.changedPaths });
    return {
      ...summarise(result),
      fullRebuild: result.mode === 'full',
      ...(result.reason ? { fullRebuildReason: result.reason } : {}),
      rescannedSessions: result.rescannedSessions,
    };
  },
  cacheInfo: (params) => cacheInfo(params.dir),
  lookupEid: (params) => lookupEid(params.dir, params.session),
  openTable: (params) => openTable(params.path),
  // Progress is informative: it never waits for the extension host.
  tablePage: (params, emit, signal) => tablePage(params, (e) => void emit(e), signal),
  exportTableCsv: (params, emit, signal) => exportTableCsv(params, (e) => void emit(e), signal),
  closeTable: async (params) => {
    await closeTable(params.tableId);
    return null;
  },
  oneSearch: (params) => oneSearch(oneCaches, params),
  oneDatasets: (params) => oneDatasets(oneCaches, params),
  oneSession: (params) => oneSession(oneCaches, params),
  oneObjectFiles: (params) => oneObjectFiles(oneCaches, params),
};

function buildOptions(params: BuildParams, emit: (event: ProgressEvent) => Promise<void>, signal: AbortSignal): BuildOptions {
  return {
    hashFiles: params.hashFiles,
    outDir: params.outDir,
    ...(params.lab ? { lab: params.lab } : {}),
    exclude: params.exclude,
    signal,
    // Progress is informative: it never waits for the extension host.
    onProgress: (event) => void emit(event),
  };
}

function summarise(result: BuildResult): BuildSummary {
  return {
    sessionsPath: result.sessionsPath,
    datasetsPath: result.datasetsPath,
    sessions: result.sessions,
    datasets: result.datasets,
    skipped: result.skipped.slice(0, SKIPPED_LIMIT).map((s) => ({ path: s.path, reason: s.reason })),
    skippedCount: result.skipped.length,
    warnings: result.warnings.slice(0, SKIPPED_LIMIT).map((w) => (w.path ? `${w.path}: ${w.message}` : w.message)),
    counts: tallyProblems([...result.skipped, ...result.warnings]),
    durationMs: result.durationMs,
  };
}

const port = parentPort;
if (!port) throw new Error('alf-worker must run in a worker thread');
const running = new Map<number, AbortController>();
const awaitingAck = new Map<string, () => void>();

const send = (msg: WorkerResponse) => port.postMessage(msg);

port.on('message', (req: WorkerRequest) => {
  if ('cancel' in req) {
    running.get(req.id)?.abort();
    return;
  }
  if ('ack' in req) {
    const key = `${req.id}:${req.ack}`;
    awaitingAck.get(key)?.();
    awaitingAck.delete(key);
    return;
  }
  const controller = new AbortController();
  running.set(req.id, controller);
  let seq = 0;
  const emit = (event: unknown): Promise<void> => {
    const n = seq++;
    return new Promise<void>((resolve) => {
      awaitingAck.set(`${req.id}:${n}`, resolve);
      send({ id: req.id, event, seq: n });
    });
  };
  const handler = handlers[req.method] as Handler<MethodName>;
  handler(req.params, emit, controller.signal)
    .then(
      (result) => send({ id: req.id, result }),
      (err: unknown) =>
        send({
          id: req.id,
          error: {
            message: userMessage(err),
            // The Search view shows a OneError under the form field it names.
            ...(err instanceof OneError && err.field ? { field: err.field } : {}),
            ...(err instanceof CancelledError || controller.signal.aborted ? { cancelled: true } : {}),
          },
        }),
    )
    .finally(() => {
      running.delete(req.id);
      for (const key of [...awaitingAck.keys()]) if (key.startsWith(`${req.id}:`)) awaitingAck.delete(key);
    });
});

/** The core's errors carry messages written for people; anything else gets its message only, never a stack. */
function userMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, type ProgressEvent } from '../core/progress';
import { CATEGORY_WORDS, SKIP_WHY_WORDS, describeTally, type ProblemTally, type SkipWhy } from '../core/alf';
import type { BuildSummaryView } from '../protocol/webview';
import type { CoreWorker } from '../model/worker/client';
import { formatBytes } from '../core/util/bytes';
import { errorMessage } from '../core/util/errors';

export interface CacheBuildRequest {
  folder: string;
  outDir: string;
  hashFiles: boolean;
  lab?: string;
  exclude: string[];
  /** Sessions (root-relative) changed since the last build: ask for an incremental update. */
  changedPaths?: string[];
}

export type CacheBuildOutcome = { kind: 'done'; summary: BuildSummaryView } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

/**
 * Runs a cache build (or update) on the worker thread behind a progress notification with
 * Cancel, then tells the user what it did. `onProgress` mirrors the progress into the form.
 */
export async function runCacheBuild(
  worker: CoreWorker,
  request: CacheBuildRequest,
  onProgress?: (text: string, percent?: number) => void,
  /** Another way to cancel (the form's Cancel button) besides the notification's. */
  signal?: AbortSignal,
): Promise<CacheBuildOutcome> {
  const updating = request.changedPaths !== undefined;
  const title = updating ? `ALF: Updating the ONE cache of ${path.basename(request.folder)}` : `ALF: Building the ONE cache of ${path.basename(request.folder)}`;
  const outcome = await vscode.window.withProgress<CacheBuildOutcome>(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      signal?.addEventListener('abort', () => controller.abort(), { once: true });
      let lastPercent = 0;
      const onEvent = (event: ProgressEvent) => {
        const { text, percent } = describeProgress(event);
        const increment = percent !== undefined && percent > lastPercent ? percent - lastPercent : undefined;
        if (percent !== undefined) lastPercent = Math.max(lastPercent, percent);
        progress.report({ message: text, ...(increment !== undefined ? { increment } : {}) });
        onProgress?.(text, percent);
      };
      const params = {
        root: request.folder,
        outDir: request.outDir,
        hashFiles: request.hashFiles,
        exclude: request.exclude,
        ...(request.lab ? { lab: request.lab } : {}),
      };
      try {
        const result = updating
          ? await worker.call('updateCache', { ...params, changedPaths: request.changedPaths ?? [] }, { signal: controller.signal, onEvent })
          : await worker.call('buildCache', params, { signal: controller.signal, onEvent });
        return {
          kind: 'done',
          summary: {
            folder: request.folder,
            outDir: request.outDir,
            sessionsPath: result.sessionsPath,
            datasetsPath: result.datasetsPath,
            sessions: result.sessions,
            datasets: result.datasets,
            skipped: result.skipped,
            skippedCount: result.skippedCount,
            warnings: result.warnings,
            counts: result.counts,
            problemsLine: describeTally(result.counts, { outside: true }),
            problemRows: problemRows(result.counts),
            durationMs: result.durationMs,
            fullRebuild: result.fullRebuild ?? false,
            ...(result.fullRebuildReason ? { fullRebuildReason: result.fullRebuildReason } : {}),
            ...(result.rescannedSessions !== undefined ? { rescannedSessions: result.rescannedSessions } : {}),
          },
        };
      } catch (err) {
        if (err instanceof CancelledError) return { kind: 'cancelled' };
        return { kind: 'failed', message: errorMessage(err) };
      } finally {
        sub.dispose();
      }
    },
  );
  void announce(outcome, updating);
  return outcome;
}

async function announce(outcome: CacheBuildOutcome, updating: boolean): Promise<void> {
  if (outcome.kind === 'cancelled') {
    void vscode.window.showInformationMessage(`ALF: cache ${updating ? 'update' : 'build'} cancelled; the existing tables (if any) are unchanged.`);
    return;
  }
  if (outcome.kind === 'failed') {
    void vscode.window.showErrorMessage(`ALF: the cache ${updating ? 'update' : 'build'} failed: ${outcome.message}`);
    return;
  }
  const s = outcome.summary;
  const how = updating ? describeUpdate(s) : 'built';
  const message =
    `ALF: ONE cache ${how} in ${formatDuration(s.durationMs)}: ` +
    `${s.sessions.toLocaleString('en-US')} sessions, ${s.datasets.toLocaleString('en-US')} datasets; ${s.problemsLine}.`;
  const open = 'Open sessions table';
  const choice = await vscode.window.showInformationMessage(message, open);
  if (choice === open) await openTable(s.sessionsPath);
}

/** The counts as the form's rows, in the core's words (the Problems panel and `alf validate` use the same). */
export function problemRows(t: ProblemTally): { label: string; count: number }[] {
  const rows = [
    { label: capitalised(CATEGORY_WORDS['invalid-file'].many), count: t.invalidFiles },
    { label: capitalised(CATEGORY_WORDS['invalid-folder'].many), count: t.invalidFolders },
    { label: capitalised(CATEGORY_WORDS.warning.many), count: t.warnings },
    ...(Object.keys(t.skipped) as SkipWhy[]).map((why) => ({ label: `${capitalised(CATEGORY_WORDS.skipped.many)} (${SKIP_WHY_WORDS[why]})`, count: t.skipped[why] })),
    { label: capitalised(CATEGORY_WORDS.outside.many), count: t.outside },
  ];
  return rows.filter((r) => r.count > 0);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How an update went: the sessions it read again, or why it read the whole tree. */
export function describeUpdate(s: Pick<BuildSummaryView, 'fullRebuild' | 'fullRebuildReason' | 'rescannedSessions'>): string {
  if (s.fullRebuild) return `rebuilt (the whole tree was read again${s.fullRebuildReason ? `: ${s.fullRebuildReason}` : ''})`;
  const n = s.rescannedSessions ?? 0;
  return `updated (${n.toLocaleString('en-US')} changed session${n === 1 ? '' : 's'} read again)`;
}

/** Opens a Parquet file in the ONE table editor. */
export async function openTable(file: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), 'alf.parquetTable');
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function describeProgress(event: ProgressEvent): { text: string; percent?: number } {
  const percent = event.total ? Math.min(100, Math.round((event.done / event.total) * 100)) : undefined;
  switch (event.phase) {
    case 'scan':
      return { text: `scanning: ${event.done.toLocaleString('en-US')} files` };
    case 'hash':
      return {
        text: `hashing: ${formatBytes(event.done)}${event.total ? ` of ${formatBytes(event.total)}` : ''}`,
        ...(percent !== undefined ? { percent } : {}),
      };
    case 'write':
      return { text: 'writing the tables' };
    default:
      return { text: `${event.phase}: ${event.done.toLocaleString('en-US')}${event.total ? ` of ${event.total.toLocaleString('en-US')}` : ''}` };
  }
}

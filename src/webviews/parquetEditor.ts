import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CoreWorker } from '../model/worker/client';
import type { TableInfo } from '../model/worker/protocol';
import { webviewHtml, webviewOptions } from './html';
import { CancelledError } from '../core/progress';
import { isTableMessage, type TableInfoView, type TableQuery, type TableToWebview } from '../protocol/webview';
import { errorMessage } from '../core/util/errors';

export const PARQUET_VIEW_TYPE = 'alf.parquetTable';

/** Rows a page may ask for at once (a screen is a few dozen). */
const PAGE_LIMIT = 2000;

/** Longest metadata value sent to the page (ARROW:schema is base64 of a whole schema). */
const METADATA_PREVIEW = 2000;

/** One open file: read once on the worker, shared by every editor showing it. */
class ParquetDocument implements vscode.CustomDocument {
  private opened: Promise<TableInfo> | undefined;

  constructor(
    readonly uri: vscode.Uri,
    private readonly worker: CoreWorker,
  ) {}

  open(): Promise<TableInfo> {
    this.opened ??= this.worker.call('openTable', { path: this.uri.fsPath });
    return this.opened;
  }

  dispose(): void {
    void this.opened?.then((info) => this.worker.call('closeTable', { tableId: info.tableId })).catch(() => undefined);
  }
}

/**
 * sessions.pqt, datasets.pqt and any .pqt/.parquet file: a read-only, paged, sortable table with
 * the file's metadata. The file is read and kept on the worker thread; the page asks for rows a
 * page at a time.
 */
export class ParquetEditorProvider implements vscode.CustomReadonlyEditorProvider<ParquetDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly worker: CoreWorker,
  ) {}

  static register(extensionUri: vscode.Uri, worker: CoreWorker): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(PARQUET_VIEW_TYPE, new ParquetEditorProvider(extensionUri, worker), {
      // The page restores its position from webview state; nothing to keep alive while hidden.
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  openCustomDocument(uri: vscode.Uri): ParquetDocument {
    return new ParquetDocument(uri, this.worker);
  }

  resolveCustomEditor(document: ParquetDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = webviewOptions(this.extensionUri);
    webview.html = webviewHtml(webview, this.extensionUri, 'table', path.basename(document.uri.fsPath));
    const post = (m: TableToWebview) => void webview.postMessage(m);
    // Cancels the worker's jobs for this editor when it closes (a sort over 1.5 M rows, an export).
    const closed = new AbortController();
    const sub = webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isTableMessage(message)) return;
      try {
        const t0 = performance.now();
        const info = await document.open();
        switch (message.type) {
          case 'ready':
            post({ type: 'info', info: toView(document.uri, info, performance.now() - t0) });
            return;
          case 'page': {
            const { seq, offset, limit, query, columns, complete } = message;
            const page = await this.worker.call(
              'tablePage',
              { tableId: info.tableId, offset, limit: Math.min(limit, PAGE_LIMIT), query, columns, ...(complete ? { complete } : {}) },
              { signal: closed.signal, onEvent: (e) => post({ type: 'progress', ...e }) },
            );
            post({ type: 'page', seq, offset: page.offset, rowCount: page.rowCount, rowNumbers: page.rowNumbers, rows: page.rows, ms: page.ms, ...(page.pending ? { pending: page.pending } : {}) });
            return;
          }
          case 'copy':
            await vscode.env.clipboard.writeText(message.text);
            vscode.window.setStatusBarMessage(`ALF: copied the ${message.what}`, 3000);
            return;
          case 'exportCsv':
            await this.exportCsv(document, info.tableId, message.query, message.columns, post);
            return;
        }
      } catch (err) {
        if (err instanceof CancelledError) return;
        post({ type: 'error', message: errorMessage(err), ...(message.type === 'page' ? { seq: message.seq } : {}) });
      }
    });
    panel.onDidDispose(() => {
      closed.abort();
      sub.dispose();
    });
  }

  /** Asks where to write, then streams the view's rows there with progress and Cancel. */
  private async exportCsv(document: ParquetDocument, tableId: number, query: TableQuery, columns: number[], post: (m: TableToWebview) => void): Promise<void> {
    const source = document.uri.fsPath;
    const suggested = `${path.basename(source).replace(/\.(pqt|parquet)$/i, '')}${query.filters.length ? '-filtered' : ''}.csv`;
    const target = await vscode.window.showSaveDialog({
      title: 'Export the rows shown as CSV',
      defaultUri: vscode.Uri.file(path.join(path.dirname(source), suggested)),
      filters: { CSV: ['csv'] },
      saveLabel: 'Export',
    });
    if (!target) return;
    const t0 = performance.now();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(target.fsPath)}`, cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        return this.worker.call('exportTableCsv', { tableId, query, columns, path: target.fsPath }, {
          signal: controller.signal,
          onEvent: (e) => {
            const percent = e.text.startsWith('Writing') && e.total > 0 ? (100 * e.done) / e.total : undefined;
            progress.report({ message: e.text, ...(percent !== undefined ? { increment: Math.max(0, percent - reported) } : {}) });
            if (percent !== undefined) reported = percent;
            post({ type: 'progress', ...e });
          },
        });
      },
    );
    post({ type: 'exported', path: result.path, rows: result.rows, bytes: result.bytes, ms: performance.now() - t0 });
    void vscode.window.showInformationMessage(`ALF: exported ${result.rows.toLocaleString('en-US')} rows to ${result.path}`, 'Open').then((choice) => {
      if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(result.path));
    });
  }
}

function toView(uri: vscode.Uri, info: TableInfo, openMs: number): TableInfoView {
  let oneMetadata: Record<string, unknown> | null = null;
  const raw = info.metadata.one_metadata;
  if (raw !== undefined) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) oneMetadata = parsed as Record<string, unknown>;
    } catch {
      oneMetadata = { unreadable: raw.slice(0, METADATA_PREVIEW) };
    }
  }
  const otherMetadata = Object.entries(info.metadata)
    .filter(([key]) => key !== 'one_metadata')
    .map(([key, value]) => ({ key, value: value.length > METADATA_PREVIEW ? `${value.slice(0, METADATA_PREVIEW)}… (${value.length.toLocaleString('en-US')} characters)` : value }));
  return { fileName: path.basename(uri.fsPath), rowCount: info.rowCount, columns: info.columns, oneMetadata, otherMetadata, rowGroups: info.rowGroups, sessionsTable: info.sessionsTable ?? null, openMs };
}

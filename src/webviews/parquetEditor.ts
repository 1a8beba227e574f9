import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CoreWorker } from '../model/worker/client';
import type { TableInfo } from '../model/worker/protocol';
import { webviewHtml, webviewOptions } from './html';
import { isTableMessage, type TableInfoView, type TableToWebview } from '../protocol/webview';
import { errorMessage } from '../core/util/errors';

export const PARQUET_VIEW_TYPE = 'alf.parquetTable';

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
    const sub = webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isTableMessage(message)) return;
      try {
        const info = await document.open();
        if (message.type === 'ready') {
          post({ type: 'info', info: toView(document.uri, info) });
          return;
        }
        const { offset, limit, sortColumn, descending } = message;
        const page = await this.worker.call('tablePage', {
          tableId: info.tableId,
          offset,
          limit: Math.min(limit, 1000),
          ...(sortColumn !== undefined ? { sortColumn } : {}),
          ...(descending !== undefined ? { descending } : {}),
        });
        post({ type: 'page', request: { offset: page.offset, limit, ...(sortColumn !== undefined ? { sortColumn, descending: descending ?? false } : {}) }, rows: page.rows });
      } catch (err) {
        post({ type: 'error', message: errorMessage(err) });
      }
    });
    panel.onDidDispose(() => sub.dispose());
  }
}

function toView(uri: vscode.Uri, info: TableInfo): TableInfoView {
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
  return { fileName: path.basename(uri.fsPath), rowCount: info.rowCount, columns: info.columns, oneMetadata, otherMetadata };
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { type NpyHeader, decimate, npyColumn, previewNpy, readNpy, readNpyHeader, readNpySlice } from '../core/npy';
import { webviewHtml, webviewOptions } from './html';
import { type NpyHeaderView, type NpyToWebview, type PlotView, type TraceView, isNpyMessage } from '../protocol/local';
import { PLOT_BUCKETS, formatValue, statsOf, statsView, traceOf } from './plotData';
import { errorMessage } from '../core/util/errors';

export const NPY_VIEW_TYPE = 'alf.npyPreview';

/** Files up to this size are read whole for the plot (one line per column); larger ones are streamed. */
const READ_WHOLE_BYTES = 32 << 20;
/** Lines drawn for a 2-D array: more would be unreadable. */
const MAX_LINES = 8;
/** Columns shown in the table of a wide array. */
const MAX_TABLE_COLUMNS = 64;

class NpyDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

/**
 * `.npy` files: a read-only editor with the header (dtype, shape, order, size), statistics, a
 * plot (1-D: one line; 2-D: one line per column, up to 8; min/max-decimated) and a paged table.
 * The header is sent as soon as it is read, the plot when the data has been streamed through;
 * table pages are read with readNpySlice, so a huge file is never held whole.
 */
export class NpyEditorProvider implements vscode.CustomReadonlyEditorProvider<NpyDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log?: vscode.LogOutputChannel,
  ) {}

  static register(extensionUri: vscode.Uri, log?: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(NPY_VIEW_TYPE, new NpyEditorProvider(extensionUri, log), {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  openCustomDocument(uri: vscode.Uri): NpyDocument {
    return new NpyDocument(uri);
  }

  resolveCustomEditor(document: NpyDocument, panel: vscode.WebviewPanel): void {
    const file = document.uri.fsPath;
    const webview = panel.webview;
    webview.options = webviewOptions(this.extensionUri);
    webview.html = webviewHtml(webview, this.extensionUri, 'npy', path.basename(file));
    const post = (m: NpyToWebview) => void webview.postMessage(m);
    const abort = new AbortController();
    let header: NpyHeader | undefined;
    const sub = webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isNpyMessage(message)) return;
      try {
        if (message.type === 'ready') {
          const t0 = performance.now();
          header = await readNpyHeader(file);
          const headerMs = performance.now() - t0;
          post({ type: 'header', header: headerView(file, header), headerMs });
          if (header.truncated) {
            post({ type: 'error', scope: 'file', message: `${file}: truncated: the header promises ${header.byteLength.toLocaleString('en-US')} data bytes, the file has ${Math.max(0, header.fileSize - header.dataOffset).toLocaleString('en-US')} — copy or download the file again` });
            return;
          }
          const preview = await this.preview(file, header, abort.signal);
          post(preview);
          this.log?.info(`npy preview of ${path.basename(file)}: header ${headerMs.toFixed(1)} ms, plot ${preview.type === 'preview' ? preview.previewMs.toFixed(0) : '?'} ms`);
          return;
        }
        header ??= await readNpyHeader(file);
        const slice = await readNpySlice(file, { start: message.offset, count: Math.min(message.limit, 1000) }, { int64: 'bigint' });
        const width = slice.shape.slice(1).reduce((a, b) => a * b, 1);
        const shown = Math.min(width, MAX_TABLE_COLUMNS);
        const rows: string[][] = [];
        const data = slice.data as ArrayLike<number | bigint>;
        const rowCount = slice.shape.length === 0 ? 1 : slice.count;
        for (let r = 0; r < rowCount; r++) {
          const row: string[] = [];
          for (let c = 0; c < shown; c++) row.push(formatCell(data[r * width + c], slice.dtype.kind));
          rows.push(row);
        }
        post({ type: 'page', offset: slice.start, rows, columns: shown });
      } catch (err) {
        const text = errorMessage(err);
        post({ type: 'error', message: text, scope: message.type === 'ready' ? 'file' : 'page' });
      }
    });
    panel.onDidDispose(() => {
      abort.abort();
      sub.dispose();
    });
  }

  /** Stats of every value and a decimated plot: whole-file read when small, streamed otherwise. */
  private async preview(file: string, h: NpyHeader, signal: AbortSignal): Promise<NpyToWebview> {
    const t0 = performance.now();
    const rows = h.shape.length === 0 ? 1 : (h.shape[0] as number);
    const width = h.shape.slice(1).reduce((a, b) => a * b, 1);
    const columns = h.shape.length === 2 ? Array.from({ length: Math.min(width, MAX_LINES) }, (_, i) => i) : h.shape.length === 1 ? [0] : [0];
    const label = (c: number) => (h.shape.length === 2 ? `[:, ${c}]` : h.shape.length > 2 ? '[:, 0…]' : path.basename(file, '.npy'));
    const plotted = h.shape.length > 0 && h.count > 0;
    if (h.byteLength <= READ_WHOLE_BYTES) {
      const array = await readNpy(file, { int64: 'number' });
      const traces: TraceView[] = plotted ? columns.map((c) => traceOf(label(c), decimate(width === 1 ? array.data : npyColumn(array, c), PLOT_BUCKETS))) : [];
      return { type: 'preview', stats: statsOf(array.data), plot: plotted ? plotView(traces, rows) : null, previewMs: performance.now() - t0, columnsPlotted: plotted ? columns : [] };
    }
    // Streamed: the first pass gives the stats and column 0; further columns (2-D only) one pass each, up to 4.
    const first = await previewNpy(file, { buckets: PLOT_BUCKETS, column: 0, signal });
    const traces: TraceView[] = first.plot ? [traceOf(label(0), first.plot)] : [];
    const extra = columns.slice(1, 4);
    for (const c of extra) {
      const p = await previewNpy(file, { buckets: PLOT_BUCKETS, column: c, signal });
      if (p.plot) traces.push(traceOf(label(c), p.plot));
    }
    const used = [0, ...extra].slice(0, traces.length);
    return { type: 'preview', stats: statsView(first.stats), plot: traces.length ? plotView(traces, rows) : null, previewMs: performance.now() - t0, columnsPlotted: used };
  }
}

function plotView(traces: TraceView[], rows: number): PlotView {
  return { xLabel: 'index', traces, length: rows, decimated: rows > PLOT_BUCKETS };
}

function headerView(file: string, h: NpyHeader): NpyHeaderView {
  return {
    fileName: path.basename(file),
    dtype: h.dtype.name,
    descr: h.dtype.descr,
    shape: h.shape,
    order: h.fortranOrder ? 'Fortran' : 'C',
    count: h.count,
    byteLength: h.byteLength,
    fileSize: h.fileSize,
    version: h.version,
    rows: h.shape.length === 0 ? 1 : (h.shape[0] as number),
    width: h.shape.slice(1).reduce((a, b) => a * b, 1),
  };
}

function formatCell(v: number | bigint | undefined, kind: string): string {
  if (kind === 'b' && typeof v === 'number') return v ? 'True' : 'False';
  return formatValue(v);
}

import * as vscode from 'vscode';
import type { NpyArray } from '../core/npy';
import { type AlfObject, ExpressionError, evaluateExpression, type SeriesSource } from '../core/one';
import { webviewHtml, webviewOptions } from './html';
import { type AttributeView, type ObjectInfoView, type ObjectToWebview, isObjectMessage } from '../protocol/local';
import { PLOT_BUCKETS, formatValue, statsOf, traceOfValues } from './plotData';
import { errorMessage } from '../core/util/errors';

export const OBJECT_VIEW_TYPE = 'alf.objectView';

/** Columns of a 2-D attribute plotted (and offered to expressions) at most. */
const MAX_COLUMNS = 8;

/** Where an object comes from, and how to read it again. */
export interface ObjectSource {
  /** 'lab/Subjects/subject/date/number' or the folder: the panel's subtitle. */
  session: string;
  object: string;
  collection: string | null;
  load(): Promise<AlfObject>;
}

/** The expression the view starts with, when the object has both attributes. */
const DEFAULT_EXPRESSION: [string, string[]] = ['feedback_times - goCue_times', ['feedback_times', 'goCue_times']];

/**
 * ALF: Open ALF Object…: one object's attributes side by side (dtype, shape, stats, a plot each),
 * a table of rows × attributes, and a derived series typed as an expression
 * (`feedback_times - goCue_times`) plotted against the row (trial) index. The arrays stay here;
 * the page gets decimated traces and table pages.
 */
export class ObjectPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private object: Promise<AlfObject> | undefined;
  private series: Record<string, SeriesSource> = {};
  private expression = '';

  static show(extensionUri: vscode.Uri, source: ObjectSource): ObjectPanel {
    const title = `${source.object}${source.collection ? ` (${source.collection})` : ''} · ${source.session.split('/').slice(-3).join('/')}`;
    const panel = vscode.window.createWebviewPanel(OBJECT_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      ...webviewOptions(extensionUri),
      // The arrays are re-read when the page comes back; the expression is kept in page state.
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'alf-activitybar.svg');
    return new ObjectPanel(panel, extensionUri, source);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: ObjectSource,
  ) {
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'object', `ALF object ${source.object}`);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private post(message: ObjectToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isObjectMessage(message)) return;
    try {
      if (message.type === 'ready') {
        const t0 = performance.now();
        this.object ??= this.source.load();
        const obj = await this.object;
        const info = this.info(obj, performance.now() - t0);
        const names = info.attributes.flatMap((a) => a.names);
        const [expr, needs] = DEFAULT_EXPRESSION;
        this.expression ||= needs.every((n) => names.includes(n)) ? expr : (names[0] ?? '');
        this.post({ type: 'info', info, expression: this.expression });
        if (this.expression) this.evaluate(this.expression);
        return;
      }
      const obj = await (this.object ??= this.source.load());
      if (message.type === 'expression') this.evaluate(message.text);
      else this.page(obj, message.offset, Math.min(message.limit, 1000));
    } catch (err) {
      this.post({ type: 'error', message: errorMessage(err) });
    }
  }

  private info(obj: AlfObject, loadMs: number): ObjectInfoView {
    const attributes: AttributeView[] = [];
    this.series = {};
    let rows = 0;
    for (const [name, array] of Object.entries(obj.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const a = numeric(array);
      const n = a.shape.length === 0 ? 1 : (a.shape[0] as number);
      const width = a.shape.slice(1).reduce((p, q) => p * q, 1);
      rows = Math.max(rows, n);
      const names: string[] = [];
      const traces = [];
      if (a.shape.length <= 1) {
        this.series[name] = a;
        names.push(name);
        if (a.shape.length === 1) traces.push(traceOfValues(name, a.data as Float64Array));
      } else if (a.shape.length === 2) {
        this.series[name] = a;
        for (let c = 0; c < Math.min(width, MAX_COLUMNS); c++) {
          const col = new Float64Array(n);
          for (let i = 0; i < n; i++) col[i] = a.data[i * width + c] as number;
          names.push(`${name}[${c}]`);
          traces.push(traceOfValues(`[${c}]`, col));
        }
      }
      attributes.push({
        name,
        dtype: array.dtype.name,
        shape: array.shape,
        stats: statsOf(a.data as Float64Array),
        plot: traces.length ? { xLabel: 'index', traces, length: n, decimated: n > PLOT_BUCKETS } : null,
        names,
      });
    }
    const other = Object.entries(obj.other).map(([name, c]) => ({ name, kind: c.kind }));
    return { object: obj.object, collection: obj.collection, session: this.source.session, rows, attributes, other, warnings: obj.warnings, loadMs };
  }

  private evaluate(text: string): void {
    this.expression = text;
    try {
      const values = evaluateExpression(text, this.series);
      this.post({
        type: 'expression',
        text,
        plot: { xLabel: 'trial', traces: [traceOfValues(text, values)], length: values.length, decimated: values.length > PLOT_BUCKETS },
        stats: statsOf(values),
      });
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      this.post({ type: 'expressionError', text, message: err.message });
    }
  }

  private page(obj: AlfObject, offset: number, limit: number): void {
    const columns: string[] = [];
    const getters: ((i: number) => string)[] = [];
    for (const [name, array] of Object.entries(obj.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const n = array.shape.length === 0 ? 1 : (array.shape[0] as number);
      const width = array.shape.slice(1).reduce((p, q) => p * q, 1);
      const data = array.data as ArrayLike<number | bigint>;
      if (array.shape.length > 2) continue;
      for (let c = 0; c < Math.min(width, MAX_COLUMNS); c++) {
        columns.push(array.shape.length === 2 ? `${name}[${c}]` : name);
        getters.push((i) => (i < n ? formatValue(data[i * width + c]) : ''));
      }
    }
    const rows: string[][] = [];
    const total = Math.max(0, ...Object.values(obj.attributes).map((a) => (a.shape.length === 0 ? 1 : (a.shape[0] as number))));
    for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push(getters.map((g) => g(i)));
    this.post({ type: 'page', offset, columns, rows });
  }
}

/** 64-bit integers as doubles (exact to 2^53) so that every attribute can be plotted and combined. */
function numeric(a: NpyArray): { shape: number[]; data: ArrayLike<number> } {
  if (a.data instanceof BigInt64Array || a.data instanceof BigUint64Array) return { shape: a.shape, data: Float64Array.from(a.data, Number) };
  return { shape: a.shape, data: a.data as ArrayLike<number> };
}

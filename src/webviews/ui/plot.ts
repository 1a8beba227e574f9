/**
 * Line plots with uPlot (bundled; canvas drawing, no inline scripts or styles, so it runs under
 * the webviews' strict CSP; its stylesheet comes from dist/webview.css). Colours are the theme's
 * chart colours, read from VS Code's CSS variables when the plot is made.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PlotView, StatsView } from '../../protocol/local.js';
import { el, formatCount } from './vscodeApi.js';

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#f14c4c', '#b180d7', '#cca700'];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** uPlot's aligned data from traces that each have their own x: the union of x, gaps kept as gaps. */
function aligned(view: PlotView): uPlot.AlignedData {
  const tables = view.traces.map((t) => [t.x, t.y] as unknown as uPlot.AlignedData);
  if (tables.length === 1) return tables[0] as uPlot.AlignedData;
  // null (a bucket of NaNs) stays a gap; x values only another trace has are skipped (undefined).
  return uPlot.join(tables, view.traces.map(() => [1]));
}

/** A plot that follows its container's width. Returns the element holding it. */
export function plotElement(view: PlotView, options: { height?: number; id?: string; legend?: boolean } = {}): HTMLElement {
  const box = el('div', { class: 'plot', ...(options.id ? { id: options.id } : {}) });
  const fg = cssVar('--vscode-descriptionForeground', '#999');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  const font = `${cssVar('--vscode-font-size', '12px')} ${cssVar('--vscode-font-family', 'sans-serif')}`;
  // Compact tick labels (1.5M, 200k) so that long index axes do not run together.
  const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 });
  const ticks = (_: uPlot, splits: number[]) => splits.map((v) => (v === null || v === undefined ? '' : Math.abs(v) >= 10000 ? compact.format(v) : String(Number(v.toPrecision(6)))));
  const axis = (label: string): uPlot.Axis => ({ stroke: fg, grid: { stroke: grid, width: 0.5 }, ticks: { stroke: grid, width: 0.5 }, font, labelFont: font, label, labelSize: label ? 20 : 0, values: ticks, space: 50 });
  const opts: uPlot.Options = {
    width: 600,
    height: options.height ?? 260,
    legend: { show: options.legend ?? view.traces.length > 1 },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: false } },
    axes: [axis(view.xLabel), axis('')],
    series: [
      { label: view.xLabel },
      ...view.traces.map((t, i) => ({
        label: t.label,
        stroke: cssVar(PALETTE[i % PALETTE.length] as string, FALLBACK[i % FALLBACK.length] as string),
        width: 1.25,
        points: { show: t.x.length <= 60 },
      })),
    ],
  };
  const chart = new uPlot(opts, aligned(view), box);
  // The element is sized once it is in the page; then it follows the width of its container.
  const fit = () => {
    const w = Math.floor(box.clientWidth);
    if (w > 0 && Math.abs(w - chart.width) > 1) chart.setSize({ width: w, height: options.height ?? 260 });
  };
  new ResizeObserver(fit).observe(box);
  requestAnimationFrame(fit);
  if (view.decimated) box.append(el('p', { class: 'muted plot-note' }, `${formatCount(view.length)} samples, drawn as the min and max of ${formatCount(view.traces[0]?.x.length ?? 0)} points (zoom: drag across; double-click to reset)`));
  return box;
}

export function formatNumber(v: number | null): string {
  if (v === null) return '—';
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return formatCount(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e9) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
}

/** min / max / mean / NaN count as a small definition table. */
export function statsTable(s: StatsView, id?: string): HTMLElement {
  const row = (k: string, v: string) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v));
  return el(
    'table',
    { class: 'kv stats', ...(id ? { id } : {}) },
    el('tbody', {}, row('min', formatNumber(s.min)), row('max', formatNumber(s.max)), row('mean', formatNumber(s.mean)), row('NaN', formatCount(s.nanCount)), row('values', formatCount(s.count))),
  );
}

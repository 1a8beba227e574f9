/**
 * Arrays → what the webviews draw: min/max-decimated traces (at most ~2 points per bucket, so a
 * plot of millions of samples stays a few thousand points and keeps its spikes) and stats.
 * No `vscode` here: the conversions are plain data work.
 */
import { type Decimated, type NpyStats, type NumericArray, decimate, npyStats } from '../core/npy';
import type { StatsView, TraceView } from '../protocol/local';

export const PLOT_BUCKETS = 2000;

/** A decimated series as points in index order: each bucket's min and max, NaN buckets as gaps. */
export function traceOf(label: string, d: Decimated): TraceView {
  const x: number[] = [];
  const y: (number | null)[] = [];
  const n = d.min.length;
  for (let b = 0; b < n; b++) {
    const i0 = d.minIndex[b] as number;
    const i1 = d.maxIndex[b] as number;
    if (i0 < 0) {
      x.push(d.start[b] as number);
      y.push(null);
    } else if (i0 === i1) {
      x.push(i0);
      y.push(d.min[b] as number);
    } else if (i0 < i1) {
      x.push(i0, i1);
      y.push(d.min[b] as number, d.max[b] as number);
    } else {
      x.push(i1, i0);
      y.push(d.max[b] as number, d.min[b] as number);
    }
  }
  return { label, x, y };
}

export function traceOfValues(label: string, values: NumericArray, buckets = PLOT_BUCKETS): TraceView {
  return traceOf(label, decimate(values, buckets));
}

export function statsView(s: NpyStats): StatsView {
  return { count: s.count, nanCount: s.nanCount, min: s.min, max: s.max, mean: s.mean };
}

export function statsOf(values: NumericArray): StatsView {
  return statsView(npyStats(values));
}

/** A table cell: integers as they are, floats to 6 significant digits (NumPy's default print). */
export function formatValue(v: number | bigint | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return v.toExponential(5);
  return String(Number(v.toPrecision(6)));
}

import type { ProgressEvent } from '../core/progress';

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * A one-line progress display on a terminal; silent when the stream is not a TTY, so piped
 * output stays clean. Redraws at most ten times a second.
 */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;
  private readonly started = Date.now();
  private phaseStarted = Date.now();
  private phase = '';

  constructor(private readonly stream: Stream, private readonly enabled = Boolean(stream.isTTY)) {}

  update(event: ProgressEvent): void {
    if (!this.enabled) return;
    if (event.phase !== this.phase) {
      this.phase = event.phase;
      this.phaseStarted = Date.now();
    }
    const now = Date.now();
    if (now - this.lastDraw < 100 && !(event.total !== undefined && event.done >= event.total)) return;
    this.lastDraw = now;
    const width = Math.max(40, (this.stream.columns ?? 80) - 1);
    let line = `${event.phase}: ${formatAmount(event.done, event.unit)}`;
    if (event.total !== undefined && event.total > 0) {
      const fraction = Math.min(1, event.done / event.total);
      const barWidth = 20;
      const filled = Math.round(fraction * barWidth);
      line = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${event.phase}: ${formatAmount(event.done, event.unit)} / ${formatAmount(event.total, event.unit)}`;
      const elapsed = (now - this.phaseStarted) / 1000;
      if (fraction > 0.02 && fraction < 1 && elapsed > 0.5) line += ` · ETA ${formatSeconds((elapsed / fraction) * (1 - fraction))}`;
    }
    line += ` · ${formatSeconds((now - this.started) / 1000)}`;
    if (event.detail) line += ` · ${event.detail}`;
    if (line.length > width) line = `${line.slice(0, width - 1)}…`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  /** Clears the line, so the next output starts clean. */
  done(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

export function formatAmount(n: number, unit: ProgressEvent['unit']): string {
  if (unit === 'bytes') return `${(n / 1e6).toFixed(1)} MB`;
  return `${n.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

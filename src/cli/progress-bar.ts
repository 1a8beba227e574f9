import type { ProgressEvent } from '../core/progress';
import { formatBytes } from '../core/util/bytes';

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * One progress line on a terminal, silent when the stream is not a TTY so piped output stays
 * clean. Phases that run at the same time (the walk and the hashing) share the line; a phase
 * with a known total gets a bar and, once it is the only one running, an ETA. Redraws at most
 * ten times a second.
 */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;
  private readonly started = Date.now();
  private readonly phases = new Map<string, { event: ProgressEvent; since: number }>();

  constructor(private readonly stream: Stream, private readonly enabled = Boolean(stream.isTTY)) {}

  update(event: ProgressEvent): void {
    if (!this.enabled) return;
    const now = Date.now();
    const known = this.phases.get(event.phase);
    this.phases.set(event.phase, { event, since: known?.since ?? now });
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(now);
  }

  /** Clears the line, so the next output starts clean. */
  done(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(now: number): void {
    const running = [...this.phases.values()].filter(({ event }) => event.total === undefined || event.done < event.total);
    const shown = running.length > 0 ? running : [...this.phases.values()].slice(-1);
    const parts = shown.map(({ event, since }) => `${this.describe(event, since, now, shown.length)}${event.detail ? ` · ${event.detail}` : ''}`);
    let line = `${parts.join(' · ')} · ${formatSeconds((now - this.started) / 1000)}`;
    const width = Math.max(40, (this.stream.columns ?? 80) - 1);
    if (line.length > width) line = `${line.slice(0, width - 1)}…`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  private describe(event: ProgressEvent, since: number, now: number, phasesShown: number): string {
    const scanning = this.phases.get('scan');
    const totalFinal = event.phase !== 'hash' || (scanning !== undefined && scanning.event.done === scanning.event.total);
    if (event.total === undefined || event.total <= 0) return `${event.phase}: ${formatAmount(event.done, event.unit)}`;
    if (!totalFinal) return `${event.phase}: ${formatAmount(event.done, event.unit)} of ${formatAmount(event.total, event.unit)} found so far`;
    const fraction = Math.min(1, event.done / event.total);
    const filled = Math.round(fraction * 20);
    let text = `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${event.phase}: ${formatAmount(event.done, event.unit)} / ${formatAmount(event.total, event.unit)}`;
    const elapsed = (now - since) / 1000;
    if (phasesShown === 1 && fraction > 0.02 && fraction < 1 && elapsed > 0.5) text += ` · ETA ${formatSeconds((elapsed / fraction) * (1 - fraction))}`;
    return text;
  }
}

export function formatAmount(n: number, unit: ProgressEvent['unit']): string {
  if (unit === 'bytes') return formatBytes(n);
  return `${n.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

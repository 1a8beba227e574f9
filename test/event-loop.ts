/**
 * How long the event loop was held, for the tests and benchmarks that promise a responsive
 * thread. Two measures: monitorEventLoopDelay's wall time (what a user feels, but it grows when
 * a loaded machine leaves the process waiting for a core), and the CPU time between two runs of
 * a 1 ms timer (what the code itself held the thread for, whatever the load).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface Turns {
  /** The longest wait of the event loop, wall time (ms). */
  maxMs: number;
  /** Its 99th percentile (ms). */
  p99Ms: number;
  /** The most CPU time of this thread between two runs of a 1 ms timer (ms): the longest turn, load aside. */
  cpuMaxMs: number;
  /**
   * The turns that held the thread for at least `longTurnMs` of CPU (the 200 longest), with when
   * they ran on the monotonic clock V8's CPU profiles use (µs), so a profile can be read turn by turn.
   */
  long: LongTurn[];
}

export interface LongTurn {
  /** When the 1 ms timer last ran before the turn, and when it ran again (µs, CLOCK_MONOTONIC). */
  startUs: number;
  endUs: number;
  wallMs: number;
  cpuMs: number;
}

const KEEP_LONG = 200;

/**
 * This thread's CPU time where Node has it (`process.threadCpuUsage`, Node 23.9 and later), else the process's
 * (all threads: GC helpers, and in an extension host the worker threads of every extension).
 */
const cpuUsage: () => NodeJS.CpuUsage = (() => {
  const thread = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  return thread ? () => thread.call(process) : () => process.cpuUsage();
})();

/** Microseconds on the clock of V8's profiles (process.hrtime is CLOCK_MONOTONIC too). */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

export function measureTurns(options: { longTurnMs?: number } = {}): { stop(): Turns } {
  const longTurnMs = options.longTurnMs ?? 20;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let last = cpuUsage();
  let lastUs = monotonicUs();
  let cpuMax = 0;
  const long: LongTurn[] = [];
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = cpuUsage();
    const nowUs = monotonicUs();
    const cpuMs = (now.user - last.user + now.system - last.system) / 1000;
    cpuMax = Math.max(cpuMax, cpuMs);
    if (cpuMs >= longTurnMs) {
      long.push({ startUs: lastUs, endUs: nowUs, wallMs: (nowUs - lastUs) / 1000, cpuMs });
      if (long.length > KEEP_LONG) long.sort((a, b) => b.cpuMs - a.cpuMs).pop();
    }
    last = now;
    lastUs = nowUs;
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return {
    stop() {
      clearTimeout(timer);
      delay.disable();
      return { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, cpuMaxMs: cpuMax, long: long.sort((a, b) => a.startUs - b.startUs) };
    },
  };
}

/** `longest turn 12 ms (9 ms of CPU), p99 4.1 ms` */
export function describeTurns(t: Pick<Turns, 'maxMs' | 'p99Ms' | 'cpuMaxMs'>): string {
  return `longest turn ${t.maxMs.toFixed(0)} ms (${t.cpuMaxMs.toFixed(0)} ms of CPU), p99 ${t.p99Ms.toFixed(1)} ms`;
}

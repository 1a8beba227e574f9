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
}

/**
 * This thread's CPU time where Node has it (`process.threadCpuUsage`, Node 23.9 and later), else the process's
 * (all threads: GC helpers, and in an extension host the worker threads of every extension).
 */
const cpuUsage: () => NodeJS.CpuUsage = (() => {
  const thread = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  return thread ? () => thread.call(process) : () => process.cpuUsage();
})();

export function measureTurns(): { stop(): Turns } {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let last = cpuUsage();
  let cpuMax = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = cpuUsage();
    cpuMax = Math.max(cpuMax, (now.user - last.user + now.system - last.system) / 1000);
    last = now;
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return {
    stop() {
      clearTimeout(timer);
      delay.disable();
      return { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, cpuMaxMs: cpuMax };
    },
  };
}

/** `longest turn 12 ms (9 ms of CPU), p99 4.1 ms` */
export function describeTurns(t: Turns): string {
  return `longest turn ${t.maxMs.toFixed(0)} ms (${t.cpuMaxMs.toFixed(0)} ms of CPU), p99 ${t.p99Ms.toFixed(1)} ms`;
}

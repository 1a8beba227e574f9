/**
 * `alf status` speed, requests and event-loop blocking against the test Alyx server on
 * loopback: every session of the tree registered (seeded from a fixture, not posted), no
 * hashes unless --hash.
 *   node --import tsx scripts/bench-status.ts [--sessions 200] [--subjects 4] [--files 15] [--tree DIR] [--hash] [--rounds 3] [--slice-ms 10] [--profile FILE]
 * Without --tree it generates `sessions` sessions over `subjects` subjects; with --tree (e.g. the
 * 4,930-session tree of ../shared/tools/make-alf-tree.mjs) it uses that tree as it is.
 *
 * The server runs in a child process (test/alyx-server/tree-server-main.ts), as a real Alyx runs on
 * another machine, so the event-loop figures are this process's own: the longest turn and the
 * 99th percentile of monitorEventLoopDelay, for each round in time slices (`--slice-ms`, the
 * default of alyxStatus) and for one round without (`sliceMs: Infinity`, the code before slices).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AlyxClient } from '../src/core/alyx/client';
import { alyxStatus } from '../src/core/status';
import { describeTurns, measureTurns, type Turns } from '../test/event-loop';
import { startTreeServerProcess } from '../test/alyx-server/tree-server-process';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const treeArg = argv.indexOf('--tree') >= 0 ? argv[argv.indexOf('--tree') + 1] : undefined;
const ATTRIBUTES = ['intervals', 'choice', 'feedbackType', 'contrastLeft', 'contrastRight', 'probabilityLeft', 'rewardVolume', 'stimOn_times', 'goCue_times', 'response_times', 'feedback_times', 'firstMovement_times', 'included', 'quiescencePeriod', 'table'];

async function generate(root: string, sessions: number, subjects: number, files: number): Promise<void> {
  for (let i = 0; i < sessions; i++) {
    const subject = `SUBJ_${String(i % subjects).padStart(3, '0')}`;
    const day = Math.floor(i / subjects);
    const date = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
    const dir = path.join(root, 'benchlab', 'Subjects', subject, date, '001', 'alf');
    await fs.mkdir(dir, { recursive: true });
    for (let f = 0; f < files; f++) await fs.writeFile(path.join(dir, `_ibl_trials.${ATTRIBUTES[f % ATTRIBUTES.length]}${f >= ATTRIBUTES.length ? `_${f}` : ''}.npy`), Buffer.alloc(64 + f));
  }
}

/** `--profile FILE`: a CPU profile of the last round, to find what holds a turn. */
async function profiler(): Promise<{ stop(file: string): Promise<void> }> {
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      await fs.writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'alf-bench-status-'));
  const root = treeArg ? path.resolve(treeArg) : path.join(tmp, 'data');
  if (!treeArg) await generate(root, option('sessions', 200), option('subjects', 4), option('files', 15));
  const server = await startTreeServerProcess(path.resolve(__dirname, '..'), root);
  const { ready } = server;
  console.log(`${ready.sessions} sessions, ${ready.subjects} subjects, ${ready.files} files; server (another process) holds ${ready.datasets} datasets; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const sliceMs = option('slice-ms', 10);
  const rounds = [Infinity, ...Array.from({ length: option('rounds', 3) }, () => sliceMs)];
  const sliced: Array<{ ms: number } & Turns> = [];
  try {
    for (const [round, slice] of rounds.entries()) {
      server.reset();
      const profileFile = argv.indexOf('--profile') >= 0 && round === rounds.length - 1 ? argv[argv.indexOf('--profile') + 1] : undefined;
      const profile = profileFile ? await profiler() : undefined;
      const turns = measureTurns();
      const started = performance.now();
      const client = new AlyxClient({ baseUrl: ready.url, username: ready.username, token: ready.token, retry: { baseDelayMs: 5, maxDelayMs: 2000 } });
      const result = await alyxStatus({ roots: [root] }, client, { hash: argv.includes('--hash'), sliceMs: slice });
      const ms = performance.now() - started;
      const t = turns.stop();
      if (profile && profileFile) await profile.stop(profileFile);
      if (slice !== Infinity) sliced.push({ ms, ...t });
      const stats = await server.stats();
      const states = new Map<string, number>();
      for (const s of result.sessions) for (const f of s.files) states.set(f.state, (states.get(f.state) ?? 0) + 1);
      const registered = result.sessions.filter((s) => s.state === 'registered').length;
      console.log(`${slice === Infinity ? 'without slices' : `round ${round}, ${slice} ms slices`}: ${ms.toFixed(0)} ms, ${result.requests} requests (server saw ${stats.requests}, at most ${stats.maxInFlight} at once); ` +
        `event loop: ${describeTurns(t)}; ${registered}/${result.sessions.length} sessions registered; files ${JSON.stringify(Object.fromEntries(states))}; load ${os.loadavg()[0]?.toFixed(2)}`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const turnsOf = { maxMs: median(sliced.map((r) => r.maxMs)), cpuMaxMs: median(sliced.map((r) => r.cpuMaxMs)), p99Ms: median(sliced.map((r) => r.p99Ms)) };
    console.log(`in slices, median of ${sliced.length}: ${median(sliced.map((r) => r.ms)).toFixed(0)} ms, ${describeTurns(turnsOf)}`);
  } finally {
    server.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

void main();

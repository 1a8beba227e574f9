/**
 * `alf status` speed and requests against the test Alyx server on loopback: every session of
 * the tree registered (seeded from a fixture, not posted), no hashes unless --hash.
 *   node --import tsx scripts/bench-status.ts [--sessions 200] [--subjects 4] [--files 15] [--tree DIR] [--hash] [--rounds 3]
 * Without --tree it generates `sessions` sessions over `subjects` subjects; with --tree (e.g. the
 * 4,930-session tree of ../shared/tools/make-alf-tree.mjs) it uses that tree as it is.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { filenameParts } from '../src/core/alf';
import { listSessionFileRows } from '../src/core/registration/session-form';
import { alyxStatus, sessionsUnder } from '../src/core/status';
import { DEFAULT_DATASET_TYPES, startAlyxServer } from '../test/alyx-server';
import { loggedInClient } from '../test/alyx-server/testing';

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

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'alf-bench-status-'));
  const root = treeArg ? path.resolve(treeArg) : path.join(tmp, 'data');
  if (!treeArg) await generate(root, option('sessions', 200), option('subjects', 4), option('files', 15));
  const local = await sessionsUnder([root]);
  const labs = [...new Set(local.map((s) => s.lab ?? 'nolab'))];
  const subjects = [...new Map(local.map((s) => [s.subject, s.lab ?? 'nolab'])).entries()];
  // Every object.attribute of the tree gets a dataset type, so that every file is registrable.
  const known = new Set(DEFAULT_DATASET_TYPES.map((d) => d.name));
  const types = new Set<string>();
  const rowsBySession = new Map<string, Array<{ rel: string; size: number }>>();
  for (const s of local) {
    const rows = await listSessionFileRows(s.absPath);
    rowsBySession.set(s.absPath, rows);
    for (const r of rows) {
      const p = filenameParts(path.posix.basename(r.rel));
      if (p.object && p.attribute) types.add(`${p.object}.${p.attribute}`);
    }
  }
  const server = await startAlyxServer({
    labs: labs.map((name) => ({ name, repositories: [] })),
    subjects: subjects.map(([nickname, lab]) => ({ nickname, lab })),
    datasetTypes: [...DEFAULT_DATASET_TYPES.filter((d) => !d.filename_pattern), ...[...types].filter((t) => !known.has(t) || true).map((name) => ({ name, filename_pattern: '' }))]
      .filter((d, i, all) => all.findIndex((x) => x.name === d.name) === i),
  });
  for (const s of local) {
    const eid = randomUUID();
    server.state.sessions.push({
      id: eid, subject: s.subject, users: ['test_user'], lab: s.lab, number: s.number, start_time: `${s.date}T09:00:00`, end_time: null, type: 'Experiment',
      task_protocol: '', procedures: [], projects: [], location: null, n_trials: null, n_correct_trials: null, json: null, narrative: '',
    });
    for (const r of rowsBySession.get(s.absPath) ?? []) {
      const dir = path.posix.dirname(r.rel);
      server.state.datasets.push({
        id: randomUUID(), session: eid, name: path.posix.basename(r.rel), collection: dir === '.' ? '' : dir, revision: '', dataset_type: '', data_format: 'npy',
        hash: '', file_size: r.size, version: '', default_dataset: true, qc: 0, protected: false, created_by: 'test_user', created_datetime: '2024-01-01T00:00:00',
        file_records: [{ id: randomUUID(), data_repository: 'flatiron', relative_path: `${s.subject}/${s.date}/001/${r.rel}`, exists: true }],
      });
    }
  }
  const files = [...rowsBySession.values()].reduce((n, r) => n + r.length, 0);
  console.log(`${local.length} sessions, ${subjects.length} subjects, ${files} files; server holds ${server.state.datasets.length} datasets`);
  const times: number[] = [];
  try {
    for (let round = 0; round < option('rounds', 3); round++) {
      server.resetStats();
      // The longest the event loop was blocked (the in-process server's answers included, so an upper bound).
      const lag = monitorEventLoopDelay({ resolution: 5 });
      lag.enable();
      const started = performance.now();
      const result = await alyxStatus({ roots: [root] }, loggedInClient(server), { hash: argv.includes('--hash') });
      const ms = performance.now() - started;
      lag.disable();
      times.push(ms);
      const states = new Map<string, number>();
      for (const s of result.sessions) for (const f of s.files) states.set(f.state, (states.get(f.state) ?? 0) + 1);
      const registered = result.sessions.filter((s) => s.state === 'registered').length;
      console.log(`round ${round + 1}: ${ms.toFixed(0)} ms, ${result.requests} requests (server saw ${server.requests.length}, at most ${server.maxInFlight} at once; event loop blocked at most ${(lag.max / 1e6).toFixed(0)} ms); ${registered}/${result.sessions.length} sessions registered; files ${JSON.stringify(Object.fromEntries(states))}`);
    }
    times.sort((a, b) => a - b);
    console.log(`median ${times[Math.floor(times.length / 2)]?.toFixed(0)} ms`);
  } finally {
    await server.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

void main();

/**
 * The test Alyx server for `scripts/bench-status.ts`, in a process of its own: a real Alyx is
 * another machine, so the time it spends filtering and serialising lists must not count as the
 * client blocking its own event loop. Every session under the tree is registered with all its
 * files (seeded, not posted). Started with fork(); talks over the IPC channel:
 *   → { type: 'ready', url, username, token, sessions, subjects, files, datasets }
 *   ← { type: 'reset' } / { type: 'stats' } → { type: 'stats', requests, maxInFlight }
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { filenameParts } from '../src/core/alf';
import { listSessionFileRows } from '../src/core/registration/session-form';
import { sessionsUnder } from '../src/core/status';
import { DEFAULT_DATASET_TYPES, startAlyxServer } from '../test/alyx-server';

export type BenchServerMessage =
  | { type: 'ready'; url: string; username: string; token: string; sessions: number; subjects: number; files: number; datasets: number }
  | { type: 'stats'; requests: number; maxInFlight: number };

async function main(root: string): Promise<void> {
  const local = await sessionsUnder([root]);
  const labs = [...new Set(local.map((s) => s.lab ?? 'nolab'))];
  const subjects = [...new Map(local.map((s) => [s.subject, s.lab ?? 'nolab'])).entries()];
  // Every object.attribute of the tree gets a dataset type, so that every file is registrable.
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
    datasetTypes: [...DEFAULT_DATASET_TYPES.filter((d) => !d.filename_pattern), ...[...types].map((name) => ({ name, filename_pattern: '' }))]
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
  const username = server.state.users[0]?.username ?? 'test_user';
  const send = (m: BenchServerMessage) => process.send?.(m);
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'reset') server.resetStats();
    if (m.type === 'stats') send({ type: 'stats', requests: server.requests.length, maxInFlight: server.maxInFlight });
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  send({
    type: 'ready', url: server.url, username, token: server.tokenFor(username), sessions: local.length, subjects: subjects.length,
    files: [...rowsBySession.values()].reduce((n, r) => n + r.length, 0), datasets: server.state.datasets.length,
  });
}

void main(path.resolve(process.argv[2] ?? '.'));

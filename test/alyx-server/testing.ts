/** Helpers for tests that talk to the test server: temp folders with real files, logged-in clients. */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filenameParts } from '../../src/core/alf';
import { AlyxClient } from '../../src/core/alyx/client';
import { listSessionFileRows } from '../../src/core/registration/session-form';
import { sessionsUnder } from '../../src/core/status/status';
import { type AlyxServerOptions, type AlyxTestServer, startAlyxServer } from './server';
import { DEFAULT_DATASET_TYPES } from './state';

export async function tempDir(prefix = 'alf-alyx-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes `files` (relative path → content) under `dir`; returns their absolute paths in order. */
export async function writeFiles(dir: string, files: Record<string, string | Buffer>): Promise<string[]> {
  const out: string[] = [];
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, content);
    out.push(full);
  }
  return out;
}

export async function md5Of(file: string): Promise<string> {
  return createHash('md5').update(await fs.readFile(file)).digest('hex');
}

/** A client holding a valid token for `username` (default: the first user), retrying fast. */
export function loggedInClient(server: AlyxTestServer, username?: string): AlyxClient {
  const user = username ?? server.state.users[0]?.username;
  return new AlyxClient({ baseUrl: server.url, username: user, token: server.tokenFor(user), retry: { baseDelayMs: 5, maxDelayMs: 2000 } });
}

/** Creates a session directly in the server's state (as if made earlier by someone else). */
export function seedSession(server: AlyxTestServer, subject: string, date: string, number: number, extra: Record<string, unknown> = {}): string {
  const id = crypto.randomUUID();
  const lab = server.state.subjects.find((s) => s.nickname === subject)?.lab ?? null;
  server.state.sessions.push({
    id, subject, users: [server.state.users[0]?.username ?? ''], lab, number, start_time: `${date}T00:00:00`, end_time: null, type: 'Experiment',
    task_protocol: '', procedures: [], projects: [], location: null, n_trials: null, n_correct_trials: null, json: null, narrative: '', ...extra,
  });
  return id;
}

/**
 * A server on which every session under `root` is registered with all its files at their
 * sizes (seeded, not posted): every lab, subject and `object.attribute` of the tree is known.
 */
export async function startServerForTree(root: string, options: AlyxServerOptions = {}): Promise<{ server: AlyxTestServer; sessions: number; subjects: number; files: number }> {
  const local = await sessionsUnder([root]);
  const labs = [...new Set(local.map((s) => s.lab ?? 'nolab'))];
  const subjects = [...new Map(local.map((s) => [s.subject, s.lab ?? 'nolab'])).entries()];
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
    ...options,
  });
  const user = server.state.users[0]?.username ?? 'test_user';
  for (const s of local) {
    const eid = crypto.randomUUID();
    const number = String(s.number).padStart(3, '0');
    server.state.sessions.push({
      id: eid, subject: s.subject, users: [user], lab: s.lab, number: s.number, start_time: `${s.date}T09:00:00`, end_time: null, type: 'Experiment',
      task_protocol: '', procedures: [], projects: [], location: null, n_trials: null, n_correct_trials: null, json: null, narrative: '',
    });
    for (const r of rowsBySession.get(s.absPath) ?? []) {
      const dir = path.posix.dirname(r.rel);
      server.state.datasets.push({
        id: crypto.randomUUID(), session: eid, name: path.posix.basename(r.rel), collection: dir === '.' ? '' : dir, revision: '', dataset_type: '', data_format: 'npy',
        hash: '', file_size: r.size, version: '', default_dataset: true, qc: 0, protected: false, created_by: user, created_datetime: '2024-01-01T00:00:00',
        file_records: [{ id: crypto.randomUUID(), data_repository: 'flatiron', relative_path: `${s.subject}/${s.date}/${number}/${r.rel}`, exists: true }],
      });
    }
  }
  return { server, sessions: local.length, subjects: subjects.length, files: [...rowsBySession.values()].reduce((n, r) => n + r.length, 0) };
}

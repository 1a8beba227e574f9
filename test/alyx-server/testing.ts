/** Helpers for tests that talk to the test server: temp folders with real files, logged-in clients. */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AlyxClient } from '../../src/core/alyx/client';
import type { AlyxTestServer } from './server';

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

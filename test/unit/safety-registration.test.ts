/**
 * Issue 13, data safety 1 and 4: a registration that fails part-way reports every move into a
 * revision folder (and every record) it made, in text and in JSON; paths are checked before any
 * request. Real CLI (`main`, in-process), real test Alyx server with injected faults, real files.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PARAMS_DIR_ENV, RETRY_DELAY_ENV } from '../../src/core/alyx';
import { InvalidInputError, RegistrationClient, partialRegistrationOf, standingMovesOf } from '../../src/core/registration';
import { type AlyxTestServer, DEFAULT_USERS, startAlyxServer } from '../alyx-server';
import { loggedInClient, seedSession, tempDir, writeFiles } from '../alyx-server/testing';
import { alf as runAlf } from '../helpers';

const [USER] = DEFAULT_USERS as [{ username: string; password: string }];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function alf(env: NodeJS.ProcessEnv, argv: string[], stdinText = ''): Promise<Run> {
  const r = await runAlf(argv, { env, input: stdinText });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The local date ONE names revision folders after (the CLI uses the real clock). */
function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

interface JsonError {
  error: {
    message: string;
    exitCode: number;
    moves: Array<{ from: string; to: string }>;
    partial: Record<string, unknown> | null;
  };
}

describe('registration failing part-way reports every move it made (issue 13, data safety 1)', () => {
  let server: AlyxTestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let rc: RegistrationClient;
  before(async () => {
    server = await startAlyxServer();
    dir = await tempDir('alf-safety-reg-');
    // Retries after a dropped connection wait 20 ms, not ONE's 0.5-1-2 s: the same requests, 10 s less waiting.
    env = { [PARAMS_DIR_ENV]: path.join(dir, '.one'), HOME: dir, ALYX_URL: server.url, [RETRY_DELAY_ENV]: '20' };
    const login = await alf(env, ['login', '--username', USER.username, '--password-stdin'], `${USER.password}\n`);
    assert.equal(login.code, 0, login.stderr);
    rc = await RegistrationClient.create(loggedInClient(server));
  });
  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A session folder with one file registered and protected on the server, then changed on disk. */
  async function protectedFile(subject: string, date: string, rel: string): Promise<{ session: string; file: string; target: string }> {
    seedSession(server, subject, date, 1);
    const session = path.join(dir, 'data', subject, date, '001');
    const [file] = await writeFiles(session, { [rel]: 'v1' }) as [string];
    const first = await rc.registerFiles([file]);
    assert.ok(first.records[0], `${rel} was registered`);
    server.protect((d) => d.id === first.records[0]?.id);
    await fs.writeFile(file, 'v2');
    const target = path.join(session, path.dirname(rel), `#${today()}#`, path.basename(rel));
    return { session, file, target };
  }

  test('register-files --json, two sessions, connection lost after the second session\'s moves: both sessions\' moves in the JSON error', async () => {
    const a = await protectedFile('algernon', '2024-03-01', 'alf/_ibl_trials.choice.npy');
    const b = await protectedFile('KS005', '2024-03-01', 'alf/_ibl_wheel.position.npy');
    // Session a: 403, retry OK; session b: 403, then the retry (and the client's own retries) are cut.
    server.inject({ method: 'POST', path: '/register-file', after: 3, drop: true, times: 4 });
    const r = await alf(env, ['register-files', a.file, b.file, '--json']);
    assert.equal(r.code, 4, r.stderr);
    const out = JSON.parse(r.stdout) as JsonError;
    assert.deepEqual(out.error.moves, [{ from: a.file, to: a.target }, { from: b.file, to: b.target }]);
    assert.equal(out.error.exitCode, 4);
    assert.match(out.error.message, /1 file\(s\) registered, 2 file\(s\) moved into revision folders/);
    const partial = out.error.partial as { operation: string; records: Array<{ revision: string } | null>; moves: unknown[] };
    assert.equal(partial.operation, 'registerFiles');
    assert.equal(partial.records[0]?.revision, today(), 'the first session\'s record is in the partial result');
    assert.equal(partial.records[1], null);
    assert.deepEqual(partial.moves, out.error.moves);
    assert.match(r.stderr, /^alf: .*done before it, and it stands: 1 file\(s\) registered, 2 file\(s\) moved into revision folders \(see "partial" in the JSON on stdout\)\n$/m);
    // What is reported is what is on disk.
    for (const m of out.error.moves) {
      assert.ok(!(await exists(m.from)), m.from);
      assert.equal(await fs.readFile(m.to, 'utf8'), 'v2');
    }
  });

  test('register-files in text, the server refusing the second session\'s retry: the first session\'s moves listed, the second\'s moved back', async () => {
    const a = await protectedFile('algernon', '2024-03-02', 'alf/_ibl_trials.choice.npy');
    const b = await protectedFile('KS005', '2024-03-02', 'alf/_ibl_wheel.position.npy');
    server.inject({ method: 'POST', path: '/register-file', after: 3, status: 500, body: { detail: 'database is down', status_code: 500 } });
    const r = await alf(env, ['register-files', a.file, b.file]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stdout, /^Stopped by an error\. Done before it \(this stands\):\nRegistered 1 file\(s\) before the error\.\n/);
    assert.ok(r.stdout.includes(`Moved 1 protected file(s) into revision folders:\n  ${a.file} -> ${a.target}\n`), r.stdout);
    assert.ok(r.stdout.includes(`Moved 1 file(s) back out of revision folders after the server refused them:\n  ${b.file} -> ${b.target}\n`), r.stdout);
    assert.match(r.stderr, /alf: database is down \(HTTP 500 from POST \/register-file\); done before it, and it stands: 1 file\(s\) registered, 1 file\(s\) moved into revision folders, 1 file\(s\) moved there and back \(listed above\)\n$/);
    assert.ok(await exists(a.target));
    assert.ok(await exists(b.file));
    assert.ok(!(await exists(b.target)));
  });

  test('register-session: the session is created, files moved, then the retry is refused: session and moves in the JSON error', async () => {
    const a = await protectedFile('ZM_1085', '2024-03-03', 'alf/spikes.times.npy');
    await writeFiles(a.session, { 'alf/spikes.clusters.npy': 'c' });
    // POST /register-file: 403 (protected), then the retry after the move is cut.
    server.inject({ method: 'POST', path: '/register-file', after: 1, drop: true, times: 4 });
    const r = await alf(env, ['register-session', a.session, '--json']);
    assert.equal(r.code, 4, r.stderr);
    const out = JSON.parse(r.stdout) as JsonError;
    assert.deepEqual(out.error.moves, [{ from: a.file, to: a.target }]);
    const partial = out.error.partial as { operation: string; created: boolean; session: { url: string } | null; files: { moves: unknown[] } };
    assert.equal(partial.operation, 'registerSession');
    assert.equal(partial.created, false, 'the seeded session was updated');
    assert.match(partial.session?.url ?? '', /\/sessions\/[0-9a-f-]{36}$/);
    assert.deepEqual(partial.files.moves, out.error.moves);
    assert.match(out.error.message, /1 session\(s\) created or updated, 1 file\(s\) moved into revision folders/);
  });

  test('create-sessions --register-files: the first session done with a move, the second fails: both reported, only the first flag gone', async () => {
    // Flags are taken in Python's path order: KS005 before algernon.
    const a = await protectedFile('KS005', '2024-03-04', 'alf/_ibl_wheel.position.npy');
    const b = await protectedFile('algernon', '2024-03-04', 'alf/_ibl_trials.choice.npy');
    const flagA = path.join(a.session, 'create_me.flag');
    const flagB = path.join(b.session, 'create_me.flag');
    await fs.writeFile(flagA, '');
    await fs.writeFile(flagB, '');
    // Per session: PUT /sessions, then POST /register-file 403 + retry. The 4th POST (b's retry) fails.
    server.inject({ method: 'POST', path: '/register-file', after: 3, status: 500, body: { detail: 'disk full on server', status_code: 500 } });
    const root = path.join(dir, 'data');
    const text = await alf(env, ['create-sessions', root, '--register-files', '--glob', '*/2024-03-04/*/create_me.flag']);
    assert.equal(text.code, 4, text.stderr);
    assert.ok(text.stdout.includes(`  ${a.file} -> ${a.target}\n`), text.stdout);
    assert.match(text.stdout, /Updated http:\/\/127\.0\.0\.1:\d+\/sessions\/\S+ {2}.*KS005\/2024-03-04\/001\n/);
    assert.match(text.stdout, /algernon\/2024-03-04\/001 {2}\(failed part-way; flag kept\)\n/);
    assert.ok(text.stdout.includes(`Moved 1 file(s) back out of revision folders after the server refused them:\n  ${b.file} -> ${b.target}\n`), text.stdout);
    assert.match(text.stderr, /disk full on server .*done before it, and it stands: 2 session\(s\) created or updated, 1 file\(s\) registered, 1 file\(s\) moved into revision folders, 1 file\(s\) moved there and back/);
    assert.ok(!(await exists(flagA)));
    assert.ok(await exists(flagB));

    // Again in JSON, the first session now registered: only b is left, and it fails the same way.
    server.inject({ method: 'POST', path: '/register-file', after: 1, drop: true, times: 4 });
    const json = await alf(env, ['create-sessions', root, '--register-files', '--glob', '*/2024-03-04/*/create_me.flag', '--json']);
    assert.equal(json.code, 4, json.stderr);
    const out = JSON.parse(json.stdout) as JsonError;
    assert.deepEqual(out.error.moves, [{ from: b.file, to: b.target }]);
    const partial = out.error.partial as { operation: string; failedAt: string; sessionPaths: string[]; records: Array<{ files: { moves: unknown[] } } | null> };
    assert.equal(partial.operation, 'createSessions');
    assert.equal(partial.failedAt, b.session);
    assert.deepEqual(partial.sessionPaths, [b.session]);
    assert.deepEqual(partial.records[0]?.files.moves, out.error.moves);
  });

  test('success in JSON and text lists the moves (unchanged), and an error before anything was done has partial null', async () => {
    const a = await protectedFile('ZM_1085', '2024-03-05', 'alf/clusters.amps.npy');
    const ok = await alf(env, ['register-files', a.file, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual((JSON.parse(ok.stdout) as { moves: unknown }).moves, [{ from: a.file, to: a.target }]);

    server.inject({ method: 'POST', path: '/register-file', status: 500 });
    const [file] = await writeFiles(a.session, { 'alf/spikes.times.npy': 't' }) as [string];
    const failed = await alf(env, ['register-files', file, '--json']);
    assert.equal(failed.code, 4);
    const out = JSON.parse(failed.stdout) as JsonError;
    assert.deepEqual(out.error.moves, []);
    assert.equal((out.error.partial as { operation: string; records: unknown[] }).records[0], null);
    assert.match(out.error.message, /^Injected server error \(HTTP 500 from POST \/register-file\)$/);
  });

  test('the core error keeps its own type and carries the partial result', async () => {
    const a = await protectedFile('algernon', '2024-03-06', 'alf/_ibl_trials.choice.npy');
    server.inject({ method: 'POST', path: '/register-file', after: 1, drop: true, times: 4 });
    const fast = await RegistrationClient.create(loggedInClient(server));
    const err = await fast.registerFiles([a.file]).then(() => undefined, (e: unknown) => e);
    assert.equal((err as Error).name, 'AlyxConnectionError');
    const partial = partialRegistrationOf(err);
    assert.ok(partial);
    assert.deepEqual(standingMovesOf(partial), [{ from: a.file, to: a.target }]);
  });
});

describe('paths are checked before any request (issue 13, data safety 4)', () => {
  let server: AlyxTestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startAlyxServer();
    dir = await tempDir('alf-safety-paths-');
    // Retries after a dropped connection wait 20 ms, not ONE's 0.5-1-2 s: the same requests, 10 s less waiting.
    env = { [PARAMS_DIR_ENV]: path.join(dir, '.one'), HOME: dir, ALYX_URL: server.url, [RETRY_DELAY_ENV]: '20' };
    assert.equal((await alf(env, ['login', '--username', USER.username, '--password-stdin'], `${USER.password}\n`)).code, 0);
  });
  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function noRequest(argv: string[]): Promise<Run> {
    const n = server.requests.length;
    const r = await alf(env, argv);
    assert.deepEqual(server.requests.slice(n).map((q) => `${q.method} ${q.path}`), [], `${argv.join(' ')} made requests`);
    return r;
  }

  test('register-session on a folder that does not exist: exit 2, no session created', async () => {
    const missing = path.join(dir, 'algernon', '2024-05-05', '001');
    const r = await noRequest(['register-session', missing]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `alf: Session folder not found: ${missing}\n`);
    assert.equal(server.state.sessions.length, 0);
    const file = path.join(dir, 'algernon', '2024-05-06', '001');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'not a folder');
    const notDir = await noRequest(['register-session', file, '--no-files']);
    assert.equal(notDir.code, 2);
    assert.equal(notDir.stderr, `alf: ${file} is not a folder\n`);
  });

  test('create-sessions on a root that does not exist: exit 2, not "no flagged folders"', async () => {
    const missing = path.join(dir, 'no-such-root');
    const r = await noRequest(['create-sessions', missing]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `alf: Folder not found: ${missing}\n`);
    const misplaced = path.join(dir, 'tree', 'misplaced');
    await fs.mkdir(misplaced, { recursive: true });
    await fs.writeFile(path.join(misplaced, 'create_me.flag'), '');
    const bad = await noRequest(['create-sessions', path.join(dir, 'tree')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /misplaced is not a session folder/);
  });

  test('register-files with a missing file: "File not found" (exit 2) before dataset types are asked', async () => {
    const session = path.join(dir, 'algernon', '2024-05-07', '001');
    const [present] = await writeFiles(session, { 'alf/_ibl_trials.choice.npy': 'x' }) as [string];
    const missing = path.join(session, 'alf', 'nothing.here.npy');
    const r = await noRequest(['register-files', present, missing]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `alf: File not found: ${missing}\n`);
  });

  test('the core refuses the same before its first request', async () => {
    const rc = await RegistrationClient.create(loggedInClient(server));
    const n = server.requests.length;
    await assert.rejects(rc.registerSession(path.join(dir, 'KS005', '2024-05-08', '002')), (e: unknown) => e instanceof InvalidInputError && e.field === 'sessionPath');
    await assert.rejects(rc.createSessions(path.join(dir, 'nowhere')), (e: unknown) => e instanceof InvalidInputError && e.field === 'root');
    // No dataset type matches this name: still "not found", not a skip for its type.
    await assert.rejects(rc.registerFiles([path.join(dir, 'KS005', '2024-05-08', '001', 'alf', 'nothing.here.npy')]), /^InvalidInputError: File not found: /);
    assert.equal(server.requests.length, n);
  });
});

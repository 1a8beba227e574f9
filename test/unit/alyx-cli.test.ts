import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parseArgs } from '../../src/cli/args';
import { alyxCommands } from '../../src/cli/commands/alyx';
import { describeError } from '../../src/cli/errors';
import type { CliIo } from '../../src/cli/types';
import { PARAMS_DIR_ENV, readClientParams } from '../../src/core/alyx';
import { type AlyxTestServer, DEFAULT_USERS, startAlyxServer } from '../alyx-server';
import { seedSession, tempDir, writeFiles } from '../alyx-server/testing';

const [USER] = DEFAULT_USERS as [{ username: string; password: string }];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command as src/cli.ts would: parse, run, and print `alf: message` on errors. */
async function alf(env: NodeJS.ProcessEnv, argv: string[], stdinText = ''): Promise<Run> {
  const [name, ...rest] = argv;
  const cmd = alyxCommands.find((c) => c.name === name);
  assert.ok(cmd, `no command ${name}`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const io: CliIo = { stdout, stderr, stdin: Readable.from([stdinText]), env, signal: new AbortController().signal };
  let code: number;
  try {
    code = await cmd.run(parseArgs(rest, cmd), io);
  } catch (e) {
    const d = describeError(e);
    stderr.write(`alf: ${d.message}\n`);
    code = d.exitCode;
  }
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('alf Alyx commands', () => {
  let server: AlyxTestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startAlyxServer();
    dir = await tempDir('alf-cli-');
    env = { [PARAMS_DIR_ENV]: path.join(dir, '.one'), HOME: dir, ALYX_URL: server.url };
  });
  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('every command is listed with its value options', () => {
    assert.deepEqual(alyxCommands.map((c) => c.name), ['login', 'logout', 'create-session', 'create-sessions', 'register-session', 'register-files', 'check-protected', 'weight', 'water']);
    for (const c of alyxCommands) assert.ok(c.valueOptions?.includes('url'), c.name);
  });

  test('not logged in: a one-line error with the way out', async () => {
    // weight asks for no dataset types (issue 13): with a user named, the first request is the subject's.
    const r = await alf(env, ['weight', 'algernon', '20', '--user', USER.username]);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^alf: Authentication credentials were not provided\. \(HTTP 403 from GET \/subjects\/algernon\); log in first with 'alf login'\n$/);
    const noUser = await alf(env, ['weight', 'algernon', '20']);
    assert.equal(noUser.stderr, 'alf: No Alyx user: log in first or pass --user\n');
  });

  test('login needs a terminal or --password-stdin, never an argument', async () => {
    const r = await alf(env, ['login', '--username', USER.username]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no terminal to ask the password on: pipe it with --password-stdin/);
    const bad = await alf(env, ['login', '--username', USER.username, '--password', USER.password]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option --password/);
  });

  test('a wrong password is exit 4 and the password is never printed', async () => {
    const r = await alf(env, ['login', '--username', USER.username, '--password-stdin'], 'wrong-secret\n');
    assert.equal(r.code, 4);
    assert.match(r.stderr, /Alyx login failed for user "test_user": Unable to log in with provided credentials\./);
    assert.doesNotMatch(r.stdout + r.stderr, /wrong-secret/);
  });

  test('login --password-stdin saves the token in ONE\'s file, mode 0600', async () => {
    const r = await alf(env, ['login', '--username', USER.username, '--password-stdin'], `${USER.password}\n`);
    assert.equal(r.code, 0, r.stderr);
    const params = await readClientParams(server.url, env);
    const token = params?.TOKEN?.[USER.username]?.token ?? '';
    assert.match(token, /^[0-9a-f]{40}$/);
    assert.match(r.stdout, new RegExp(`Logged in to ${server.url} as test_user; token saved in .*\\.one`));
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(`${token}|${USER.password}`));
  });

  test('create-session makes the folder and the session', async () => {
    const root = path.join(dir, 'data');
    const r = await alf(env, ['create-session', 'algernon', '--root', root, '--date', '2024-02-02', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { sessionPath: string; eid: string };
    assert.equal(out.sessionPath, path.join(root, 'algernon', '2024-02-02', '001'));
    assert.ok(server.state.sessions.some((s) => s.id === out.eid));
    const local = await alf(env, ['create-session', 'algernon', '--root', root, '--date', '2024-02-02', '--no-register']);
    assert.match(local.stdout, /Created .*002 \(not registered\)/);
  });

  test('register-session --dry-run prints the exact bodies and changes nothing', async () => {
    const session = path.join(dir, 'data', 'cortexlab', 'Subjects', 'KS005', '2024-03-03', '001');
    await writeFiles(session, { 'alf/spikes.times.npy': 'abc', 'alf/odd.thing.npy': 'x' });
    const count = server.state.sessions.length;
    const r = await alf(env, ['register-session', session, '--dry-run', '--users', 'test_user,olivier', '--start-time', '2024-03-03T10:00']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.state.sessions.length, count);
    assert.match(r.stdout, /POST \/sessions\n\{\n {2}"subject": "KS005",\n {2}"users": \[\n {4}"test_user",\n {4}"olivier"\n {2}\],/);
    assert.match(r.stdout, /"start_time": "2024-03-03T10:00:00"/);
    assert.match(r.stdout, /POST \/register-file\n\{\n {2}"created_by": "test_user",\n {2}"path": "KS005\/2024-03-03\/001"/);
    assert.match(r.stdout, /no-dataset-type: .*odd\.thing\.npy: No dataset type found/);
  });

  test('register-session then register-files: skipped files make exit 1, moves are listed', async () => {
    const session = path.join(dir, 'data', 'cortexlab', 'Subjects', 'KS005', '2024-03-03', '001');
    const created = await alf(env, ['register-session', session, '--json']);
    assert.equal(created.code, 0, created.stderr);
    const json = JSON.parse(created.stdout) as { created: boolean; files: { records: Array<{ id: string } | null> } };
    assert.equal(json.created, true);
    server.protect((d) => d.id === json.files.records[0]?.id);

    const files = [path.join(session, 'alf', 'spikes.times.npy'), path.join(session, 'alf', 'odd.thing.npy')];
    const dry = await alf(env, ['register-files', ...files, '--dry-run']);
    assert.equal(dry.code, 1);
    assert.match(dry.stdout, /Would move 1 protected file/);
    const r = await alf(env, ['register-files', ...files, '--version', '1.2.3']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Registered 1 file\(s\) in 1 session\(s\)\./);
    assert.match(r.stdout, /Moved 1 protected file\(s\) into revision folders:\n {2}.*spikes\.times\.npy -> .*#\d{4}-\d{2}-\d{2}#.*spikes\.times\.npy/);
    assert.match(r.stdout, /Not registered \(1\):\n {2}no-dataset-type: /);
    assert.match(r.stderr, /Moved .*spikes\.times\.npy/);
  });

  test('check-protected: exit 1 when something is protected', async () => {
    seedSession(server, 'ZM_1085', '2024-04-04', 1);
    const [file] = await writeFiles(path.join(dir, 'data'), { 'ZM_1085/2024-04-04/001/alf/wheel.position.npy': 'p' }) as [string];
    const clean = await alf(env, ['check-protected', file]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /ZM_1085\/2024-04-04\/001: nothing protected/);
    const reg = await alf(env, ['register-files', file, '--json']);
    const id = (JSON.parse(reg.stdout) as { records: Array<{ id: string }> }).records[0]?.id;
    server.protect((d) => d.id === id);
    const r = await alf(env, ['check-protected', file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /alf\/wheel\.position\.npy: original \(protected\)/);
  });

  test('weight and water', async () => {
    const w = await alf(env, ['weight', 'algernon', '21.3456', '--date-time', '2024-01-15T09:00']);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stdout, /Recorded 21\.35 g for algernon at 2024-01-15T09:00:00 by test_user/);
    const bad = await alf(env, ['weight', 'algernon', 'heavy']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /GRAMS must be a number of grams, not "heavy"/);
    const zero = await alf(env, ['water', 'algernon', '0']);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /volume must be a number of ml greater than 0/);
    const water = await alf(env, ['water', 'algernon', '1.5', '--adlib', '--json']);
    assert.equal(water.code, 0, water.stderr);
    assert.equal((JSON.parse(water.stdout) as { adlib: boolean }).adlib, true);
    const nobody = await alf(env, ['weight', 'nobody', '20']);
    assert.equal(nobody.code, 2);
    assert.equal(nobody.stderr, `alf: Subject "nobody" does not exist on ${server.url}\n`);
  });

  test('no URL, an unreachable server and bad dates are one-line errors, never stack traces', async () => {
    const noUrl = await alf({ [PARAMS_DIR_ENV]: path.join(dir, 'empty'), HOME: dir }, ['weight', 'algernon', '20']);
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.stderr, /^alf: No Alyx URL: pass --url, set ALYX_URL/);
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    const down = await alf(env, ['weight', 'algernon', '20', '--user', USER.username, '--url', `http://127.0.0.1:${port}`]);
    assert.equal(down.code, 4);
    assert.match(down.stderr, new RegExp(`^alf: Cannot reach Alyx at http://127\\.0\\.0\\.1:${port}/subjects/algernon: connection refused`));
    const date = await alf(env, ['weight', 'algernon', '20', '--date-time', 'tuesday']);
    assert.equal(date.code, 2);
    for (const r of [noUrl, down, date]) assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
  });

  test('logout removes the token', async () => {
    const r = await alf(env, ['logout']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Logged out of/);
    assert.deepEqual((await readClientParams(server.url, env))?.TOKEN, {});
  });
});

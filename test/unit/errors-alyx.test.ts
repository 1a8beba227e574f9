// Issue 13, items 7 and 9 (Alyx side): a server address that is not a URL is a usage error naming
// --url; the core's option names never leak (--start-time, not startTime); weight and water ask
// the server for nothing they do not need; SIGTERM stops a command as Ctrl-C does, and says so.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { PARAMS_DIR_ENV } from '../../src/core/alyx';
import { type AlyxTestServer, DEFAULT_USERS, startAlyxServer } from '../alyx-server';
import { tempDir, writeFiles } from '../alyx-server/testing';
import { PROJECT } from '../helpers';
import { isOneLine, runAlf } from './errors-run';

const [USER] = DEFAULT_USERS as [{ username: string; password: string }];

describe('errors: Alyx commands', () => {
  let server: AlyxTestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startAlyxServer();
    dir = await tempDir('alf-errors-alyx-');
    env = { [PARAMS_DIR_ENV]: path.join(dir, '.one'), HOME: dir, ALYX_URL: server.url };
    const login = await runAlf(['login', '--username', USER.username, '--password-stdin'], { env, stdin: `${USER.password}\n` });
    assert.equal(login.code, 0, login.stderr);
  });
  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test("--url 'not a url' is exit 2 naming --url, before any request", async () => {
    const before = server.requests.length;
    for (const argv of [['weight', 'algernon', '20'], ['login', '--username', 'x', '--password-stdin'], ['logout'], ['register-files', 'x.npy']]) {
      const r = await runAlf([...argv, '--url', 'not a url'], { env });
      assert.equal(r.code, 2, `${argv[0]}: ${r.stderr}`);
      assert.equal(r.stderr, 'alf: --url: "not a url" is not a URL (expected e.g. https://alyx.example.org)\n', argv[0]);
    }
    const ftp = await runAlf(['weight', 'algernon', '20', '--url', 'ftp://alyx.example.org'], { env });
    assert.equal(ftp.code, 2);
    assert.match(ftp.stderr, /^alf: --url: "ftp:\/\/alyx\.example\.org" is not an http:\/\/ or https:\/\/ URL\n$/);
    const fromEnv = await runAlf(['weight', 'algernon', '20'], { env: { ...env, ALYX_URL: 'alyx dot org' } });
    assert.equal(fromEnv.code, 2);
    assert.match(fromEnv.stderr, /^alf: ALYX_URL: "alyx dot org" is not a URL/);
    assert.equal(server.requests.length, before, 'no request was sent');
  });

  test('--start-time and --end-time errors name the options, not startTime', async () => {
    const [session] = await writeFiles(dir, { 'cortexlab/Subjects/algernon/2024-05-02/001/alf/trials.intervals.npy': 'x' });
    const folder = path.resolve(path.dirname(path.dirname(session as string)));
    const bad = await runAlf(['register-session', folder, '--start-time', 'tuesday', '--dry-run'], { env });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^alf: --start-time "tuesday" is not an ISO 8601 date/);
    const otherDay = await runAlf(['register-session', folder, '--start-time', '2024-05-03T10:00', '--dry-run'], { env });
    assert.equal(otherDay.code, 2, otherDay.stderr);
    assert.match(otherDay.stderr, /^alf: --start-time 2024-05-03T10:00:00 is not on the session's date 2024-05-02/);
    const end = await runAlf(['register-session', folder, '--end-time', '2024-13-45', '--dry-run'], { env });
    assert.match(end.stderr, /^alf: --end-time "2024-13-45" is not a real calendar date/);
    const date = await runAlf(['weight', 'algernon', '20', '--date-time', 'tuesday'], { env });
    assert.match(date.stderr, /^alf: --date-time "tuesday" is not an ISO 8601 date/);
    const nobody = await runAlf(['weight', 'algernon', '20'], { env: { HOME: dir, [PARAMS_DIR_ENV]: path.join(dir, 'none'), ALYX_URL: server.url } });
    assert.equal(nobody.stderr, 'alf: No Alyx user: log in first or pass --user\n');
    for (const r of [bad, otherDay, end, date]) {
      assert.ok(isOneLine(r.stderr), r.stderr);
      assert.doesNotMatch(r.stderr, /startTime|endTime|dateTime/);
    }
  });

  test('weight and water fetch no dataset types or data formats', async () => {
    const from = server.requests.length;
    const w = await runAlf(['weight', 'algernon', '20.5'], { env });
    assert.equal(w.code, 0, w.stderr);
    const water = await runAlf(['water', 'algernon', '0.8'], { env });
    assert.equal(water.code, 0, water.stderr);
    const paths = server.requests.slice(from).map((r) => r.path);
    assert.ok(paths.some((p) => p === '/weighings') && paths.some((p) => p === '/water-administrations'), paths.join(' '));
    assert.deepEqual(paths.filter((p) => /dataset-types|data-formats/.test(p)), []);

    // With the server down, the error names no dataset types either.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    const down = await runAlf(['weight', 'algernon', '20', '--user', USER.username, '--url', `http://127.0.0.1:${port}`], { env });
    assert.equal(down.code, 4);
    assert.match(down.stderr, new RegExp(`^alf: Cannot reach Alyx at http://127\\.0\\.0\\.1:${port}/subjects/algernon: connection refused`));
    assert.ok(isOneLine(down.stderr), down.stderr);
  });

  test('an abort for SIGTERM is "stopped (SIGTERM); nothing was changed", exit 143; Ctrl-C stays 130', async () => {
    server.inject({ path: /^\/subjects/, delayMs: 1500, times: 2 });
    const term = new AbortController();
    const running = runAlf(['weight', 'algernon', '21'], { env, signal: term.signal });
    await waitFor(() => server.requests.some((r) => r.path.startsWith('/subjects')));
    const before = server.state.weighings.length;
    term.abort('SIGTERM');
    const r = await running;
    assert.equal(r.code, 143, r.stderr);
    assert.equal(r.stderr, 'alf: stopped (SIGTERM); nothing was changed\n');
    assert.equal(server.state.weighings.length, before);

    const int = new AbortController();
    const running2 = runAlf(['weight', 'algernon', '21'], { env, signal: int.signal });
    await new Promise((res) => setTimeout(res, 200));
    int.abort('SIGINT');
    const r2 = await running2;
    assert.equal(r2.code, 130, r2.stderr);
    assert.equal(r2.stderr, 'alf: interrupted; nothing was changed\n');
  });

  test('the alf process turns SIGTERM into that abort (not a silent exit)', { timeout: 60_000 }, async () => {
    server.inject({ path: /^\/subjects/, delayMs: 4000 });
    const seen = server.requests.length;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT, 'src/cli.ts'), 'weight', 'algernon', '22'], {
      cwd: PROJECT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    await waitFor(() => server.requests.slice(seen).some((r) => r.path.startsWith('/subjects')), 30_000);
    child.kill('SIGTERM');
    assert.equal(await exited, 143, stderr);
    assert.equal(stderr, 'alf: stopped (SIGTERM); nothing was changed\n');
  });
});

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// The bundled CLI (dist/cli.js) in real processes: what only a process has — the bundle starting
// at all, its exit status, a closed pipe, Ctrl-C. Everything else runs `main` in-process
// (test/helpers.ts `alf`). Needs `npm run build` (npm test builds first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { PROJECT, npyFloat64, runCli, tempDir } from '../helpers';

const CLI = path.join(PROJECT, 'dist/cli.js');
const skip = existsSync(CLI) ? false : `needs ${CLI}: run npm run build`;

test('--help and --version exit 0; a bad command exits 2 with one line and no stack trace', { skip }, () => {
  const help = runCli(['--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^alf — /);
  assert.match(help.stdout, /\n {2}build-cache {2,}/);
  assert.match(runCli(['build-cache', '--help']).stdout, /Usage: alf build-cache DIR/);
  assert.equal(runCli(['--version']).stdout, `${(JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  const bad = runCli(['nonsense']);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, "alf: unknown command 'nonsense' (see 'alf --help')\n");
  assert.equal(bad.stdout, '');
});

test('a reader that stops early (alf npy … | head) ends it quietly, exit 0', { skip }, (t) => {
  const file = path.join(tempDir(t), 'long.npy');
  writeFileSync(file, npyFloat64(Float64Array.from({ length: 200_000 }, (_, i) => i / 3))); // MBs of rows: more than a pipe holds
  const r = spawnSync('bash', ['-c', '"$0" "$1" npy "$2" --rows : | head -c 100 >/dev/null; echo "${PIPESTATUS[0]}"', process.execPath, CLI, file], { encoding: 'utf8' });
  assert.equal(r.stdout, '0\n', r.stderr);
  assert.equal(r.stderr, '');
});

test('Ctrl-C while the server has not answered: exit 130, one line, no token saved', { skip }, async (t) => {
  const home = tempDir(t);
  let answer: (() => void) | undefined;
  const asked = new Promise<void>((resolve) => (answer = resolve));
  const server = http.createServer(() => answer?.()); // never responds
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const child = spawn(process.execPath, [CLI, 'login', '--url', url, '--username', 'alice', '--password-stdin'], {
    env: { ...process.env, HOME: home, ALF_ONE_PARAMS_DIR: path.join(home, '.one') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdin.end('secret\n');
  await asked;
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /^alf: .*interrupted.*\n$/);
  assert.equal(stdout, '');
  assert.deepEqual(existsSync(path.join(home, '.one')) ? readdirSync(path.join(home, '.one')) : [], []);
});

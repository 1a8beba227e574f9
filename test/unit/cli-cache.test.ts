// The cache commands as a user runs them, through `main` in this process (test/helpers.ts `alf`):
// real files, output captured as a pipe would. Real processes: cli-process.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeExampleData, alf, tempDir, writeTree } from '../helpers';

test('build-cache --json reports counts, skipped files with reasons and the table paths', async (t) => {
  const root = tempDir(t);
  const manifest = makeExampleData(root, ['--messy', '--sessions', '8']);
  const r = await alf(['build-cache', root, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no progress bar when not on a terminal');
  const out = JSON.parse(r.stdout) as {
    sessions: number;
    datasets: number;
    skipped: { path: string; reason: string }[];
    durationMs: number;
    sessionsPath: string;
    datasetsPath: string;
  };
  assert.ok(out.sessions >= 8);
  assert.ok(out.datasets >= 8 * 15);
  assert.equal(out.sessionsPath, path.join(root, 'sessions.pqt'));
  assert.ok(existsSync(out.datasetsPath));
  assert.equal(typeof out.durationMs, 'number');
  for (const m of manifest.filter((e) => !e.valid)) {
    const s = out.skipped.find((x) => x.path === m.path);
    assert.ok(s && s.reason.length > 0, `${m.path} is skipped with a reason`);
  }
});

test('build-cache prints a readable summary and --out writes elsewhere', async (t) => {
  const root = tempDir(t);
  const out = tempDir(t);
  writeTree(root, { 'lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy': 'x', 'lab/Subjects/S1/2020-01-01/001/notes.txt': 'y' });
  const r = await alf(['build-cache', root, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Indexed 1 session and 1 dataset /);
  assert.match(r.stdout, /^Problems: 1 invalid file name$/m);
  assert.match(r.stdout, /Not indexed: 1 file and 0 folders, by reason:/);
  assert.match(r.stdout, /notes\.txt — /);
  assert.ok(existsSync(path.join(out, 'sessions.pqt')));
  assert.equal(existsSync(path.join(root, 'sessions.pqt')), false);
});

test('validate lists problems and exits 1, or exits 0 on a clean tree', async (t) => {
  const messy = tempDir(t);
  writeTree(messy, { 'lab/Subjects/S1/2020-01-01/001/alf/trials choice.npy': 'x', 'README.txt': 'notes' });
  const bad = await alf(['validate', messy]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /trials choice\.npy: .*space/i);
  assert.match(bad.stdout, /1 invalid file name in 2 files and 1 session; 1 file outside any session/);
  const json = JSON.parse((await alf(['validate', messy, '--json'])).stdout) as { problems: { path: string; fix?: string }[] };
  assert.equal(json.problems[0]?.path, 'lab/Subjects/S1/2020-01-01/001/alf/trials choice.npy');
  assert.equal(json.problems[0]?.fix, 'trials.choice.npy');

  const clean = tempDir(t);
  writeTree(clean, { 'lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy': 'x' });
  const good = await alf(['validate', clean]);
  assert.equal(good.status, 0, good.stdout);
  assert.match(good.stdout, /No problems/);
});

test('sessions lists sessions newest first with their eids', async (t) => {
  const root = tempDir(t);
  writeTree(root, {
    'lab/Subjects/S1/2020-01-01/001/a.b.npy': 'x',
    'lab/Subjects/S1/2020-01-02/001/a.b.npy': 'x',
    'lab/Subjects/S1/2020-01-02/001/c.d.npy': 'x',
  });
  const rows = JSON.parse((await alf(['sessions', root, '--json'])).stdout) as { date: string; datasets: number; eid: string }[];
  assert.deepEqual(rows.map((r) => [r.date, r.datasets]), [['2020-01-02', 2], ['2020-01-01', 1]]);
  assert.match(rows[0]!.eid, /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const text = await alf(['sessions', root]);
  assert.match(text.stdout, /lab\s+S1\s+2020-01-02\s+001\s+2\s/);
});

test('errors are one line with no stack trace, with the documented exit codes', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'file.txt');
  writeFileSync(file, 'x');
  const cases: [string[], number, RegExp][] = [
    [['build-cache', path.join(dir, 'missing')], 2, /^alf: folder not found: .*missing\n$/],
    [['build-cache', file], 2, /^alf: .*file\.txt is a file, not a folder/],
    [['build-cache'], 2, /^alf: 'alf build-cache' takes one folder/],
    [['build-cache', dir, '--frobnicate'], 2, /^alf: unknown option --frobnicate/],
    [['build-cache', dir, '--out', path.join(dir, 'nope')], 2, /^alf: output folder not found/],
    [['nonsense'], 2, /^alf: unknown command 'nonsense'/],
  ];
  for (const [args, status, stderr] of cases) {
    const r = await alf(args);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  assert.match((await alf(['build-cache', '--help'])).stdout, /Usage: alf build-cache DIR/);
  assert.match((await alf(['--help'])).stdout, /build-cache/);
});

test('a full disk is a one-line error, exit 3, and leaves no partial tables', async (t) => {
  const root = tempDir(t);
  makeExampleData(root, ['--sessions', '20']);
  const tiny = mkdtempSync(path.join(tmpdir(), 'alf-full-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', tiny]);
  t.after(() => {
    if (mounted.status === 0) spawnSync('umount', [tiny]);
    rmSync(tiny, { recursive: true, force: true });
  });
  if (mounted.status !== 0) {
    t.skip('cannot mount a tiny tmpfs here (needs root) to fill a disk');
    return;
  }
  const r = await alf(['build-cache', root, '--out', tiny]);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /^alf: disk full while writing .*: free some space and run again \(the previous cache is untouched\)\n$/);
  assert.deepEqual(readdirSync(tiny), []);
});

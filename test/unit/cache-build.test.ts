import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildCache } from '../../src/core/cache/build';
import { datasetId, sessionId } from '../../src/core/cache/ids';
import { loadCache } from '../../src/core/cache/load';
import { scanTree } from '../../src/core/cache/scan';
import { CancelledError } from '../../src/core/progress';
import { IS_ROOT, makeExampleData, tempDir, writeTree } from '../helpers';

const NPY = Buffer.from('\x93NUMPY fake but non-empty content', 'latin1');

test('indexes sessions with and without lab/Subjects, collections and revisions, as ONE does', async (t) => {
  const root = tempDir(t);
  writeTree(root, {
    'cortexlab/Subjects/KS005/2019-04-01/001/alf/_ibl_trials.choice.npy': NPY,
    'cortexlab/Subjects/KS005/2019-04-01/001/alf/#2021-01-01#/_ibl_trials.choice.npy': 'rev',
    'cortexlab/Subjects/KS005/2019-04-01/001/alf/probe00/spikes.times.npy': 'spikes',
    'cortexlab/Subjects/KS005/2019-04-01/001/_ibl_experiment.description.yaml': 'x: 1\n',
    'KS006/2019-04-02/2/trials.intervals.npy': 'lab-less',
  });
  mkdirSync(path.join(root, 'cortexlab/Subjects/KS005/2019-04-03/001'), { recursive: true }); // an empty session
  const result = await buildCache(root);
  const cache = await loadCache(root);

  const sessions = cache.sessions.map((s) => `${s.lab}|${s.subject}|${s.date}|${s.number}`).sort();
  assert.deepEqual(sessions, ['cortexlab|KS005|2019-04-01|1', 'cortexlab|KS005|2019-04-03|1', '|KS006|2019-04-02|2']);
  const eid = sessionId('cortexlab/KS005/2019-04-01/001');
  assert.ok(cache.sessions.some((s) => s.id === eid), 'eid is uuid3 of ONE\'s pre-hash key lab/subject/date/number');
  assert.ok(cache.sessions.some((s) => s.id === sessionId('KS006/2019-04-02/2')), 'lab-less key keeps the folder number as written');

  const relPaths = cache.datasets.filter((d) => d.eid === eid).map((d) => d.rel_path).sort();
  assert.deepEqual(relPaths, [
    '_ibl_experiment.description.yaml',
    'alf/#2021-01-01#/_ibl_trials.choice.npy',
    'alf/_ibl_trials.choice.npy',
    'alf/probe00/spikes.times.npy',
  ]);
  for (const d of cache.datasets) {
    assert.equal(d.id, datasetId(d.rel_path));
    assert.equal(d.exists, true);
    assert.equal(d.qc, 'NOT_SET');
    assert.equal(d.hash, null); // not hashed: null, so ONE does not hash it on load (docs/one-local.md)
  }
  const choice = cache.datasets.find((d) => d.eid === eid && d.rel_path === 'alf/_ibl_trials.choice.npy');
  assert.equal(choice?.file_size, NPY.length);
  assert.equal(result.sessions, 3);
  assert.equal(result.datasets, 5);
  assert.deepEqual(result.skipped, []);

  // Both tables are sorted by their index, as ONE writes them.
  const ids = cache.sessions.map((s) => s.id);
  assert.deepEqual(ids, [...ids].sort());
  const keys = cache.datasets.map((d) => `${d.eid}/${d.id}`);
  assert.deepEqual(keys, [...keys].sort());
});

test('a rebuild keeps every id, and --hash stores the md5 of each file', async (t) => {
  const root = tempDir(t);
  makeExampleData(root, ['--sessions', '6']);
  await buildCache(root);
  const first = await loadCache(root);
  await buildCache(root, { hashFiles: true });
  const second = await loadCache(root);
  assert.deepEqual(second.sessions.map((s) => s.id), first.sessions.map((s) => s.id));
  assert.deepEqual(second.datasets.map((d) => [d.eid, d.id]), first.datasets.map((d) => [d.eid, d.id]));
  const sessionPath = new Map<string, string>();
  for (const s of second.sessions) sessionPath.set(s.id, `${s.lab}/Subjects/${s.subject}/${s.date}/${String(s.number).padStart(3, '0')}`);
  for (const d of second.datasets) {
    const file = path.join(root, sessionPath.get(d.eid)!, d.rel_path);
    assert.equal(d.hash, createHash('md5').update(readFileSync(file)).digest('hex'), file);
    assert.equal(d.file_size, statSync(file).size);
  }
  assert.equal(second.datasets.length, 6 * 15);
});

test('a messy tree builds, no invalid name becomes a row, and every problem has a reason', async (t) => {
  const root = tempDir(t);
  const manifest = makeExampleData(root, ['--messy', '--sessions', '12']);
  const result = await buildCache(root);
  const cache = await loadCache(root);
  const skippedPaths = new Set(result.skipped.map((s) => s.path));
  for (const entry of manifest.filter((m) => !m.valid)) {
    assert.ok(skippedPaths.has(entry.path), `${entry.path} (${entry.what}) is reported as skipped`);
  }
  for (const d of cache.datasets) assert.ok(!/ |\.\.|~$|^\._/.test(path.basename(d.rel_path)), `${d.rel_path} is a valid name`);
  // The reason for a file is on the file itself or on the folder that keeps it out.
  const reasonFor = (what: string) => {
    const file = manifest.find((m) => m.what === what)!.path;
    const entry = result.skipped.find((s) => s.path === file || (s.isFolder && file.startsWith(`${s.path}/`)));
    return `${entry?.path} ${entry?.reason ?? ''}`;
  };
  assert.match(reasonFor('impossible date'), /2020-02-30 .*February 2020 has no day 30/);
  assert.match(reasonFor('session number with 4 digits'), /0001 .*1 to 3 digits/);
  assert.match(reasonFor('session nested in another'), /KS_100\/2021-01-01\/001 .*inside the session/);
  assert.match(reasonFor('lab name with a hyphen'), /^bad-lab .*ONE would read the lab as "lab"/);
  for (const s of result.skipped) assert.ok(s.reason.length > 10, `${s.path} has a reason`);
  // The lab-less session and the odd-but-valid names are indexed.
  assert.ok(cache.sessions.some((s) => s.subject === 'KS_099' && s.lab === ''));
  assert.ok(cache.datasets.some((d) => d.rel_path === 'alf/Trials.Choice.NPY'));
  assert.ok(cache.datasets.some((d) => d.rel_path === 'raw_behavior_data/_iblrig_taskSettings.raw.json'));
});

test('two lab-less folders with the same session id are both reported, not merged', async (t) => {
  const root = tempDir(t);
  writeTree(root, {
    'a/subjects/S1/2020-01-01/001/trials.choice.npy': 'a',
    'b/subjects/S1/2020-01-01/001/trials.choice.npy': 'b',
    'lab/Subjects/S2/2020-01-01/001/trials.choice.npy': 'c',
  });
  const result = await buildCache(root);
  assert.equal(result.sessions, 1);
  const dup = result.skipped.filter((s) => s.code === 'duplicate-session-id').map((s) => s.path).sort();
  assert.deepEqual(dup, ['a/subjects/S1/2020-01-01/001', 'b/subjects/S1/2020-01-01/001']);
});

test('--lab fills sessions without a lab folder and keeps the ids of the pre-lab keys', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'S1/2020-01-01/001/trials.choice.npy': 'x', 'mylab/Subjects/S2/2020-01-01/001/trials.choice.npy': 'y' });
  const result = await buildCache(root, { lab: 'otherlab' });
  const cache = await loadCache(root);
  const bySubject = new Map(cache.sessions.map((s) => [s.subject, s]));
  assert.equal(bySubject.get('S1')?.lab, 'otherlab');
  assert.equal(bySubject.get('S1')?.id, sessionId('S1/2020-01-01/001'));
  assert.equal(bySubject.get('S2')?.lab, 'mylab');
  const conflicts = result.warnings.filter((w) => w.code === 'lab-option-conflict');
  assert.deepEqual(conflicts.map((w) => w.path), ['mylab/Subjects/S2/2020-01-01/001']);
  assert.match(conflicts[0]!.message, /otherlab.*mylab/);
});

test('symbolic links are followed, loops and broken links are reported', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy': 'x' });
  const external = tempDir(t);
  writeTree(external, { '2020-01-02/001/alf/trials.choice.npy': 'linked' });
  symlinkSync(external, path.join(root, 'lab/Subjects/S2'));
  symlinkSync('..', path.join(root, 'lab/Subjects/S1/2020-01-01/001/alf/loop'));
  symlinkSync('missing-target', path.join(root, 'lab/Subjects/S1/2020-01-01/001/alf/broken.link.npy'));
  const result = await buildCache(root);
  assert.equal(result.sessions, 2, 'the linked subject folder is indexed');
  const codes = new Map(result.skipped.map((s) => [s.path, s.code]));
  assert.equal(codes.get('lab/Subjects/S1/2020-01-01/001/alf/loop'), 'symlink-loop');
  assert.equal(codes.get('lab/Subjects/S1/2020-01-01/001/alf/broken.link.npy'), 'broken-symlink');
});

test('unreadable folders are reported and the rest is indexed', { skip: IS_ROOT ? 'running as root: file permissions do not apply' : false }, async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'lab/Subjects/S1/2020-01-01/001/a.b.npy': 'x', 'lab/Subjects/S2/2020-01-01/001/a.b.npy': 'y' });
  const locked = path.join(root, 'lab/Subjects/S2');
  chmodSync(locked, 0o000);
  t.after(() => chmodSync(locked, 0o755));
  const result = await buildCache(root);
  assert.equal(result.sessions, 1);
  assert.ok(result.skipped.some((s) => s.path === 'lab/Subjects/S2' && s.code === 'permission-denied'));
});

test('an interrupted build leaves the previous cache untouched and no temporary files', async (t) => {
  const root = tempDir(t);
  makeExampleData(root, ['--sessions', '30']);
  await buildCache(root);
  const before = readFileSync(path.join(root, 'sessions.pqt'));
  const controller = new AbortController();
  await assert.rejects(
    buildCache(root, {
      hashFiles: true,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.phase === 'hash') controller.abort();
      },
    }),
    CancelledError,
  );
  assert.deepEqual(readFileSync(path.join(root, 'sessions.pqt')), before);
  assert.deepEqual(readdirSync(root).filter((f) => f.includes('.tmp')), []);
});

test('clear errors for a missing folder, a file given as the folder, and a missing output folder', async (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'file.txt'), 'x');
  await assert.rejects(buildCache(path.join(root, 'nope')), /folder not found: .*nope/);
  await assert.rejects(buildCache(path.join(root, 'file.txt')), /is a file, not a folder/);
  await assert.rejects(buildCache(root, { outDir: path.join(root, 'out') }), /output folder not found/);
  assert.equal(existsSync(path.join(root, 'sessions.pqt')), false);
});

test('the cache tables in the root are not reported as stray files on a rebuild', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'S1/2020-01-01/001/trials.choice.npy': 'x' });
  await buildCache(root);
  const again = await buildCache(root);
  assert.deepEqual(again.skipped, []);
  const scan = await scanTree(root);
  assert.deepEqual(scan.skipped, [], 'a cache in the root is never reported, whoever wrote it');
});

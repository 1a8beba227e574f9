import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { buildCache } from '../../src/core/cache/build';
import { loadCache, type LoadedCache } from '../../src/core/cache/load';
import { scanTree } from '../../src/core/cache/scan';
import { writeCacheTables } from '../../src/core/cache/tables';
import { updateCache } from '../../src/core/cache/update';
import { CancelledError } from '../../src/core/progress';
import { makeExampleData, tempDir, writeTree } from '../helpers';

const S1 = 'cortexlab/Subjects/KS_001/2020-01-06/001';

/** A generated tree plus one lab-less session and one invalid file to rename later. */
function makeTree(root: string): void {
  makeExampleData(root, ['--sessions', '8']);
  writeTree(root, {
    'KS_LABLESS/2021-03-04/2/alf/trials.intervals.npy': 'lab-less',
    [`${S1}/alf/bad name.npy`]: 'invalid',
  });
}

function rows(c: LoadedCache) {
  return { sessions: c.sessions, datasets: c.datasets };
}

/** Both tables of `a` and of a fresh full build in `b` hold equal rows in equal order. */
async function assertSameAsFullBuild(root: string, updatedDir: string, t: { after: (fn: () => void) => void }) {
  const fullDir = tempDir(t, 'alf-full-');
  await buildCache(root, { outDir: fullDir, hashFiles: (await loadCache(updatedDir)).datasets.some((d) => !!d.hash) });
  const full = await loadCache(fullDir);
  const updated = await loadCache(updatedDir);
  assert.deepEqual(rows(updated), rows(full));
}

async function applyChanges(root: string, cacheDir = root): Promise<string[]> {
  const cache = await loadCache(cacheDir);
  assert.ok(cache.sessions.length >= 8);
  // 1. a new file in one session
  writeTree(root, { [`${S1}/alf/_ibl_wheel.position.npy`]: 'new wheel' });
  // 2. one session folder deleted
  const deleted = 'churchlandlab/Subjects/CSHL_001/2020-01-06/001';
  rmSync(path.join(root, deleted), { recursive: true });
  // 3. an invalid file renamed to a valid name
  renameSync(path.join(root, S1, 'alf/bad name.npy'), path.join(root, S1, 'alf/bad_name.times.npy'));
  // 4. a new session in a new subject folder, and a changed file in the lab-less session
  writeTree(root, { 'cortexlab/Subjects/KS_NEW/2022-02-02/001/alf/spikes.times.npy': 'spikes' });
  appendFileSync(path.join(root, 'KS_LABLESS/2021-03-04/2/alf/trials.intervals.npy'), 'more');
  return [
    `${S1}/alf/_ibl_wheel.position.npy`,
    deleted,
    `${S1}/alf/bad name.npy`,
    `${S1}/alf/bad_name.times.npy`,
    'cortexlab/Subjects/KS_NEW',
    'KS_LABLESS/2021-03-04/2/alf/trials.intervals.npy',
  ];
}

test('an incremental update gives the rows of a full build, reading only the changed sessions', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  await buildCache(root);
  const before = await loadCache(root);
  const changedPaths = await applyChanges(root);

  const result = await updateCache(root, { changedPaths });
  assert.equal(result.mode, 'incremental', result.reason);
  assert.equal(result.reason, undefined);
  // S1, the lab-less session and the new one; the deleted one is only removed.
  assert.equal(result.rescannedSessions, 3);
  await assertSameAsFullBuild(root, root, t);

  const after = await loadCache(root);
  assert.equal(after.sessions.length, before.sessions.length); // one deleted, one new
  assert.equal(result.sessions, after.sessions.length);
  assert.equal(result.datasets, after.datasets.length);
  assert.ok(after.datasets.some((d) => d.rel_path === 'alf/bad_name.times.npy'));
  assert.deepEqual(result.skipped, [], 'the renamed file is no longer skipped, and nothing else was rescanned');
  const created = after.metadata.sessions?.date_created;
  assert.ok(created && /^\d{4}-\d{2}-\d{2}/.test(created));
});

test('with hashing, untouched rows keep their hashes and changed files get new ones', async (t) => {
  const root = tempDir(t);
  const out = tempDir(t, 'alf-out-');
  makeTree(root);
  await buildCache(root, { hashFiles: true, outDir: out });
  const before = await loadCache(out);
  const changedPaths = await applyChanges(root, out);

  // Poison one untouched hash: an update must copy it, not recompute it.
  const untouched = before.datasets.find((d) => d.rel_path.endsWith('choice.npy') && d.eid !== before.sessions.find((s) => s.subject === 'KS_001')?.id)!;
  const poisoned = before.datasets.map((d) => (d === untouched ? { ...d, hash: 'f'.repeat(32) } : d));
  await writeCacheTables({ outDir: out, sessions: before.sessions, datasets: poisoned, metadata: before.metadata.sessions! });

  const result = await updateCache(root, { changedPaths, hashFiles: true, outDir: out });
  assert.equal(result.mode, 'incremental', result.reason);
  const after = await loadCache(out);
  assert.equal(after.datasets.find((d) => d.eid === untouched.eid && d.id === untouched.id)?.hash, 'f'.repeat(32));
  // Put the true hash back: everything else equals a full hashed build.
  const fixed = after.datasets.map((d) => (d.eid === untouched.eid && d.id === untouched.id ? { ...d, hash: untouched.hash } : d));
  await writeCacheTables({ outDir: out, sessions: after.sessions, datasets: fixed, metadata: after.metadata.sessions! });
  await assertSameAsFullBuild(root, out, t);
  const wheel = after.datasets.find((d) => d.rel_path === 'alf/_ibl_wheel.position.npy');
  assert.match(wheel?.hash ?? '', /^[0-9a-f]{32}$/);
});

test('tables with other ids (a Python ONE cache) are rebuilt in full, with the reason', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  await buildCache(root);
  const ours = await loadCache(root);
  const newIds = new Map(ours.sessions.map((s) => [s.id, randomUUID()]));
  await writeCacheTables({
    outDir: root,
    sessions: ours.sessions.map((s) => ({ ...s, id: newIds.get(s.id)! })),
    datasets: ours.datasets.map((d) => ({ ...d, eid: newIds.get(d.eid)!, id: randomUUID() })),
    metadata: ours.metadata.sessions!,
  });
  const result = await updateCache(root, { changedPaths: [`${S1}/alf`] });
  assert.equal(result.mode, 'full');
  assert.match(result.reason ?? '', /not written by ALF Workbench/);
  assert.equal(result.rescannedSessions, result.sessions);
  assert.deepEqual(rows(await loadCache(root)), rows(ours));
});

test('other reasons for a full build: no tables, a hashing mismatch, a deleted folder above sessions', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  const none = await updateCache(root, { changedPaths: [S1] });
  assert.equal(none.mode, 'full');
  assert.match(none.reason ?? '', /cannot be read.*not found/s);

  const hashing = await updateCache(root, { changedPaths: [S1], hashFiles: true });
  assert.equal(hashing.mode, 'full');
  assert.match(hashing.reason ?? '', /no md5 hashes/);

  rmSync(path.join(root, 'churchlandlab'), { recursive: true });
  const lab = await updateCache(root, { changedPaths: ['churchlandlab'], hashFiles: true });
  assert.equal(lab.mode, 'full');
  assert.match(lab.reason ?? '', /churchlandlab was deleted and lies above session folders/);
  await assertSameAsFullBuild(root, root, t);
});

test('a rescanned folder that holds a copy of a session elsewhere falls back to a full build', async (t) => {
  const root = tempDir(t);
  writeTree(root, { 'a/KS9/2020-01-01/001/alf/x.times.npy': '1' });
  await buildCache(root);
  writeTree(root, { 'b/KS9/2020-01-01/001/alf/x.times.npy': '2' });
  const result = await updateCache(root, { changedPaths: ['b'] });
  assert.equal(result.mode, 'full');
  assert.match(result.reason ?? '', /same session id/);
  assert.equal(result.sessions, 0, 'the full build rejects both folders');
  assert.ok(result.skipped.some((s) => s.code === 'duplicate-session-id'));
});

test('bad changed paths are refused with the path named', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  await buildCache(root);
  await assert.rejects(updateCache(root, { changedPaths: ['../elsewhere'] }), /changed path \.\.\/elsewhere is outside the root/);
  await assert.rejects(updateCache(root, { changedPaths: [''] }), /changed path "": give a path relative to the root/);
  // Absolute paths inside the root are accepted.
  const ok = await updateCache(root, { changedPaths: [path.join(root, S1)] });
  assert.equal(ok.mode, 'incremental', ok.reason);
  assert.equal(ok.rescannedSessions, 1);
});

test('a cancelled update leaves the old tables as they were', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  await buildCache(root);
  const sessionsBefore = readFileSync(path.join(root, 'sessions.pqt'));
  const datasetsBefore = readFileSync(path.join(root, 'datasets.pqt'));
  mkdirSync(path.join(root, 'cortexlab/Subjects/KS_NEW/2022-02-02/001'), { recursive: true });
  writeTree(root, { 'cortexlab/Subjects/KS_NEW/2022-02-02/001/a.b.npy': 'x' });
  for (const phase of ['scan', 'write']) {
    const controller = new AbortController();
    await assert.rejects(
      updateCache(root, {
        changedPaths: ['cortexlab/Subjects/KS_NEW', S1],
        signal: controller.signal,
        onProgress: (e) => {
          if (e.phase === phase) controller.abort();
        },
      }),
      (err: unknown) => err instanceof CancelledError || (err instanceof Error && err.name === 'AbortError'),
    );
    assert.deepEqual(readFileSync(path.join(root, 'sessions.pqt')), sessionsBefore, phase);
    assert.deepEqual(readFileSync(path.join(root, 'datasets.pqt')), datasetsBefore, phase);
  }
});

test('scanTree with subtrees finds what a full scan finds in those folders, with the same ids', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  const full = await scanTree(root);
  const subtrees = [S1, 'KS_LABLESS', 'gone/Subjects/x'];
  const part = await scanTree(root, { subtrees });
  const inPart = (p: string) => p === S1 || p.startsWith(`${S1}/`) || p.startsWith('KS_LABLESS/');
  assert.deepEqual(part.sessions, full.sessions.filter((s) => inPart(s.path)));
  assert.deepEqual(part.skipped, full.skipped.filter((s) => inPart(s.path)));
  assert.deepEqual((await scanTree(root, { subtrees, exclude: ['KS_LABLESS', 'alf'] })).sessions.map((s) => [s.path, s.datasets.length]), [[S1, 0]]);
});

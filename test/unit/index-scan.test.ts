// The worker's per-root index on real trees (src/model/worker/rootIndexes.ts) and the extension
// host's mirror of it (src/model/rootModel.ts), in plain Node: what the Sessions view, the
// diagnostics and the decorations are drawn from, without VS Code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RootModel } from '../../src/model/rootModel';
import { CoreWorker } from '../../src/model/worker/client';
import { dropRoot, scanRoot, sessionContents, updateRoot } from '../../src/model/worker/rootIndexes';
import type { RootDelta } from '../../src/model/types';
import { PROJECT, tempDir, writeTree } from '../helpers';

const S1 = 'lab/Subjects/s1/2020-01-01/001';
const S2 = 'lab/Subjects/s2/2020-01-02/001';
const BAD_NUMBER = 'lab/Subjects/s1/2020-01-01/0001';
const EXCLUDE = ['**/.git/**'];

/** A small lab tree: two sessions, a file with a space, a 4-digit session folder, an ALF file outside sessions, an excluded folder. */
function makeTree(root: string): void {
  writeTree(root, {
    [`${S1}/alf/trials.choice.npy`]: 'x',
    [`${S1}/alf/trials choice.npy`]: 'x',
    [`${BAD_NUMBER}/alf/a.b.npy`]: 'x',
    [`${S2}/raw_video_data/_iblrig_leftCamera.raw.mp4`]: 'x',
    'lab/notes.summary.txt': 'x',
    'lab/README.md': 'x',
    'lab/.git/objects.pack.npy': 'x',
  });
}

/** Scans `root` the way the extension does: the worker's deltas applied to a RootModel. */
async function scanned(root: string): Promise<RootModel> {
  const model = new RootModel(async (sessionPath) => sessionContents({ root, sessionPath }));
  await scanRoot({ root, exclude: EXCLUDE }, async (delta) => void model.apply(delta), new AbortController().signal);
  return model;
}

const problemCodes = (model: RootModel): string[] => [...model.problems()].map((p) => `${p.at} ${p.code}`).sort();

describe('the worker index on a generated tree', () => {
  test('a scan finds the sessions, the problems with their fixes and the ALF files outside sessions, and skips excluded folders', async (t) => {
    const root = tempDir(t, 'alf-index-');
    t.after(() => dropRoot(root));
    makeTree(root);
    const model = await scanned(root);
    assert.deepEqual([...model.sessions.keys()].sort(), [S1, S2]);
    assert.deepEqual(problemCodes(model), [`${BAD_NUMBER} session-number-digits`, `${S1}/alf/trials choice.npy whitespace`]);
    assert.equal(model.problemsAt(`${S1}/alf/trials choice.npy`)[0]?.fix, 'trials.choice.npy');
    assert.equal(model.problemsAt(BAD_NUMBER)[0]?.fix, '001');
    assert.deepEqual([...model.outside], ['lab/notes.summary.txt']);
    assert.equal(model.sessions.get(S1)?.errorCount, 1);
    assert.deepEqual((await model.datasets(S1)).map((d) => d.path), [`${S1}/alf/trials.choice.npy`]);
    assert.ok(![...model.problems()].some((p) => p.at.includes('.git')), 'the excluded folder is not read');
  });

  test('file events: a renamed folder and a deleted file update sessions and problems without a rescan', async (t) => {
    const root = tempDir(t, 'alf-index-');
    t.after(() => dropRoot(root));
    makeTree(root);
    const model = await scanned(root);
    fs.renameSync(path.join(root, BAD_NUMBER), path.join(root, 'lab/Subjects/s1/2020-01-01/002'));
    fs.rmSync(path.join(root, S1, 'alf', 'trials choice.npy'));
    const delta = await updateRoot(
      {
        root,
        exclude: EXCLUDE,
        events: [
          { path: `${S1}/alf/trials choice.npy`, kind: 'deleted' },
          { path: 'lab/Subjects/s1/2020-01-01/002', kind: 'created' },
          { path: BAD_NUMBER, kind: 'deleted' },
        ],
      },
      new AbortController().signal,
    );
    const changes = model.apply(delta);
    assert.equal(model.problemCount, 0);
    assert.equal(changes.problemsRemoved.size, 2);
    assert.ok(model.sessions.has('lab/Subjects/s1/2020-01-01/002'), 'the renamed folder is a session now');
    assert.equal(model.sessions.get(S1)?.errorCount, 0);
  });

  test('a change event with an unchanged mtime is old news; a new file in a session adds a dataset', async (t) => {
    const root = tempDir(t, 'alf-index-');
    t.after(() => dropRoot(root));
    makeTree(root);
    const model = await scanned(root);
    const update = (events: { path: string; kind: 'created' | 'changed' | 'deleted' }[]): Promise<RootDelta> =>
      updateRoot({ root, exclude: EXCLUDE, events }, new AbortController().signal);
    const same = await update([{ path: `${S1}/alf/trials.choice.npy`, kind: 'changed' }]);
    assert.deepEqual(same.sessions, []);
    writeTree(root, { [`${S1}/alf/trials.feedbackType.npy`]: 'x' });
    model.apply(await update([{ path: `${S1}/alf/trials.feedbackType.npy`, kind: 'created' }]));
    assert.equal(model.sessions.get(S1)?.datasetCount, 2);
  });

  test('a symbolic link back into the tree is reported once, not followed', { skip: process.platform === 'win32' && 'symbolic links need privileges on Windows' }, async (t) => {
    const root = tempDir(t, 'alf-index-');
    t.after(() => dropRoot(root));
    makeTree(root);
    fs.symlinkSync(path.join(root, 'lab'), path.join(root, S1, 'alf', 'loop'));
    const model = await scanned(root);
    assert.deepEqual(
      [...model.problems()].filter((p) => p.code === 'symlink-loop').map((p) => p.at),
      [`${S1}/alf/loop`],
    );
    assert.deepEqual([...model.sessions.keys()].sort(), [S1, S2]);
  });
});

describe('the worker bundle', () => {
  const bundle = path.join(PROJECT, 'dist', 'alf-worker.js');
  // Skipped only when nothing was built: after a build, a missing worker bundle is a failure (the extension loads it by this path).
  const built = fs.existsSync(path.join(PROJECT, 'dist', 'extension.js'));
  test('dist/alf-worker.js scans a root on a worker thread, streaming deltas', { skip: !built && 'dist/ not built: run npm run build' }, async (t) => {
    assert.ok(fs.existsSync(bundle), `${bundle} is missing: scripts/build.mjs must build the worker entry (src/model/worker/main.ts)`);
    const root = tempDir(t, 'alf-index-');
    makeTree(root);
    const worker = new CoreWorker(bundle);
    t.after(() => worker.dispose());
    const model = new RootModel(async (sessionPath) => worker.call('sessionContents', { root, sessionPath }));
    const summary = await worker.call('scan', { root, exclude: EXCLUDE }, { onEvent: (delta) => void model.apply(delta) });
    assert.deepEqual(summary.unreadable, []);
    assert.deepEqual([...model.sessions.keys()].sort(), [S1, S2]);
    assert.equal(model.problemCount, 2);
    assert.deepEqual((await model.datasets(S2)).map((d) => d.path), [`${S2}/raw_video_data/_iblrig_leftCamera.raw.mp4`]);
  });
});

/** ALF objects read from a session folder with no cache: the Object view's path for the Sessions tree. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCache } from '../../src/core/cache/build';
import { OneError, OneLocal, listSessionFiles, loadObjectFromFolder, objectsOf } from '../../src/core/one';
import * as path from 'node:path';
import { tempDir, writeTree, npyFloat64 } from '../helpers';

const f8 = npyFloat64;

const S = 'lab/Subjects/S1/2020-01-07/001';

describe('objects from a session folder', () => {
  test('objects listed per collection; an object loads with the latest revision, like OneLocal', async (t) => {
    const root = tempDir(t);
    writeTree(root, {
      [`${S}/alf/_ibl_trials.goCue_times.npy`]: f8([1, 2, 3]),
      [`${S}/alf/_ibl_trials.feedback_times.npy`]: f8([1.5, 2.5, 3.5]),
      [`${S}/alf/#2021-01-01#/_ibl_trials.feedback_times.npy`]: f8([1.25, 2.25, 3.25]),
      [`${S}/alf/_ibl_trials.intervals.npy`]: f8([0, 1, 1, 2, 2, 3], [3, 2]),
      [`${S}/alf/probe00/spikes.times.npy`]: f8([0.1]),
      [`${S}/alf/notes.txt`]: 'not ALF',
      [`${S}/raw_behavior_data/_iblrig_taskData.raw.jsonable`]: '',
    });
    const dir = path.join(root, S);
    const files = await listSessionFiles(dir);
    assert.ok(files.includes('alf/#2021-01-01#/_ibl_trials.feedback_times.npy'));
    assert.deepEqual(
      objectsOf(files).map((o) => `${o.collection}:${o.object}:${o.datasets}`),
      ['alf:trials:3', 'alf/probe00:spikes:1', 'raw_behavior_data:taskData:1'],
    );
    const obj = await loadObjectFromFolder(dir, 'trials');
    assert.deepEqual(Object.keys(obj.attributes).sort(), ['feedback_times', 'goCue_times', 'intervals']);
    assert.deepEqual(Array.from(obj.attributes.feedback_times!.data as Float64Array), [1.25, 2.25, 3.25]);
    assert.deepEqual(obj.attributes.intervals!.shape, [3, 2]);
    assert.equal(obj.collection, 'alf');
    assert.match(obj.warnings.join(), /multiple revisions/);

    await buildCache(root);
    const one = await OneLocal.open(root);
    const viaCache = await one.loadObject(one.search({ subject: 'S1' })[0] as string, 'trials');
    assert.deepEqual(Object.keys(viaCache.attributes).sort(), Object.keys(obj.attributes).sort());
    assert.deepEqual(Array.from(viaCache.attributes.feedback_times!.data as Float64Array), [1.25, 2.25, 3.25]);
  });
  test('clear errors: unknown object (listing the ones there), several collections, missing folder', async (t) => {
    const root = tempDir(t);
    writeTree(root, { [`${S}/alf/trials.a.npy`]: f8([1]), [`${S}/alf/probe00/trials.b.npy`]: f8([2]) });
    const dir = path.join(root, S);
    await assert.rejects(loadObjectFromFolder(dir, 'wheel'), (e: unknown) => e instanceof OneError && /"wheel" not found .*objects here: trials/.test(e.message));
    await assert.rejects(loadObjectFromFolder(dir, 'trials'), /several collections: "alf", "alf\/probe00"; pick one/);
    const b = await loadObjectFromFolder(dir, 'trials', { collection: 'alf/probe00' });
    assert.deepEqual(Object.keys(b.attributes), ['b']);
    await assert.rejects(loadObjectFromFolder(path.join(root, 'nope'), 'trials'), (e: unknown) => e instanceof OneError && /no such folder/.test(e.message));
  });
});

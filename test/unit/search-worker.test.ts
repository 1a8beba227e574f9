/**
 * The Search view's ONE work as the worker runs it (src/model/worker/oneSearch.ts, oneCaches.ts):
 * real caches written to temp folders, real .npy files; the object files it picks must load to
 * what OneLocal.loadObject gives, default_revision rules included; a OneError's field crosses the
 * worker RPC so the view can show it under the right field.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { buildCache } from '../../src/core/cache/build';
import type { SessionRow } from '../../src/core/cache/types';
import type { NpyArray } from '../../src/core/npy';
import { OneError, OneLocal } from '../../src/core/one';
import { encodeParquet } from '../../src/core/parquet';
import { encodeSessionsTable } from '../../src/core/parquet/one-tables';
import { loadObjectFromFiles } from '../../src/model/objectFromFiles';
import { CoreWorker, WorkerCallError } from '../../src/model/worker/client';
import { OneCaches } from '../../src/model/worker/oneCaches';
import { oneDatasets, oneObjectFiles, oneSearch, oneSession } from '../../src/model/worker/oneSearch';
import { PROJECT, npyFloat64, tempDir, writeTree } from '../helpers';

const S1 = 'lab/Subjects/KS001/2020-01-07/001';
const S2 = 'lab/Subjects/KS002/2020-01-08/002';
const values = (a: NpyArray | undefined): number[] => Array.from((a as NpyArray).data as Float64Array);

function makeTree(root: string): void {
  writeTree(root, {
    [`${S1}/alf/_ibl_trials.goCue_times.npy`]: npyFloat64([1, 2, 3]),
    [`${S1}/alf/_ibl_trials.feedback_times.npy`]: npyFloat64([1.5, 2.5, 3.5]),
    [`${S1}/alf/#2021-01-01#/_ibl_trials.feedback_times.npy`]: npyFloat64([1.25, 2.25, 3.25]),
    [`${S1}/alf/probe00/spikes.times.npy`]: npyFloat64([0.1]),
    [`${S2}/alf/_ibl_wheel.position.npy`]: npyFloat64([4, 5]),
  });
}

describe('the Search view on the worker', () => {
  test('search rows, datasets, session info and object files; the object loads as OneLocal.loadObject does', async (t) => {
    const root = tempDir(t, 'alf-searchworker-');
    makeTree(root);
    await buildCache(root);
    const caches = new OneCaches();
    const ref = { root, tablesDir: root };
    const all = await oneSearch(caches, { ...ref, form: {}, limit: 500 });
    assert.equal(all.total, 2);
    assert.deepEqual(all.sessions.map((s) => [s.subject, s.number, s.datasets]), [['KS002', 2, 1], ['KS001', 1, 4]]);
    const limited = await oneSearch(caches, { ...ref, form: { subject: 'KS00' }, limit: 1 });
    assert.equal(limited.total, 2);
    assert.equal(limited.sessions.length, 1);
    const eid = (await oneSearch(caches, { ...ref, form: { subject: 'KS001' }, limit: 10 })).sessions[0]!.eid;
    assert.equal(caches.size, 1, 'one open cache, kept between calls');

    fs.rmSync(path.join(root, S1, 'alf/probe00/spikes.times.npy'));
    const hits = await oneDatasets(caches, { ...ref, eid });
    const spikes = hits.find((h) => h.relPath === 'alf/probe00/spikes.times.npy');
    assert.deepEqual(spikes, { relPath: 'alf/probe00/spikes.times.npy', collection: 'alf/probe00', revision: '', name: 'spikes.times.npy', object: 'spikes', onDisk: false });
    assert.equal(hits.find((h) => h.revision === '2021-01-01')?.onDisk, true);

    const session = await oneSession(caches, { ...ref, eid });
    assert.equal(session?.subject, 'KS001');
    assert.equal(session?.sessionPath, path.join(root, S1));
    assert.equal(session?.datasets.length, 4);
    assert.equal(await oneSession(caches, { ...ref, eid: '00000000-0000-4000-8000-000000000000' }), null);

    const chosen = await oneObjectFiles(caches, { ...ref, eid, object: 'trials', collection: 'alf' });
    assert.deepEqual(chosen.files.map((f) => f.relPath), ['alf/#2021-01-01#/_ibl_trials.feedback_times.npy', 'alf/_ibl_trials.goCue_times.npy']);
    const obj = await loadObjectFromFiles(eid, 'trials', chosen.files, {}, chosen.warnings);
    const viaOne = await (await OneLocal.open(root)).loadObject(eid, 'trials', { collection: 'alf' });
    assert.deepEqual(Object.keys(obj.attributes).sort(), Object.keys(viaOne.attributes).sort());
    assert.deepEqual(values(obj.attributes.feedback_times), [1.25, 2.25, 3.25]);
    assert.deepEqual(obj.files, viaOne.files);
    assert.deepEqual(obj.warnings, viaOne.warnings);
    assert.equal(obj.collection, 'alf');

    await assert.rejects(oneObjectFiles(caches, { ...ref, eid, object: 'wheel' }), (e: unknown) => e instanceof OneError && e.field === 'object' && /"wheel" not found .*objects here: spikes, trials/.test(e.message));
    await assert.rejects(oneObjectFiles(caches, { ...ref, eid, object: 'spikes', collection: 'alf/probe00' }), (e: unknown) => e instanceof OneError && e.code === 'not-on-disk' && /spikes\.times\.npy missing/.test(e.message));
    await assert.rejects(oneSearch(caches, { ...ref, form: { dateFrom: 'not a date' }, limit: 10 }), (e: unknown) => e instanceof OneError && e.field === 'date_range');
  });

  test('a cache is re-opened when its tables change; a failed open is not kept', async (t) => {
    const root = tempDir(t, 'alf-searchworker-');
    const caches = new OneCaches();
    const ref = { root, tablesDir: root };
    await assert.rejects(oneSearch(caches, { ...ref, form: {}, limit: 10 }));
    await new Promise((r) => setImmediate(r));
    assert.equal(caches.size, 0, 'the failed open was dropped');
    writeTree(root, { [`${S2}/alf/_ibl_wheel.position.npy`]: npyFloat64([4, 5]) });
    await buildCache(root);
    assert.equal((await oneSearch(caches, { ...ref, form: {}, limit: 10 })).total, 1);
    makeTree(root);
    await buildCache(root);
    assert.equal((await oneSearch(caches, { ...ref, form: {}, limit: 10 })).total, 2, 'the rebuilt tables are read');
  });

  test("default_revision: the files picked are the marked default, with ONE's warning when none is marked", async (t) => {
    const root = tempDir(t, 'alf-searchworker-');
    const eid = 'aaaaaaaa-0000-4000-8000-000000000001';
    const folder = 'lab/Subjects/SUB_A/2023-05-01/001';
    const specs = [
      { rel: 'alf/_ibl_trials.choice.npy', values: [1, 1, 1], marked: true },
      { rel: 'alf/#2023-04-20#/_ibl_trials.choice.npy', values: [2, 2, 2], marked: false },
      { rel: 'alf/_ibl_trials.goCue_times.npy', values: [10, 11, 12], marked: false },
      { rel: 'alf/#2023-04-20#/_ibl_trials.goCue_times.npy', values: [20, 21, 22], marked: false },
      { rel: 'alf/_ibl_wheel.position.npy', values: [3, 4], marked: true, qc: 'CRITICAL' },
    ];
    writeTree(root, Object.fromEntries(specs.map((s) => [`${folder}/${s.rel}`, npyFloat64(s.values)])));
    const metadata = { date_created: '2023-05-04 10:00', origin: 'alyx' };
    const sessions: SessionRow[] = [{ id: eid, lab: 'lab', subject: 'SUB_A', date: '2023-05-01', number: 1, task_protocol: '', projects: '' }];
    fs.writeFileSync(path.join(root, 'sessions.pqt'), await encodeSessionsTable(sessions, metadata));
    const col = <T>(f: (s: (typeof specs)[number], i: number) => T): T[] => specs.map(f);
    fs.writeFileSync(
      path.join(root, 'datasets.pqt'),
      await encodeParquet({
        columns: [
          { name: 'rel_path', type: 'utf8', values: col((s) => s.rel) },
          { name: 'file_size', type: 'uint64', values: col((s) => 128 + 8 * s.values.length) },
          { name: 'hash', type: 'utf8', values: col(() => null) },
          { name: 'exists', type: 'bool', values: col(() => true) },
          { name: 'qc', type: 'utf8', values: col((s) => ('qc' in s ? s.qc : 'PASS')), dictionary: ['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'] },
          { name: 'default_revision', type: 'bool', values: col((s) => s.marked) },
          { name: 'eid', type: 'utf8', values: col(() => eid) },
          { name: 'id', type: 'utf8', values: col((_s, i) => `dddddddd-0000-4000-8000-${String(i).padStart(12, '0')}`) },
        ],
        keyValueMetadata: [['one_metadata', JSON.stringify(metadata)]],
      }),
    );
    const chosen = await oneObjectFiles(new OneCaches(), { root, tablesDir: root, eid, object: 'trials' });
    const obj = await loadObjectFromFiles(eid, 'trials', chosen.files, {}, chosen.warnings);
    const viaOne = await (await OneLocal.open(root)).loadObject(eid, 'trials');
    assert.deepEqual(values(obj.attributes.choice), [1, 1, 1], 'the marked default, not the newest');
    assert.deepEqual(values(obj.attributes.goCue_times), [20, 21, 22]);
    // The same warnings, except that the dataset's example path may name another of its revisions:
    // the worker gets the rows sorted by rel_path, OneLocal in table order.
    const sameWarnings = (w: string[]) => w.map((x) => x.replace('#2023-04-20#/', ''));
    assert.deepEqual(sameWarnings(obj.warnings), sameWarnings(viaOne.warnings));
    assert.match(obj.warnings[0]!, /^No default revision for dataset alf\/(#2023-04-20#\/)?_ibl_trials\.goCue_times\.npy; using most recent$/);
    assert.deepEqual(obj.files, viaOne.files);
    // An object whose datasets are all CRITICAL: hidden, and the message says so, as OneLocal's does.
    const oneError = await (await OneLocal.open(root)).loadObject(eid, 'wheel').then(() => null, (e: unknown) => e);
    assert.ok(oneError instanceof OneError && /1 matching dataset\(s\) have QC CRITICAL/.test(oneError.message), String(oneError));
    await assert.rejects(oneObjectFiles(new OneCaches(), { root, tablesDir: root, eid, object: 'wheel' }), (e: unknown) => e instanceof OneError && e.message === oneError.message && e.field === 'object');
  });

  const bundle = path.join(PROJECT, 'dist', 'alf-worker.js');
  const built = fs.existsSync(path.join(PROJECT, 'dist', 'extension.js'));
  test('over the worker bundle: a search answers, and a bad term comes back with its field', { skip: !built && 'dist/ not built: run npm run build' }, async (t) => {
    const root = tempDir(t, 'alf-searchworker-');
    makeTree(root);
    await buildCache(root);
    const worker = new CoreWorker(bundle);
    t.after(() => worker.dispose());
    const ref = { root, tablesDir: root };
    const found = await worker.call('oneSearch', { ...ref, form: { subject: 'KS001' }, limit: 10 });
    assert.equal(found.total, 1);
    const eid = found.sessions[0]!.eid;
    assert.equal((await worker.call('oneSession', { ...ref, eid }))?.sessionPath, path.join(root, S1));
    await assert.rejects(worker.call('oneSearch', { ...ref, form: { dateFrom: 'not a date' }, limit: 10 }), (e: unknown) => e instanceof WorkerCallError && e.field === 'date_range');
    await assert.rejects(worker.call('oneObjectFiles', { ...ref, eid, object: 'wheel' }), (e: unknown) => e instanceof WorkerCallError && e.field === 'object');
  });
});

/**
 * OneLocal.listDatasets / listCollections / listRevisions / loadObject / loadDataset on real
 * files: the project's generator (real float64 trials .npy files) plus sessions written here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCache } from '../../src/core/cache/build';
import { loadCache } from '../../src/core/cache/load';
import { writeCacheTables } from '../../src/core/cache/tables';
import type { DatasetRow, SessionRow } from '../../src/core/cache/types';
import type { NpyArray } from '../../src/core/npy';
import { readNpy } from '../../src/core/npy';
import { OneError, OneLocal } from '../../src/core/one';
import { makeExampleData, writeTree, npyFloat64 } from '../helpers';

const f8 = npyFloat64;

const REV = 'revlab/Subjects/REV_001/2021-05-01/001';
const TAB = 'tablab/Subjects/TAB_001/2021-05-02/001';
const PAD = 'padlab/Subjects/PAD_001/2021-05-03';

let root = '';
let one: OneLocal;
let sessions: SessionRow[];
let datasets: DatasetRow[];
const eidOf = (subject: string, number = 1): string => (sessions.find((s) => s.subject === subject && s.number === number) as SessionRow).id;
const values = (a: NpyArray | undefined): number[] => Array.from((a as NpyArray).data as Float64Array);

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'alf-one-datasets-'));
  makeExampleData(root, ['--sessions', '14', '--trials', '25', '--messy']);
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const table = parquetWriteBuffer({
    columnData: [
      { name: 'intervals_0', data: [0, 10, 20], type: 'DOUBLE' },
      { name: 'intervals_1', data: [5, 15, 25], type: 'DOUBLE' },
      { name: 'choice', data: [1, -1, 1], type: 'INT32' },
      { name: 'label', data: ['a', 'b', 'c'], type: 'STRING' },
    ],
  });
  writeTree(root, {
    [`${REV}/alf/_ibl_trials.choice.npy`]: f8([1, 1, 1]),
    [`${REV}/alf/#2021-01-01#/_ibl_trials.choice.npy`]: f8([2, 2, 2]),
    [`${REV}/alf/#2022-06-01#/_ibl_trials.choice.npy`]: f8([3, 3, 3]),
    [`${REV}/alf/_ibl_trials.goCue_times.npy`]: f8([0.5, 1.5, 2.5]),
    [`${REV}/alf/#2021-01-01#/_ibl_trials.goCue_times.npy`]: f8([0.25, 1.25, 2.25]),
    [`${REV}/alf/_ibl_trials.goCueTrigger_times.npy`]: f8([0.4, 1.4, 2.4]),
    [`${REV}/alf/spikes.times.npy`]: f8([0.1, 0.2]),
    [`${REV}/alf/probe00/spikes.times.npy`]: f8([1.1, 1.2, 1.3]),
    [`${REV}/alf/probe00/spikes.clusters.npy`]: f8([0, 1, 0]),
    [`${REV}/alf/probe01/spikes.times.npy`]: f8([2.1]),
    [`${REV}/alf/probe01/spikes.times_ephysClock.npy`]: f8([2.2]),
    [`${REV}/alf/probe01/spikes.amps.part1.npy`]: f8([9]),
    [`${REV}/alf/_ibl_wheel.position.npy`]: f8([0, 1, 2, 3, 4]),
    [`${REV}/alf/_ibl_wheel.timestamps.npy`]: f8([0, 10, 4, 50], [2, 2]),
    [`${REV}/alf/_ibl_pos.xy.npy`]: f8([1, 2, 3, 4, 5, 6], [3, 2]),
    [`${REV}/alf/_ibl_pos.xy.metadata.json`]: JSON.stringify({ columns: ['x', 'y'], units: 'cm' }),
    [`${REV}/alf/_ibl_empty.thing.npy`]: '',
    [`${REV}/alf/_ibl_notes.text.txt`]: 'some notes\n',
    [`${REV}/_ibl_experiment.description.json`]: '{"devices": {}}',
    [`${TAB}/alf/_ibl_trials.table.pqt`]: Buffer.from(table),
    [`${TAB}/alf/_ibl_trials.goCue_times.npy`]: f8([1, 11, 21]),
    [`${PAD}/1/alf/_ibl_trials.choice.npy`]: f8([1]),
    [`${PAD}/02/alf/_ibl_trials.choice.npy`]: f8([2]),
    [`PAD_002/2021-05-04/003/alf/_ibl_trials.choice.npy`]: f8([3]),
  });
  await buildCache(root);
  ({ sessions, datasets } = await loadCache(root));
  one = await OneLocal.open(root);
});
after(() => rmSync(root, { recursive: true, force: true }));

function rejectsWith(code: string, message: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof OneError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  };
}

describe('listDatasets', () => {
  test('rel_paths in code-point order (goCueTrigger_times before goCue_times), all revisions', () => {
    const list = one.listDatasets(eidOf('REV_001'));
    assert.deepEqual(list, [...list].sort((a, b) => (a < b ? -1 : 1)));
    assert.ok(list.indexOf('alf/_ibl_trials.goCueTrigger_times.npy') < list.indexOf('alf/_ibl_trials.goCue_times.npy'));
    assert.ok(list.includes('alf/#2021-01-01#/_ibl_trials.choice.npy') && list.includes('alf/#2022-06-01#/_ibl_trials.choice.npy'));
    assert.ok(list.includes('_ibl_experiment.description.json'));
    assert.equal(list.length, datasets.filter((d) => d.eid === eidOf('REV_001')).length);
  });

  test('filters: shell patterns for file name, collection and revision; ALF parts; a list is OR', () => {
    const eid = eidOf('REV_001');
    assert.deepEqual(one.listDatasets(eid, { filename: '*choice*' }), ['alf/#2021-01-01#/_ibl_trials.choice.npy', 'alf/#2022-06-01#/_ibl_trials.choice.npy', 'alf/_ibl_trials.choice.npy']);
    assert.deepEqual(one.listDatasets(eid, { filename: '*choice*', revision: '' }), ['alf/_ibl_trials.choice.npy']);
    assert.deepEqual(one.listDatasets(eid, { filename: '*choice*', revision: '2021*' }), ['alf/#2021-01-01#/_ibl_trials.choice.npy']);
    assert.deepEqual(one.listDatasets(eid, { collection: 'alf/probe0*' }), ['alf/probe00/spikes.clusters.npy', 'alf/probe00/spikes.times.npy', 'alf/probe01/spikes.amps.part1.npy', 'alf/probe01/spikes.times.npy', 'alf/probe01/spikes.times_ephysClock.npy']);
    assert.deepEqual(one.listDatasets(eid, { collection: 'alf', filename: 'spikes.*' }), ['alf/spikes.times.npy']);
    assert.deepEqual(one.listDatasets(eid, { collection: '' }), ['_ibl_experiment.description.json']);
    assert.deepEqual(one.listDatasets(eid, { collection: ['', 'alf/probe01'], filename: { attribute: 'times' } }), ['alf/probe01/spikes.times.npy', 'alf/probe01/spikes.times_ephysClock.npy']);
    assert.deepEqual(one.listDatasets(eid, { filename: { object: 'spikes', timescale: 'ephys*' } }), ['alf/probe01/spikes.times_ephysClock.npy']);
    assert.deepEqual(one.listDatasets(eid, { filename: { object: 'spikes', extra: 'part?' } }), ['alf/probe01/spikes.amps.part1.npy']);
    assert.deepEqual(one.listDatasets(eid, { filename: { namespace: 'ibl', object: ['wheel', 'pos'], extension: 'npy' } }), ['alf/_ibl_pos.xy.npy', 'alf/_ibl_wheel.position.npy', 'alf/_ibl_wheel.timestamps.npy']);
    assert.deepEqual(one.listDatasets(eid, { filename: ['*.json', '*.txt'] }), ['_ibl_experiment.description.json', 'alf/_ibl_notes.text.txt', 'alf/_ibl_pos.xy.metadata.json']);
    assert.deepEqual(one.listDatasets(eid, { filename: 'Spikes.*' }), []); // case-sensitive
  });

  test('defaultRevisionsOnly on a cache built from files (no default_revision column) is ONE\'s ALFError', () => {
    assert.throws(() => one.listDatasets(eidOf('REV_001'), { filename: '*_ibl_trials.*', defaultRevisionsOnly: true }), rejectsWith('no-default-revisions', /no default_revision column/));
  });

  test('details gives the rows; an eid not in the cache gives [] (as ONE)', () => {
    const rows = one.listDatasets(eidOf('REV_001'), { details: true, collection: 'alf/probe00' });
    assert.deepEqual(rows.map((r) => r.rel_path), ['alf/probe00/spikes.clusters.npy', 'alf/probe00/spikes.times.npy']);
    assert.ok(rows.every((r) => r.eid === eidOf('REV_001') && typeof r.id === 'string' && r.exists));
    assert.deepEqual(one.listDatasets('00000000-0000-0000-0000-000000000000'), []);
  });

  test('bad filter values name the option', () => {
    assert.throws(() => one.listDatasets(eidOf('REV_001'), { collection: 5 as unknown as string }), rejectsWith('invalid-value', /^collection: expected a pattern/));
    assert.throws(() => one.listDatasets(eidOf('REV_001'), { filename: { colour: 'red' } as never }), rejectsWith('invalid-value', /^filename: "colour" is not an ALF file name part/));
    assert.throws(() => one.listDatasets(eidOf('REV_001'), { qc: 'GOOD' }), rejectsWith('invalid-value', /^qc: "GOOD" is not a QC level/));
  });
});

describe('listCollections and listRevisions', () => {
  test('collections, sorted, with "" for the session folder itself', () => {
    assert.deepEqual(one.listCollections(eidOf('REV_001')), ['', 'alf', 'alf/probe00', 'alf/probe01']);
    assert.deepEqual(one.listCollections(eidOf('REV_001'), { filename: 'spikes.times*' }), ['alf', 'alf/probe00', 'alf/probe01']);
    assert.deepEqual(one.listCollections(eidOf('REV_001'), { revision: '2021-01-01' }), ['alf']);
    const messy = sessions.find((s) => datasets.some((d) => d.eid === s.id && d.rel_path.startsWith('raw_behavior_data/'))) as SessionRow;
    assert.deepEqual(one.listCollections(messy.id), ['alf', 'raw_behavior_data']);
  });

  test('revisions without the #, "" for none, sorted; filters apply', () => {
    assert.deepEqual(one.listRevisions(eidOf('REV_001')), ['', '2021-01-01', '2022-06-01']);
    assert.deepEqual(one.listRevisions(eidOf('REV_001'), { filename: '*goCue_times*' }), ['', '2021-01-01']);
    assert.deepEqual(one.listRevisions(eidOf('REV_001'), { revision: '2022*' }), ['2022-06-01']);
    assert.deepEqual(one.listRevisions(eidOf('REV_001'), { collection: 'alf/probe00' }), ['']);
    assert.deepEqual(one.listRevisions(eidOf('TAB_001')), ['']);
  });
});

describe('loadObject', () => {
  test('the generated trials object: 15 attributes, intervals (n, 2), values as the generator wrote them', async () => {
    const s = sessions.find((x) => x.lab === 'hoferlab') as SessionRow;
    const trials = await one.loadObject(s.id, 'trials');
    const keys = Object.keys(trials.attributes);
    assert.deepEqual(keys, [
      'choice', 'contrastLeft', 'contrastRight', 'feedbackType', 'feedback_times', 'firstMovement_times', 'goCueTrigger_times',
      'goCue_times', 'included', 'intervals', 'probabilityLeft', 'response_times', 'rewardVolume', 'stimOff_times', 'stimOn_times',
    ]);
    assert.deepEqual(trials.warnings, []);
    assert.equal(trials.collection, 'alf');
    assert.equal(trials.object, 'trials');
    assert.equal(trials.files.length, 15);
    const a = trials.attributes;
    const n = 25;
    assert.deepEqual(a.intervals?.shape, [n, 2]);
    for (const k of keys) if (k !== 'intervals') assert.deepEqual(a[k]?.shape, [n], k);
    const iv = values(a.intervals);
    const [stimOn, goCue, trigger, response, feedback, stimOff, firstMove] = ['stimOn_times', 'goCue_times', 'goCueTrigger_times', 'response_times', 'feedback_times', 'stimOff_times', 'firstMovement_times'].map((k) => values(a[k]));
    const close = (x: number, y: number): boolean => Math.abs(x - y) < 1e-9;
    for (let i = 0; i < n; i++) {
      const at = (v: number[] | undefined): number => (v as number[])[i] as number;
      assert.ok((feedback as number[])[i]! - (goCue as number[])[i]! > 0, `feedback after go cue, trial ${i}`);
      assert.ok(close(at(goCue), at(stimOn) + 0.01) && close(at(trigger), at(goCue) - 0.0001));
      assert.ok(close(at(feedback), at(response) + 0.005) && close(at(stimOff), at(feedback) + 1) && close(at(firstMove), at(stimOn) + 0.3));
      assert.ok(iv[2 * i]! < at(stimOn) && close(iv[2 * i + 1]!, at(response) + 1.5), `intervals row ${i}`);
      if (i > 0) assert.ok(iv[2 * i]! > iv[2 * i - 2]!, 'trials start in order');
      const left = values(a.contrastLeft)[i] as number;
      const right = values(a.contrastRight)[i] as number;
      assert.ok(Number.isNaN(left) !== Number.isNaN(right), 'exactly one side has a contrast');
      assert.ok([-1, 1].includes(values(a.choice)[i]!) && [-1, 1].includes(values(a.feedbackType)[i]!));
    }
    assert.ok(values(a.probabilityLeft).every((v) => v === 0.5) && values(a.rewardVolume).every((v) => v === 1.5) && values(a.included).every((v) => v === 1));
    // Same bytes as reading the file directly.
    const direct = await readNpy(trials.files.find((f) => f.endsWith('_ibl_trials.intervals.npy')) as string);
    assert.deepEqual(a.intervals, direct);
    assert.ok(trials.files.every((f) => f.startsWith(path.join(root, 'hoferlab', 'Subjects'))));
  });

  test('revisions: the latest by default, or the latest at or before `revision`', async () => {
    const eid = eidOf('REV_001');
    const latest = await one.loadObject(eid, 'trials');
    assert.deepEqual(values(latest.attributes.choice), [3, 3, 3]);
    assert.deepEqual(values(latest.attributes.goCue_times), [0.25, 1.25, 2.25]);
    assert.deepEqual(values(latest.attributes.goCueTrigger_times), [0.4, 1.4, 2.4]);
    assert.deepEqual(latest.warnings, ['multiple revisions: "", "2021-01-01", "2022-06-01"']);
    const mid = await one.loadObject(eid, 'trials', { revision: '2021-12-31' });
    assert.deepEqual(values(mid.attributes.choice), [2, 2, 2]);
    assert.deepEqual(values((await one.loadObject(eid, 'trials', { revision: '2021-01-01' })).attributes.choice), [2, 2, 2]);
    const before = await one.loadObject(eid, 'trials', { revision: '2020-01-01' });
    assert.deepEqual(values(before.attributes.choice), [1, 1, 1]);
    assert.deepEqual(values(before.attributes.goCue_times), [0.5, 1.5, 2.5]);
    assert.deepEqual(before.warnings, []);
  });

  test('several collections: an error asking for one; then timescale and extra parts in the keys', async () => {
    const eid = eidOf('REV_001');
    await assert.rejects(one.loadObject(eid, 'spikes'), rejectsWith('multiple-collections', /object spikes is in several collections: "alf", "alf\/probe00", "alf\/probe01"; pass collection/));
    const p1 = await one.loadObject(eid, 'spikes', { collection: 'alf/probe01' });
    assert.deepEqual(Object.keys(p1.attributes), ['amps.part1', 'times', 'times_ephysClock']);
    assert.equal(p1.collection, 'alf/probe01');
    const p0 = await one.loadObject(eid, 'spikes', { collection: 'alf/probe00', attribute: 'times' });
    assert.deepEqual(Object.keys(p0.attributes), ['times']);
    assert.deepEqual(values(p0.attributes.times), [1.1, 1.2, 1.3]);
    const ts = await one.loadObject(eid, 'spikes', { collection: 'alf/probe01', timescale: 'ephysClock' });
    assert.deepEqual(Object.keys(ts.attributes), ['times_ephysClock']);
  });

  test('a metadata file naming columns splits the array; (2, 2) timestamps are interpolated', async () => {
    const eid = eidOf('REV_001');
    const pos = await one.loadObject(eid, 'pos');
    assert.deepEqual(Object.keys(pos.attributes), ['x', 'y']);
    assert.deepEqual(values(pos.attributes.x), [1, 3, 5]);
    assert.deepEqual(values(pos.attributes.y), [2, 4, 6]);
    assert.deepEqual(Object.keys(pos.other), ['xymetadata']);
    assert.deepEqual((pos.other.xymetadata as { value: unknown }).value, { units: 'cm' });
    const wheel = await one.loadObject(eid, 'wheel');
    assert.deepEqual(values(wheel.attributes.timestamps), [10, 20, 30, 40, 50]);
  });

  test('a table.pqt is spread into its columns, x_0/x_1 joined into (n, 2)', async () => {
    const trials = await one.loadObject(eidOf('TAB_001'), 'trials');
    assert.deepEqual(Object.keys(trials.attributes).sort(), ['choice', 'goCue_times', 'intervals']);
    assert.deepEqual(trials.attributes.intervals?.shape, [3, 2]);
    assert.deepEqual(values(trials.attributes.intervals), [0, 5, 10, 15, 20, 25]);
    assert.deepEqual(Array.from(trials.attributes.choice?.data as Int32Array), [1, -1, 1]);
    assert.deepEqual((trials.other.label as { value: unknown }).value, ['a', 'b', 'c']);
  });

  test('sessions in folders numbered 1 or 02, and without a lab folder, are found', async () => {
    const padded = sessions.filter((s) => s.subject === 'PAD_001');
    assert.deepEqual(padded.map((s) => s.number).sort(), [1, 2]);
    for (const s of padded) {
      const choice = await one.loadObject(s.id, 'trials');
      assert.deepEqual(values(choice.attributes.choice), [s.number]);
      assert.equal(await one.sessionPath(s.id), path.join(root, PAD, s.number === 1 ? '1' : '02'));
    }
    const labless = sessions.find((s) => s.subject === 'PAD_002') as SessionRow;
    assert.equal(labless.lab, '');
    assert.deepEqual(values((await one.loadObject(labless.id, 'trials')).attributes.choice), [3]);
  });

  test('errors: unknown session, unknown object (listing the objects there), bad revision', async () => {
    await assert.rejects(one.loadObject('nope', 'trials'), rejectsWith('session-not-found', /session "nope" is not in the cache/));
    await assert.rejects(one.loadObject(eidOf('REV_001'), 'licks'), rejectsWith('not-found', /ALF object "licks" not found in session .* \(objects here: empty, experiment, notes, pos, spikes, trials, wheel\)/));
    await assert.rejects(one.loadObject(eidOf('REV_001'), 'trials', { revision: 2021 as unknown as string }), rejectsWith('invalid-value', /^revision: expected a revision name/));
    assert.equal((await one.loadObject(eidOf('REV_001'), 'tr*')).object, 'trials'); // a pattern matching one object is fine
    await assert.rejects(one.loadObject(eidOf('REV_001'), '*'), rejectsWith('multiple-objects', /"\*" matches several objects: empty, experiment/));
  });
});

describe('loadDataset', () => {
  test('by file name, with the extension added to a two-part name; by relative path; by pattern', async () => {
    const eid = eidOf('REV_001');
    const full = await one.loadDataset(eid, '_ibl_wheel.position.npy');
    assert.equal(full.kind, 'npy');
    assert.deepEqual(full.kind === 'npy' && values(full.array), [0, 1, 2, 3, 4]);
    assert.deepEqual(await one.loadDataset(eid, '_ibl_wheel.position'), full);
    assert.deepEqual(await one.loadDataset(eid, '*wheel.pos*'), full);
    assert.deepEqual(await one.loadDataset(eid, 'alf/_ibl_wheel.position.npy'), full);
    // no namespace in the name: like ONE, 'wheel.position' does not match '_ibl_wheel.position.npy'
    await assert.rejects(one.loadDataset(eid, 'wheel.position'), rejectsWith('not-found', /Dataset "wheel.position" not found/));
  });

  test('revision and collection', async () => {
    const eid = eidOf('REV_001');
    const v = async (name: string, o = {}): Promise<number[]> => {
      const c = await one.loadDataset(eid, name, o);
      return c.kind === 'npy' ? values(c.array) : [];
    };
    assert.deepEqual(await v('_ibl_trials.choice.npy'), [3, 3, 3]);
    assert.deepEqual(await v('_ibl_trials.choice.npy', { revision: '2021-06-01' }), [2, 2, 2]);
    assert.deepEqual(await v('_ibl_trials.choice.npy', { revision: '2000' }), [1, 1, 1]);
    assert.deepEqual(await v('alf/#2021-01-01#/_ibl_trials.choice.npy'), [2, 2, 2]);
    assert.deepEqual(await v('spikes.times.npy', { collection: 'alf/probe00' }), [1.1, 1.2, 1.3]);
    await assert.rejects(one.loadDataset(eid, 'spikes.times.npy'), rejectsWith('multiple-collections', /dataset "spikes.times.npy" is in several collections: "alf", "alf\/probe00", "alf\/probe01"; pass collection/));
    await assert.rejects(one.loadDataset(eid, 'alf/spikes.times.npy', { collection: 'alf' }), rejectsWith('invalid-value', /collection and revision must not be given when dataset is a relative path/));
    await assert.rejects(one.loadDataset(eid, '_ibl_trials.*'), rejectsWith('multiple-objects', /matches several datasets: .*_ibl_trials\.choice\.npy.*; be more specific/));
  });

  test('other formats: JSON parsed, an empty file as empty, unknown formats as their path', async () => {
    const eid = eidOf('REV_001');
    const json = await one.loadDataset(eid, '_ibl_experiment.description.json');
    assert.deepEqual(json.kind === 'json' && json.value, { devices: {} });
    const empty = await one.loadDataset(eid, '_ibl_empty.thing.npy');
    assert.equal(empty.kind, 'empty');
    const txt = await one.loadDataset(eid, '_ibl_notes.text.txt');
    assert.deepEqual(txt, { kind: 'file', path: path.join(root, REV, 'alf', '_ibl_notes.text.txt') });
  });
});

describe('QC and files missing on disk', () => {
  let changed: OneLocal;
  let tables = '';
  before(async () => {
    const loaded = await loadCache(root);
    const rows = loaded.datasets.map((d) => ({ ...d }));
    for (const r of rows) if (r.eid === eidOf('REV_001') && r.rel_path === 'alf/_ibl_wheel.position.npy') r.qc = 'CRITICAL';
    tables = mkdtempSync(path.join(tmpdir(), 'alf-one-qc-'));
    await writeCacheTables({ outDir: tables, sessions: loaded.sessions, datasets: rows, metadata: loaded.metadata.datasets ?? { date_created: '2024-01-01T00:00:00', origin: root } });
    changed = await OneLocal.open(root, { tablesDir: tables });
  });
  after(() => rmSync(tables, { recursive: true, force: true }));

  test('CRITICAL datasets are hidden from lists and loads unless asked for', async () => {
    const eid = eidOf('REV_001');
    assert.ok(!changed.listDatasets(eid).includes('alf/_ibl_wheel.position.npy'));
    assert.ok(changed.listDatasets(eid, { qc: 'CRITICAL' }).includes('alf/_ibl_wheel.position.npy'));
    assert.deepEqual(changed.listDatasets(eid, { qc: 'PASS', filename: '*wheel*' }), ['alf/_ibl_wheel.timestamps.npy']);
    assert.deepEqual(changed.listDatasets(eid, { ignoreQcNotSet: true }), []);
    await assert.rejects(changed.loadDataset(eid, '_ibl_wheel.position.npy'), rejectsWith('not-found', /1 matching dataset\(s\) have QC CRITICAL and are hidden, as in ONE/));
    assert.deepEqual(Object.keys((await changed.loadObject(eid, 'wheel')).attributes), ['timestamps']);
  });

  test('files missing on disk are skipped; none left is an error that says where it looked', async () => {
    const s = sessions.find((x) => x.lab === 'danlab') as SessionRow;
    const dir = (await one.sessionPath(s.id)) as string;
    rmSync(path.join(dir, 'alf', '_ibl_trials.choice.npy'));
    const trials = await one.loadObject(s.id, 'trials');
    assert.equal(trials.files.length, 14);
    assert.ok(!('choice' in trials.attributes));
    await assert.rejects(one.loadDataset(s.id, '_ibl_trials.choice.npy'), rejectsWith('not-on-disk', /_ibl_trials\.choice\.npy missing; download or restore them, or rebuild the cache/));
    const moved = sessions.find((x) => x.lab === 'mainenlab') as SessionRow;
    const fresh = await OneLocal.open(root);
    const from = (await fresh.sessionPath(moved.id)) as string;
    renameSync(from, `${from}-moved`);
    const fresher = await OneLocal.open(root);
    await assert.rejects(fresher.loadObject(moved.id, 'trials'), rejectsWith('not-on-disk', /no session folder \(looked for .*mainenlab\/Subjects\/ZM_001\/.*\/001, .*\); open the cache from the folder it was built in/));
    assert.equal(await fresher.sessionPath(moved.id), null);
    renameSync(`${from}-moved`, from);
    writeFileSync(path.join(dir, 'alf', '_ibl_trials.choice.npy'), f8([1]));
  });
});

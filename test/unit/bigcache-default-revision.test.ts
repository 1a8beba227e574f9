/**
 * Issue 14: Alyx's `default_revision` column, followed as ONE 3.4.2's `filter_revision_last_before`
 * and `list_datasets(default_revisions_only=True)` do. Tables written by our own Parquet writer
 * with the extra column, real .npy files whose content differs per revision, read back through
 * OneLocal and the `alf` CLI. (The same against tables written by pyarrow: test/interop/bigcache-*.)
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { buildCache } from '../../src/core/cache/build';
import type { DatasetRow, QcName, SessionRow } from '../../src/core/cache/types';
import type { NpyArray } from '../../src/core/npy';
import { OneError, OneLocal } from '../../src/core/one';
import { encodeParquet } from '../../src/core/parquet';
import { encodeSessionsTable } from '../../src/core/parquet/one-tables';
import { alf, npyFloat64, tempDir, writeTree } from '../helpers';

const EID_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const EID_B = 'bbbbbbbb-0000-4000-8000-000000000002';
const EID_C = 'cccccccc-0000-4000-8000-000000000003';
const REV = '#2023-04-20#';

interface Spec {
  eid: string;
  rel: string;
  values: number[];
  marked: boolean;
  qc?: QcName;
}

/** Three sessions: every case of filter_revision_last_before, with a distinct content per file. */
const SPECS: Spec[] = [
  // A: the older file is the marked default (Alyx does this); goCue has two revisions, none marked;
  // stimOn has a single unmarked revision (taken silently, as ONE's `len(df) == 1`)
  { eid: EID_A, rel: 'alf/_ibl_trials.choice.npy', values: [1, 1, 1], marked: true },
  { eid: EID_A, rel: `alf/${REV}/_ibl_trials.choice.npy`, values: [2, 2, 2], marked: false },
  { eid: EID_A, rel: 'alf/_ibl_trials.goCue_times.npy', values: [10, 11, 12], marked: false },
  { eid: EID_A, rel: `alf/${REV}/_ibl_trials.goCue_times.npy`, values: [20, 21, 22], marked: false },
  { eid: EID_A, rel: 'alf/_ibl_trials.stimOn_times.npy', values: [5, 6, 7], marked: false },
  // B: two revisions both marked (a broken cache)
  { eid: EID_B, rel: 'alf/_ibl_trials.feedbackType.npy', values: [1, -1, 1], marked: true },
  { eid: EID_B, rel: `alf/${REV}/_ibl_trials.feedbackType.npy`, values: [-1, -1, -1], marked: true },
  // C: the marked default is CRITICAL, so hidden (QC filters first, as in ONE): the other one is read
  { eid: EID_C, rel: 'alf/_ibl_trials.choice.npy', values: [7, 7, 7], marked: true, qc: 'CRITICAL' },
  { eid: EID_C, rel: `alf/${REV}/_ibl_trials.choice.npy`, values: [8, 8, 8], marked: false },
];

const SESSIONS: SessionRow[] = [
  { id: EID_A, lab: 'lab', subject: 'SUB_A', date: '2023-05-01', number: 1, task_protocol: '', projects: '' },
  { id: EID_B, lab: 'lab', subject: 'SUB_B', date: '2023-05-02', number: 1, task_protocol: '', projects: '' },
  { id: EID_C, lab: 'lab', subject: 'SUB_C', date: '2023-05-03', number: 1, task_protocol: '', projects: '' },
];

const folderOf = (eid: string): string => {
  const s = SESSIONS.find((x) => x.id === eid) as SessionRow;
  return `${s.lab}/Subjects/${s.subject}/${s.date}/00${s.number}`;
};

/** The data tree and both tables, written by our writer with Alyx's default_revision column. */
async function makeCache(root: string): Promise<void> {
  const files: Record<string, Buffer> = {};
  for (const s of SPECS) files[`${folderOf(s.eid)}/${s.rel}`] = npyFloat64(s.values);
  writeTree(root, files);
  const metadata = { date_created: '2023-05-04 10:00', origin: 'alyx' };
  writeFileSync(path.join(root, 'sessions.pqt'), await encodeSessionsTable(SESSIONS, metadata));
  const col = <T>(f: (s: Spec, i: number) => T): T[] => SPECS.map(f);
  const datasets = await encodeParquet({
    columns: [
      { name: 'rel_path', type: 'utf8', values: col((s) => s.rel) },
      { name: 'file_size', type: 'uint64', values: col((s) => 128 + 8 * s.values.length) },
      { name: 'hash', type: 'utf8', values: col(() => null) },
      { name: 'exists', type: 'bool', values: col(() => true) },
      { name: 'qc', type: 'utf8', values: col((s) => s.qc ?? 'PASS'), dictionary: ['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'] },
      { name: 'default_revision', type: 'bool', values: col((s) => s.marked) },
      { name: 'eid', type: 'utf8', values: col((s) => s.eid) },
      { name: 'id', type: 'utf8', values: col((_s, i) => `dddddddd-0000-4000-8000-${String(i).padStart(12, '0')}`) },
    ],
    keyValueMetadata: [['one_metadata', JSON.stringify(metadata)]],
  });
  writeFileSync(path.join(root, 'datasets.pqt'), datasets);
}

const values = (a: NpyArray | undefined): number[] => Array.from((a as NpyArray).data as Float64Array);

function rejectsWith(code: string, message: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof OneError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  };
}

describe('default_revision column (issue 14)', () => {
  test('the rows carry the column; listDatasets lists every revision, defaultRevisionsOnly the marked rows only', async (t) => {
    const root = tempDir(t, 'alf-defrev-');
    await makeCache(root);
    const one = await OneLocal.open(root);
    assert.equal(one.hasDefaultRevision, true);
    const rows = one.listDatasets(EID_A, { details: true });
    assert.deepEqual(rows.map((r) => [r.rel_path, r.default_revision]), [
      [`alf/${REV}/_ibl_trials.choice.npy`, false],
      [`alf/${REV}/_ibl_trials.goCue_times.npy`, false],
      ['alf/_ibl_trials.choice.npy', true],
      ['alf/_ibl_trials.goCue_times.npy', false],
      ['alf/_ibl_trials.stimOn_times.npy', false],
    ]);
    // ONE: datasets[datasets['default_revision']], then the usual filters; no fallback for unmarked ones
    assert.deepEqual(one.listDatasets(EID_A, { defaultRevisionsOnly: true }), ['alf/_ibl_trials.choice.npy']);
    assert.deepEqual(one.listDatasets(EID_B, { defaultRevisionsOnly: true }), [`alf/${REV}/_ibl_trials.feedbackType.npy`, 'alf/_ibl_trials.feedbackType.npy']);
    assert.deepEqual(one.listDatasets(EID_C, { defaultRevisionsOnly: true }), [], 'the marked one is CRITICAL, hidden by the default qc');
    assert.deepEqual(one.listDatasets(EID_C, { defaultRevisionsOnly: true, qc: 'CRITICAL' }), ['alf/_ibl_trials.choice.npy']);
  });

  test('loadDataset reads the marked default, not the newest; an explicit revision ignores the column', async (t) => {
    const root = tempDir(t, 'alf-defrev-');
    await makeCache(root);
    const one = await OneLocal.open(root);
    const load = async (eid: string, name: string, options = {}) => {
      const warnings: string[] = [];
      const c = await one.loadDataset(eid, name, { ...options, onWarning: (w) => warnings.push(w) });
      assert.equal(c.kind, 'npy');
      return { values: values(c.kind === 'npy' ? c.array : undefined), warnings };
    };
    assert.deepEqual(await load(EID_A, '_ibl_trials.choice.npy'), { values: [1, 1, 1], warnings: [] });
    assert.deepEqual((await load(EID_A, '_ibl_trials.choice.npy', { revision: '2023-04-20' })).values, [2, 2, 2]);
    assert.deepEqual((await load(EID_A, '_ibl_trials.choice.npy', { revision: '2024-01-01' })).values, [2, 2, 2], 'latest before, not the marked one');
    assert.deepEqual((await load(EID_A, '_ibl_trials.choice.npy', { revision: '2000-01-01' })).values, [1, 1, 1]);
    // none marked among two: ONE's warning, and the most recent
    assert.deepEqual(await load(EID_A, '_ibl_trials.goCue_times.npy'), {
      values: [20, 21, 22],
      warnings: ['No default revision for dataset alf/_ibl_trials.goCue_times.npy; using most recent'],
    });
    // a single revision, unmarked: taken without a warning
    assert.deepEqual(await load(EID_A, '_ibl_trials.stimOn_times.npy'), { values: [5, 6, 7], warnings: [] });
    // the marked default hidden by QC: the other revision is alone, so taken silently
    assert.deepEqual(await load(EID_C, '_ibl_trials.choice.npy'), { values: [8, 8, 8], warnings: [] });
    // a relative path names its revision itself
    assert.deepEqual((await load(EID_A, `alf/${REV}/_ibl_trials.choice.npy`)).values, [2, 2, 2]);
  });

  test('several marked: loadDataset is ONE\'s ALFMultipleRevisionsFound; loadObject warns and takes the latest', async (t) => {
    const root = tempDir(t, 'alf-defrev-');
    await makeCache(root);
    const one = await OneLocal.open(root);
    await assert.rejects(one.loadDataset(EID_B, '_ibl_trials.feedbackType.npy'), rejectsWith('multiple-revisions', /alf\/_ibl_trials\.feedbackType\.npy has 2 revisions marked default .*\("", "2023-04-20"\).*pass revision/));
    const old = await one.loadDataset(EID_B, '_ibl_trials.feedbackType.npy', { revision: '2023-01-01' });
    assert.deepEqual(values(old.kind === 'npy' ? old.array : undefined), [1, -1, 1]);
    const obj = await one.loadObject(EID_B, 'trials');
    assert.deepEqual(values(obj.attributes.feedbackType), [-1, -1, -1]);
    assert.deepEqual(obj.warnings, ['No default revision for dataset alf/_ibl_trials.feedbackType.npy; using most recent']);
  });

  test('loadObject: each attribute from its marked revision, ONE\'s warnings for the rest', async (t) => {
    const root = tempDir(t, 'alf-defrev-');
    await makeCache(root);
    const one = await OneLocal.open(root);
    const obj = await one.loadObject(EID_A, 'trials');
    assert.deepEqual(values(obj.attributes.choice), [1, 1, 1], 'the marked (older) choice, not the newest');
    assert.deepEqual(values(obj.attributes.goCue_times), [20, 21, 22]);
    assert.deepEqual(values(obj.attributes.stimOn_times), [5, 6, 7]);
    assert.deepEqual(obj.warnings, ['No default revision for dataset alf/_ibl_trials.goCue_times.npy; using most recent', 'multiple revisions: "", "2023-04-20"']);
    const at = await one.loadObject(EID_A, 'trials', { revision: '2023-12-31' });
    assert.deepEqual(values(at.attributes.choice), [2, 2, 2]);
    assert.deepEqual(at.warnings, ['multiple revisions: "", "2023-04-20"']);
    assert.deepEqual(values((await one.loadObject(EID_C, 'trials')).attributes.choice), [8, 8, 8]);
  });

  test('search: the datasets term counts every revision, marked or not (ONE\'s search ignores the column)', async (t) => {
    const root = tempDir(t, 'alf-defrev-');
    await makeCache(root);
    const one = await OneLocal.open(root);
    assert.deepEqual(one.search({ datasets: '_ibl_trials.goCue_times.npy' }), [EID_A]);
    assert.deepEqual(one.search({ datasets: '_ibl_trials.choice.npy' }), [EID_C, EID_A]);
  });

  test('a cache without the column: defaultRevisionsOnly is ONE\'s error, loads take the latest silently', async (t) => {
    const root = tempDir(t, 'alf-defrev-');
    const files: Record<string, Buffer> = {};
    for (const s of SPECS.filter((x) => x.eid === EID_A)) files[`${folderOf(s.eid)}/${s.rel}`] = npyFloat64(s.values);
    writeTree(root, files);
    await buildCache(root);
    const one = await OneLocal.open(root);
    assert.equal(one.hasDefaultRevision, false);
    const eid = one.sessions[0]?.id as string;
    assert.ok(one.listDatasets(eid, { details: true }).every((r: DatasetRow) => r.default_revision === undefined));
    assert.throws(() => one.listDatasets(eid, { defaultRevisionsOnly: true }), rejectsWith('no-default-revisions', /no default_revision column.*No default revisions specified/));
    const obj = await one.loadObject(eid, 'trials');
    assert.deepEqual(values(obj.attributes.choice), [2, 2, 2]);
    assert.deepEqual(obj.warnings, ['multiple revisions: "", "2023-04-20"']);
  });
});

describe('the CLI follows the column (issue 14)', () => {
  test('list-datasets --default-revisions-only, load-object prints the marked revision and ONE\'s warning', async (t) => {
    const root = tempDir(t, 'alf-defrev-cli-');
    await makeCache(root);
    const listed = await alf(['list-datasets', root, EID_A, '--default-revisions-only', '--json']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), ['alf/_ibl_trials.choice.npy']);
    const loaded = await alf(['load-object', root, EID_A, 'trials', '--json', '--values']);
    assert.equal(loaded.status, 0, loaded.stderr);
    const out = JSON.parse(loaded.stdout) as { attributes: Record<string, { values: number[] }>; warnings: string[] };
    assert.deepEqual(out.attributes.choice?.values, [1, 1, 1]);
    assert.ok(out.warnings.includes('No default revision for dataset alf/_ibl_trials.goCue_times.npy; using most recent'), String(out.warnings));
  });

  test('--default-revisions-only on a cache built from files: one line naming the option, exit 2', async (t) => {
    const root = tempDir(t, 'alf-defrev-cli-');
    writeTree(root, { [`${folderOf(EID_A)}/alf/_ibl_trials.choice.npy`]: npyFloat64([1]) });
    await buildCache(root);
    const r = await alf(['list-datasets', root, `${folderOf(EID_A)}`, '--default-revisions-only']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--default-revisions-only: .*no default_revision column/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
});

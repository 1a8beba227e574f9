/**
 * Issue 14 against tables written by pyarrow (ALF_PYTHON): Alyx's `default_revision` column as
 * pandas + pyarrow write it (a bool column beside ONE's, index eid/id, categorical qc), with real
 * .npy files whose content differs per revision; and the shared make-big-cache.py's Alyx-shaped
 * cache at a small size, where every session's marked rows must be those pandas reads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { NpyArray } from '../../src/core/npy';
import { OneError, OneLocal } from '../../src/core/one';
import { SHARED, npyFloat64, writeTree } from '../helpers';
import { interopPython } from './support';

const py = interopPython(['pandas', 'pyarrow']);
const MAKE_BIG = path.join(SHARED, 'tools/make-big-cache.py');
const NO_MAKE_BIG = existsSync(MAKE_BIG) ? false : `needs ${MAKE_BIG} (the shared folder beside the project), which is absent`;

function python(code: string, args: string[]): string {
  const r = spawnSync(py.python as string, ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const EID = '0a1b2c3d-0000-4000-8000-00000000000a';
const FOLDER = 'cortexlab/Subjects/KS005/2023-05-01/001';
const REV = '#2023-04-20#';

/** Writes both tables with pandas + pyarrow, as ONE / iblutil's parquet.save and Alyx's cache do. */
const WRITE_TABLES = `
import json, sys, datetime, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
out, eid, rev = sys.argv[1], sys.argv[2], sys.argv[3]
QC = pd.CategoricalDtype(['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'], ordered=True)
meta = {'date_created': '2023-05-04 10:00', 'origin': 'alyx'}
def save(name, df):
    t = pa.Table.from_pandas(df)
    t = t.replace_schema_metadata({'one_metadata': json.dumps(meta).encode(), **t.schema.metadata})
    pq.write_table(t, f'{out}/{name}')
ses = pd.DataFrame({'id': [eid], 'lab': ['cortexlab'], 'subject': ['KS005'], 'date': [datetime.date(2023, 5, 1)],
                    'number': pd.array([1], dtype='uint16'), 'task_protocol': [''], 'projects': ['']}).set_index('id')
rel = ['alf/_ibl_trials.choice.npy', f'alf/{rev}/_ibl_trials.choice.npy',
       'alf/_ibl_trials.goCue_times.npy', f'alf/{rev}/_ibl_trials.goCue_times.npy']
ds = pd.DataFrame({'eid': [eid] * 4, 'id': [f'dddddddd-0000-4000-8000-00000000000{i}' for i in range(4)], 'rel_path': rel,
                   'file_size': pd.array([152] * 4, dtype='UInt64'), 'hash': [None] * 4, 'exists': [True] * 4,
                   'qc': pd.Categorical(['PASS'] * 4, dtype=QC), 'default_revision': [True, False, True, True]}).set_index(['eid', 'id'])
save('sessions.pqt', ses)
save('datasets.pqt', ds)
print(pq.read_schema(f'{out}/datasets.pqt').field('default_revision').type)
`;

const values = (a: NpyArray | undefined): number[] => Array.from((a as NpyArray).data as Float64Array);

describe('default_revision in tables written by pyarrow (issue 14)', { skip: py.reason ?? false }, () => {
  let root = '';
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'alf-interop-defrev-'));
    writeTree(root, {
      [`${FOLDER}/alf/_ibl_trials.choice.npy`]: npyFloat64([1, 1, 1]),
      [`${FOLDER}/alf/${REV}/_ibl_trials.choice.npy`]: npyFloat64([2, 2, 2]),
      [`${FOLDER}/alf/_ibl_trials.goCue_times.npy`]: npyFloat64([10, 11, 12]),
      [`${FOLDER}/alf/${REV}/_ibl_trials.goCue_times.npy`]: npyFloat64([20, 21, 22]),
    });
    assert.equal(python(WRITE_TABLES, [root, EID, REV]).trim(), 'bool');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the marked (older) choice is loaded and listed; both goCue marked is ONE\'s error for loadDataset', async () => {
    const one = await OneLocal.open(root);
    assert.equal(one.hasDefaultRevision, true);
    assert.deepEqual(one.listDatasets(EID, { defaultRevisionsOnly: true }), [`alf/${REV}/_ibl_trials.goCue_times.npy`, 'alf/_ibl_trials.choice.npy', 'alf/_ibl_trials.goCue_times.npy']);
    const choice = await one.loadDataset(EID, '_ibl_trials.choice.npy');
    assert.deepEqual(values(choice.kind === 'npy' ? choice.array : undefined), [1, 1, 1]);
    await assert.rejects(one.loadDataset(EID, '_ibl_trials.goCue_times.npy'), (e: unknown) => e instanceof OneError && e.code === 'multiple-revisions');
    const obj = await one.loadObject(EID, 'trials');
    assert.deepEqual(values(obj.attributes.choice), [1, 1, 1]);
    assert.deepEqual(values(obj.attributes.goCue_times), [20, 21, 22]);
    assert.ok(obj.warnings.includes('No default revision for dataset alf/_ibl_trials.goCue_times.npy; using most recent'), String(obj.warnings));
  });
});

describe('make-big-cache.py\'s Alyx-shaped cache, small (issue 14)', { skip: py.reason ?? NO_MAKE_BIG }, () => {
  test('every session\'s default-revision rows are the ones pandas reads', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alf-interop-bigcache-'));
    try {
      const made = spawnSync(py.python as string, [MAKE_BIG, dir, '--sessions', '300'], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      const expected = JSON.parse(
        python(
          [
            'import json, sys, pandas as pd',
            'df = pd.read_parquet(sys.argv[1] + "/datasets.pqt").reset_index()',
            'df = df[df["default_revision"] & (df["qc"] <= "FAIL")]',
            'print(json.dumps({e: sorted(g["rel_path"]) for e, g in df.groupby("eid")}))',
          ].join('\n'),
          [dir],
        ),
      ) as Record<string, string[]>;
      const one = await OneLocal.open(dir);
      assert.equal(one.sessions.length, 300);
      let compared = 0;
      for (const s of one.sessions) {
        assert.deepEqual(one.listDatasets(s.id, { defaultRevisionsOnly: true }), expected[s.id] ?? [], s.id);
        compared++;
      }
      assert.equal(compared, 300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Issue 14 against tables written by pyarrow (ALF_PYTHON): the typed reader behind OneLocal.open
 * reads several row groups, data pages v1 and v2, the dictionary-to-PLAIN fallback and nulls,
 * giving for every row what pandas reads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { loadCacheTables } from '../../src/core/cache/load';
import { interopPython } from './support';

const py = interopPython(['pandas', 'pyarrow']);

const WRITE = `
import json, sys, datetime, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
out, version = sys.argv[1], sys.argv[2]
QC = pd.CategoricalDtype(['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'], ordered=True)
meta = {'date_created': '2024-01-01 10:00', 'origin': 'alyx'}
n = 20000
eids = [f'{i // 9:08x}-0000-4000-8000-000000000000' for i in range(n)]
ses_ids = sorted(set(eids))
def save(name, df, **kw):
    t = pa.Table.from_pandas(df)
    t = t.replace_schema_metadata({'one_metadata': json.dumps(meta).encode(), **t.schema.metadata})
    pq.write_table(t, f'{out}/{name}', **kw)
ses = pd.DataFrame({'id': ses_ids, 'lab': ['lab'] * len(ses_ids), 'subject': [f'S{i % 7}' for i in range(len(ses_ids))],
                    'date': [datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 300) for i in range(len(ses_ids))],
                    'number': pd.array([i % 3 + 1 for i in range(len(ses_ids))], dtype='uint16'),
                    'task_protocol': [None if i % 5 == 0 else 'proto' for i in range(len(ses_ids))], 'projects': [''] * len(ses_ids)}).set_index('id')
ds = pd.DataFrame({'eid': eids, 'id': [f'dddddddd-0000-4000-8000-{i:012d}' for i in range(n)],
                   'rel_path': [f'alf/#r{i % 4}#/obj.a{i % 6}.npy' for i in range(n)],
                   'file_size': pd.array([None if i % 13 == 0 else i * 7 for i in range(n)], dtype='UInt64'),
                   'hash': [None if i % 11 == 0 else f'{i:032x}' for i in range(n)],
                   'exists': [i % 5 != 0 for i in range(n)],
                   'qc': pd.Categorical([['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'][i % 5] for i in range(n)], dtype=QC),
                   'default_revision': [i % 4 == 0 for i in range(n)]}).set_index(['eid', 'id'])
save('sessions.pqt', ses)
save('datasets.pqt', ds, row_group_size=6000, data_page_version=version, dictionary_pagesize_limit=4096, data_page_size=8192)
d = ds.reset_index()
rows = [[r.eid, r.id, r.rel_path, None if pd.isna(r.file_size) else int(r.file_size), None if pd.isna(r.hash) else r.hash, bool(r.exists), r.qc, bool(r.default_revision)] for r in d.itertuples()]
s = ses.reset_index()
print(json.dumps({'rows': rows, 'sessions': [[r.id, "" if pd.isna(r.task_protocol) else r.task_protocol, str(r.date), int(r.number)] for r in s.itertuples()],
                  'groups': pq.ParquetFile(f'{out}/datasets.pqt').metadata.num_row_groups}))
`;

describe('typed reads of pyarrow-written caches (issue 14)', { skip: py.reason ?? false }, () => {
  for (const version of ['1.0', '2.0']) {
    test(`several row groups, data pages ${version}, dictionary fallback, nulls: every row as pandas reads it`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'alf-interop-typed-'));
      try {
        const r = spawnSync(py.python as string, ['-c', WRITE, dir, version], { encoding: 'utf8', maxBuffer: 1 << 28 });
        assert.equal(r.status, 0, r.stderr);
        const expected = JSON.parse(r.stdout) as { rows: unknown[][]; sessions: unknown[][]; groups: number };
        assert.ok(expected.groups >= 3, `row groups: ${expected.groups}`);
        const tables = await loadCacheTables(dir);
        assert.deepEqual(tables.upgrades, []);
        assert.equal(tables.hasDefaultRevision, true);
        const rows = tables.datasets.rows(Int32Array.from({ length: tables.datasets.length }, (_, i) => i));
        assert.deepEqual(rows.map((d) => [d.eid, d.id, d.rel_path, d.file_size, d.hash, d.exists, d.qc, d.default_revision]), expected.rows);
        assert.deepEqual(tables.sessions.map((s) => [s.id, s.task_protocol, s.date, s.number]), expected.sessions);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

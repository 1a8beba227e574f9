// Interop with the readers ONE itself uses: pandas.read_parquet / pyarrow. Needs ALF_PYTHON with
// pandas + pyarrow; skips with the reason otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeCacheTables } from '../../src/core/cache/tables';
import { pythonJsonDumps } from '../../src/core/parquet';
import { sampleDatasets, sampleSessions, tempDir } from '../unit/parquet-helpers';
import { interopPython } from './support';

const found = interopPython(['pandas', 'pyarrow']);

const SCRIPT = String.raw`
import json, sys, datetime
import pandas as pd, pyarrow, pyarrow.parquet as pq
QC_TYPE = pd.CategoricalDtype(categories=['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'], ordered=True)
out = {'versions': [pd.__version__, pyarrow.__version__]}
for d in sys.argv[1:]:
    s = pd.read_parquet(d + '/sessions.pqt')
    ds = pd.read_parquet(d + '/datasets.pqt')
    meta = pq.read_table(d + '/datasets.pqt').schema.metadata  # what ONE's iblutil.io.parquet.load reads
    out[d] = {
        'sessions_index': list(s.index.names), 'datasets_index': list(ds.index.names),
        'number': str(s['number'].dtype), 'date_is_date': all(type(x) is datetime.date for x in s['date']),
        'dates': [x.isoformat() for x in s['date']],
        'file_size': str(ds['file_size'].dtype), 'file_size_values': [None if pd.isna(x) else int(x) for x in ds['file_size']],
        'exists': str(ds['exists'].dtype), 'qc_is_category': str(ds['qc'].dtype) == 'category',
        'qc_categories': list(ds['qc'].dtype.categories), 'qc_ordered': bool(ds['qc'].dtype.ordered),
        'qc_is_QC_TYPE': bool(ds['qc'].dtype == QC_TYPE) if len(ds) else None,
        'qc_values': [str(x) for x in ds['qc']], 'qc_compare_fail': int((ds['qc'] >= 'FAIL').sum()) if len(ds) else 0,
        'hash': [None if x is None or (isinstance(x, float) and pd.isna(x)) else str(x) for x in ds['hash']],
        'ids': [list(map(str, ix)) for ix in ds.index], 'subjects': [str(x) for x in s['subject']],
        'one_metadata': json.loads(meta[b'one_metadata']),
    }
out['dumps'] = json.dumps(json.loads(sys.stdin.read()))
print(json.dumps(out))
`;

test('pandas.read_parquet gives the dtypes ONE relies on', { skip: found.reason ?? false, timeout: 300_000 }, async (t) => {
  const dirs = { all: tempDir(), notSet: tempDir(), empty: tempDir(), big: tempDir() };
  // enough rows for multi-group bit-packed definition levels and several data pages
  const big = Array.from({ length: 100 }, (_, k) => sampleDatasets().map((d, i) => ({ ...d, id: `${d.id.slice(0, 24)}${(k * 100 + i).toString(16).padStart(12, '0')}` }))).flat();
  try {
    const metadata = { date_created: '2026-03-04 05:06', origin: 'pandas test ü' };
    await writeCacheTables({ outDir: dirs.all.dir, sessions: sampleSessions(), datasets: sampleDatasets(), metadata });
    await writeCacheTables({ outDir: dirs.notSet.dir, sessions: sampleSessions(), datasets: sampleDatasets(() => 'NOT_SET'), metadata });
    await writeCacheTables({ outDir: dirs.empty.dir, sessions: [], datasets: [], metadata });
    await writeCacheTables({ outDir: dirs.big.dir, sessions: sampleSessions(), datasets: big, metadata });
    const tricky = { s: 'é\u0000"\\\n\t😀\u007f~', n: [1, -2, 3.5, null, true, false], nested: { a: [] as never[], b: {} } };
    const child = execFile(found.python!, ['-c', SCRIPT, ...Object.values(dirs).map((d) => d.dir)], { maxBuffer: 1 << 24, timeout: 120_000 });
    child.stdin!.end(JSON.stringify(tricky));
    const stdout = await new Promise<string>((resolve, reject) => {
      let text = '';
      let err = '';
      child.stdout!.on('data', (b) => (text += b));
      child.stderr!.on('data', (b) => (err += b));
      child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`python exited ${code}: ${err}`))));
    });
    const out = JSON.parse(stdout);
    t.diagnostic(`pandas ${out.versions[0]}, pyarrow ${out.versions[1]}`);
    for (const [name, dir] of Object.entries(dirs)) {
      const r = out[dir.dir];
      const rows = { empty: [], notSet: sampleDatasets(() => 'NOT_SET'), all: sampleDatasets(), big }[name]!;
      assert.deepEqual(r.sessions_index, ['id'], name);
      assert.deepEqual(r.datasets_index, ['eid', 'id'], name);
      assert.equal(r.number, 'uint16', name);
      assert.equal(r.file_size, 'UInt64', name);
      assert.equal(r.exists, 'bool', name);
      assert.equal(r.qc_is_category, true, name);
      assert.equal(r.qc_ordered, true, name);
      assert.deepEqual(r.one_metadata, metadata, name);
      if (name !== 'empty') {
        assert.equal(r.date_is_date, true, name);
        assert.deepEqual(r.dates, sampleSessions().map((s) => s.date), name);
        assert.deepEqual(r.subjects, sampleSessions().map((s) => s.subject), name);
        // categories exactly QC_TYPE's, even where only NOT_SET occurs
        assert.deepEqual(r.qc_categories, ['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'], name);
        assert.equal(r.qc_is_QC_TYPE, true, name);
        assert.deepEqual(r.qc_values, rows.map((d) => d.qc), name);
        assert.equal(r.qc_compare_fail, rows.filter((d) => d.qc === 'FAIL' || d.qc === 'CRITICAL').length, name);
        assert.deepEqual(r.file_size_values, rows.map((d) => d.file_size), name);
        assert.deepEqual(r.hash, rows.map((d) => d.hash), name);
        assert.deepEqual(r.ids, rows.map((d) => [d.eid, d.id]), name);
      } else {
        // With no rows no reader loads the dictionary page: pyarrow gives no categories (as for
        // tables pyarrow writes itself); the dtype is still an ordered categorical.
        assert.deepEqual(r.qc_categories, [], name);
      }
    }
    assert.equal(pythonJsonDumps(tricky), out.dumps, 'pythonJsonDumps = Python json.dumps');
  } finally {
    Object.values(dirs).forEach((d) => d.cleanup());
  }
});

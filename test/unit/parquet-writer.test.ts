// The cache table writer, checked with independent readers: DuckDB for every value and the
// physical/logical types, hyparquet's decoders for the raw qc dictionary page. The shared
// one-cache-check tool (DuckDB + parquet-wasm/arrow-rs) runs in test/interop/one-cache-check.test.ts.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { writeCacheTables } from '../../src/core/cache/tables';
import { QC_NAMES, type DatasetRow, type SessionRow } from '../../src/core/cache/types';
import { ParquetWriteError, formatDateCreated, readParquet } from '../../src/core/parquet';
import { closeDuck, dictionaryPage, query, sampleDatasets, sampleSessions, sharedDir, sqlStr, tempDir } from './parquet-helpers';

after(closeDuck);

const metadata = { date_created: '2026-03-04 05:06', origin: 'parquet-writer.test ü' };

async function writeSample(sessions: SessionRow[] = sampleSessions(), datasets: DatasetRow[] = sampleDatasets()) {
  const tmp = tempDir();
  const written = await writeCacheTables({ outDir: tmp.dir, sessions, datasets, metadata });
  return { ...tmp, ...written };
}

const fixtureDir = sharedDir && path.join(sharedDir, 'fixtures/one-3.4.2-pyarrow-25/tree20-hashed');

test('DuckDB reads back every value, in the order given', async () => {
  const out = await writeSample();
  try {
    assert.deepEqual(readdirSync(out.dir).sort(), ['datasets.pqt', 'sessions.pqt']);
    const s = await query(`select lab, subject, date::VARCHAR as date, number, task_protocol, projects, id from read_parquet(${sqlStr(out.sessionsPath)})`);
    assert.deepEqual(s, sampleSessions().map(({ id, lab, subject, date, number, task_protocol, projects }) => ({ lab, subject, date, number, task_protocol, projects, id })));
    const d = await query(`select rel_path, file_size::VARCHAR as file_size, hash, "exists", qc, eid, id from read_parquet(${sqlStr(out.datasetsPath)})`);
    assert.deepEqual(d, sampleDatasets().map(({ eid, id, rel_path, file_size, hash, exists, qc }) => ({
      rel_path, file_size: file_size === null ? null : String(file_size), hash, exists, qc, eid, id,
    })));
  } finally {
    out.cleanup();
  }
});

const EXPECTED_SCHEMA = {
  sessions: [
    ['lab', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'], ['subject', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'], ['date', 'INT32', 'DATE', 'DATE'],
    ['number', 'INT32', 'UINT_16', 'USMALLINT'], ['task_protocol', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'], ['projects', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'],
    ['id', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'],
  ],
  datasets: [
    ['rel_path', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'], ['file_size', 'INT64', 'UINT_64', 'UBIGINT'], ['hash', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'],
    ['exists', 'BOOLEAN', null, 'BOOLEAN'], ['qc', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'], ['eid', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'], ['id', 'BYTE_ARRAY', 'UTF8', 'VARCHAR'],
  ],
};

async function schemaOf(file: string) {
  return query(`select name, type, converted_type, logical_type, repetition_type from parquet_schema(${sqlStr(file)}) where type is not null`);
}

test('physical, converted and logical types, repetition and DuckDB types are those of the format', async () => {
  const out = await writeSample();
  try {
    for (const table of ['sessions', 'datasets'] as const) {
      const file = path.join(out.dir, `${table}.pqt`);
      const schema = await schemaOf(file);
      assert.deepEqual(schema.map((r) => [r.name, r.type, r.converted_type, r.repetition_type]), EXPECTED_SCHEMA[table].map(([n, t, c]) => [n, t, c, 'OPTIONAL']));
      const described = await query(`describe select * from read_parquet(${sqlStr(file)})`);
      assert.deepEqual(described.map((r) => [r.column_name, r.column_type]), EXPECTED_SCHEMA[table].map(([n, , , d]) => [n, d]));
      if (fixtureDir) {
        // identical to what Python ONE 3.4.2 + pyarrow 25 wrote, logical types included
        assert.deepEqual(schema, await schemaOf(path.join(fixtureDir, `${table}.pqt`)), `${table} schema differs from ONE's`);
      }
      const [fm] = await query(`select num_rows, num_row_groups, format_version, created_by from parquet_file_metadata(${sqlStr(file)})`);
      assert.equal(Number(fm.num_row_groups), 1);
      assert.equal(Number(fm.format_version), 2);
      assert.match(String(fm.created_by), /^alf-workbench version /);
      const chunks = await query(`select path_in_schema, compression, encodings, stats_null_count, stats_min_value, stats_max_value, dictionary_page_offset from parquet_metadata(${sqlStr(file)})`);
      for (const c of chunks) {
        assert.equal(c.compression, 'SNAPPY', `${c.path_in_schema}`);
        assert.notEqual(c.stats_null_count, null, `${c.path_in_schema} has statistics`);
        if (c.path_in_schema === 'exists') assert.equal(c.encodings, 'PLAIN, RLE');
        else assert.equal(c.encodings, 'PLAIN, RLE, RLE_DICTIONARY', `${c.path_in_schema} is dictionary-encoded`);
      }
    }
    const stats = Object.fromEntries((await query(`select path_in_schema p, stats_min_value mn, stats_max_value mx, stats_null_count n from parquet_metadata(${sqlStr(out.datasetsPath)})`)).map((r) => [r.p, r]));
    assert.deepEqual([stats.file_size.mn, stats.file_size.mx, Number(stats.file_size.n)], ['0', String(Number.MAX_SAFE_INTEGER), 1]);
    assert.deepEqual([stats.qc.mn, stats.qc.mx], ['CRITICAL', 'WARNING']);
    assert.equal(Number(stats.hash.n), 2);
    // strings compare in UTF-8 byte order: the emoji path sorts last
    assert.equal(stats.rel_path.mx, 'raw_video_data/_iblrig_leftCamera.raw.mp4');
    assert.equal(stats.rel_path.mn, '');
  } finally {
    out.cleanup();
  }
});

test('key-value metadata: one_metadata, pandas and ARROW:schema, like ONE writes them', async () => {
  const out = await writeSample();
  try {
    for (const table of ['sessions', 'datasets'] as const) {
      const file = path.join(out.dir, `${table}.pqt`);
      const kv = await query(`select decode(key) as k, decode(value) as v from parquet_kv_metadata(${sqlStr(file)})`);
      // ONE's three, then the write both tables of a pair share (ONE and pyarrow ignore it; see table-pair.ts).
      assert.deepEqual(kv.map((r) => r.k), ['one_metadata', 'pandas', 'ARROW:schema', 'alf_write_id']);
      // Python json.dumps: ", " / ": " separators and \u escapes
      assert.equal(kv[0].v, '{"date_created": "2026-03-04 05:06", "origin": "parquet-writer.test \\u00fc"}');
      const pandas = JSON.parse(String(kv[1].v));
      assert.deepEqual(pandas.index_columns, table === 'sessions' ? ['id'] : ['eid', 'id']);
      if (fixtureDir) {
        const ref = await query(`select decode(key) as k, decode(value) as v from parquet_kv_metadata(${sqlStr(path.join(fixtureDir, `${table}.pqt`))})`);
        const refPandas = JSON.parse(String(ref.find((r) => r.k === 'pandas')?.v));
        for (const key of ['index_columns', 'column_indexes', 'columns', 'attributes']) assert.deepEqual(pandas[key], refPandas[key], `pandas.${key}`);
        assert.deepEqual(Object.keys(pandas), Object.keys(refPandas));
        // the same text layout as pyarrow's json.dumps, apart from the creator
        const strip = (s: string) => s.replace(/"creator": \{[^}]*\}, "pandas_version": "[^"]*"/, '');
        assert.equal(strip(String(kv[1].v)), strip(String(ref.find((r) => r.k === 'pandas')?.v)));
      }
      const schema = Buffer.from(String(kv[2].v), 'base64');
      assert.equal(schema.readUInt32LE(0), 0xffffffff);
      assert.equal(schema.readInt32LE(4), schema.length - 8);
      assert.equal(schema.length % 8, 0);
    }
  } finally {
    out.cleanup();
  }
});

test('the qc dictionary page holds NOT_SET, PASS, WARNING, FAIL, CRITICAL whatever values occur', async () => {
  const cases: [string, DatasetRow[]][] = [
    ['every QC value', sampleDatasets()],
    ['only NOT_SET', sampleDatasets(() => 'NOT_SET')],
    ['only CRITICAL then PASS', sampleDatasets((i) => (i < 3 ? 'CRITICAL' : 'PASS'))],
    ['zero rows', []],
  ];
  for (const [name, datasets] of cases) {
    const out = await writeSample(datasets.length ? sampleSessions() : [], datasets);
    try {
      assert.deepEqual(await dictionaryPage(out.datasetsPath, 'qc'), [...QC_NAMES], name);
      const qc = await query(`select qc from read_parquet(${sqlStr(out.datasetsPath)})`);
      assert.deepEqual(qc.map((r) => r.qc), datasets.map((d) => d.qc), name);
    } finally {
      out.cleanup();
    }
  }
});

test('zero rows: both tables have the full schema and no rows', async () => {
  const out = await writeSample([], []);
  try {
    for (const table of ['sessions', 'datasets'] as const) {
      const file = path.join(out.dir, `${table}.pqt`);
      assert.deepEqual((await query(`select count(*)::INTEGER n from read_parquet(${sqlStr(file)})`))[0].n, 0);
      const described = await query(`describe select * from read_parquet(${sqlStr(file)})`);
      assert.deepEqual(described.map((r) => r.column_type), EXPECTED_SCHEMA[table].map(([, , , d]) => d));
      const ours = await readParquet(file);
      assert.equal(ours.rows.length, 0);
      assert.deepEqual(ours.columns.map((c) => c.name), EXPECTED_SCHEMA[table].map(([n]) => n));
    }
  } finally {
    out.cleanup();
  }
});

test('our reader gives back the rows written', async () => {
  const out = await writeSample();
  try {
    const s = await readParquet(out.sessionsPath);
    assert.deepEqual(s.rows, sampleSessions().map(({ id, ...rest }) => ({ ...rest, id })));
    assert.deepEqual(s.columns.map((c) => c.type), ['utf8', 'utf8', 'date32', 'uint16', 'utf8', 'utf8', 'utf8']);
    const d = await readParquet(out.datasetsPath);
    assert.deepEqual(d.rows, sampleDatasets().map(({ eid, id, ...rest }) => ({ ...rest, eid, id })));
    assert.deepEqual(d.columns.map((c) => c.type), ['utf8', 'uint64', 'utf8', 'bool', 'utf8', 'utf8', 'utf8']);
    assert.equal(d.metadata.one_metadata, '{"date_created": "2026-03-04 05:06", "origin": "parquet-writer.test \\u00fc"}');
  } finally {
    out.cleanup();
  }
});

test('rows ONE cannot hold are refused with the row named, before anything is written', async () => {
  const s = sampleSessions();
  const d = sampleDatasets();
  const cases: [string, SessionRow[], DatasetRow[], RegExp][] = [
    ['impossible date', [{ ...s[0], date: '2020-02-30' }], d, /sessions row 0 \(id .*\): date "2020-02-30" is not a valid yyyy-mm-dd date/],
    ['number too big', [s[0], { ...s[1], number: 65536 }], d, /sessions row 1 .*number 65536/],
    ['missing lab', [{ ...s[0], lab: null as unknown as string }], d, /sessions row 0 .*lab is missing/],
    ['unknown qc', s, [{ ...d[0], qc: 'GOOD' as never }], /datasets row 0 .*qc "GOOD" is not one of NOT_SET, PASS/],
    ['negative size', s, [{ ...d[0], file_size: -1 }], /datasets row 0 .*file_size -1/],
    ['exists not boolean', s, [{ ...d[0], exists: 1 as unknown as boolean }], /exists 1 is not a boolean/],
  ];
  for (const [name, sessions, datasets, message] of cases) {
    const tmp = tempDir();
    try {
      await assert.rejects(writeCacheTables({ outDir: tmp.dir, sessions, datasets, metadata }), (e: Error) => e instanceof ParquetWriteError && message.test(e.message), name);
      assert.deepEqual(readdirSync(tmp.dir), [], name);
    } finally {
      tmp.cleanup();
    }
  }
  const tmp = tempDir();
  try {
    await assert.rejects(writeCacheTables({ outDir: tmp.dir, sessions: s, datasets: d, metadata: { origin: 'x' } as never }), /date_created/);
  } finally {
    tmp.cleanup();
  }
});

test('formatDateCreated writes local time as YYYY-MM-DD HH:MM', () => {
  assert.equal(formatDateCreated(new Date(2024, 0, 2, 3, 4, 59)), '2024-01-02 03:04');
});

// readParquet on real files from other writers (pyarrow 4 → 25, parquet-cpp 1.5, DuckDB with
// every codec and many types), compared value for value with DuckDB; and the errors users see.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeCacheTables } from '../../src/core/cache/tables';
import { ParquetReadError, readParquet } from '../../src/core/parquet';
import { closeDuck, query, sampleSessions, sharedDir, skipNoShared, sqlStr, tempDir } from './parquet-helpers';

after(closeDuck);

/** DuckDB's rows, with dates and 64-bit integers as text (the columns cast are returned too). */
async function duckRows(file: string): Promise<{ rows: Record<string, unknown>[]; asText: Set<string> }> {
  const cols = await query(`describe select * from read_parquet(${sqlStr(file)})`);
  const asText = new Set(cols.filter((c) => /^(DATE|BIGINT|UBIGINT)$/.test(String(c.column_type))).map((c) => String(c.column_name)));
  const select = cols.map((c) => {
    const name = `"${String(c.column_name).replace(/"/g, '""')}"`;
    return asText.has(String(c.column_name)) ? `${name}::VARCHAR as ${name}` : name;
  });
  return { rows: await query(`select ${select.join(', ')} from read_parquet(${sqlStr(file)})`), asText };
}

async function compareWithDuckDB(file: string) {
  const ours = await readParquet(file);
  const theirs = await duckRows(file);
  assert.equal(ours.rows.length, theirs.rows.length, `${path.basename(file)} row count`);
  for (let i = 0; i < theirs.rows.length; i++) {
    const mine = Object.fromEntries(Object.entries(ours.rows[i]).map(([k, v]) => [k, theirs.asText.has(k) && v !== null ? String(v) : v]));
    assert.deepEqual(mine, theirs.rows[i], `${path.basename(file)} row ${i}`);
  }
  return ours;
}

test('every pyarrow fixture (pyarrow 5 → 22, parquet-cpp 1.5) reads like DuckDB reads it', { skip: skipNoShared }, async (t) => {
  const dir = path.join(sharedDir!, 'fixtures/pyarrow');
  const files = readdirSync(dir).filter((f) => f.endsWith('.pqt'));
  assert.ok(files.length >= 7);
  for (const f of files) {
    const file = path.join(dir, f);
    const ours = await compareWithDuckDB(file);
    assert.ok('pandas' in ours.metadata && 'ARROW:schema' in ours.metadata, `${f} metadata`);
    t.diagnostic(`${f}: ${ours.rows.length} rows, columns ${ours.columns.map((c) => `${c.name}:${c.type}`).join(', ')}`);
  }
});

test('the ONE fixtures (ONE 3.4.2 + pyarrow 25, ONE 2021 + pyarrow 4) read like DuckDB reads them', { skip: skipNoShared }, async () => {
  const fixtures = path.join(sharedDir!, 'fixtures');
  for (const dir of ['one-3.4.2-pyarrow-25/tree300', 'one-3.4.2-pyarrow-25/tree20-hashed', 'one-2021']) {
    for (const table of ['sessions', 'datasets']) {
      const ours = await compareWithDuckDB(path.join(fixtures, dir, `${table}.pqt`));
      assert.match(ours.metadata.one_metadata, /"date_created"/);
    }
  }
  const s = await readParquet(path.join(fixtures, 'one-3.4.2-pyarrow-25/tree300/sessions.pqt'));
  assert.deepEqual(s.columns.map((c) => `${c.name}:${c.type}:${c.physicalType}`), [
    'lab:utf8:BYTE_ARRAY', 'subject:utf8:BYTE_ARRAY', 'date:date32:INT32', 'number:uint16:INT32',
    'task_protocol:utf8:BYTE_ARRAY', 'projects:utf8:BYTE_ARRAY', 'id:utf8:BYTE_ARRAY',
  ]);
  assert.match(String(s.rows[0].date), /^\d{4}-\d{2}-\d{2}$/);
  const old = await readParquet(path.join(fixtures, 'one-2021/datasets.pqt'));
  assert.deepEqual(old.columns.map((c) => c.type), ['float64', 'utf8', 'utf8', 'utf8', 'bool', 'int64', 'int64', 'int64', 'int64']);
  assert.equal(typeof old.rows[0].eid_0, 'bigint', 'int64 beyond 2^53 stays a bigint');
});

test('every compression codec and many types, written by DuckDB', async () => {
  const tmp = tempDir();
  try {
    const select = `select i::TINYINT as i8, (i * 1000)::SMALLINT as i16, (i * 100000)::INTEGER as i32, (i * 3000000000)::BIGINT as i64,
      i::UTINYINT as u8, (i * 1000)::USMALLINT as u16, (i * 100000)::UINTEGER as u32,
      case when i = 3 then 18446744073709551615::UBIGINT else (i * 4294967296)::UBIGINT end as u64,
      i / 4 as f64, (i / 4)::FLOAT as f32, i % 2 = 0 as b, 'ü' || i::VARCHAR as s, case when i = 2 then null else 'x' end as n,
      DATE '2020-02-29' + i::INTEGER as d, (i * 1.25)::DECIMAL(9, 2) as dec,
      TIMESTAMP '2021-01-01 00:00:00' + to_seconds(i) as ts, [i, i + 1] as l, {'a': i} as st
      from range(4) t(i)`;
    const expected = [0, 1, 2, 3].map((i) => ({
      i8: i, i16: i * 1000, i32: i * 100000, i64: i * 3000000000, u8: i, u16: i * 1000, u32: i * 100000,
      u64: i === 3 ? 18446744073709551615n : i * 4294967296, f64: i / 4, f32: i / 4, b: i % 2 === 0, s: `ü${i}`, n: i === 2 ? null : 'x',
      d: `2020-0${i ? 3 : 2}-${['29', '01', '02', '03'][i]}`, dec: i * 1.25, ts: new Date(Date.UTC(2021, 0, 1, 0, 0, i)), l: [i, i + 1], st: { a: i },
    }));
    for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4', 'lz4_raw']) {
      const file = path.join(tmp.dir, `${codec}.parquet`);
      await query(`copy (${select}) to ${sqlStr(file)} (format parquet, compression ${codec})`);
      const { rows, columns } = await readParquet(file);
      assert.deepEqual(rows.map((r) => ({ ...r, l: Array.from(r.l as number[], Number), st: { a: Number((r.st as { a: unknown }).a) } })), expected, codec);
      if (codec === 'snappy') {
        assert.deepEqual(Object.fromEntries(columns.map((c) => [c.name, c.type])), {
          i8: 'int8', i16: 'int16', i32: 'int32', i64: 'int64', u8: 'uint8', u16: 'uint16', u32: 'uint32', u64: 'uint64', f64: 'float64', f32: 'float32',
          b: 'bool', s: 'utf8', n: 'utf8', d: 'date32', dec: 'decimal(9,2)', ts: 'timestamp[us]', l: 'list', st: 'struct',
        });
      }
    }
  } finally {
    tmp.cleanup();
  }
});

test('clear errors that name the file: missing, folder, empty, not Parquet, truncated, corrupt', async () => {
  const tmp = tempDir();
  try {
    const { sessionsPath: good } = await writeCacheTables({ outDir: path.join(tmp.dir, 'good'), sessions: sampleSessions(), datasets: [], metadata: { date_created: '2026-01-01 00:00', origin: 'x' } });
    const size = readFileSync(good).length;
    const footerStart = size - 8 - readFileSync(good).readUInt32LE(size - 8);
    const cases: [string, (f: string) => void, ParquetReadError['code'], RegExp][] = [
      ['missing.pqt', () => undefined, 'not-found', /^file not found$/],
      ['folder.pqt', (f) => mkdirSync(f), 'not-a-file', /^is a folder, not a Parquet file$/],
      ['empty.pqt', (f) => writeFileSync(f, ''), 'not-parquet', /^empty file \(0 bytes\), not a Parquet file$/],
      ['text.pqt', (f) => writeFileSync(f, 'lab,subject\ncortexlab,KS005\n'), 'not-parquet', /^not a Parquet file \(no PAR1 magic\)$/],
      ['half.pqt', (f) => { copyFileSync(good, f); truncateSync(f, Math.floor(size / 2)); }, 'truncated', /^truncated Parquet file \(\d+ bytes, no PAR1 at the end\)$/],
      ['lastbyte.pqt', (f) => { copyFileSync(good, f); truncateSync(f, size - 1); }, 'truncated', /truncated Parquet file/],
      ['footer.pqt', (f) => { const b = readFileSync(good); b.writeUInt32LE(size, size - 8); writeFileSync(f, b); }, 'truncated', /footer length/],
      ['garbled.pqt', (f) => { const b = readFileSync(good); b.fill(0xfe, footerStart + 10, size - 8); writeFileSync(f, b); }, 'corrupt', /^corrupt Parquet metadata \(/],
      ['pages.pqt', (f) => { const b = readFileSync(good); b.fill(0x07, 4, footerStart); writeFileSync(f, b); }, 'corrupt', /^corrupt Parquet data \(/],
    ];
    for (const [name, make, code, message] of cases) {
      const file = path.join(tmp.dir, name);
      make(file);
      await assert.rejects(readParquet(file, { hint: 'rebuild the cache' }), (e: unknown) => {
        assert.ok(e instanceof ParquetReadError, `${name}: ${String(e)}`);
        assert.equal(e.code, code, `${name}: ${e.message}`);
        assert.equal(e.file, file);
        assert.ok(e.message.startsWith(`${file}: `), e.message);
        assert.ok(e.message.endsWith(' — rebuild the cache'), e.message);
        assert.match(e.reason, message);
        assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace in the message');
        return true;
      }, name);
    }
  } finally {
    tmp.cleanup();
  }
});

test('a selection of columns reads only those', { skip: skipNoShared }, async () => {
  const file = path.join(sharedDir!, 'fixtures/one-3.4.2-pyarrow-25/tree300/datasets.pqt');
  const { rows, columns } = await readParquet(file, { columns: ['qc', 'eid', 'nope'] });
  assert.deepEqual(columns.map((c) => c.name), ['qc', 'eid']);
  assert.deepEqual(Object.keys(rows[0]), ['qc', 'eid']);
  assert.equal(rows.length, 4500);
});

// loadCache on tables written by current ONE/pyarrow, by us, and by ONE's 2021 layout (upgraded
// in memory like ONE's patch_tables), compared with DuckDB reading the raw files.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadCache } from '../../src/core/cache/load';
import { writeCacheTables } from '../../src/core/cache/tables';
import { ParquetReadError } from '../../src/core/parquet';
import { closeDuck, query, sampleDatasets, sampleSessions, sharedDir, skipNoShared, sqlStr, tempDir } from './parquet-helpers';

after(closeDuck);

/** iblutil's np2str, done independently: the 16 bytes of two little-endian int64 as a UUID. */
function halvesToUuid(lo: bigint, hi: bigint): string {
  const b = Buffer.alloc(16);
  b.writeBigInt64LE(lo, 0);
  b.writeBigInt64LE(hi, 8);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

test('tables written by Python ONE 3.4.2 + pyarrow 25 load as DuckDB reads them', { skip: skipNoShared }, async () => {
  for (const tree of ['tree300', 'tree20-hashed']) {
    const dir = path.join(sharedDir!, 'fixtures/one-3.4.2-pyarrow-25', tree);
    const cache = await loadCache(dir);
    assert.equal(cache.upgraded, false);
    assert.deepEqual(cache.upgrades, []);
    const s = await query(`select id, lab, subject, date::VARCHAR as date, number::INTEGER as number, task_protocol, projects from read_parquet(${sqlStr(path.join(dir, 'sessions.pqt'))})`);
    assert.deepEqual(cache.sessions, s);
    const d = await query(`select eid, id, rel_path, file_size::DOUBLE as file_size, hash, "exists", qc from read_parquet(${sqlStr(path.join(dir, 'datasets.pqt'))})`);
    assert.deepEqual(cache.datasets, d);
    const kv = await query(`select decode(value) v from parquet_kv_metadata(${sqlStr(path.join(dir, 'sessions.pqt'))}) where decode(key) = 'one_metadata'`);
    assert.deepEqual(cache.metadata.sessions, JSON.parse(String(kv[0].v)));
    assert.equal(cache.metadata.datasets?.origin, cache.metadata.sessions?.origin);
  }
});

test("ONE's 2021 layout is upgraded like patch_tables: UUID halves, project, no qc, float file_size", { skip: skipNoShared }, async () => {
  const dir = path.join(sharedDir!, 'fixtures/one-2021');
  const cache = await loadCache(dir);
  assert.equal(cache.upgraded, true);
  assert.deepEqual(cache.upgrades, [
    'sessions: id_0/id_1 int64 halves converted to id UUID strings',
    'sessions: column project renamed projects',
    'datasets: eid_0/eid_1 int64 halves converted to eid UUID strings',
    'datasets: id_0/id_1 int64 halves converted to id UUID strings',
    'datasets.qc missing, filled with "NOT_SET"',
    'datasets: file_size float64 read as integers',
  ]);
  const s = await query(`select id_0, id_1, lab, subject, date::VARCHAR as date, number, task_protocol, project from read_parquet(${sqlStr(path.join(dir, 'sessions.pqt'))})`);
  assert.deepEqual(cache.sessions, s.map((r) => ({
    id: halvesToUuid(r.id_0 as bigint, r.id_1 as bigint), lab: r.lab, subject: r.subject, date: r.date,
    number: Number(r.number), task_protocol: r.task_protocol, projects: r.project,
  })));
  const d = await query(`select eid_0, eid_1, id_0, id_1, rel_path, file_size, hash, "exists" from read_parquet(${sqlStr(path.join(dir, 'datasets.pqt'))})`);
  assert.deepEqual(cache.datasets, d.map((r) => ({
    eid: halvesToUuid(r.eid_0 as bigint, r.eid_1 as bigint), id: halvesToUuid(r.id_0 as bigint, r.id_1 as bigint),
    rel_path: r.rel_path, file_size: r.file_size === null ? null : Math.round(r.file_size as number), hash: r.hash, exists: r.exists, qc: 'NOT_SET',
  })));
  // Known rows, as Python computes them: uuid.UUID(bytes=np.array([id_0, id_1], dtype=np.int64).tobytes())
  assert.deepEqual(cache.sessions[0], {
    id: 'd3372b15-f696-4279-9be5-98f15783b5bb', lab: 'mainenlab', subject: 'ZFM-01935', date: '2021-02-05', number: 1,
    task_protocol: '_iblrig_tasks_ephysChoiceWorld6.4.2', projects: 'None',
  });
  assert.deepEqual(cache.datasets[1], {
    eid: 'd3372b15-f696-4279-9be5-98f15783b5bb', id: 'a61d0b8a-5819-4480-adbc-fe49b48906a7',
    rel_path: 'alf/probe00/_phy_spikes_subset.waveforms.npy', file_size: 1091521152, hash: null, exists: true, qc: 'NOT_SET',
  });
  assert.deepEqual(cache.metadata.sessions, { date_created: '2021-05-13 20:38', origin: 'ibl_test' });
  assert.ok(cache.datasets.every((r) => !('session_path' in r)));
});

test('our own tables load back exactly', async () => {
  const tmp = tempDir();
  try {
    const metadata = { date_created: '2026-03-04 05:06', origin: ['a', 'b'] };
    await writeCacheTables({ outDir: tmp.dir, sessions: sampleSessions(), datasets: sampleDatasets(), metadata });
    const cache = await loadCache(tmp.dir);
    assert.deepEqual(cache.sessions, sampleSessions());
    assert.deepEqual(cache.datasets, sampleDatasets());
    assert.deepEqual(cache.metadata, { sessions: metadata, datasets: metadata });
    assert.equal(cache.upgraded, false);
  } finally {
    tmp.cleanup();
  }
});

test('other layouts: missing columns get defaults, qc as numbers or unknown text, no one_metadata', async () => {
  const tmp = tempDir();
  try {
    const s = path.join(tmp.dir, 'sessions.pqt');
    const d = path.join(tmp.dir, 'datasets.pqt');
    await query(`copy (select 'aaaaaaaa-0000-4000-8000-000000000001' as id, 'lab' as lab, 'sub' as subject, DATE '2020-01-02' as date, 2::BIGINT as number) to ${sqlStr(s)} (format parquet)`);
    await query(`copy (select 'aaaaaaaa-0000-4000-8000-000000000001' as eid, 'bbbbbbbb-0000-4000-8000-00000000000' || i::VARCHAR as id, 'x.npy' as rel_path,
      case i when 0 then 'nan'::DOUBLE when 1 then 12.0 else null end as file_size, [40, 10, 7][i + 1] as qc from range(3) t(i)) to ${sqlStr(d)} (format parquet, KV_METADATA {one_metadata: '{"origin": "no date"}'})`);
    const cache = await loadCache(tmp.dir);
    assert.deepEqual(cache.sessions, [{ id: 'aaaaaaaa-0000-4000-8000-000000000001', lab: 'lab', subject: 'sub', date: '2020-01-02', number: 2, task_protocol: '', projects: '' }]);
    assert.deepEqual(cache.datasets.map((r) => [r.file_size, r.hash, r.exists, r.qc]), [[null, null, true, 'FAIL'], [12, null, true, 'PASS'], [null, null, true, 'NOT_SET']]);
    assert.deepEqual(cache.metadata, { sessions: null, datasets: null });
    assert.equal(cache.upgraded, true);
    assert.ok(cache.upgrades.includes('datasets: 1 qc value(s) not in NOT_SET, PASS, WARNING, FAIL, CRITICAL read as NOT_SET'), cache.upgrades.join('\n'));
    assert.ok(cache.upgrades.includes('sessions.task_protocol missing, filled with ""'));
  } finally {
    tmp.cleanup();
  }
});

test('a missing table or a table without ids is a clear error naming the file', async () => {
  const tmp = tempDir();
  try {
    await assert.rejects(loadCache(tmp.dir), (e: unknown) => e instanceof ParquetReadError && e.code === 'not-found'
      && /sessions\.pqt: cache table not found — build the cache first$|datasets\.pqt: cache table not found — build the cache first$/.test(e.message));
    await writeCacheTables({ outDir: tmp.dir, sessions: sampleSessions(), datasets: sampleDatasets(), metadata: { date_created: '2026-01-01 00:00', origin: 'x' } });
    const { rmSync } = await import('node:fs');
    rmSync(path.join(tmp.dir, 'datasets.pqt'));
    await assert.rejects(loadCache(tmp.dir), { message: `${path.join(tmp.dir, 'datasets.pqt')}: cache table not found — build the cache first` });
    await query(`copy (select 1 as x) to ${sqlStr(path.join(tmp.dir, 'datasets.pqt'))} (format parquet)`);
    await assert.rejects(loadCache(tmp.dir), { message: `${path.join(tmp.dir, 'datasets.pqt')}: not a ONE cache table (no eid column, nor eid_0/eid_1) — rebuild the cache` });
    rmSync(path.join(tmp.dir, 'datasets.pqt'));
    mkdirSync(path.join(tmp.dir, 'datasets.pqt'));
    await assert.rejects(loadCache(tmp.dir), /datasets\.pqt: is a folder, not a Parquet file — rebuild the cache$/);
  } finally {
    tmp.cleanup();
  }
});

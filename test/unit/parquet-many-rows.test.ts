// A cache large enough for the writer's default limits to matter (30,000 datasets: the id column
// passes the 1 MiB dictionary limit and fills more than one 1 MiB page), nulls interleaved, sizes
// above 2^32, checked value for value by loadCache and DuckDB. Its speed at the size of the IBL
// release is measured by `npm run bench` (writeCacheTables, loadCache), not here.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadCache } from '../../src/core/cache/load';
import { writeCacheTables } from '../../src/core/cache/tables';
import { closeDuck, dictionaryPage, manyRowsCache, query, sqlStr, tempDir } from './parquet-helpers';

after(closeDuck);

test('30,000 datasets + 2,000 sessions: loadCache and DuckDB read back every value', async () => {
  const { sessions, datasets } = manyRowsCache(2000, 30_000);
  const tmp = tempDir();
  try {
    await writeCacheTables({ outDir: tmp.dir, sessions, datasets, metadata: { date_created: '2026-01-01 00:00', origin: 'many rows' } });
    const datasetsFile = path.join(tmp.dir, 'datasets.pqt');
    assert.equal(await dictionaryPage(datasetsFile, 'id'), undefined, 'the unique ids pass the dictionary limit: PLAIN');
    assert.ok((await dictionaryPage(datasetsFile, 'rel_path'))!.length > 0, 'repeated paths keep their dictionary');
    const loaded = await loadCache(tmp.dir);
    assert.deepEqual(loaded.sessions, sessions);
    assert.deepEqual(loaded.datasets, datasets);

    const d = await query(`select eid, id, rel_path, file_size::DOUBLE as file_size, hash, "exists", qc from read_parquet(${sqlStr(datasetsFile)})`);
    assert.deepEqual(d, datasets);
    const s = await query(`select id, lab, subject, date::VARCHAR as date, number::INTEGER as number, task_protocol, projects from read_parquet(${sqlStr(path.join(tmp.dir, 'sessions.pqt'))})`);
    assert.deepEqual(s, sessions);
  } finally {
    tmp.cleanup();
  }
});

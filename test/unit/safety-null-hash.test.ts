/**
 * Issue 13, data safety 5: a file that was not hashed gets a null `hash` (ONE writes ''; ONE's
 * md5 check skips only null), read back by DuckDB; null and '' are read alike (no hashes)
 * wherever we read the column. Real Python ONE: test/interop/one-null-hash.test.ts.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCache } from '../../src/core/cache/build';
import { loadCache } from '../../src/core/cache/load';
import { writeCacheTables } from '../../src/core/cache/tables';
import { updateCache } from '../../src/core/cache/update';
import { cacheInfo } from '../../src/model/worker/cacheTables';
import { closeDuck, query, sqlStr, tempDir } from './parquet-helpers';

function tree(root: string, sessions: string[]): void {
  for (const day of sessions) {
    const alf = path.join(root, 'cortexlab', 'Subjects', 'KS005', day, '001', 'alf');
    mkdirSync(alf, { recursive: true });
    writeFileSync(path.join(alf, '_ibl_trials.choice.npy'), day);
    writeFileSync(path.join(alf, '_ibl_trials.feedbackType.npy'), day);
  }
}

const hashes = async (dir: string) =>
  query(`select hash from read_parquet(${sqlStr(path.join(dir, 'datasets.pqt'))}) order by rel_path`).then((rows) => rows.map((r) => r.hash));

describe('unhashed files have a null hash (issue 13, data safety 5)', () => {
  after(() => closeDuck());

  test('a build without hashing writes null in every hash; with hashing, md5s', async () => {
    const t = tempDir('alf-safety-hash-');
    try {
      tree(t.dir, ['2024-01-15']);
      await buildCache(t.dir);
      assert.deepEqual(await hashes(t.dir), [null, null]);
      await buildCache(t.dir, { hashFiles: true });
      for (const h of await hashes(t.dir)) assert.match(String(h), /^[0-9a-f]{32}$/);
    } finally {
      t.cleanup();
    }
  });

  test("tables with ONE's '' read as unhashed, like null: an update stays incremental and writes null", async () => {
    const t = tempDir('alf-safety-hash-');
    try {
      tree(t.dir, ['2024-01-15', '2024-01-16']);
      await buildCache(t.dir);
      // The tables as ONE's make_parquet_db (and this project before) wrote them: '' for "not hashed".
      const c = await loadCache(t.dir);
      await writeCacheTables({ outDir: t.dir, sessions: c.sessions, datasets: c.datasets.map((d) => ({ ...d, hash: '' })), metadata: c.metadata.sessions! });
      assert.deepEqual(await hashes(t.dir), ['', '', '', '']);
      assert.equal((await cacheInfo(t.dir))?.hasHashes, false);

      writeFileSync(path.join(t.dir, 'cortexlab/Subjects/KS005/2024-01-16/001/alf/_ibl_trials.choice.npy'), 'changed');
      const r = await updateCache(t.dir, { changedPaths: ['cortexlab/Subjects/KS005/2024-01-16/001'] });
      assert.equal(r.mode, 'incremental', 'reason' in r ? String((r as { reason?: string }).reason) : '');
      assert.deepEqual(await hashes(t.dir), [null, null, null, null], 'kept rows are written with null too');
      assert.equal((await cacheInfo(t.dir))?.hasHashes, false);
    } finally {
      t.cleanup();
    }
  });
});

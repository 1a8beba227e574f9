// Our tables through the shared one-cache-check (46 checks, DuckDB + parquet-wasm/arrow-rs). The
// tool installs its pinned dependencies into ~/.cache once, from the npm registry: that is why
// these tests are here and not in `npm test`.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildCache } from '../../src/core/cache/build';
import { writeCacheTables } from '../../src/core/cache/tables';
import { HAS_SHARED, NO_SHARED_REASON, makeSharedTree, tempDir as testTempDir } from '../helpers';
import { closeDuck, manyRowsCache, sampleDatasets, sampleSessions, tempDir } from '../unit/parquet-helpers';
import { noOneCacheCheck, oneCacheCheck } from './support';

after(closeDuck);

const LONG = 600_000; // the first run installs the tool's dependencies

test('sample tables (every QC value, only NOT_SET) pass', { skip: noOneCacheCheck, timeout: LONG }, async (t) => {
  for (const [name, datasets] of [['every QC value', sampleDatasets()], ['only NOT_SET', sampleDatasets(() => 'NOT_SET')]] as const) {
    const out = tempDir();
    try {
      await writeCacheTables({ outDir: out.dir, sessions: sampleSessions(), datasets, metadata: { date_created: '2024-01-02 03:04', origin: 'interop ü' } });
      const { summary, failures } = await oneCacheCheck(out.dir);
      t.diagnostic(`${name}: ${summary}`);
      assert.equal(summary, '46 passed, 0 failed', `${name}:\n${failures}`);
    } finally {
      out.cleanup();
    }
  }
});

test('a cache built from a messy generated tree, with md5 hashes, passes', { skip: noOneCacheCheck || (HAS_SHARED ? false : NO_SHARED_REASON), timeout: LONG }, async (t) => {
  const root = path.join(testTempDir(t), 'data');
  makeSharedTree(root, ['--sessions', '60', '--seed', '3', '--messy']);
  await buildCache(root, { hashFiles: true });
  const { summary, failures } = await oneCacheCheck(root);
  assert.equal(summary, '46 passed, 0 failed', failures);
});

test('tables the size of the IBL release (4,930 sessions, 74,000 datasets) pass', { skip: noOneCacheCheck, timeout: LONG }, async () => {
  const { sessions, datasets } = manyRowsCache(4930, 74_000);
  const out = tempDir();
  try {
    await writeCacheTables({ outDir: out.dir, sessions, datasets, metadata: { date_created: '2026-01-01 00:00', origin: 'release size' } });
    const { summary, failures } = await oneCacheCheck(out.dir);
    assert.equal(summary, '46 passed, 0 failed', failures);
  } finally {
    out.cleanup();
  }
});

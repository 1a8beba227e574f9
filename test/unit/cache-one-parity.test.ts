// Our tables against the ones Python ONE 3.4.2 wrote for the same generated trees
// (shared/fixtures/one-3.4.2-pyarrow-25), read back by an independent reader (DuckDB). The
// shared one-cache-check on a cache we built is in test/interop/one-cache-check.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildCache } from '../../src/core/cache/build';
import { HAS_SHARED, NO_SHARED_REASON, SHARED, makeSharedTree, tempDir } from '../helpers';

type Row = Record<string, string | number | boolean | null>;

async function query(sql: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create();
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Row[];
  } finally {
    connection.closeSync();
  }
}

/** Session key → row, and `session key/rel_path` → dataset row, ids replaced by their keys. */
async function keyedTables(dir: string): Promise<{ sessions: Map<string, Row>; datasets: Map<string, Row> }> {
  const sessions = await query(`select * from read_parquet('${dir}/sessions.pqt')`);
  const datasets = await query(`select * from read_parquet('${dir}/datasets.pqt')`);
  const keyOf = new Map<string, string>();
  const sessionMap = new Map<string, Row>();
  for (const s of sessions) {
    const key = `${s.lab}/${s.subject}/${s.date}/${s.number}`;
    keyOf.set(String(s.id), key);
    const { id: _id, ...rest } = s;
    sessionMap.set(key, rest);
  }
  const datasetMap = new Map<string, Row>();
  for (const d of datasets) {
    const { id: _id, eid, ...rest } = d;
    datasetMap.set(`${keyOf.get(String(eid))}/${d.rel_path}`, rest);
  }
  return { sessions: sessionMap, datasets: datasetMap };
}

async function schemaOf(file: string): Promise<Row[]> {
  return query(`select name, type, converted_type, logical_type, repetition_type from parquet_schema('${file}')`);
}

for (const fixture of [
  { name: 'tree300', args: ['--sessions', '300', '--seed', '7'], hash: false },
  { name: 'tree20-hashed', args: ['--sessions', '20', '--seed', '8'], hash: true },
]) {
  test(`same rows, schema and metadata keys as Python ONE on ${fixture.name}`, { skip: HAS_SHARED ? false : NO_SHARED_REASON }, async (t) => {
    const root = path.join(tempDir(t), 'data');
    makeSharedTree(root, fixture.args);
    const out = tempDir(t);
    await buildCache(root, { outDir: out, hashFiles: fixture.hash });
    const theirsDir = path.join(SHARED, 'fixtures/one-3.4.2-pyarrow-25', fixture.name);
    const ours = await keyedTables(out);
    const theirs = await keyedTables(theirsDir);
    assert.equal(ours.sessions.size, theirs.sessions.size);
    assert.deepEqual([...ours.sessions.keys()].sort(), [...theirs.sessions.keys()].sort());
    for (const [key, row] of theirs.sessions) assert.deepEqual(ours.sessions.get(key), row, key);
    assert.equal(ours.datasets.size, theirs.datasets.size);
    // Deliberate difference (docs/one-local.md): a file not hashed has a null hash, ONE's is ''.
    const hashAsOne = (row: Row | undefined): Row | undefined => (row && row.hash === null ? { ...row, hash: '' } : row);
    for (const [key, row] of theirs.datasets) assert.deepEqual(hashAsOne(ours.datasets.get(key)), row, key);
    if (!fixture.hash) for (const row of ours.datasets.values()) assert.equal(row.hash, null);

    for (const table of ['sessions.pqt', 'datasets.pqt']) {
      assert.deepEqual(await schemaOf(path.join(out, table)), await schemaOf(path.join(theirsDir, table)), `${table} schema`);
      const keys = async (dir: string) =>
        (await query(`select key::varchar as k from parquet_kv_metadata('${dir}/${table}')`)).map((r) => r.k);
      // ONE's keys, then the write id both tables of a pair share (docs/parquet.md).
      assert.deepEqual(await keys(out), [...(await keys(theirsDir)), 'alf_write_id'], `${table} key-value metadata keys`);
    }
  });
}

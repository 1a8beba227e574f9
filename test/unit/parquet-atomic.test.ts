// writeCacheTables replaces both tables or neither: failures injected at every step leave the
// previous tables byte-identical and no temporary files behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeCacheTables, type WriteCacheTablesHooks } from '../../src/core/cache/tables';
import type { DatasetRow } from '../../src/core/cache/types';
import { sampleDatasets, sampleSessions, tempDir } from './parquet-helpers';

const oldMeta = { date_created: '2020-01-01 00:00', origin: 'old' };
const newMeta = { date_created: '2026-01-01 00:00', origin: 'new' };

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]));
}

const boom = (where: string) => () => {
  throw new Error(`injected failure ${where}`);
};

const failures: [string, WriteCacheTablesHooks][] = [
  ['after the sessions temp file', { afterTempWritten: (t) => (t === 'sessions' ? boom('after sessions temp')() : undefined) }],
  ['after both temp files', { afterTempWritten: (t) => (t === 'datasets' ? boom('after datasets temp')() : undefined) }],
  ['before the first rename', { beforeRename: (t) => (t === 'sessions' ? boom('before sessions rename')() : undefined) }],
  ['between the two renames', { beforeRename: (t) => (t === 'datasets' ? boom('before datasets rename')() : undefined) }],
];

test('a failure at any step leaves the previous tables byte-identical and no temp files', async () => {
  for (const [name, hooks] of failures) {
    const tmp = tempDir();
    try {
      await writeCacheTables({ outDir: tmp.dir, sessions: sampleSessions().slice(0, 1), datasets: sampleDatasets().slice(0, 2), metadata: oldMeta });
      const before = snapshot(tmp.dir);
      await assert.rejects(
        writeCacheTables({ outDir: tmp.dir, sessions: sampleSessions(), datasets: sampleDatasets(), metadata: newMeta, hooks }),
        /injected failure/,
        name,
      );
      assert.deepEqual(snapshot(tmp.dir), before, name);
    } finally {
      tmp.cleanup();
    }
  }
});

test('a failure with no previous cache leaves nothing behind', async () => {
  for (const [name, hooks] of failures) {
    const tmp = tempDir();
    try {
      await assert.rejects(writeCacheTables({ outDir: tmp.dir, sessions: sampleSessions(), datasets: sampleDatasets(), metadata: newMeta, hooks }), /injected failure/);
      assert.deepEqual(readdirSync(tmp.dir), [], name);
    } finally {
      tmp.cleanup();
    }
  }
});

test('a row that cannot be encoded fails before the disk is touched', async () => {
  const tmp = tempDir();
  try {
    await writeCacheTables({ outDir: tmp.dir, sessions: sampleSessions(), datasets: sampleDatasets(), metadata: oldMeta });
    const before = snapshot(tmp.dir);
    const bad: DatasetRow[] = [...sampleDatasets(), { ...sampleDatasets()[0], qc: 'BAD' as never }];
    let temps = 0;
    await assert.rejects(writeCacheTables({
      outDir: tmp.dir, sessions: sampleSessions(), datasets: bad, metadata: newMeta, hooks: { afterTempWritten: () => void temps++ },
    }), /qc "BAD"/);
    assert.equal(temps, 0);
    assert.deepEqual(snapshot(tmp.dir), before);
  } finally {
    tmp.cleanup();
  }
});

test('a successful write replaces both tables and leaves only them', async () => {
  const tmp = tempDir();
  try {
    await writeCacheTables({ outDir: tmp.dir, sessions: sampleSessions().slice(0, 1), datasets: [], metadata: oldMeta });
    const before = snapshot(tmp.dir);
    const seen: string[] = [];
    const out = await writeCacheTables({
      outDir: path.join(tmp.dir), sessions: sampleSessions(), datasets: sampleDatasets(), metadata: newMeta,
      hooks: { afterTempWritten: (t, temp) => void seen.push(`${t}:${path.basename(temp)}`) },
    });
    assert.deepEqual(readdirSync(tmp.dir).sort(), ['datasets.pqt', 'sessions.pqt']);
    assert.equal(out.sessionsPath, path.join(tmp.dir, 'sessions.pqt'));
    assert.notDeepEqual(snapshot(tmp.dir), before);
    assert.match(seen[0], /^sessions:\.sessions\.pqt\.\d+-[0-9a-f]{8}\.tmp$/);
    assert.match(seen[1], /^datasets:\.datasets\.pqt\.\d+-[0-9a-f]{8}\.tmp$/);
  } finally {
    tmp.cleanup();
  }
});

test('a read-only cache folder: the write fails and the previous tables stay', { skip: process.getuid?.() === 0 ? 'root ignores file permissions' : process.platform === 'win32' ? 'no POSIX permissions' : false }, async () => {
  const tmp = tempDir();
  try {
    await writeCacheTables({ outDir: tmp.dir, sessions: sampleSessions(), datasets: sampleDatasets(), metadata: oldMeta });
    const before = snapshot(tmp.dir);
    chmodSync(tmp.dir, 0o555);
    await assert.rejects(writeCacheTables({ outDir: tmp.dir, sessions: sampleSessions(), datasets: [], metadata: newMeta }), /EACCES/);
    chmodSync(tmp.dir, 0o755);
    assert.deepEqual(snapshot(tmp.dir), before);
  } finally {
    chmodSync(tmp.dir, 0o755);
    tmp.cleanup();
  }
});

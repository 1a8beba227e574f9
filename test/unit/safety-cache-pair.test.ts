/**
 * Issue 13, data safety 3: a kill at any step of a cache write never leaves a pair of tables
 * that were not written together where Python ONE reads them (it reads only sessions.pqt and
 * datasets.pqt); the next reader undoes the interrupted write and says so in one line; leftovers
 * are never listed by scans and go with the next successful write. A kill is simulated by
 * copying the folder at each step (the state a kill there leaves), then reading the copy.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCache } from '../../src/core/cache/build';
import { loadCache } from '../../src/core/cache/load';
import { scanTree } from '../../src/core/cache/scan';
import { MixedCacheTablesError, recoverCacheTables } from '../../src/core/cache/table-pair';
import { type WriteCacheTablesHooks, writeCacheTables } from '../../src/core/cache/tables';
import type { DatasetRow, SessionRow } from '../../src/core/cache/types';
import { encodeDatasetsTable, encodeSessionsTable } from '../../src/core/parquet/one-tables';
import { walkFiles } from '../../src/model/worker/scan';
import { closeDuck, query, sampleDatasets, sampleSessions, sqlStr, tempDir } from './parquet-helpers';
import { alf as runAlf } from '../helpers';

const oldMeta = { date_created: '2020-01-01 00:00', origin: 'old' };
const newMeta = { date_created: '2026-01-01 00:00', origin: 'new' };
const OLD = { sessions: sampleSessions().slice(0, 1), datasets: sampleDatasets().slice(0, 2) };
const NEW = { sessions: sampleSessions(), datasets: sampleDatasets() };

type Step = [name: string, hooks: (at: () => never) => WriteCacheTablesHooks];
const STEPS: Step[] = [
  ['after the sessions temp file', (at) => ({ afterTempWritten: (t) => (t === 'sessions' ? at() : undefined) })],
  ['after both temp files', (at) => ({ afterTempWritten: (t) => (t === 'datasets' ? at() : undefined) })],
  ['after the previous sessions.pqt was moved aside', (at) => ({ beforeBackup: (t) => (t === 'datasets' ? at() : undefined) })],
  ['after both previous tables were moved aside', (at) => ({ beforeRename: (t) => (t === 'sessions' ? at() : undefined) })],
  ['between the two renames', (at) => ({ beforeRename: (t) => (t === 'datasets' ? at() : undefined) })],
  ['before the backups are removed', (at) => ({ beforeCleanup: () => at() })],
];

class Killed extends Error {}

/** Writes NEW over whatever `dir` holds, copying the folder to `copy` at the step (the state a kill there leaves). */
async function killedAt(dir: string, copy: string, step: Step): Promise<void> {
  const at = (): never => {
    cpSync(dir, copy, { recursive: true });
    throw new Killed();
  };
  await assert.rejects(writeCacheTables({ outDir: dir, ...NEW, metadata: newMeta, hooks: step[1](at) }), Killed);
}

/** What Python ONE would load: every `*.pqt` of the folder, with the write it came from (read by DuckDB). */
async function oneView(dir: string): Promise<Record<string, string | null>> {
  const view: Record<string, string | null> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.pqt'))) {
    const kv = await query(`select decode(value) AS v from parquet_kv_metadata(${sqlStr(path.join(dir, f))}) where decode(key) = 'alf_write_id'`);
    view[f] = (kv[0]?.v as string | undefined) ?? null;
  }
  return view;
}

function sameRows(loaded: { sessions: SessionRow[]; datasets: DatasetRow[] }, expected: typeof OLD): boolean {
  return JSON.stringify(loaded.sessions.map((s) => s.id)) === JSON.stringify(expected.sessions.map((s) => s.id)) &&
    JSON.stringify(loaded.datasets.map((d) => d.id)) === JSON.stringify(expected.datasets.map((d) => d.id));
}

async function alf(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runAlf(argv);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Tables as an older writer (or the previous protocol) wrote them: no write id. */
async function writeWithoutId(file: string, table: 'sessions' | 'datasets', rows: typeof OLD): Promise<void> {
  writeFileSync(file, table === 'sessions' ? await encodeSessionsTable(rows.sessions, oldMeta) : await encodeDatasetsTable(rows.datasets, oldMeta));
}

describe('cache tables stay a pair across a kill at any step (issue 13, data safety 3)', () => {
  after(() => closeDuck());

  test('over a previous cache: ONE never sees a mixed pair; the next read puts the previous pair back and says so', async () => {
    for (const step of STEPS) {
      const tmp = tempDir('alf-safety-pair-');
      try {
        const dir = path.join(tmp.dir, 'live');
        const copy = path.join(tmp.dir, 'killed');
        mkdirSync(dir);
        await writeCacheTables({ outDir: dir, ...OLD, metadata: oldMeta });
        await killedAt(dir, copy, step);

        const view = await oneView(copy);
        const tables = Object.keys(view).sort();
        assert.ok(tables.every((t) => t === 'datasets.pqt' || t === 'sessions.pqt'), `${step[0]}: ONE would load only the two tables, not ${tables}`);
        if (tables.length === 2) assert.equal(view['sessions.pqt'], view['datasets.pqt'], `${step[0]}: a mixed pair is visible`);

        const loaded = await loadCache(copy);
        const finished = step[0] === 'before the backups are removed';
        assert.ok(sameRows(loaded, finished ? NEW : OLD), `${step[0]}: the pair read is the ${finished ? 'new' : 'previous'} one`);
        if (finished) assert.equal(loaded.recovered, null, 'a write that only lacked its clean-up is complete: nothing to say');
        else assert.match(loaded.recovered ?? '', /^a cache write in .* was interrupted \(write \d+-[0-9a-f]+\); (the previous sessions\.pqt and datasets\.pqt were put back|it had not replaced anything yet; its temporary files were removed)$/, step[0]);
        assert.deepEqual(readdirSync(copy).sort(), ['datasets.pqt', 'sessions.pqt'], `${step[0]}: no leftovers after the read`);
        assert.equal(await recoverCacheTables(copy), null, 'a second read has nothing to do');
      } finally {
        tmp.cleanup();
      }
    }
  });

  test('first build killed: the new pair if it was complete, else no tables and no leftovers', async () => {
    for (const step of STEPS) {
      const tmp = tempDir('alf-safety-pair-');
      try {
        const dir = path.join(tmp.dir, 'live');
        const copy = path.join(tmp.dir, 'killed');
        mkdirSync(dir);
        await killedAt(dir, copy, step);
        const view = await oneView(copy);
        if (Object.keys(view).length === 2) assert.equal(view['sessions.pqt'], view['datasets.pqt'], step[0]);
        if (step[0] === 'before the backups are removed') {
          assert.ok(sameRows(await loadCache(copy), NEW));
        } else {
          const note = await recoverCacheTables(copy);
          assert.ok(note, step[0]);
          assert.deepEqual(readdirSync(copy), [], `${step[0]}: nothing half-written is left`);
        }
      } finally {
        tmp.cleanup();
      }
    }
  });

  test('the state the previous protocol left (new sessions.pqt, old datasets.pqt, backups, a temp) is put back', async () => {
    const tmp = tempDir('alf-safety-pair-');
    try {
      const dir = tmp.dir;
      const dead = '99999999-0123456789ab'; // no such process
      await writeWithoutId(path.join(dir, 'sessions.pqt'), 'sessions', NEW);
      await writeWithoutId(path.join(dir, 'datasets.pqt'), 'datasets', OLD);
      await writeWithoutId(path.join(dir, `.sessions.pqt.${dead}.bak`), 'sessions', OLD);
      await writeWithoutId(path.join(dir, `.datasets.pqt.${dead}.bak`), 'datasets', OLD);
      await writeWithoutId(path.join(dir, `.datasets.pqt.${dead}.tmp`), 'datasets', NEW);
      const loaded = await loadCache(dir);
      assert.ok(sameRows(loaded, OLD));
      assert.match(loaded.recovered ?? '', /interrupted \(write 99999999-0123456789ab\); the previous sessions\.pqt and datasets\.pqt were put back/);
      assert.deepEqual(readdirSync(dir).sort(), ['datasets.pqt', 'sessions.pqt']);
    } finally {
      tmp.cleanup();
    }
  });

  test('two tables from different writes, with nothing to undo, are refused with the way out', async () => {
    const a = tempDir('alf-safety-pair-');
    const b = tempDir('alf-safety-pair-');
    try {
      await writeCacheTables({ outDir: a.dir, ...OLD, metadata: oldMeta });
      await writeCacheTables({ outDir: b.dir, ...NEW, metadata: newMeta });
      cpSync(path.join(b.dir, 'datasets.pqt'), path.join(a.dir, 'datasets.pqt'));
      await assert.rejects(loadCache(a.dir), (e: unknown) => e instanceof MixedCacheTablesError && /were not written together .*rebuild the cache with `alf build-cache old`/.test(e.message));
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  test('a write still in progress (its process alive) is left alone by readers', async () => {
    const tmp = tempDir('alf-safety-pair-');
    try {
      await writeCacheTables({ outDir: tmp.dir, ...OLD, metadata: oldMeta });
      let release!: () => void;
      let reached!: () => void;
      const atStep = new Promise<void>((r) => (reached = r));
      const gate = new Promise<void>((r) => (release = r));
      const writing = writeCacheTables({ outDir: tmp.dir, ...NEW, metadata: newMeta, hooks: { beforeRename: async (t) => { if (t === 'datasets') { reached(); await gate; } } } });
      await atStep;
      const before = readdirSync(tmp.dir).sort();
      assert.equal(await recoverCacheTables(tmp.dir), null);
      assert.deepEqual(readdirSync(tmp.dir).sort(), before);
      release();
      await writing;
      assert.ok(sameRows(await loadCache(tmp.dir), NEW));
    } finally {
      tmp.cleanup();
    }
  });

  test('alf search on a killed write says so in one line and reads the previous pair; scans never list leftovers; the next build removes them', async () => {
    const tmp = tempDir('alf-safety-pair-');
    try {
      const root = path.join(tmp.dir, 'root');
      const session = path.join(root, 'cortexlab', 'Subjects', 'KS005', '2024-01-15', '001', 'alf');
      mkdirSync(session, { recursive: true });
      writeFileSync(path.join(session, '_ibl_trials.choice.npy'), 'x');
      await buildCache(root);
      // A second build killed with both previous tables moved aside: no table is in place.
      const copy = path.join(tmp.dir, 'killed');
      await killedAt(root, copy, STEPS[3] as Step);
      assert.ok(!existsSync(path.join(copy, 'sessions.pqt')));

      const scan = await scanTree(copy);
      assert.deepEqual(scan.skipped.map((s) => s.path), [], 'leftovers are not listed as skipped files');
      const validate = await alf(['validate', copy]);
      assert.equal(validate.code, 0, validate.stdout);
      const indexed: string[] = [];
      await walkFiles(copy, '', [], new AbortController().signal, (f) => indexed.push(f.path));
      assert.deepEqual(indexed.filter((p) => p.startsWith('.')), [], 'the extension does not index them either');

      const r = await alf(['search', copy]);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.match(lines[0] ?? '', /^alf: a cache write in .* was interrupted \(write \d+-[0-9a-f]+\); the previous sessions\.pqt and datasets\.pqt were put back$/);
      assert.equal(lines.length, 2, r.stderr); // the note and the count
      assert.match(r.stdout, /cortexlab\/Subjects\/KS005\/2024-01-15\/001/);

      // Leftovers of a dead write beside good tables go with the next successful build.
      const dead = '99999999-00000000abcd';
      writeFileSync(path.join(copy, `.sessions.pqt.${dead}.tmp`), 'partial');
      await buildCache(copy);
      assert.deepEqual(readdirSync(copy).filter((n) => n.startsWith('.')), []);
    } finally {
      tmp.cleanup();
    }
  });
});

// A cache the size of the IBL behaviour release (4,930 sessions, 74,000 datasets, nulls
// interleaved, sizes above 2^32): write and load timings (reported as diagnostics, asserted only
// against generous bounds), and the result checked value for value with DuckDB and by the shared
// one-cache-check.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadCache } from '../../src/core/cache/load';
import { writeCacheTables } from '../../src/core/cache/tables';
import { QC_NAMES, type DatasetRow, type SessionRow } from '../../src/core/cache/types';
import { closeDuck, query, sharedDir, sqlStr, tempDir } from './parquet-helpers';

after(closeDuck);

const uuid = (key: string) => {
  const h = createHash('md5').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-3${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function bigCache(): { sessions: SessionRow[]; datasets: DatasetRow[] } {
  const labs = ['cortexlab', 'mainenlab', 'churchlandlab', 'angelakilab', 'hoferlab', 'mrsicflogellab', 'wittenlab', 'zadorlab', 'danlab'];
  const sessions = Array.from({ length: 4930 }, (_, i): SessionRow => ({
    id: uuid(`s${i}`), lab: labs[i % 9], subject: `SUBJ_${i % 150}`, date: `20${19 + (i % 4)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    number: 1 + (i % 3), task_protocol: i % 2 ? '_iblrig_tasks_trainingChoiceWorld6.4.2' : '', projects: 'ibl_neuropixel_brainwide_01',
  })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const names = ['alf/_ibl_trials.choice.npy', 'alf/_ibl_trials.feedbackType.npy', 'alf/#2024-01-01#/_ibl_trials.table.pqt', 'alf/probe00/spikes.times.npy', 'raw_video_data/_iblrig_leftCamera.raw.mp4'];
  const datasets: DatasetRow[] = [];
  for (let i = 0; i < 74_000; i++) {
    const s = sessions[Math.floor(i / 15) % sessions.length];
    datasets.push({
      eid: s.id, id: uuid(`d${i}`), rel_path: `${names[i % names.length]}${i % 15 >= 5 ? `.${i % 15}` : ''}`,
      file_size: i % 50 === 0 ? null : i % 7 === 0 ? 2 ** 33 + i : 1000 + ((i * 7919) % 100_000),
      hash: i % 3 === 0 ? null : createHash('md5').update(`h${i}`).digest('hex'),
      exists: i % 11 !== 0, qc: QC_NAMES[i % 13 === 0 ? (i % 5) : 0],
    });
  }
  return { sessions, datasets };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

test('74,000 datasets + 4,930 sessions: write and load times, and the tables are right', { timeout: 600_000 }, async (t) => {
  const { sessions, datasets } = bigCache();
  const tmp = tempDir();
  try {
    const metadata = { date_created: '2026-01-01 00:00', origin: 'perf' };
    const write = () => writeCacheTables({ outDir: tmp.dir, sessions, datasets, metadata });
    await write(); // warm-up (JIT, lazy imports)
    await loadCache(tmp.dir);
    const writes: number[] = [];
    const loads: number[] = [];
    let loaded;
    for (let i = 0; i < 5; i++) {
      let t0 = performance.now();
      await write();
      writes.push(performance.now() - t0);
      t0 = performance.now();
      loaded = await loadCache(tmp.dir);
      loads.push(performance.now() - t0);
    }
    const sizes = ['sessions.pqt', 'datasets.pqt'].map((f) => statSync(path.join(tmp.dir, f)).size);
    t.diagnostic(`writeCacheTables: median ${median(writes).toFixed(0)} ms (${writes.map((x) => x.toFixed(0)).join(', ')})`);
    t.diagnostic(`loadCache: median ${median(loads).toFixed(0)} ms (${loads.map((x) => x.toFixed(0)).join(', ')})`);
    t.diagnostic(`sizes: sessions.pqt ${sizes[0]} bytes, datasets.pqt ${sizes[1]} bytes`);
    // Generous bounds: they catch a pathological regression, not a slow machine (targets: 300/150 ms).
    assert.ok(median(writes) < 2000, `write took ${median(writes)} ms`);
    assert.ok(median(loads) < 1500, `load took ${median(loads)} ms`);
    assert.deepEqual(loaded!.sessions, sessions);
    assert.deepEqual(loaded!.datasets, datasets);

    const d = await query(`select eid, id, rel_path, file_size::DOUBLE as file_size, hash, "exists", qc from read_parquet(${sqlStr(path.join(tmp.dir, 'datasets.pqt'))})`);
    assert.deepEqual(d, datasets);
    const s = await query(`select id, lab, subject, date::VARCHAR as date, number::INTEGER as number, task_protocol, projects from read_parquet(${sqlStr(path.join(tmp.dir, 'sessions.pqt'))})`);
    assert.deepEqual(s, sessions);

    if (sharedDir) {
      const script = path.join(sharedDir, 'tools/one-cache-check/run.sh');
      const { stdout } = await promisify(execFile)('bash', [script, tmp.dir], { maxBuffer: 1 << 24 }).catch((e) => ({ stdout: String(e.stdout) + String(e.stderr) }));
      t.diagnostic(`one-cache-check: ${stdout.trim().split('\n').pop()}`);
      assert.match(stdout, /^46 passed, 0 failed$/m, stdout.split('\n').filter((l) => !l.startsWith('PASS')).join('\n'));
    } else {
      t.diagnostic('one-cache-check skipped: ../shared is absent');
    }
  } finally {
    tmp.cleanup();
  }
});

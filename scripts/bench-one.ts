/**
 * Figures for the local ONE layer and the NPY reader (issue #6):
 *   node --import tsx scripts/bench-one.ts [--dir DIR] [--keep] [--runs N]
 *
 * 1. Search: the IBL-shaped tree of ../shared/tools/make-alf-tree.mjs (4,930 sessions, ~74k
 *    datasets; --no-bytes, names only) — or, without ../shared, the project's generator with
 *    --sessions 4930 --no-bytes — is cached with buildCache, opened with OneLocal.open, and
 *    typical searches are timed (target: under 20 ms each).
 * 2. NPY: a 100 MB float64 .npy (C order, and an (n, 2) Fortran-order one) is written, then the
 *    header and a 2,000-bucket decimated trace with stats are read in chunks (target: 500 ms).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildCache } from '../src/core/cache/build';
import { previewNpy, readNpy, readNpyHeader, readNpySlice } from '../src/core/npy';
import { OneLocal, type OneSearchTerms, type SearchQuery } from '../src/core/one';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(opt('--runs') ?? 25);
const base = opt('--dir') ?? path.join(tmpdir(), 'alf-bench-one');
const keep = args.includes('--keep');
const project = path.resolve(__dirname, '..');
const sharedTool = path.resolve(project, '../shared/tools/make-alf-tree.mjs');

function ms(x: number): string {
  return `${x.toFixed(x < 10 ? 2 : 1)} ms`;
}

function timeSync<T>(fn: () => T, runs = RUNS): { median: number; max: number; result: T } {
  let result = fn(); // warm-up (JIT, regex compilation cache)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, max: times[times.length - 1] as number, result };
}

async function timeAsync<T>(fn: () => Promise<T>, runs: number): Promise<{ median: number; first: number; result: T }> {
  const t0 = performance.now();
  let result = await fn();
  const first = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] ?? first, first, result };
}

async function benchSearch(): Promise<void> {
  const tree = path.join(base, 'tree');
  if (!existsSync(path.join(tree, 'datasets.pqt'))) {
    rmSync(tree, { recursive: true, force: true });
    const t0 = performance.now();
    const r = existsSync(sharedTool)
      ? spawnSync(process.execPath, [sharedTool, '--out', tree, '--no-bytes', '--quiet'], { encoding: 'utf8' })
      : spawnSync(process.execPath, [path.join(project, 'scripts/make-example-data.mjs'), '--out', tree, '--sessions', '4930', '--no-bytes', '--quiet'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const t1 = performance.now();
    const built = await buildCache(tree);
    console.log(`tree: ${built.sessions} sessions, ${built.datasets} datasets (generated in ${ms(t1 - t0)}, cache built in ${ms(performance.now() - t1)})`);
  }
  const source = existsSync(sharedTool) ? 'shared make-alf-tree.mjs (default, --no-bytes)' : 'make-example-data.mjs --sessions 4930 --no-bytes';

  const opens: number[] = [];
  let one: OneLocal | undefined;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    one = await OneLocal.open(tree);
    opens.push(performance.now() - t0);
  }
  const o = one as OneLocal;
  console.log(`\n## Search — ${source}: ${o.sessions.length} sessions, ${o.datasetCount} datasets`);
  console.log(`OneLocal.open: first ${ms(opens[0] as number)}, then median ${ms([...opens.slice(1)].sort((a, b) => a - b)[2] as number)} (last: tables ${ms(o.timings.loadMs)} + index ${ms(o.timings.indexMs)})`);
  const subject = (o.sessions[Math.floor(o.sessions.length / 3)] as { subject: string }).subject;
  const lab = (o.sessions[0] as { lab: string }).lab;
  const queries: [string, SearchQuery | OneSearchTerms, boolean?][] = [
    ['all sessions, no terms', {}],
    ['all sessions with details', {}, true],
    [`subject '${subject}'`, { subject }],
    [`subject regex '(?i)^${subject.slice(0, 3)}'`, { subject: `(?i)^${subject.slice(0, 3)}` }],
    [`lab '${lab}' (prefix term 'lab')`, { lab }],
    ["date_range ['2019-06-01', '2019-12-31'] (term 'date')", { date: ['2019-06-01', '2019-12-31'] }],
    ['number [1, 2]', { number: [1, 2] }],
    ["datasets '_ibl_trials.intervals.npy'", { datasets: '_ibl_trials.intervals.npy' }],
    ['datasets 3 names, dataset_qc_lte WARNING', { datasets: ['_ibl_trials.intervals.npy', '_ibl_trials.choice.npy', '_ibl_trials.feedbackType.npy'], dataset_qc_lte: 'WARNING' }],
    ["datasets regex '.*_times.*'", { datasets: '.*_times.*' }],
    ['lab + date + datasets', { lab, date_range: ['2019-01-01', null], datasets: '_ibl_trials.goCue_times.npy' }],
    ['no match (early return)', { subject: 'nobody', datasets: 'x' }],
  ];
  console.log(`\n| query | results | median | max (${RUNS} runs) |\n| --- | ---: | ---: | ---: |`);
  let worst = 0;
  for (const [label, q, details] of queries) {
    const r = timeSync(() => o.search(q, { details: details ?? false }));
    const count = Array.isArray(r.result) ? r.result.length : r.result.eids.length;
    worst = Math.max(worst, r.max);
    console.log(`| ${label} | ${count} | ${ms(r.median)} | ${ms(r.max)} |`);
  }
  const eid = o.sessions[0]?.id as string;
  const list = timeSync(() => o.listDatasets(eid));
  const colls = timeSync(() => o.listCollections(eid));
  console.log(`| listDatasets(one session) | ${list.result.length} | ${ms(list.median)} | ${ms(list.max)} |`);
  console.log(`| listCollections(one session) | ${colls.result.length} | ${ms(colls.median)} | ${ms(colls.max)} |`);
  console.log(`\nslowest search: ${ms(worst)} (target < 20 ms): ${worst < 20 ? 'OK' : 'OVER'}`);
}

/** Writes a v1.0 float64 .npy of `rows` × `cols` in chunks (a random walk, with spikes and NaNs). */
function writeBigNpy(file: string, rows: number, cols: number, fortran: boolean): void {
  const shape = cols === 1 ? `(${rows},)` : `(${rows}, ${cols})`;
  let dict = `{'descr': '<f8', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  dict += ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(dict.length, 8);
  const fd = openSync(file, 'w');
  writeSync(fd, Buffer.concat([head, Buffer.from(dict, 'latin1')]));
  const chunk = new Float64Array(1 << 20);
  let x = 0;
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296) - 0.5;
  const total = rows * cols;
  for (let done = 0; done < total; done += chunk.length) {
    const n = Math.min(chunk.length, total - done);
    for (let i = 0; i < n; i++) {
      x += rand();
      chunk[i] = (done + i) % 1_000_003 === 0 ? NaN : (done + i) % 777_777 === 0 ? x + 500 : x;
    }
    writeSync(fd, new Uint8Array(chunk.buffer, 0, n * 8));
  }
  closeSync(fd);
}

async function benchNpy(): Promise<void> {
  const dir = path.join(base, 'npy');
  mkdirSync(dir, { recursive: true });
  const rows = 12_500_000; // 100 MB of float64
  const files: [string, string, number, boolean][] = [
    ['1-D, C order', path.join(dir, 'trace-100MB.npy'), 1, false],
    ['(n, 2), Fortran order', path.join(dir, 'pairs-100MB-F.npy'), 2, true],
  ];
  console.log('\n## NPY — 100 MB float64 files (page cache warm: just written)');
  console.log('\n| file | header only | header + stats + 2,000-bucket trace (chunked) | readNpy whole | readNpySlice 10,000 rows mid-file |\n| --- | ---: | ---: | ---: | ---: |');
  let worst = 0;
  for (const [label, file, cols, fortran] of files) {
    writeBigNpy(file, rows / cols, cols, fortran);
    const header = await timeAsync(() => readNpyHeader(file), 20);
    const preview = await timeAsync(() => previewNpy(file, { buckets: 2000, column: cols - 1 }), 3);
    const whole = await timeAsync(() => readNpy(file), 2);
    const slice = await timeAsync(() => readNpySlice(file, { start: rows / cols / 2, count: 10_000 }), 20);
    worst = Math.max(worst, preview.first, preview.median);
    const p = preview.result;
    if (p.plot?.start.length !== 2000 || p.stats.count !== rows) throw new Error('unexpected preview');
    console.log(`| ${label} | ${ms(header.median)} | first ${ms(preview.first)}, median ${ms(preview.median)} | ${ms(whole.median)} | ${ms(slice.median)} |`);
  }
  console.log(`\nslowest header + trace: ${ms(worst)} (target < 500 ms): ${worst < 500 ? 'OK' : 'OVER'}`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  mkdirSync(base, { recursive: true });
  console.log(`# bench-one (${process.version}, ${process.platform}/${process.arch})`);
  await benchSearch();
  await benchNpy();
  if (!keep) rmSync(base, { recursive: true, force: true });
  else writeFileSync(path.join(base, 'KEPT'), 'bench-one --keep\n');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

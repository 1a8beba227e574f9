#!/usr/bin/env node
// `npm run bench`: the speed and memory figures the README quotes. A benchmark, not a test: it
// prints what it measures (median of several runs) next to the baseline it is judged against.
//
//   node scripts/bench.mjs [--quick] [--no-4x] [--data DIR]
//
// The tree is the IBL behaviour-release layout from ../shared/tools/make-alf-tree.mjs when that
// exists (73,950 files, 219 MB), else the project's own generator at the same size.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const skip4x = args.includes('--no-4x') || quick;
const dataArg = args.indexOf('--data');
const dataRoot = resolve(dataArg >= 0 ? args[dataArg + 1] : 'bench-data');
const project = resolve(import.meta.dirname, '..');
const shared = resolve(project, '../shared');
const sharedGenerator = join(shared, 'tools/make-alf-tree.mjs');
const core = require(join(project, 'dist/core.js'));
const runs = quick ? 1 : 3;
const results = {};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ensureTree(name, sessions) {
  const dir = join(dataRoot, name);
  const marker = `${dir}.ready`; // beside the tree, so it is not a stray file in it
  if (existsSync(marker)) return dir;
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  mkdirSync(dataRoot, { recursive: true });
  const useShared = existsSync(sharedGenerator);
  console.log(`generating ${name} (${sessions} sessions) with ${useShared ? 'shared/tools/make-alf-tree.mjs' : 'scripts/make-example-data.mjs'}…`);
  const gen = useShared
    ? [sharedGenerator, '--out', dir, '--sessions', String(sessions), '--quiet']
    : [join(project, 'scripts/make-example-data.mjs'), '--out', dir, '--sessions', String(sessions), '--trials', '300', '--quiet'];
  const r = spawnSync(process.execPath, gen, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`generator failed for ${dir}`);
  writeFileSync(marker, '');
  return dir;
}

/** The floor: Node's own recursive readdir + stat of every file, synchronous like ours. */
function bareWalk(root) {
  let files = 0;
  let bytes = 0;
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop();
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) stack.push(p);
      else {
        const st = statSync(p);
        files += 1;
        bytes += st.size;
      }
    }
  }
  return { files, bytes };
}

async function time(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function md5sumMs(root) {
  // md5sum over exactly the files: one process, as a person would run it.
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', `cd '${root}' && find . -type f ! -name '*.pqt' -print0 | xargs -0 md5sum > /dev/null`]);
  if (r.status !== 0) throw new Error('md5sum failed');
  return performance.now() - t0;
}

/** Peak RSS of a build in a fresh process (so nothing else we did is counted). */
function peakMemoryMb(root, out) {
  const script = `const c=require(${JSON.stringify(join(project, 'dist/core.js'))});c.buildCache(${JSON.stringify(root)},{outDir:${JSON.stringify(out)}}).then(()=>{console.log(process.resourceUsage().maxRSS)})`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build in child failed: ${r.stderr}`);
  return Number(r.stdout.trim()) / 1024;
}

async function benchTree(label, root, { hash }) {
  const out = mkdtempSync(join(tmpdir(), 'alf-bench-'));
  bareWalk(root); // warm the page cache once, for every contender alike
  const walkMs = [];
  const buildMs = [];
  let walked;
  let built;
  for (let i = 0; i < runs; i++) {
    const w = await time(() => bareWalk(root));
    walkMs.push(w.ms);
    walked = w.value;
    const b = await time(() => core.buildCache(root, { outDir: out }));
    buildMs.push(b.ms);
    built = b.value;
  }
  const r = {
    files: walked.files,
    megabytes: +(walked.bytes / 1e6).toFixed(1),
    sessions: built.sessions,
    datasets: built.datasets,
    skipped: built.skipped.length,
    walkStatMs: Math.round(median(walkMs)),
    buildMs: Math.round(median(buildMs)),
  };
  r.buildOverWalk = +(r.buildMs / r.walkStatMs).toFixed(2);
  const loadMs = [];
  await core.loadCache(out);
  for (let i = 0; i < Math.max(3, runs); i++) loadMs.push((await time(() => core.loadCache(out))).ms);
  r.loadCacheMs = Math.round(median(loadMs));
  // The table writer alone, on this tree's rows (the unit tests check its output on smaller data).
  const tables = await core.loadCache(out);
  const metadata = tables.metadata.sessions ?? { date_created: '2026-01-01 00:00', origin: 'bench' };
  const writeMs = [];
  for (let i = 0; i < Math.max(3, runs); i++) writeMs.push((await time(() => core.writeCacheTables({ outDir: out, sessions: tables.sessions, datasets: tables.datasets, metadata }))).ms);
  r.writeTablesMs = Math.round(median(writeMs));
  r.peakRssMb = Math.round(peakMemoryMb(root, out));
  if (hash) {
    const md5 = [];
    const hashed = [];
    for (let i = 0; i < runs; i++) {
      md5.push(md5sumMs(root));
      hashed.push((await time(() => core.buildCache(root, { outDir: out, hashFiles: true }))).ms);
    }
    r.md5sumMs = Math.round(median(md5));
    r.buildHashMs = Math.round(median(hashed));
    r.hashOverMd5sum = +(r.buildHashMs / r.md5sumMs).toFixed(2);
  }
  rmSync(out, { recursive: true });
  results[label] = r;
  console.log(`\n${label}: ${root}`);
  console.table(r);
  return r;
}

const cpus = (await import('node:os')).cpus();
console.log(`node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, median of ${runs}`);
const base = await benchTree('default tree', ensureTree('default', quick ? 500 : 4930), { hash: true });
if (!skip4x) {
  const big = await benchTree('4× sessions', ensureTree('x4', 4930 * 4), { hash: false });
  results.linearity = {
    filesRatio: +(big.files / base.files).toFixed(2),
    buildTimeRatio: +(big.buildMs / base.buildMs).toFixed(2),
    walkTimeRatio: +(big.walkStatMs / base.walkStatMs).toFixed(2),
  };
  console.log('\nlinearity (4× files should take about 4× the time):');
  console.table(results.linearity);
}
const targets = [
  ['build-cache ≤ 2.5× walk+stat', base.buildOverWalk <= 2.5, `${base.buildOverWalk}×`],
  ['build-cache --hash ≤ 1.3× md5sum', base.hashOverMd5sum <= 1.3, `${base.hashOverMd5sum}×`],
  ['loadCache < 150 ms', base.loadCacheMs < 150, `${base.loadCacheMs} ms`],
  ['writeCacheTables < 300 ms', base.writeTablesMs < 300, `${base.writeTablesMs} ms`],
  ['peak memory < 250 MB', base.peakRssMb < 250, `${base.peakRssMb} MB`],
];
console.log('\ntargets:');
for (const [what, ok, figure] of targets) console.log(`  ${ok ? 'met ' : 'MISS'}  ${what}: ${figure}`);
mkdirSync(join(project, 'out'), { recursive: true });
writeFileSync(join(project, 'out/bench-cache.json'), `${JSON.stringify(results, null, 2)}\n`);
spawnSync(process.execPath, [join(project, 'scripts/bench-release.mjs')], { stdio: 'inherit' });
spawnSync(process.execPath, [join(project, 'scripts/bench-bigcache.mjs')], { stdio: 'inherit' });
// Alyx status of the default tree against the test server in a process of its own (issue 11: ≤ 5 s, requests, longest turn).
spawnSync(process.execPath, ['--import', 'tsx', join(project, 'scripts/bench-status.ts'), '--tree', join(dataRoot, 'default'), '--rounds', quick ? '1' : '3'], { stdio: 'inherit' });
// build-cache on 16× the tree (~1.2 M empty files) against 1×: minutes, so not with --quick
if (!quick) spawnSync(process.execPath, [join(project, 'scripts/bench-build-linear.mjs')], { stdio: 'inherit' });

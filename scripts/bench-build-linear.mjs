#!/usr/bin/env node
// Issue 14: is `alf build-cache` linear? The shared example tree (4,930 sessions, ~74k files) and
// 16× it (~1.2 M files), names only (`make-alf-tree.mjs --no-bytes`: empty files, no bytes
// needed), each timed beside its walk floor (readdir + stat of every file, in a fresh process),
// and `alf build-cache DIR --out OUT` (no hashing) in a fresh process with its peak RSS.
// `npm run bench` runs it when the shared folder is there; the trees are removed afterwards.
//
//   node scripts/bench-build-linear.mjs [--scale 16] [--runs N] [--keep] [--data DIR]
//
// Needs dist/ built and ../shared (ALF_SHARED); skips with the reason otherwise. Targets: 16× the
// files in ≤ 17× the time of 1×, peak RSS ≤ 1 GB. The machine may be shared: the load average is
// printed beside the figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const project = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const shared = resolve(process.env.ALF_SHARED ?? resolve(project, '../shared'));
const maker = join(shared, 'tools/make-alf-tree.mjs');
const scale = Number(opt('--scale', '16'));
const runs = Number(opt('--runs', '3'));
const keep = args.includes('--keep');
const dataRoot = resolve(opt('--data', join(project, 'bench-data')));
const cli = join(project, 'dist/cli.js');
const BASE_SESSIONS = 4930;

function skip(reason) {
  console.log(`\nbuild-cache linearity bench skipped: ${reason}`);
  process.exit(0);
}
if (!existsSync(cli)) skip('dist/ is not built (npm run build)');
if (!existsSync(maker)) skip(`needs ${maker} (the shared folder beside the project, or ALF_SHARED)`);
// ~1.2 M empty files: a few hundred MB of directory blocks and 1.3 M inodes
const fsStats = statfsSync(existsSync(dataRoot) ? dataRoot : project);
const freeGb = (fsStats.bavail * fsStats.bsize) / 1e9;
const needInodes = 1.1 * 16 * 75_000 * (scale / 16);
if (freeGb < 3 || fsStats.ffree < needInodes) skip(`needs 3 GB and ${Math.round(needInodes / 1e6 * 10) / 10} M free inodes; ${freeGb.toFixed(1)} GB and ${fsStats.ffree} inodes free`);

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The floor, in a fresh process as the build is: Node's own readdir + stat of every file.
const WALK = `
const { readdirSync, statSync } = require('node:fs');
const t = performance.now();
let files = 0;
const stack = [process.argv[1]];
while (stack.length) {
  const dir = stack.pop();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = dir + '/' + e.name;
    if (e.isDirectory()) stack.push(p);
    else { statSync(p); files++; }
  }
}
console.log(files, (performance.now() - t).toFixed(1), process.resourceUsage().maxRSS);
`;

// Loaded before the CLI (node --require): the peak RSS of the whole run, written as it exits.
const rssProbe = join(mkdtempSync(join(tmpdir(), 'alf-linear-')), 'rss-probe.cjs');
writeFileSync(rssProbe, "process.on('exit', () => require('node:fs').writeFileSync(process.env.ALF_RSS_OUT, String(process.resourceUsage().maxRSS)));\n");

const trees = [];
function makeTree(name, sessions) {
  const dir = join(dataRoot, name);
  trees.push(dir); // removed at the end, even when made only in part
  if (existsSync(`${dir}.ready`)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dataRoot, { recursive: true });
  console.log(`generating ${name}: ${sessions} sessions, empty files (make-alf-tree.mjs --no-bytes)…`);
  const t = performance.now();
  const r = spawnSync(process.execPath, [maker, '--out', dir, '--sessions', String(sessions), '--no-bytes', '--quiet'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`make-alf-tree.mjs failed for ${dir}`);
  writeFileSync(`${dir}.ready`, '');
  console.log(`  ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return dir;
}

function walk(dir) {
  const r = spawnSync(process.execPath, ['-e', WALK, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`walk failed: ${r.stderr}`);
  const [files, ms, rss] = r.stdout.trim().split(/\s+/).map(Number);
  return { files, ms, rssMb: rss / 1024 };
}

function build(dir, out) {
  const rssFile = join(out, '.rss');
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--require', rssProbe, cli, 'build-cache', dir, '--out', out, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, ALF_RSS_OUT: rssFile },
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`alf build-cache failed (${r.status}): ${r.stderr}`);
  const summary = JSON.parse(r.stdout);
  return { ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, datasets: summary.datasets, sessions: summary.sessions };
}

function measure(label, dir, n) {
  const out = mkdtempSync(join(tmpdir(), 'alf-linear-out-'));
  walk(dir); // warm the page cache (dentries, inodes) for both alike
  const walks = [];
  const builds = [];
  for (let i = 0; i < n; i++) {
    walks.push(walk(dir));
    builds.push(build(dir, out));
  }
  rmSync(out, { recursive: true, force: true });
  const r = {
    files: walks[0].files,
    datasets: builds[0].datasets,
    walkMs: Math.round(median(walks.map((w) => w.ms))),
    buildMs: Math.round(median(builds.map((b) => b.ms))),
    buildPeakRssMb: Math.round(Math.max(...builds.map((b) => b.rssMb))),
    load: load(),
  };
  r.buildOverWalk = +(r.buildMs / r.walkMs).toFixed(2);
  console.log(`\n${label} (${dir}), median of ${n}, load ${r.load}:`);
  console.table(r);
  return r;
}

try {
  const one = makeTree('linear-1x', BASE_SESSIONS);
  const many = makeTree(`linear-${scale}x`, BASE_SESSIONS * scale);
  const a = measure('1× tree', one, runs);
  const b = measure(`${scale}× tree`, many, Math.max(1, Math.min(runs, 2)));
  const r = {
    scale,
    filesRatio: +(b.files / a.files).toFixed(2),
    buildTimeRatio: +(b.buildMs / a.buildMs).toFixed(2),
    walkTimeRatio: +(b.walkMs / a.walkMs).toFixed(2),
    buildPeakRssMb: b.buildPeakRssMb,
    one: a,
    many: b,
  };
  console.log(`\nbuild-cache linearity (${scale}× the files should take about ${scale}× the time):`);
  console.table({ filesRatio: r.filesRatio, buildTimeRatio: r.buildTimeRatio, walkTimeRatio: r.walkTimeRatio, buildPeakRssMb: r.buildPeakRssMb });
  const limit = scale + 1;
  console.log('targets:');
  for (const [what, ok, figure] of [
    [`build-cache on ${scale}× the files ≤ ${limit}× the time of 1×`, r.buildTimeRatio <= limit, `${r.buildTimeRatio}× (walk floor ${r.walkTimeRatio}×)`],
    [`build-cache peak RSS on ${scale}× ≤ 1 GB`, r.buildPeakRssMb <= 1024, `${r.buildPeakRssMb} MB`],
  ]) console.log(`  ${ok ? 'met ' : 'MISS'}  ${what}: ${figure}`);
  mkdirSync(join(project, 'out'), { recursive: true });
  writeFileSync(join(project, 'out/bench-build-linear.json'), `${JSON.stringify(r, null, 2)}\n`);
} finally {
  rmSync(resolve(rssProbe, '..'), { recursive: true, force: true });
  if (!keep) {
    for (const dir of trees) {
      // the marker first: a removal cut short must not leave a part of a tree marked ready
      rmSync(`${dir}.ready`, { force: true });
      console.log(`removing ${dir}…`);
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

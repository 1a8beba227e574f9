#!/usr/bin/env node
// The release figures (`npm run bench` runs this last): `alf release` of the 74k-file tree with
// a current cache against Info-ZIP `zip -r -q` of the same folder, and `alf open-release` of
// that zip from a loopback URL against `curl -o` + `unzip -q`, in the same run (A B B A, each after
// `sync`); peak RSS.
//
//   node scripts/bench-release.mjs [TREE_DIR]     (needs dist/ built; skips without ../shared)
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';

const project = resolve(import.meta.dirname, '..');
const generator = resolve(process.env.ALF_SHARED ?? resolve(project, '../shared'), 'tools/make-alf-tree.mjs');
if (!existsSync(generator)) {
  console.log('release bench skipped: ../shared/tools/make-alf-tree.mjs is absent');
  process.exit(0);
}
for (const tool of ['zip', 'unzip', 'curl']) {
  if (spawnSync(tool, ['-h'], { stdio: 'ignore' }).error) {
    console.log(`release bench skipped: ${tool} is not installed (apt-get install -y zip unzip curl)`);
    process.exit(0);
  }
}
const hasTime = existsSync('/usr/bin/time');
const work = resolve(project, 'bench-data/release');
const tree = resolve(process.argv[2] ?? join(work, 'tree'));
const cli = join(project, 'dist/cli.js');
mkdirSync(work, { recursive: true });
if (!existsSync(`${tree}.ready`)) {
  rmSync(tree, { recursive: true, force: true });
  spawnSync(process.execPath, [generator, '--out', tree, '--quiet'], { stdio: 'inherit' });
  writeFileSync(`${tree}.ready`, '');
}

/** Runs a command; wall time in seconds and, with GNU time, peak RSS in MB. */
async function measure(cmd, args, options = {}) {
  const full = hasTime ? ['/usr/bin/time', ['-f', '%M', cmd, ...args]] : [cmd, args];
  const started = performance.now();
  const child = spawn(full[0], full[1], { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((r) => child.on('close', r));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${code}): ${stderr}`);
  const kb = Number(stderr.trim().split('\n').pop());
  return { seconds: +seconds.toFixed(2), peakRssMb: Number.isFinite(kb) ? Math.round(kb / 1024) : undefined };
}

spawnSync(process.execPath, [cli, 'build-cache', tree], { stdio: 'ignore' });
const ours = join(work, 'alf.zip');
const theirs = join(work, 'info-zip.zip');
rmSync(theirs, { force: true });
const release = await measure(process.execPath, [cli, 'release', tree, '--out', ours]);
const zip = await measure('zip', ['-r', '-q', theirs, '.'], { cwd: tree });

const server = createServer((req, res) => {
  const size = statSync(ours).size;
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = m ? Number(m[1]) : 0;
  res.writeHead(m ? 206 : 200, { 'Content-Length': size - start, ...(m ? { 'Content-Range': `bytes ${start}-${size - 1}/${size}` } : {}) });
  createReadStream(ours, { start }).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/release.zip`;
// Each side starts with the disk's dirty pages flushed (the zips written just before would
// otherwise be written back during whichever runs first), in the order A B B A, so neither
// always runs first; the figure of each side is the mean of its two runs.
const flushed = () => {
  for (const d of ['opened', 'unzipped', 'curl.zip']) rmSync(join(work, d), { recursive: true, force: true });
  spawnSync('sync');
};
const openOnce = async () => {
  flushed();
  return measure(process.execPath, [cli, 'open-release', url, '--into', join(work, 'opened')]);
};
const curlUnzipOnce = async () => {
  flushed();
  const c = await measure('curl', ['-s', '-o', join(work, 'curl.zip'), url]);
  const u = await measure('unzip', ['-q', join(work, 'curl.zip'), '-d', join(work, 'unzipped')]);
  return { seconds: c.seconds + u.seconds, curl: c.seconds, unzip: u.seconds, peakRssMb: u.peakRssMb };
};
const opens = [await openOnce()];
const curlUnzips = [await curlUnzipOnce(), await curlUnzipOnce()];
opens.push(await openOnce());
server.close();
const mean = (xs) => +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
const open = { seconds: mean(opens.map((o) => o.seconds)), runs: opens.map((o) => o.seconds).join(' / '), peakRssMb: Math.max(...opens.map((o) => o.peakRssMb ?? 0)) };

const results = {
  release: { ...release, zipMb: +(statSync(ours).size / 1e6).toFixed(1) },
  infoZip: { ...zip, zipMb: +(statSync(theirs).size / 1e6).toFixed(1) },
  releaseOverZip: +(release.seconds / zip.seconds).toFixed(2),
  openRelease: open,
  curlPlusUnzip: { seconds: mean(curlUnzips.map((c) => c.seconds)), runs: curlUnzips.map((c) => `${c.curl.toFixed(2)} + ${c.unzip.toFixed(2)}`).join(' / '), peakRssMb: curlUnzips[0].peakRssMb },
  openOverCurlUnzip: +(open.seconds / mean(curlUnzips.map((c) => c.seconds))).toFixed(2),
};
console.log('\nrelease of the 74k-file tree (current cache):');
console.table(results);
console.log(`  ${results.releaseOverZip <= 1 ? 'met ' : 'MISS'}  alf release ≤ 1.0× zip -r -q: ${results.releaseOverZip}×`);
console.log(`  ${(release.peakRssMb ?? 0) <= 300 ? 'met ' : 'MISS'}  alf release peak RSS ≤ 300 MB: ${release.peakRssMb} MB`);
console.log(`  ${results.openOverCurlUnzip <= 1 ? 'met ' : 'MISS'}  alf open-release ≤ 1.0× curl -o + unzip -q: ${results.openOverCurlUnzip}×`);
for (const d of ['opened', 'unzipped', 'curl.zip']) rmSync(join(work, d), { recursive: true, force: true });
mkdirSync(join(project, 'out'), { recursive: true });
writeFileSync(join(project, 'out/bench-release.json'), `${JSON.stringify(results, null, 2)}\n`);

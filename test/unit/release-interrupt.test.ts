// `alf release` and `alf open-release` stopped part-way: Ctrl-C on a real process (exit 130), a
// full disk at the write seam (exit 3), a cancel while unpacking. Each leaves no partial zip,
// the previous zip byte for byte, and DIR as it was.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import nodeFs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { PROJECT, tempDir, writeTree } from '../helpers';
import { CancelledError } from '../../src/core/progress';
import { openRelease } from '../../src/core/release/open-release';
import { packageRelease } from '../../src/core/release/package-release';
import { writeZip } from '../../src/core/release/zip-writer';
import { cli } from './release-helpers';

const CLI = path.join(PROJECT, 'dist/cli.js');

/** `sessions` sessions of `perSession` incompressible 40 kB datasets: slow enough to interrupt. */
function dataTree(root: string, sessions: number, perSession: number): void {
  const files: Record<string, Buffer> = {};
  for (let s = 1; s <= sessions; s++) {
    for (let f = 0; f < perSession; f++) {
      files[`lab/Subjects/S1/2020-01-01/${String(s).padStart(3, '0')}/alf/obj${f}.attr.npy`] = randomBytes(40_000);
    }
  }
  writeTree(root, files);
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('Ctrl-C during alf release (a real process): exit 130, no partial zip, the previous zip untouched', { skip: !fs.existsSync(CLI) && `needs ${CLI}: run npm run build` }, async (t) => {
  const base = tempDir(t);
  const root = path.join(base, 'data');
  dataTree(root, 40, 100); // 4,000 files, 160 MB
  const zip = path.join(base, 'data.zip');
  fs.writeFileSync(zip, 'the previous release');
  const before = sha(zip);
  const child = spawn(process.execPath, [CLI, 'release', root, '--level', '9'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Interrupt once the temporary zip exists and has data in it: the write is under way.
  const tmp = () => fs.readdirSync(base).find((n) => n.endsWith('.tmp'));
  for (let i = 0; i < 600; i++) {
    const name = tmp();
    if (name && fs.statSync(path.join(base, name)).size > 1_000_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(tmp(), `the release never started writing: ${stderr}`);
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /alf: .*interrupted/);
  assert.deepEqual(fs.readdirSync(base).sort(), ['data', 'data.zip'], 'no temporary file left');
  assert.equal(sha(zip), before, 'the previous zip is untouched');
});

test('disk full while the zip is written: exit 3 with one line, no partial zip, the previous zip untouched', async (t) => {
  const base = tempDir(t);
  const root = path.join(base, 'data');
  dataTree(root, 3, 20);
  const zip = path.join(base, 'data.zip');
  fs.writeFileSync(zip, 'the previous release');
  const before = sha(zip);
  // The write seam: every FileHandle write past the first 100 kB of a .tmp file fails as a full disk does.
  const probe = await fsp.open(path.join(base, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { write: (...a: unknown[]) => Promise<unknown> };
  await probe.close();
  fs.rmSync(path.join(base, 'probe'));
  const realWrite = proto.write;
  let written = 0;
  mock.method(proto, 'write', function (this: unknown, ...a: unknown[]) {
    const data = a[0] as Buffer;
    written += data.length;
    if (written > 100_000) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' }));
    return realWrite.apply(this, a);
  });
  t.after(() => mock.restoreAll());
  const r = await cli(['release', root]);
  mock.restoreAll();
  assert.ok(written > 100_000, 'the injected failure was reached');
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stderr, /^alf: disk full while writing .*data\.zip: free some space and run again/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(fs.readdirSync(base).sort(), ['data', 'data.zip']);
  assert.equal(sha(zip), before);
  // The same folder afterwards gives a good zip.
  assert.equal((await cli(['release', root])).code, 0);
});

test('cancelled in the core (the editor\'s Cancel): CancelledError, no temporary file, previous zip kept', async (t) => {
  const base = tempDir(t);
  const root = path.join(base, 'data');
  dataTree(root, 4, 200);
  const out = path.join(base, 'out.zip');
  fs.writeFileSync(out, 'old');
  const controller = new AbortController();
  await assert.rejects(
    packageRelease(root, { outFile: out, signal: controller.signal, onProgress: (e) => e.phase === 'zip' && controller.abort() }),
    CancelledError,
  );
  assert.deepEqual(fs.readdirSync(base).sort(), ['data', 'out.zip']);
  assert.equal(fs.readFileSync(out, 'utf8'), 'old');
});

test('open-release cancelled or out of disk while unpacking: DIR as it was, nothing beside it', async (t) => {
  // On the calling thread (where a mock of fs reaches, and Cancel lands between two chunks of
  // entries); release-unpack-threads.test.ts stops the writer threads.
  const threads = process.env.ALF_UNPACK_THREADS;
  process.env.ALF_UNPACK_THREADS = '0';
  t.after(() => (threads === undefined ? delete process.env.ALF_UNPACK_THREADS : (process.env.ALF_UNPACK_THREADS = threads)));
  const base = tempDir(t);
  const src = path.join(base, 'src');
  dataTree(src, 2, 300);
  const zip = path.join(base, 'r.zip');
  const sources = fs.readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const abs = path.join(e.parentPath, e.name);
      return { name: path.relative(src, abs).split(path.sep).join('/'), absPath: abs, size: fs.statSync(abs).size, mtimeMs: 0 };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  await writeZip(zip, sources, { level: 1 });
  const work = path.join(base, 'work');
  const into = path.join(work, 'into');
  fs.mkdirSync(into, { recursive: true });
  fs.writeFileSync(path.join(work, 'neighbour.txt'), 'keep me');

  const controller = new AbortController();
  let seen = 0;
  await assert.rejects(openRelease(zip, into, { signal: controller.signal, onProgress: (e) => e.phase === 'unpack' && ++seen === 3 && controller.abort() }), CancelledError);
  assert.deepEqual(fs.readdirSync(work).sort(), ['into', 'neighbour.txt'], 'the temporary folder is gone');
  assert.deepEqual(fs.readdirSync(into), [], 'DIR is still empty');

  let writes = 0;
  const realWriteSync = nodeFs.writeSync as (...b: unknown[]) => number;
  mock.method(nodeFs, 'writeSync', (...a: unknown[]) => {
    if (++writes > 100) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    return realWriteSync(...a);
  });
  t.after(() => mock.restoreAll());
  const r = await cli(['open-release', zip, '--into', into]);
  mock.restoreAll();
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stderr, /disk full/);
  assert.deepEqual(fs.readdirSync(work).sort(), ['into', 'neighbour.txt']);
  assert.deepEqual(fs.readdirSync(into), []);
  assert.equal(fs.readFileSync(path.join(work, 'neighbour.txt'), 'utf8'), 'keep me');
});

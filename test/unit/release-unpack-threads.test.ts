// Unpacking on writer threads (the default for 256 entries or more) and on the calling thread:
// the same files, bytes and times; a damaged entry, a name the file system refuses and a cancel
// each stop every thread and leave DIR as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { PROJECT, tempDir, writeTree } from '../helpers';
import { cli } from './release-helpers';
import { CancelledError } from '../../src/core/progress';
import { unpackZip } from '../../src/core/release/unpack';
import { writeZip, type ZipSource } from '../../src/core/release/zip-writer';
import { readCentralDirectory, ReleaseArchiveError } from '../../src/core/release/zip-reader';

const MTIME = Date.UTC(2021, 4, 6, 7, 8, 10);

/** 600 files across 30 sessions: compressible, random (stored), empty, and with `big` one of 9 MB (streamed). */
function sourceTree(root: string, big = false): ZipSource[] {
  const files: Record<string, Buffer> = {};
  for (let s = 0; s < 30; s++) {
    for (let f = 0; f < 20; f++) {
      const kind = f % 3;
      files[`lab/Subjects/S${s % 4}/2020-01-01/${String(s).padStart(3, '0')}/alf/obj${f}.attr.npy`] =
        kind === 0 ? Buffer.alloc(3000 + s * 10 + f, f) : kind === 1 ? randomBytes(2000 + f) : Buffer.alloc(0);
    }
  }
  if (big) files['lab/Subjects/S0/2020-01-01/000/raw_video_data/big.raw.bin'] = randomBytes(9 * 1024 * 1024);
  writeTree(root, files);
  return Object.keys(files).sort().map((name) => {
    const absPath = path.join(root, ...name.split('/'));
    return { name, absPath, size: fs.statSync(absPath).size, mtimeMs: MTIME };
  });
}

function listing(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

test('threads and the calling thread unpack the same files, bytes and modification times', async (t) => {
  const base = tempDir(t);
  const sources = sourceTree(path.join(base, 'src'), true);
  const zip = path.join(base, 'r.zip');
  await writeZip(zip, sources, { level: 6 });
  const progress: number[] = [];
  const threaded = await unpackZip(zip, path.join(base, 'threads'), { threads: 2, onProgress: (e) => progress.push(e.done) });
  const inThread = await unpackZip(zip, path.join(base, 'here'), { threads: 0 });
  assert.equal(threaded.entries, sources.length);
  assert.equal(inThread.entries, sources.length);
  const total = sources.reduce((n, s) => n + s.size, 0);
  assert.equal(threaded.bytes, total);
  assert.equal(progress.at(-1), total, 'the last progress event counts every byte');
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only grows');
  assert.deepEqual(listing(path.join(base, 'threads')), listing(path.join(base, 'here')));
  for (const s of sources) {
    for (const dir of ['threads', 'here']) {
      const out = path.join(base, dir, ...s.name.split('/'));
      assert.ok(fs.readFileSync(out).equals(fs.readFileSync(s.absPath)), `${dir}: ${s.name}`);
      assert.equal(Math.floor(fs.statSync(out).mtimeMs / 1000), MTIME / 1000, `${dir}: mtime of ${s.name}`);
    }
  }
  assert.deepEqual(fs.readdirSync(base).sort(), ['here', 'r.zip', 'src', 'threads'], 'no temporary folder left');
});

test('a damaged entry in the second thread\'s run: one error naming it, every thread stops, DIR as it was', async (t) => {
  const base = tempDir(t);
  const sources = sourceTree(path.join(base, 'src'));
  const zip = path.join(base, 'r.zip');
  await writeZip(zip, sources, { level: 0 });
  // Flip a byte in the data of an entry near the end (stored, so the CRC-32 no longer matches).
  const victim = [...sources].reverse().find((s) => s.size > 0 && s.size < 1024 * 1024)!;
  const bytes = fs.readFileSync(zip);
  const fh = await fs.promises.open(zip, 'r');
  const entry = (await readCentralDirectory(fh, bytes.length).finally(() => fh.close())).find((e) => e.name === victim.name)!;
  const dataStart = entry.localOffset + 30 + bytes.readUInt16LE(entry.localOffset + 26) + bytes.readUInt16LE(entry.localOffset + 28);
  bytes[dataStart + 1] = bytes[dataStart + 1]! ^ 0xff;
  fs.writeFileSync(zip, bytes);
  const into = path.join(base, 'into');
  fs.mkdirSync(into);
  await assert.rejects(unpackZip(zip, into, { threads: 2 }), (err: Error) => {
    assert.ok(err instanceof ReleaseArchiveError, String(err));
    assert.equal(err.message, `${victim.name}: CRC-32 mismatch: the zip is damaged (download it again)`);
    return true;
  });
  assert.deepEqual(fs.readdirSync(base).sort(), ['into', 'r.zip', 'src'], 'the temporary folder is gone');
  assert.deepEqual(fs.readdirSync(into), [], 'DIR is still empty');
});

test('a name the file system refuses (a 300-byte folder name) is a one-line error with its code, DIR as it was', async (t) => {
  const base = tempDir(t);
  const sources = sourceTree(path.join(base, 'src'));
  const zip = path.join(base, 'r.zip');
  const long = `alf/${'x'.repeat(300)}/obj.attr.npy`;
  await writeZip(zip, [...sources, { ...sources[0]!, name: long }], { level: 1 });
  await assert.rejects(unpackZip(zip, path.join(base, 'into'), { threads: 2 }), (err: NodeJS.ErrnoException) => {
    assert.equal(err.code, 'ENAMETOOLONG', String(err));
    assert.ok(err.path?.includes('x'.repeat(300)), err.path);
    return true;
  });
  assert.deepEqual(fs.readdirSync(base).sort(), ['r.zip', 'src'], 'nothing beside it');
  const r = await cli(['open-release', zip, '--into', path.join(base, 'into')]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^alf: a name too long for this file system: .*x{300}/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.deepEqual(fs.readdirSync(base).sort(), ['r.zip', 'src'], 'nothing beside it');
});

test('Cancel stops the threads between two entries: CancelledError, nothing left', async (t) => {
  const base = tempDir(t);
  const sources = sourceTree(path.join(base, 'src'));
  const zip = path.join(base, 'r.zip');
  await writeZip(zip, sources, { level: 1 });
  const controller = new AbortController();
  // The first progress event comes as the threads start; the abort reaches them before their first entry.
  await assert.rejects(unpackZip(zip, path.join(base, 'into'), { threads: 2, signal: controller.signal, onProgress: () => controller.abort() }), CancelledError);
  assert.deepEqual(fs.readdirSync(base).sort(), ['r.zip', 'src']);
});

test('the threads run from a minified bundle too (the .vsix and the CLI are built with esbuild)', async (t) => {
  const base = tempDir(t);
  const sources = sourceTree(path.join(base, 'src'));
  const zip = path.join(base, 'r.zip');
  await writeZip(zip, sources, { level: 1 });
  // The worker runs extractEntries' own text: minified and bundled, it must still need nothing outside itself.
  const bundle = path.join(base, 'unpack.min.js');
  await build({ entryPoints: [path.join(PROJECT, 'src/core/release/unpack.ts')], bundle: true, minify: true, keepNames: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle, logLevel: 'silent' });
  const minified = module.require(bundle) as { unpackZip: typeof unpackZip };
  const r = await minified.unpackZip(zip, path.join(base, 'into'), { threads: 2 });
  assert.equal(r.entries, sources.length);
  for (const s of sources) assert.ok(fs.readFileSync(path.join(base, 'into', ...s.name.split('/'))).equals(fs.readFileSync(s.absPath)), s.name);
});

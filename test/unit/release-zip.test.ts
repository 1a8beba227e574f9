// `alf release`: real zips read back by Info-ZIP, Python's zipfile and our own unpacker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, writeTree } from '../helpers';
import { writeZip } from '../../src/core/release/zip-writer';
import { DeflatePool } from '../../src/core/release/deflate-pool';
import { unpackZip } from '../../src/core/release/unpack';
import { readCentralDirectory } from '../../src/core/release/zip-reader';
import { cli, hasTool } from './release-helpers';

const hasUnzip = hasTool('unzip');
const hasPython = spawnSync('python3', ['-c', 'import zipfile'], { stdio: 'ignore' }).status === 0;

function tree(root: string): void {
  const npy = Buffer.alloc(4000, 7);
  writeTree(root, {
    'lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy': npy,
    'lab/Subjects/S1/2020-01-01/001/alf/trials.intervals.npy': Buffer.from('abc'.repeat(500)),
    'lab/Subjects/S1/2020-01-01/001/raw_video_data/_iblrig_leftCamera.raw.mp4': Buffer.alloc(3000, 1),
    'lab/Subjects/S1/2020-01-02/001/alf/wheel.position.npy': Buffer.from([1, 2, 3, 4, 5]),
    'lab/Subjects/S1/2020-01-02/001/alf/trials choice.npy': 'bad name',
    'lab/Subjects/S1/2020-01-02/001/alf/empty.times.npy': '',
    'README.md': '# my release\n',
    'LICENSE': 'CC-BY-4.0\n',
    'notes.txt': 'not data',
  });
}

test('release: tables built, indexed files + documents packed, invalid ones listed; unzip, zipfile and our unpacker agree byte for byte', async (t) => {
  const base = tempDir(t);
  const root = path.join(base, 'data');
  tree(root);
  const r = await cli(['release', root]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Cache: built \(.*has no sessions\.pqt/);
  assert.match(r.stdout, /trials choice\.npy — .*\[whitespace\]/);
  assert.match(r.stdout, /notes\.txt/);
  assert.match(r.stdout, /sha256 [0-9a-f]{64}/);
  const zip = path.join(base, 'data.zip');
  assert.ok(fs.existsSync(zip), 'DIR.zip beside DIR');
  assert.deepEqual(fs.readdirSync(base).sort(), ['data', 'data.zip'], 'no temporary file left');
  const expected = [
    'LICENSE', 'README.md', 'datasets.pqt',
    'lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy', 'lab/Subjects/S1/2020-01-01/001/alf/trials.intervals.npy',
    'lab/Subjects/S1/2020-01-01/001/raw_video_data/_iblrig_leftCamera.raw.mp4',
    'lab/Subjects/S1/2020-01-02/001/alf/empty.times.npy', 'lab/Subjects/S1/2020-01-02/001/alf/wheel.position.npy', 'sessions.pqt',
  ];
  if (hasUnzip) {
    const u = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
    assert.equal(u.status, 0, u.stdout + u.stderr);
    assert.match(u.stdout, /No errors detected/);
  } else t.diagnostic('unzip not installed: Info-ZIP check skipped (apt-get install -y unzip)');
  if (hasPython) {
    const py = spawnSync('python3', ['-c', `
import zipfile, sys, os, json
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
out = {}
for i in z.infolist():
    out[i.filename] = [i.compress_type, z.read(i) == open(os.path.join(sys.argv[2], i.filename), 'rb').read()]
print(json.dumps(out))`, zip, root], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const entries = JSON.parse(py.stdout) as Record<string, [number, boolean]>;
    assert.deepEqual(Object.keys(entries), expected, 'sorted names, nothing else');
    for (const [name, [, same]] of Object.entries(entries)) assert.ok(same, `${name} reads back byte for byte`);
    assert.equal(entries['lab/Subjects/S1/2020-01-01/001/raw_video_data/_iblrig_leftCamera.raw.mp4']![0], 0, '.mp4 stored as-is');
    assert.equal(entries['lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy']![0], 8, '.npy deflated');
  } else t.diagnostic('python3 not found: zipfile check skipped');
  const back = path.join(base, 'back');
  await unpackZip(zip, back);
  for (const name of expected) assert.deepEqual(fs.readFileSync(path.join(back, name)), fs.readFileSync(path.join(root, name)), name);

  // The same folder again: the cache is current and the zip is byte-identical.
  const first = fs.readFileSync(zip);
  const again = await cli(['release', root, '--out', path.join(base, 'again.zip')]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Cache: current/);
  assert.ok(first.equals(fs.readFileSync(path.join(base, 'again.zip'))), 'deterministic');
});

test('release: a changed file updates the cache first; --include-invalid packs everything; bad arguments exit 2', async (t) => {
  const base = tempDir(t);
  const root = path.join(base, 'data');
  tree(root);
  assert.equal((await cli(['release', root])).code, 0);
  const f = path.join(root, 'lab/Subjects/S1/2020-01-02/001/alf/wheel.position.npy');
  fs.writeFileSync(f, Buffer.alloc(10));
  const r = await cli(['release', root, '--include-invalid', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { cache: { action: string; reason: string }; entries: number };
  assert.equal(out.cache.action, 'updated');
  assert.match(out.cache.reason, /1 session changed/);
  assert.equal(out.entries, 11, 'the 2 files that are not indexed are packed too');
  assert.equal((await cli(['release', root, '--out', path.join(root, 'x.zip')])).code, 2, 'never inside DIR');
  assert.equal((await cli(['release', root, '--level', '12'])).code, 2);
  assert.equal((await cli(['release', path.join(base, 'nope')])).code, 2);
});

test('Zip64: more than 65,535 entries, read back by unzip, zipfile and our reader', async (t) => {
  const base = tempDir(t);
  const empty = path.join(base, 'empty');
  fs.writeFileSync(empty, '');
  const n = 65_536; // one past the 16-bit entry count: the least that needs Zip64
  const sources = Array.from({ length: n }, (_, i) => ({ name: `d${Math.floor(i / 1000)}/f${String(i).padStart(6, '0')}`, absPath: empty, size: 0, mtimeMs: Date.UTC(2020, 0, 1) }));
  const zip = path.join(base, 'many.zip');
  const r = await writeZip(zip, sources, { level: 6 });
  assert.equal(r.entries, n);
  const bytes = fs.readFileSync(zip);
  assert.equal(bytes.readUInt32LE(bytes.length - 22 - 20 - 56), 0x06064b50, 'Zip64 end record');
  if (hasUnzip) {
    const u = spawnSync('unzip', ['-tq', zip], { encoding: 'utf8' });
    assert.equal(u.status, 0, u.stdout + u.stderr);
  }
  if (hasPython) {
    const py = spawnSync('python3', ['-c', 'import zipfile,sys; print(len(zipfile.ZipFile(sys.argv[1]).infolist()))', zip], { encoding: 'utf8' });
    assert.equal(py.stdout.trim(), String(n), py.stderr);
  }
  const fh = await fs.promises.open(zip, 'r');
  try {
    const entries = await readCentralDirectory(fh, bytes.length);
    assert.equal(entries.length, n);
    assert.equal(entries[n - 1]!.name, `d${Math.floor((n - 1) / 1000)}/f${String(n - 1).padStart(6, '0')}`);
  } finally {
    await fh.close();
  }
});

test('the deflate pool stops its workers only after the batches in flight have answered', async (t) => {
  const dir = tempDir(t);
  const files = Array.from({ length: 32 }, (_, i) => {
    const absPath = path.join(dir, `f${i}`);
    fs.writeFileSync(absPath, randomBytes(50_000));
    return { absPath, size: 50_000, store: false, headerLength: 40 };
  });
  const pool = new DeflatePool(2, 9);
  const jobs = [pool.pack(files), pool.pack(files), pool.pack(files)];
  await pool.close();
  // Each batch answered before its worker was stopped: none is left pending (terminated mid-batch).
  const pending = Symbol('pending');
  const states = await Promise.all(jobs.map((j) => Promise.race([j.then(() => 'packed', () => 'failed'), new Promise((r) => setImmediate(() => r(pending)))])));
  assert.deepEqual(states, ['packed', 'packed', 'packed']);
});

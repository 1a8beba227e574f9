// `alf open-release`: downloads from a real HTTP server on 127.0.0.1 (Range, a dropped
// connection, wrong sha256, 404) and archives that must be refused with nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { tempDir, writeTree } from '../helpers';
import { writeZip, type ZipSource } from '../../src/core/release/zip-writer';
import { openRelease } from '../../src/core/release/open-release';
import { answerRange, cli, hasTool } from './release-helpers';

async function releaseZip(base: string): Promise<string> {
  const root = path.join(base, 'data');
  writeTree(root, {
    'lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy': Buffer.alloc(200_000, 3),
    'lab/Subjects/S1/2020-01-01/001/alf/trials.intervals.npy': Buffer.from('xyz'.repeat(1000)),
  });
  const r = await cli(['release', root, '--level', '0']);
  assert.equal(r.code, 0, r.stderr);
  return path.join(base, 'data.zip');
}

/** Serves one file with Range; `dropFirst` sends half of the first full response, then cuts the connection. */
async function serve(t: { after: (fn: () => void) => void }, file: string, dropFirst: boolean) {
  const body = fs.readFileSync(file);
  const requests: (string | undefined)[] = [];
  let dropped = false;
  const server = http.createServer((req, res) => {
    requests.push(req.headers.range);
    if (req.url !== '/release.zip') {
      res.writeHead(404).end('not found');
      return;
    }
    if (answerRange(body, req, res)) return;
    res.writeHead(200, { 'Content-Length': body.length, 'Accept-Ranges': 'bytes', ETag: '"v1"' });
    if (dropFirst && !dropped) {
      dropped = true;
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/release.zip`, base: `http://127.0.0.1:${port}`, requests, sha256: createHash('sha256').update(body).digest('hex') };
}

test('open-release from a URL: a dropped transfer resumes with Range, sha256 checked, tables read back', async (t) => {
  const base = tempDir(t);
  const zip = await releaseZip(base);
  const s = await serve(t, zip, true);
  const into = path.join(base, 'opened');
  const r = await cli(['open-release', s.url, '--into', into, '--sha256', s.sha256]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(s.requests.length, 2);
  assert.equal(s.requests[0], undefined);
  assert.match(s.requests[1] ?? '', /^bytes=\d+-$/u, 'the second request asks for the rest');
  assert.match(r.stdout, /resumed 1×/);
  assert.match(r.stdout, /Index tables read back: 1 sessions, 2 datasets, every dataset present/);
  assert.match(r.stdout, /One\(cache_dir=".*opened", mode='local'\)/);
  assert.deepEqual(fs.readFileSync(path.join(into, 'lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy')), Buffer.alloc(200_000, 3));
  assert.deepEqual(fs.readdirSync(base).sort(), ['data', 'data.zip', 'opened'], 'no partial download or temporary folder left');
});

test('open-release: wrong sha256 (exit 1) and 404 (exit 4) leave nothing behind', async (t) => {
  const base = tempDir(t);
  const zip = await releaseZip(base);
  const s = await serve(t, zip, false);
  const into = path.join(base, 'opened');
  const bad = await cli(['open-release', s.url, '--into', into, '--sha256', '0'.repeat(64)]);
  assert.equal(bad.code, 1, bad.stdout);
  assert.match(bad.stderr, /sha256 is [0-9a-f]{64}, not 0{64}.*nothing was unpacked/);
  const missing = await cli(['open-release', `${s.base}/nope.zip`, '--into', into]);
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /answered 404/);
  assert.deepEqual(fs.readdirSync(base).sort(), ['data', 'data.zip']);
  assert.equal((await cli(['open-release', zip])).code, 2, '--into is required');
});

/** A zip holding `name` (written by our writer, which does not check names), optionally patched. */
async function craft(base: string, names: string[], patch?: (zip: Buffer) => void): Promise<string> {
  const file = path.join(base, 'payload');
  fs.writeFileSync(file, 'evil');
  const sources: ZipSource[] = names.map((name) => ({ name, absPath: file, size: 4, mtimeMs: 0 }));
  const zip = path.join(base, `crafted-${Math.random().toString(36).slice(2)}.zip`);
  await writeZip(zip, sources, { level: 0 });
  if (patch) {
    const b = fs.readFileSync(zip);
    patch(b);
    fs.writeFileSync(zip, b);
  }
  return zip;
}

test('unsafe archives are refused with the entry named, nothing written outside, DIR unchanged', async (t) => {
  const base = tempDir(t);
  const work = path.join(base, 'work');
  fs.mkdirSync(work);
  const into = path.join(work, 'into');
  fs.mkdirSync(into); // an existing empty DIR stays as it was
  const cases: [string, Promise<string>, RegExp][] = [
    ['zip-slip', craft(base, ['ok.txt', 'a/../../evil.txt']), /a\/\.\.\/\.\.\/evil\.txt: the path goes up/],
    ['absolute', craft(base, ['/tmp/evil-abs.txt']), /\/tmp\/evil-abs\.txt: an absolute path/],
    ['drive letter', craft(base, ['C:/evil.txt']), /C:\/evil\.txt: a path with a drive letter/],
    ['duplicate', craft(base, ['a.txt', 'a.txt']), /a\.txt: the zip holds this name twice/],
    ['case duplicate', craft(base, ['A.txt', 'a.txt']), /differs only in case/],
    ['symlink', craft(base, ['link'], (b) => {
      const cd = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      b.writeUInt32LE((0o120777 << 16) >>> 0, cd + 38);
    }), /link: the zip holds a symbolic link/],
    ['size lie (bomb)', craft(base, ['big.txt'], (b) => {
      // Declare 4 stored bytes as 1 GB in the directory: refused before writing.
      const cd = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      b.writeUInt32LE(1_000_000_000, cd + 24);
    }), /big\.txt: a stored entry whose sizes differ/],
  ];
  for (const [what, zipP, message] of cases) {
    const zip = await zipP;
    const r = await cli(['open-release', zip, '--into', into]);
    assert.equal(r.code, 1, `${what}: ${r.stdout}`);
    assert.match(r.stderr, message, what);
    assert.deepEqual(fs.readdirSync(work), ['into'], `${what}: nothing beside DIR`);
    assert.deepEqual(fs.readdirSync(into), [], `${what}: DIR unchanged`);
  }
  assert.ok(!fs.existsSync(path.join(base, 'evil.txt')) && !fs.existsSync('/tmp/evil-abs.txt'));

  // A deflate bomb: 50 MB of zeros in ~50 kB, refused by its ratio before anything is written.
  const zeros = path.join(base, 'zeros');
  fs.writeFileSync(zeros, Buffer.alloc(50 * 1024 * 1024));
  const bomb = path.join(base, 'bomb.zip');
  await writeZip(bomb, [{ name: 'zeros.bin', absPath: zeros, size: 50 * 1024 * 1024, mtimeMs: 0 }], { level: 9 });
  const r = await cli(['open-release', bomb, '--into', into]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /zeros\.bin: .*implausible ratio/);
  assert.deepEqual(fs.readdirSync(work), ['into']);

  // An entry that inflates past its declared size is stopped while unpacking.
  const liar = await craft(base, ['x.txt'], () => undefined);
  assert.ok(liar);
  await assert.rejects(
    openRelease(await (async () => {
      const z = path.join(base, 'liar.zip');
      const src = path.join(base, 'liar-src');
      fs.writeFileSync(src, Buffer.alloc(100_000, 65));
      await writeZip(z, [{ name: 'x.txt', absPath: src, size: 100_000, mtimeMs: 0 }], { level: 6 });
      const b = fs.readFileSync(z);
      const cd = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      b.writeUInt32LE(1000, cd + 24);
      fs.writeFileSync(z, b);
      return z;
    })(), into),
    /x\.txt: inflates to more than its declared size/,
  );
  assert.deepEqual(fs.readdirSync(work), ['into']);
  assert.deepEqual(fs.readdirSync(into), []);
});

test('a release with one top-level folder and no tables: that folder is the data root, tables built', { skip: !hasTool('zip') && 'zip not installed (apt-get install -y zip)' }, async (t) => {
  const base = tempDir(t);
  writeTree(path.join(base, 'src/ibl_behaviour'), {
    'lab/Subjects/S1/2020-01-01/001/alf/trials.choice.npy': Buffer.alloc(100, 1),
    'lab/Subjects/S1/2020-01-02/001/alf/trials.choice.npy': Buffer.alloc(100, 2),
  });
  const zip = path.join(base, 'release.zip');
  const z = spawnSync('zip', ['-r', '-q', zip, 'ibl_behaviour'], { cwd: path.join(base, 'src') });
  assert.equal(z.status, 0);
  const into = path.join(base, 'opened');
  const r = await cli(['open-release', zip, '--into', into]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /one top-level folder, ibl_behaviour: it is the data root/);
  assert.match(r.stdout, /no index tables: built them \(2 sessions, 2 datasets\)/);
  assert.ok(fs.existsSync(path.join(into, 'ibl_behaviour/sessions.pqt')));
  assert.match(r.stdout, /One\(cache_dir=".*ibl_behaviour", mode='local'\)/);
});

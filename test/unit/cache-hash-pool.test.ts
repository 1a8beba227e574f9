import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { HashPool, hashFiles } from '../../src/core/cache/hash';
import { tempDir } from '../helpers';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** Files of many sizes: empty, a few bytes, a few kB, and past the 1 MiB read size. */
function makeFiles(dir: string, count: number): { file: string; bytes: Buffer }[] {
  const out: { file: string; bytes: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const size = i % 500 === 7 ? (1 << 20) + 3 * i : i % 97 === 0 ? 0 : 1 + ((i * 7919) % 5000);
    const bytes = Buffer.alloc(size, i % 251);
    if (size >= 4) bytes.writeUInt32LE(i, 0); // no two files alike
    const file = path.join(dir, `f${i}.bin`);
    writeFileSync(file, bytes);
    out.push({ file, bytes });
  }
  return out;
}

test('HashPool: workers and the calling thread share the files; every digest lands at its index', async (t) => {
  const dir = tempDir(t);
  const files = makeFiles(dir, 4000);
  const missing = path.join(dir, 'gone.bin');
  const pool = new HashPool({ threads: 1, callerHelps: true });
  const indices = files.map(({ file, bytes }) => pool.add(file, bytes.length));
  const missingAt = pool.add(missing, 10);
  const outcomes = await pool.finish();
  assert.equal(outcomes.length, files.length + 1);
  files.forEach(({ file, bytes }, i) => assert.deepEqual(outcomes[indices[i]!], { md5: md5(bytes) }, file));
  const gone = outcomes[missingAt]!;
  assert.ok('error' in gone && gone.error.startsWith('ENOENT'), JSON.stringify(gone));
  // More files than a worker is given ahead: the calling thread must have taken some of them,
  // and the worker the rest.
  assert.ok(pool.hashedByCaller > 0 && pool.hashedByCaller < files.length, `calling thread hashed ${pool.hashedByCaller}`);
});

test('HashPool: a file hashed up to the size its stat gave, even if it grew since', async (t) => {
  const dir = tempDir(t);
  const small = path.join(dir, 'small.bin');
  const big = path.join(dir, 'big.bin');
  const smallBytes = Buffer.from('the bytes that were measured');
  const bigBytes = Buffer.alloc((1 << 20) * 2 + 5, 3);
  writeFileSync(small, smallBytes);
  writeFileSync(big, bigBytes);
  appendFileSync(small, 'appended later');
  appendFileSync(big, 'appended later');
  for (const callerHelps of [false, true]) {
    const pool = new HashPool({ threads: 1, callerHelps });
    pool.add(small, smallBytes.length);
    pool.add(big, bigBytes.length);
    assert.deepEqual(await pool.finish(), [{ md5: md5(smallBytes) }, { md5: md5(bigBytes) }]);
  }
});

test('hashFiles: files of unknown size are read to their end, and progress counts the bytes read', async (t) => {
  const dir = tempDir(t);
  const files = makeFiles(dir, 300);
  let reported = 0;
  const outcomes = await hashFiles(files.map((f) => f.file), { threads: 2, onBytes: (n) => (reported = n) });
  assert.deepEqual(outcomes, files.map(({ bytes }) => ({ md5: md5(bytes) })));
  assert.equal(reported, files.reduce((n, f) => n + f.bytes.length, 0));
});

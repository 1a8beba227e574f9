import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Decimator, NpyError, decimate, npyColumn, npyStats, previewNpy, readNpy, StatsAccumulator } from '../../src/core/npy';
import { npyFloat64, tempDir } from '../helpers';

test('npyStats: min, max, mean of non-NaN values, NaN count, element count', () => {
  assert.deepEqual(npyStats(new Float64Array([1, NaN, 3, -2, NaN])), { count: 5, nanCount: 2, min: -2, max: 3, mean: 2 / 3 });
  assert.deepEqual(npyStats(new Float64Array([])), { count: 0, nanCount: 0, min: null, max: null, mean: null });
  assert.deepEqual(npyStats(new Float64Array([NaN])), { count: 1, nanCount: 1, min: null, max: null, mean: null });
  assert.deepEqual(npyStats(new Float64Array([1, Infinity])), { count: 2, nanCount: 0, min: 1, max: Infinity, mean: Infinity });
  assert.ok(Number.isNaN(npyStats(new Float64Array([-Infinity, Infinity])).mean));
  assert.deepEqual(npyStats(new BigInt64Array([-5n, 10n])), { count: 2, nanCount: 0, min: -5, max: 10, mean: 2.5 });
  assert.deepEqual(npyStats(new Uint8Array([1, 0, 1, 1])).mean, 0.75);
  // The compensated sum keeps the mean exact where a naive float64 sum drifts.
  const v = new Float64Array(1_000_001).fill(0.1);
  v[0] = 1e8;
  const naive = v.reduce((a, b) => a + b, 0) / v.length;
  const exact = (1e8 + 0.1 * 1_000_000) / v.length;
  assert.ok(Math.abs((npyStats(v).mean as number) - exact) < Math.abs(naive - exact) || naive === exact);
  assert.ok(Math.abs((npyStats(v).mean as number) - exact) < 1e-12 * exact);
});

test('npyStats of an NpyArray covers every element whatever the shape', () => {
  const a = { dtype: { name: 'float64' as const, descr: '<f8', kind: 'f' as const, itemSize: 8, littleEndian: true }, shape: [2, 2], data: new Float64Array([4, 1, 2, 3]) };
  assert.deepEqual(npyStats(a), { count: 4, nanCount: 0, min: 1, max: 4, mean: 2.5 });
});

test('decimate: min/max per bucket with their indices; short series keep every sample', () => {
  const values = new Float64Array([5, 1, 9, 3, NaN, NaN, 2, 8, 7, 6]);
  const d = decimate(values, 4);
  // buckets [0,2) [2,5) [5,7) [7,10)
  assert.deepEqual(Array.from(d.start), [0, 2, 5, 7]);
  assert.deepEqual(Array.from(d.min), [1, 3, 2, 6]);
  assert.deepEqual(Array.from(d.max), [5, 9, 2, 8]);
  assert.deepEqual(Array.from(d.minIndex), [1, 3, 6, 9]);
  assert.deepEqual(Array.from(d.maxIndex), [0, 2, 6, 7]);
  assert.equal(d.length, 10);
  const allNaN = decimate(new Float64Array([NaN, NaN, 1]), 3);
  assert.ok(Number.isNaN(allNaN.min[0]));
  assert.equal(allNaN.minIndex[0], -1);
  const short = decimate(new Int16Array([3, -1, 2]), 2000);
  assert.equal(short.start.length, 3);
  assert.deepEqual(Array.from(short.min), [3, -1, 2]);
  assert.deepEqual(Array.from(short.max), [3, -1, 2]);
  assert.equal(decimate(new Float64Array(0)).start.length, 0);
  assert.throws(() => decimate(values, 0), /buckets must be a whole number ≥ 1/);
});

test('decimate keeps the extremes of a long series, and fed in pieces gives the same answer', () => {
  const n = 1_000_003;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i / 1000);
  v[123_457] = 50;
  v[777_777] = -50;
  const d = decimate(v, 2000);
  assert.equal(d.start.length, 2000);
  assert.equal(Math.max(...d.max), 50);
  assert.equal(Math.min(...d.min), -50);
  assert.ok(d.maxIndex.includes(123_457) && d.minIndex.includes(777_777));
  // Every bucket's min/max is the true min/max of its range.
  for (const b of [0, 617, 1999]) {
    const from = d.start[b] as number;
    const to = b + 1 < 2000 ? (d.start[b + 1] as number) : n;
    const slice = Array.from(v.subarray(from, to));
    assert.equal(d.min[b], Math.min(...slice));
    assert.equal(d.max[b], Math.max(...slice));
  }
  const pieces = new Decimator(n, 2000);
  for (let s = 0; s < n; s += 65_536) pieces.push(v.subarray(s, Math.min(n, s + 65_536)), s);
  assert.deepEqual(pieces.result(), d);
  assert.throws(() => new Decimator(10, 2).push(new Float64Array(3), 1), /expected sample 0 next/);
  const acc = new StatsAccumulator();
  acc.add(v.subarray(0, 500_000));
  acc.add(v.subarray(500_000));
  assert.deepEqual(acc.result(), npyStats(v));
});

test('npyColumn takes one column of an (n, k) array', () => {
  const a = { dtype: { name: 'int64' as const, descr: '<i8', kind: 'i' as const, itemSize: 8, littleEndian: true }, shape: [3, 2], data: new BigInt64Array([1n, 2n, 3n, 4n, 5n, 6n]) };
  assert.deepEqual(Array.from(npyColumn(a, 1) as BigInt64Array), [2n, 4n, 6n]);
  assert.throws(() => npyColumn(a, 2), /column 2 does not exist \(rows have 2 elements\)/);
});

test('previewNpy reads in chunks and gives the same stats and trace as the whole array, C and Fortran order', async (t) => {
  const dir = tempDir(t);
  const rows = 50_001;
  const c = new Float64Array(rows * 3);
  for (let i = 0; i < rows; i++) for (let j = 0; j < 3; j++) c[i * 3 + j] = j === 1 && i % 7 === 0 ? NaN : Math.cos(i / 300) * (j + 1) + i * 1e-4;
  const f = new Float64Array(rows * 3);
  for (let i = 0; i < rows; i++) for (let j = 0; j < 3; j++) f[j * rows + i] = c[i * 3 + j] as number;
  writeFileSync(path.join(dir, 'c.npy'), npyFloat64(c, [rows, 3]));
  writeFileSync(path.join(dir, 'f.npy'), npyFloat64(f, [rows, 3], { fortran: true }));
  for (const name of ['c.npy', 'f.npy']) {
    const file = path.join(dir, name);
    const whole = await readNpy(file);
    for (const column of [0, 1, 2]) {
      const events: number[] = [];
      const p = await previewNpy(file, { column, buckets: 500, chunkBytes: 40_000, onProgress: (e) => events.push(e.done) });
      assert.equal(p.header.shape[0], rows);
      assert.equal(p.rowWidth, 3);
      assert.equal(p.column, column);
      assert.deepEqual(p.stats, npyStats(whole), `${name} stats`);
      assert.deepEqual(p.plot, decimate(npyColumn(whole, column), 500), `${name} column ${column}`);
      assert.ok(events.length > 10 && events.at(-1) === rows * 3 * 8);
    }
  }
  await assert.rejects(previewNpy(path.join(dir, 'c.npy'), { column: 3 }), (e: unknown) => e instanceof NpyError && /column 3 does not exist .* pass a column from 0 to 2/.test(e.message));
  // A failure while the next chunk is being read rejects cleanly (no unhandled rejection).
  await assert.rejects(
    previewNpy(path.join(dir, 'c.npy'), {
      chunkBytes: 40_000,
      onProgress: () => {
        throw new Error('viewer closed');
      },
    }),
    /viewer closed/,
  );
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(previewNpy(path.join(dir, 'c.npy'), { signal: ac.signal }), { name: 'CancelledError' });
});

test('previewNpy of 0-d and empty arrays has stats but no trace; int64 values come as numbers', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 's.npy'), npyFloat64([4], []));
  const s = await previewNpy(path.join(dir, 's.npy'));
  assert.equal(s.plot, null);
  assert.equal(s.column, null);
  assert.deepEqual(s.stats, { count: 1, nanCount: 0, min: 4, max: 4, mean: 4 });
  writeFileSync(path.join(dir, 'e.npy'), npyFloat64([], [0]));
  assert.equal((await previewNpy(path.join(dir, 'e.npy'))).plot, null);
  const big = new BigInt64Array([3n, -(2n ** 40n), 7n]);
  writeFileSync(path.join(dir, 'i.npy'), npyFloat64(new Float64Array(big.buffer), [3], { descr: '<i8' }));
  const p = await previewNpy(path.join(dir, 'i.npy'));
  assert.equal(p.stats.min, -(2 ** 40));
  assert.deepEqual(Array.from(p.plot?.max ?? []), [3, -(2 ** 40), 7]);
});

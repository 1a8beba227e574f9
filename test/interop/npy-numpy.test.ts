/** Interop: files written by numpy itself. Needs ALF_PYTHON with numpy; skipped (with the reason) otherwise. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { NpyError, previewNpy, readNpy, readNpyHeader, readNpySlice } from '../../src/core/npy';
import { tempDir } from '../helpers';
import { interopPython } from './support';

const { python, reason } = interopPython(['numpy']);

const WRITER = String.raw`
import json, sys, os
import numpy as np
from numpy.lib import format as npf
out = sys.argv[1]
cases = []
def save(name, arr, version=None):
    with open(os.path.join(out, name), 'wb') as f:
        npf.write_array(f, arr, version=version)
    flat = np.asarray(arr).ravel(order='C')
    cases.append({'name': name, 'shape': list(np.shape(arr)), 'fortran': bool(np.isfortran(arr)) if np.ndim(arr) > 1 else False,
                  'values': [repr(float(x)) if np.asarray(arr).dtype.kind == 'f' else str(int(x)) for x in flat]})
rng = np.random.default_rng(7)
base = np.array([[0, 1, -1, 7, 100, -100], [3, 2, 126, -126, 5, 9]], dtype=np.int64)
for code in ['?', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'f2', 'f4', 'f8']:
    for order in '<>':
        for layout in 'CF':
            for version in [(1, 0), (2, 0), (3, 0)]:
                dt = np.dtype(order + code) if code != '?' else np.dtype('?')
                if dt.kind == 'b': a = (base % 2).astype(dt)
                elif dt.kind == 'u': a = np.abs(base).astype(dt)
                elif dt.kind == 'f':
                    a = (base / 3).astype(dt)
                    a[0, 0] = np.nan; a[0, 1] = np.inf; a[1, 0] = -0.0
                else: a = base.astype(dt)
                a = np.asfortranarray(a) if layout == 'F' else np.ascontiguousarray(a)
                save(f'{code}-{order}-{layout}-{version[0]}.npy', a, version)
save('cube-F.npy', np.asfortranarray(rng.normal(size=(4, 3, 5))))
save('cube-C.npy', rng.integers(-1000, 1000, size=(4, 3, 5)).astype('>i4'))
save('scalar.npy', np.float32(1.25))
save('empty.npy', np.zeros((0, 3)))
save('big-i8.npy', np.array([2**62 + 1, -2**63, 2**63 - 1], dtype=np.int64))
save('u8.npy', np.array([2**64 - 1, 0], dtype=np.uint64))
np.save(os.path.join(out, 'trace.npy'), np.asfortranarray(rng.normal(size=(200000, 2))))
np.save(os.path.join(out, 'object.npy'), np.array([{'a': 1}, None], dtype=object), allow_pickle=True)
np.save(os.path.join(out, 'record.npy'), np.zeros(3, dtype=[('x', '<f8'), ('y', '<i4')]))
np.save(os.path.join(out, 'record-utf8.npy'), np.zeros(2, dtype=[('α', '<f8')]))
np.save(os.path.join(out, 'strings.npy'), np.array(['ab', 'cde']))
np.save(os.path.join(out, 'complex.npy'), np.array([1 + 2j]))
json.dump(cases, open(os.path.join(out, 'cases.json'), 'w'))
`;

function pyNumber(s: string): number {
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
}

test('arrays written by numpy (every dtype, byte order, layout and format version) read back exactly', { skip: reason ?? false }, async (t) => {
  const dir = tempDir(t);
  const r = spawnSync(python as string, ['-c', WRITER, dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const cases = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as { name: string; shape: number[]; fortran: boolean; values: string[] }[];
  assert.ok(cases.length > 140);
  for (const c of cases) {
    const file = path.join(dir, c.name);
    const h = await readNpyHeader(file);
    assert.deepEqual(h.shape, c.shape, c.name);
    assert.equal(h.fortranOrder, c.fortran, c.name);
    const a = await readNpy(file);
    const got = Array.from(a.data as ArrayLike<number | bigint>);
    assert.equal(got.length, c.values.length, c.name);
    got.forEach((v, i) => {
      const want = c.values[i] as string;
      if (typeof v === 'bigint') assert.equal(v, BigInt(want), `${c.name}[${i}]`);
      else if (a.dtype.kind === 'f') assert.ok(Object.is(v, pyNumber(want)), `${c.name}[${i}]: ${v} vs ${want}`);
      else assert.equal(v, Number(want), `${c.name}[${i}]`);
    });
    if (c.shape.length > 0 && (c.shape[0] as number) > 2) {
      const s = await readNpySlice(file, { start: 1, count: 2 });
      const width = c.values.length / (c.shape[0] as number);
      assert.deepEqual(Array.from(s.data as ArrayLike<number | bigint>), got.slice(width, 3 * width), `${c.name} slice`);
    }
  }
  const p = await previewNpy(path.join(dir, 'trace.npy'), { column: 1, chunkBytes: 100_000 });
  assert.equal(p.header.fortranOrder, true);
  assert.equal(p.plot?.start.length, 2000);
  assert.equal(p.stats.count, 400_000);

  const refusals: [string, string][] = [
    ['object.npy', 'pickled'],
    ['record.npy', 'structured'],
    ['record-utf8.npy', 'structured'],
    ['strings.npy', 'unsupported-dtype'],
    ['complex.npy', 'unsupported-dtype'],
  ];
  for (const [name, code] of refusals) {
    await assert.rejects(readNpy(path.join(dir, name)), (e: unknown) => e instanceof NpyError && e.code === code, name);
  }
  // numpy wrote that one as format 3.0 (a field name outside latin-1): the header decodes, then is refused.
  assert.equal(readFileSync(path.join(dir, 'record-utf8.npy'))[6], 3);
});

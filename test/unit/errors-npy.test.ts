// Issue 13, items 6 and 9: a damaged or strange .npy gets one clear line and the same exit code
// from `alf npy` and `alf load-object` (and the same core error the .npy editor shows), and a
// missing attribute is named as such. Files are written here byte by byte from the NPY format.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { NpyError, readNpyHeader } from '../../src/core/npy';
import { npyFloat64, writeTree } from '../helpers';
import { isOneLine, runAlf } from './errors-run';

/** A v2.0 .npy whose header text is `dict` as given (padded and terminated as numpy does). */
function npyWithHeader(dict: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const pad = (64 - ((12 + dict.length + 1) % 64)) % 64;
  const head = Buffer.alloc(12);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]).copy(head);
  head.writeUInt32LE(dict.length + pad + 1, 8);
  return Buffer.concat([head, Buffer.from(`${dict}${' '.repeat(pad)}\n`, 'latin1'), data]);
}

const SESSION = 'lab/Subjects/mouse/2020-01-01/001';
const DEEP = `{'descr': '<f8', 'fortran_order': False, 'shape': ${'('.repeat(20_000)}${')'.repeat(20_000)}, }`;

describe('errors: .npy files', () => {
  let root = '';
  const file = (name: string) => path.join(root, SESSION, 'alf', name);
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'alf-errors-npy-'));
    writeTree(root, {
      [`${SESSION}/alf/trials.goCue_times.npy`]: npyFloat64([1, 2, 3]),
      [`${SESSION}/alf/trials.feedback_times.npy`]: npyFloat64([1.5, 2.5, 3.5]),
      [`${SESSION}/alf/deep.times.npy`]: npyWithHeader(DEEP),
      [`${SESSION}/alf/cut.times.npy`]: npyFloat64([1, 2, 3, 4]).subarray(0, 128 + 8),
      [`${SESSION}/alf/huge.times.npy`]: npyWithHeader(`{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,), }`),
    });
    const built = await runAlf(['build-cache', root]);
    assert.equal(built.code, 0, built.stderr);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a header nested 20,000 deep: one line naming the file, exit 2, from npy, load-object and the core', async () => {
    const npy = await runAlf(['npy', file('deep.times.npy')]);
    assert.equal(npy.code, 2, npy.stderr);
    assert.ok(isOneLine(npy.stderr), npy.stderr);
    assert.match(npy.stderr, /^alf: .*deep\.times\.npy: the header nests brackets more than 64 deep/);
    assert.doesNotMatch(npy.stderr, /call stack|internal error/);

    const load = await runAlf(['load-object', root, SESSION, 'deep']);
    assert.equal(load.code, 2, load.stderr);
    assert.ok(isOneLine(load.stderr), load.stderr);
    assert.match(load.stderr, /deep\.times\.npy: the header nests brackets more than 64 deep/);

    // The .npy editor shows the message of the core's error.
    await assert.rejects(readNpyHeader(file('deep.times.npy')), (e: unknown) => e instanceof NpyError && e.code === 'bad-header' && /more than 64 deep/.test(e.message));
  });

  test('headers nested as deep as real structured dtypes still read', async () => {
    const nested = `{'descr': [('a', [('b', [('c', '<f8')])])], 'fortran_order': False, 'shape': (1,), }`;
    const f = path.join(root, 'nested.npy');
    writeFileSync(f, npyWithHeader(nested, Buffer.alloc(8)));
    // Structured arrays are refused for what they are, not for their depth.
    await assert.rejects(readNpyHeader(f), { code: 'structured' });
  });

  test('shape (2**62,) is "too large", not "not a tuple of non-negative integers"', async () => {
    const r = await runAlf(['npy', file('huge.times.npy')]);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(isOneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /huge\.times\.npy: shape \(4611686018427387904,\) is too large/);
  });

  test('a truncated .npy exits 1 from both npy and load-object', async () => {
    const npy = await runAlf(['npy', file('cut.times.npy')]);
    const load = await runAlf(['load-object', root, SESSION, 'cut']);
    assert.equal(npy.code, 1, npy.stderr);
    assert.equal(load.code, 1, load.stderr);
    assert.match(load.stderr, /^alf: .*cut\.times\.npy: truncated/);
    assert.ok(isOneLine(load.stderr), load.stderr);
  });

  test('npy /dev/zero is "not an .npy file" (exit 2), and returns at once', { skip: !existsSync('/dev/zero') && 'no /dev/zero here' }, async () => {
    const r = await runAlf(['npy', '/dev/zero']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, 'alf: /dev/zero: not an .npy file: it is a device, not a regular file — pass the path of an .npy file\n');
  });

  test('--attribute nosuch names the attribute and lists the ones there, exit 2', async () => {
    const r = await runAlf(['load-object', root, SESSION, 'trials', '--attribute', 'nosuch']);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(isOneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /--attribute: attribute "nosuch" not found in ALF object "trials" of session [0-9a-f-]{36} \(attributes: feedback_times, goCue_times\)/);
    // An object that is not there is still reported as such.
    const none = await runAlf(['load-object', root, SESSION, 'wheel', '--attribute', 'position']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /ALF object "wheel" not found/);
    assert.ok(readFileSync(file('trials.goCue_times.npy')).length > 0);
  });
});

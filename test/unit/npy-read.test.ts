import assert from 'node:assert/strict';
import { closeSync, openSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { type NpyArray, NpyError, readNpy, readNpyHeader, readNpySlice } from '../../src/core/npy';
import { tempDir } from '../helpers';

// ---- an independent .npy writer (numpy.lib.format, written from the NEP, not from the reader) --

type Version = '1.0' | '2.0' | '3.0';

function npyHeaderBytes(dict: string, version: Version): Buffer {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const lenBytes = major === 1 ? 2 : 4;
  const encoded = Buffer.from(dict, major === 3 ? 'utf8' : 'latin1');
  const pre = 6 + 2 + lenBytes;
  const pad = (64 - ((pre + encoded.length + 1) % 64)) % 64;
  const text = Buffer.concat([encoded, Buffer.from(' '.repeat(pad) + '\n', 'latin1')]);
  const head = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, minor]).copy(head);
  if (lenBytes === 2) head.writeUInt16LE(text.length, 8);
  else head.writeUInt32LE(text.length, 8);
  return Buffer.concat([head, text]);
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function npyBytes(descr: string, shape: readonly number[], data: Uint8Array, options: { fortran?: boolean; version?: Version } = {}): Buffer {
  const dict = `{'descr': '${descr}', 'fortran_order': ${options.fortran ? 'True' : 'False'}, 'shape': ${shapeText(shape)}, }`;
  return Buffer.concat([npyHeaderBytes(dict, options.version ?? '1.0'), data]);
}

interface DtypeCase {
  code: string;
  name: string;
  size: number;
  /** Values in C order (numbers, or bigints for 64-bit ints). */
  values: (number | bigint)[];
  write(dv: DataView, offset: number, v: number | bigint, little: boolean): void;
}

const F16: [number, number][] = [
  [0x3c00, 1],
  [0xc000, -2],
  [0x7bff, 65504],
  [0x0001, 2 ** -24],
  [0x3555, 0.333251953125],
  [0x7c00, Infinity],
  [0xfc00, -Infinity],
  [0x8000, -0],
];

const DTYPES: DtypeCase[] = [
  { code: 'b1', name: 'bool', size: 1, values: [1, 0, 1, 1, 0, 0], write: (dv, o, v) => dv.setUint8(o, Number(v)) },
  { code: 'i1', name: 'int8', size: 1, values: [-128, 127, 0, -1, 5, 6], write: (dv, o, v) => dv.setInt8(o, Number(v)) },
  { code: 'u1', name: 'uint8', size: 1, values: [0, 255, 1, 2, 3, 4], write: (dv, o, v) => dv.setUint8(o, Number(v)) },
  { code: 'i2', name: 'int16', size: 2, values: [-32768, 32767, 0, -1, 256, 7], write: (dv, o, v, le) => dv.setInt16(o, Number(v), le) },
  { code: 'u2', name: 'uint16', size: 2, values: [0, 65535, 256, 1, 2, 3], write: (dv, o, v, le) => dv.setUint16(o, Number(v), le) },
  { code: 'i4', name: 'int32', size: 4, values: [-(2 ** 31), 2 ** 31 - 1, 0, -1, 65536, 9], write: (dv, o, v, le) => dv.setInt32(o, Number(v), le) },
  { code: 'u4', name: 'uint32', size: 4, values: [0, 2 ** 32 - 1, 65536, 1, 2, 3], write: (dv, o, v, le) => dv.setUint32(o, Number(v), le) },
  {
    code: 'i8',
    name: 'int64',
    size: 8,
    values: [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 53n + 1n, 42n],
    write: (dv, o, v, le) => dv.setBigInt64(o, BigInt(v), le),
  },
  {
    code: 'u8',
    name: 'uint64',
    size: 8,
    values: [0n, 2n ** 64n - 1n, 2n ** 32n, 1n, 2n ** 53n + 1n, 7n],
    write: (dv, o, v, le) => dv.setBigUint64(o, BigInt(v), le),
  },
  { code: 'f2', name: 'float16', size: 2, values: F16.slice(0, 6).map(([, v]) => v), write: (dv, o, v, le) => dv.setUint16(o, (F16.find(([, x]) => Object.is(x, v)) as [number, number])[0], le) },
  { code: 'f4', name: 'float32', size: 4, values: [1.5, -0.25, NaN, Infinity, 3.4028234663852886e38, 1e-45], write: (dv, o, v, le) => dv.setFloat32(o, Number(v), le) },
  { code: 'f8', name: 'float64', size: 8, values: [Math.PI, -0, NaN, -Infinity, Number.MAX_VALUE, 5e-324], write: (dv, o, v, le) => dv.setFloat64(o, Number(v), le) },
];

/** Encodes C-order `values` of `shape` in the file's element order and byte order. */
function encode(t: DtypeCase, values: readonly (number | bigint)[], shape: readonly number[], little: boolean, fortran: boolean): Uint8Array {
  const out = new Uint8Array(values.length * t.size);
  const dv = new DataView(out.buffer);
  const order = fortran ? fortranOrder(shape) : values.map((_, i) => i);
  order.forEach((c, f) => t.write(dv, f * t.size, values[c] as number | bigint, little));
  return out;
}

/** For each file position in Fortran order, the C-order index of the element stored there. */
function fortranOrder(shape: readonly number[]): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let f = 0; f < n; f++) {
    let rem = f;
    let c = 0;
    let cStride = n;
    const idx = shape.map((d) => {
      const i = rem % d;
      rem = Math.floor(rem / d);
      return i;
    });
    for (let k = 0; k < shape.length; k++) {
      cStride /= shape[k] as number;
      c += (idx[k] as number) * cStride;
    }
    out.push(c);
  }
  return out;
}

function expected(t: DtypeCase): (number | bigint)[] {
  return t.values.map((v) => (t.name === 'float32' ? Math.fround(Number(v)) : v));
}

function plain(a: NpyArray): (number | bigint)[] {
  return Array.from(a.data as ArrayLike<number | bigint>);
}

test('every dtype × byte order × C/Fortran order × format version reads back in C order', async (t) => {
  const dir = tempDir(t);
  for (const d of DTYPES) {
    for (const little of d.size === 1 ? [true] : [true, false]) {
      for (const fortran of [false, true]) {
        for (const version of ['1.0', '2.0', '3.0'] as const) {
          const order = d.size === 1 ? '|' : little ? '<' : '>';
          const shape = [2, 3];
          const file = path.join(dir, `${d.name}-${little ? 'le' : 'be'}-${fortran ? 'F' : 'C'}-${version}.npy`);
          writeFileSync(file, npyBytes(order + d.code, shape, encode(d, d.values, shape, little, fortran), { fortran, version }));
          const what = path.basename(file);
          const header = await readNpyHeader(file);
          assert.equal(header.version, version, what);
          assert.equal(header.dtype.name, d.name, what);
          assert.equal(header.fortranOrder, fortran, what);
          assert.deepEqual(header.shape, shape, what);
          assert.equal(header.count, 6, what);
          assert.equal(header.byteLength, 6 * d.size, what);
          assert.equal(header.dataOffset % 64, 0, what);
          assert.equal(header.truncated, false, what);
          const a = await readNpy(file);
          assert.deepEqual(a.shape, shape, what);
          assert.deepEqual(plain(a), expected(d), what);
          const ctor = { bool: Uint8Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, float16: Float32Array, float32: Float32Array, float64: Float64Array }[d.name];
          assert.ok(a.data instanceof (ctor as unknown as typeof Uint8Array), `${what}: ${a.data.constructor.name}`);
        }
      }
    }
  }
});

test('float16 converts exactly to float32, including subnormals, infinities, NaN and -0', async (t) => {
  const dir = tempDir(t);
  const bits = [...F16.map(([b]) => b), 0x7e00];
  const data = new Uint8Array(bits.length * 2);
  bits.forEach((b, i) => new DataView(data.buffer).setUint16(i * 2, b, true));
  const file = path.join(dir, 'h.npy');
  writeFileSync(file, npyBytes('<f2', [bits.length], data));
  const a = await readNpy(file);
  assert.ok(a.data instanceof Float32Array);
  const got = Array.from(a.data as Float32Array);
  F16.forEach(([, v], i) => assert.ok(Object.is(got[i], v), `${bits[i]?.toString(16)} → ${got[i]}, expected ${v}`));
  assert.ok(Number.isNaN(got[bits.length - 1]));
});

test("int64: exact BigInts by default; int64: 'number' gives doubles, exact to 2^53 and rounded beyond", async (t) => {
  const dir = tempDir(t);
  for (const little of [true, false]) {
    const values = [-(2n ** 53n), 2n ** 53n + 1n, -5n, 2n ** 62n + 3n];
    const data = new Uint8Array(values.length * 8);
    values.forEach((v, i) => new DataView(data.buffer).setBigInt64(i * 8, v, little));
    const file = path.join(dir, `i8-${little}.npy`);
    writeFileSync(file, npyBytes(little ? '<i8' : '>i8', [4], data));
    assert.deepEqual(Array.from((await readNpy(file)).data as BigInt64Array), values);
    const n = await readNpy(file, { int64: 'number' });
    assert.ok(n.data instanceof Float64Array);
    assert.equal(n.dtype.name, 'int64');
    assert.deepEqual(Array.from(n.data), [-(2 ** 53), 2 ** 53, -5, 2 ** 62]);
  }
  const u = new Uint8Array(8);
  new DataView(u.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
  writeFileSync(path.join(dir, 'u8.npy'), npyBytes('<u8', [1], u));
  assert.deepEqual(Array.from((await readNpy(path.join(dir, 'u8.npy'), { int64: 'number' })).data as Float64Array), [2 ** 64]);
});

test('shapes: 0-d, 1-d, 3-d (C and Fortran), and empty arrays', async (t) => {
  const dir = tempDir(t);
  const f8 = DTYPES.find((d) => d.code === 'f8') as DtypeCase;
  const write = (name: string, shape: number[], values: number[], fortran = false): string => {
    const file = path.join(dir, name);
    writeFileSync(file, npyBytes('<f8', shape, encode(f8, values, shape, true, fortran), { fortran }));
    return file;
  };
  const scalar = await readNpy(write('scalar.npy', [], [2.5]));
  assert.deepEqual(scalar.shape, []);
  assert.deepEqual(Array.from(scalar.data as Float64Array), [2.5]);
  assert.equal((await readNpyHeader(path.join(dir, 'scalar.npy'))).count, 1);

  const cube = Array.from({ length: 24 }, (_, i) => i * 1.5);
  for (const fortran of [false, true]) {
    const a = await readNpy(write(`cube-${fortran}.npy`, [2, 3, 4], cube, fortran));
    assert.deepEqual(a.shape, [2, 3, 4]);
    assert.deepEqual(Array.from(a.data as Float64Array), cube, `fortran=${fortran}`);
    // element [1][2][3] of a (2, 3, 4) C-order array is at 1·12 + 2·4 + 3
    assert.equal((a.data as Float64Array)[1 * 12 + 2 * 4 + 3], 23 * 1.5);
  }
  for (const shape of [[0], [0, 3], [3, 0, 2]]) {
    const a = await readNpy(write(`empty-${shape.join('x')}.npy`, shape, []));
    assert.deepEqual(a.shape, shape);
    assert.equal(a.data.length, 0);
  }
});

test('the header is read without the data: a truncated file still gives its header, and readNpy says what is wrong', async (t) => {
  const dir = tempDir(t);
  const full = npyBytes('<f8', [1000, 2], new Uint8Array(16000));
  const file = path.join(dir, 'cut.npy');
  writeFileSync(file, full.subarray(0, 128 + 100));
  const h = await readNpyHeader(file);
  assert.deepEqual(h.shape, [1000, 2]);
  assert.equal(h.truncated, true);
  assert.equal(h.fileSize, 228);
  await assert.rejects(readNpy(file), (e: unknown) => {
    assert.ok(e instanceof NpyError);
    assert.equal(e.code, 'truncated');
    assert.match(e.message, /cut\.npy: truncated: .*promises 16000 data bytes, the file has 100 — .*copy or download it again/);
    return true;
  });
  await assert.rejects(readNpySlice(file, { start: 990 }), { code: 'truncated' });
  // The first rows are there, so a slice of them works.
  assert.equal((await readNpySlice(file, { start: 0, count: 6 })).count, 6);

  // A header promising 8 GB of data that is not there: answered at once from the header alone.
  const huge = path.join(dir, 'huge.npy');
  writeFileSync(huge, npyBytes('<f8', [1_000_000_000], new Uint8Array(0)));
  const t0 = performance.now();
  const hh = await readNpyHeader(huge);
  assert.ok(performance.now() - t0 < 200);
  assert.equal(hh.byteLength, 8e9);
  assert.equal(hh.truncated, true);
});

test('a header longer than the first read (4 kB) is read in full', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'long.npy');
  const dict = `{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }${' '.repeat(9000)}`;
  const data = new Uint8Array(8);
  new DataView(data.buffer).setInt32(4, 77, true);
  writeFileSync(file, Buffer.concat([npyHeaderBytes(dict, '2.0'), data]));
  assert.deepEqual(Array.from((await readNpy(file)).data as Int32Array), [0, 77]);
});

test('slices along the first axis, C and Fortran order, read only the rows asked for', async (t) => {
  const dir = tempDir(t);
  const f8 = DTYPES.find((d) => d.code === 'f8') as DtypeCase;
  const i2 = DTYPES.find((d) => d.code === 'i2') as DtypeCase;
  const rows = 10;
  const values = Array.from({ length: rows * 3 }, (_, i) => i);
  for (const fortran of [false, true]) {
    for (const [d, little] of [[f8, true], [i2, false]] as const) {
      const file = path.join(dir, `s-${d.code}-${fortran}.npy`);
      writeFileSync(file, npyBytes(`${little ? '<' : '>'}${d.code}`, [rows, 3], encode(d, values, [rows, 3], little, fortran), { fortran }));
      const s = await readNpySlice(file, { start: 2, count: 3 });
      assert.deepEqual(s.shape, [3, 3]);
      assert.equal(s.totalRows, 10);
      assert.deepEqual(Array.from(s.data as ArrayLike<number>), values.slice(6, 15), `${d.code} fortran=${fortran}`);
      const end = await readNpySlice(file, { start: 8, count: 100 });
      assert.equal(end.count, 2);
      assert.deepEqual(Array.from(end.data as ArrayLike<number>), values.slice(24, 30));
      const past = await readNpySlice(file, { start: 50, count: 5 });
      assert.deepEqual([past.count, past.data.length, past.start], [0, 0, 10]);
      assert.deepEqual(Array.from((await readNpySlice(file, {})).data as ArrayLike<number>), values);
    }
  }
  // 3-d Fortran: each row block is one run per (j, k).
  const cube = Array.from({ length: 5 * 2 * 3 }, (_, i) => i);
  const file = path.join(dir, 'cube.npy');
  writeFileSync(file, npyBytes('<f8', [5, 2, 3], encode(f8, cube, [5, 2, 3], true, true), { fortran: true }));
  const s = await readNpySlice(file, { start: 1, count: 2 });
  assert.deepEqual(s.shape, [2, 2, 3]);
  assert.deepEqual(Array.from(s.data as Float64Array), cube.slice(6, 18));
});

test('a Fortran-order slice of a large file reads each run on its own instead of the whole span', async (t) => {
  const dir = tempDir(t);
  const rows = 9_000_000;
  const file = path.join(dir, 'big-f.npy');
  const header = npyBytes('|u1', [rows, 2], new Uint8Array(0), { fortran: true });
  const fd = openSync(file, 'w');
  writeSync(fd, header);
  ftruncateSync(fd, header.length + rows * 2); // sparse: zeros, except the bytes written below
  writeSync(fd, Buffer.from([1, 2, 3]), 0, 3, header.length + 5_000_000);
  writeSync(fd, Buffer.from([4, 5, 6]), 0, 3, header.length + rows + 5_000_000);
  closeSync(fd);
  const s = await readNpySlice(file, { start: 4_999_999, count: 5 });
  assert.deepEqual(s.shape, [5, 2]);
  assert.deepEqual(Array.from(s.data as Uint8Array), [0, 0, 1, 4, 2, 5, 3, 6, 0, 0]);
});

test('bad slice arguments and 0-d arrays give clear errors', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'x.npy');
  writeFileSync(file, npyBytes('<f8', [3], new Uint8Array(24)));
  await assert.rejects(readNpySlice(file, { start: -1 }), /x\.npy: slice start must be a whole number ≥ 0, got -1/);
  await assert.rejects(readNpySlice(file, { count: 1.5 }), /slice count must be a whole number/);
  const scalar = path.join(dir, 'scalar.npy');
  writeFileSync(scalar, npyBytes('<f8', [], new Uint8Array(8)));
  await assert.rejects(readNpySlice(scalar, { start: 0 }), /0-d array .* has no rows to slice — read it whole with readNpy/);
});

test('unsupported content is refused with the file, the reason and what to do', async (t) => {
  const dir = tempDir(t);
  const cases: [string, Buffer, string, RegExp][] = [
    ['pickled.npy', npyBytes('|O', [2], new Uint8Array(16)), 'pickled', /pickled\.npy: an array of Python objects \(dtype \|O\), stored with pickle — .*save it as a numeric array/],
    [
      'structured.npy',
      Buffer.concat([npyHeaderBytes("{'descr': [('x', '<f8'), ('é', '<i4')], 'fortran_order': False, 'shape': (2,), }", '3.0'), new Uint8Array(24)]),
      'structured',
      /structured array .* — save each field as its own \.npy file/,
    ],
    ['complex.npy', npyBytes('<c16', [1], new Uint8Array(16)), 'unsupported-dtype', /dtype <c16 \(complex numbers\) is not supported — supported: bool, int8-64/],
    ['unicode.npy', npyBytes('<U5', [1], new Uint8Array(20)), 'unsupported-dtype', /dtype <U5 \(Unicode strings\)/],
    ['datetime.npy', npyBytes('<M8[ns]', [1], new Uint8Array(8)), 'unsupported-dtype', /datetime64/],
    ['weird.npy', npyBytes('<q9', [1], new Uint8Array(8)), 'unsupported-dtype', /unknown dtype "<q9"/],
    ['text.npy', Buffer.from('hello world, not numpy'), 'not-npy', /text\.npy: not an NPY file \(no \\x93NUMPY magic\)/],
    ['empty.npy', Buffer.alloc(0), 'not-npy', /the file is empty/],
    ['v4.npy', Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 4, 0, 0, 0, 0, 0])]), 'unsupported-version', /NPY format version 4\.0 is not supported/],
    ['keys.npy', Buffer.concat([npyHeaderBytes("{'descr': '<f8', 'shape': (1,), }", '1.0'), new Uint8Array(8)]), 'bad-header', /header keys are descr,shape, expected descr, fortran_order and shape/],
    ['garbled.npy', Buffer.concat([npyHeaderBytes("{'descr': '<f8', 'fortran_order': Fals", '1.0')]), 'bad-header', /unreadable header/],
    ['cut-header.npy', npyBytes('<f8', [1], new Uint8Array(8)).subarray(0, 40), 'truncated', /truncated inside the header/],
  ];
  for (const [name, bytes, code, message] of cases) {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    await assert.rejects(readNpy(file), (e: unknown) => {
      assert.ok(e instanceof NpyError, `${name}: ${String(e)}`);
      assert.equal(e.code, code, `${name}: ${e.message}`);
      assert.match(e.message, message, name);
      assert.ok(e.message.startsWith(file), name);
      return true;
    });
  }
  await assert.rejects(readNpyHeader(path.join(dir, 'absent.npy')), { code: 'not-found', message: /absent\.npy: no such file/ });
  await assert.rejects(readNpyHeader(dir), { code: 'not-npy', message: /not an \.npy file: it is a folder/ });
});

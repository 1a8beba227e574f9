// The building blocks of the writer: snappy (checked with hyparquet's decoder), PLAIN/dictionary
// pages across page and dictionary limits (checked with DuckDB), UTF-8 ordering, Python JSON.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareUtf8, encodeParquet, pythonJsonDumps, readParquet, ParquetWriteError } from '../../src/core/parquet';
import { snappyCompress } from '../../src/core/parquet/snappy';
import { closeDuck, query, sqlStr, tempDir } from './parquet-helpers';

after(closeDuck);

test('snappy output decodes with hyparquet to the input, across block sizes and data shapes', async () => {
  const { snappyUncompress } = await import('hyparquet');
  const text = new TextEncoder().encode('alf/probe00/spikes.times.npy\u0000'.repeat(9000));
  const ids = new TextEncoder().encode(Array.from({ length: 5000 }, (_, i) => `${i.toString(16).padStart(8, '0')}-abcd-4ef0-8123-${randomBytes(6).toString('hex')}`).join(''));
  const inputs = [
    new Uint8Array(0), new Uint8Array([7]), new Uint8Array(15), new Uint8Array(16).fill(3), new Uint8Array(randomBytes(100)),
    new Uint8Array(65536), new Uint8Array(65537).fill(9), new Uint8Array(randomBytes(200_000)), text, ids,
    ...Array.from({ length: 40 }, (_, n) => new Uint8Array(randomBytes(n)).map((b) => b & 3)),
  ];
  for (const input of inputs) {
    const packed = snappyCompress(input);
    const back = new Uint8Array(input.length);
    snappyUncompress(packed, back);
    assert.deepEqual(back, input, `${input.length} bytes`);
  }
  assert.ok(snappyCompress(text).length < text.length / 10, 'repetitive text compresses');
});

test('multi-page columns and the PLAIN fallback past the dictionary limit read back in DuckDB', async () => {
  const tmp = tempDir();
  try {
    const n = 5000;
    const strings = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `value ${i} ${'é'.repeat(i % 5)}`));
    const few = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : `k${i % 3}`));
    const sizes = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : i % 2 ? 2 ** 40 + i : BigInt(2) ** 63n + BigInt(i)));
    const bools = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : i % 3 === 0));
    const days = Array.from({ length: n }, (_, i) => (i % 19 === 0 ? null : i - 2500));
    const bytes = await encodeParquet({
      columns: [
        { name: 's', type: 'utf8', values: strings },
        { name: 'few', type: 'utf8', values: few },
        { name: 'size', type: 'uint64', values: sizes },
        { name: 'b', type: 'bool', values: bools },
        { name: 'd', type: 'date32', values: days },
        { name: 'allnull', type: 'uint16', values: new Array(n).fill(null) },
      ],
      dataPageSize: 4096,
      dictionaryPageSizeLimit: 2048,
    });
    const file = path.join(tmp.dir, 't.parquet');
    writeFileSync(file, bytes);
    const rows = await query(`select s, few, size::VARCHAR as size, b, d::VARCHAR as d, allnull from read_parquet(${sqlStr(file)})`);
    const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
    assert.deepEqual(rows, strings.map((s, i) => ({
      s, few: few[i], size: sizes[i] === null ? null : String(sizes[i]), b: bools[i], d: days[i] === null ? null : iso(days[i] as number), allnull: null,
    })));
    const meta = Object.fromEntries((await query(`select path_in_schema p, encodings e, stats_null_count nn from parquet_metadata(${sqlStr(file)})`)).map((r) => [r.p, r]));
    assert.equal(meta.s.e, 'PLAIN, RLE', 'dictionary abandoned past its limit');
    assert.equal(meta.few.e, 'PLAIN, RLE, RLE_DICTIONARY');
    assert.equal(Number(meta.allnull.nn), n);
    const { parquetMetadata } = await import('hyparquet');
    const chunks = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer).row_groups[0].columns;
    const dataPages = (name: string) => chunks.find((c) => c.meta_data?.path_in_schema[0] === name)?.meta_data?.encoding_stats?.find((e) => e.page_type === 'DATA_PAGE')?.count;
    assert.ok(dataPages('s')! > 10, `s has ${dataPages('s')} data pages`);
    assert.ok(dataPages('size')! > 5, `size has ${dataPages('size')} data pages`);
    const ours = await readParquet(file);
    assert.deepEqual(ours.rows.map((r) => r.size), sizes.map((v) => (typeof v === 'bigint' ? v : v)));
  } finally {
    tmp.cleanup();
  }
});

test('UNCOMPRESSED pages, one-entry dictionaries and all-null columns read back in DuckDB', async () => {
  const tmp = tempDir();
  try {
    const file = path.join(tmp.dir, 'plain.parquet');
    writeFileSync(file, await encodeParquet({
      codec: 'UNCOMPRESSED',
      columns: [
        { name: 'one', type: 'utf8', values: ['same', 'same', null] },
        { name: 'n', type: 'uint16', values: [null, null, null] },
        { name: 'q', type: 'utf8', values: ['b', null, 'b'], dictionary: ['a', 'b', 'c'] },
      ],
    }));
    assert.deepEqual(await query(`select * from read_parquet(${sqlStr(file)})`), [{ one: 'same', n: null, q: 'b' }, { one: 'same', n: null, q: null }, { one: null, n: null, q: 'b' }]);
    const meta = await query(`select compression from parquet_metadata(${sqlStr(file)})`);
    assert.deepEqual(meta.map((r) => r.compression), ['UNCOMPRESSED', 'UNCOMPRESSED', 'UNCOMPRESSED']);
  } finally {
    tmp.cleanup();
  }
});

test('values that do not fit the column type are refused', async () => {
  const cases: [string, Parameters<typeof encodeParquet>[0]['columns'][number]][] = [
    ['utf8', { name: 'x', type: 'utf8', values: [1] }],
    ['uint16', { name: 'x', type: 'uint16', values: [70000] }],
    ['uint64', { name: 'x', type: 'uint64', values: [-1] }],
    ['uint64 big', { name: 'x', type: 'uint64', values: [2n ** 64n] }],
    ['date32', { name: 'x', type: 'date32', values: [1.5] }],
    ['bool', { name: 'x', type: 'bool', values: ['yes'] }],
    ['dictionary', { name: 'x', type: 'utf8', values: ['c'], dictionary: ['a', 'b'] }],
  ];
  for (const [name, column] of cases) {
    await assert.rejects(encodeParquet({ columns: [column] }), (e: unknown) => e instanceof ParquetWriteError && /column x/.test(e.message), name);
  }
  await assert.rejects(encodeParquet({ columns: [{ name: 'a', type: 'bool', values: [true] }, { name: 'b', type: 'bool', values: [] }] }), /column b has 0 values, expected 1/);
});

test('compareUtf8 orders like UTF-8 bytes', () => {
  const words = ['', 'a', 'ab', 'b', 'é', '\uffff', '😀', '\ue000', 'z', 'Z', '日本', '\u0000'];
  const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.deepEqual([...words].sort(compareUtf8), byBytes);
});

test('pythonJsonDumps writes what json.dumps writes', () => {
  assert.equal(pythonJsonDumps({ date_created: '2024-01-02 03:04', origin: 'x' }), '{"date_created": "2024-01-02 03:04", "origin": "x"}');
  assert.equal(pythonJsonDumps({ a: [1, null, true], b: { c: 'é😀"\\\n\u007f' } }), '{"a": [1, null, true], "b": {"c": "\\u00e9\\ud83d\\ude00\\"\\\\\\n\\u007f"}}');
  assert.equal(pythonJsonDumps({ s: new Set(['x']), u: undefined, n: NaN }), '{"s": ["x"], "n": NaN}');
});

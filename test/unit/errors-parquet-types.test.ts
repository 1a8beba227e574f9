// Issue 13, item 10: cache tables whose columns hold the wrong kind of value (an integer lab, a
// date 2020-13-45, exists as text) are refused with the file, the column and what was found, as a
// table without its id column is — by the core's loader, so the CLI and the extension agree.
// The tables are written here with hyparquet-writer, independently of the project's writer.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadCache } from '../../src/core/cache/load';
import { ParquetReadError } from '../../src/core/parquet/errors';
import { npyFloat64, tempDir, writeTree } from '../helpers';
import { isOneLine, runAlf } from './errors-run';

type WriteBuffer = typeof import('hyparquet-writer', { with: { 'resolution-mode': 'import' } }).parquetWriteBuffer;
type Column = Parameters<WriteBuffer>[0]['columnData'][number];
// hyparquet-writer is an ES module; this test file is CommonJS.
let parquetWriteBuffer: WriteBuffer;

const EID = '0a1b2c3d-0000-4000-8000-000000000001';

function sessionsTable(overrides: Record<string, Column> = {}): Buffer {
  const columns: Column[] = [
    { name: 'lab', data: ['cortexlab'], type: 'STRING' },
    { name: 'subject', data: ['KS001'], type: 'STRING' },
    { name: 'date', data: ['2020-01-01'], type: 'STRING' },
    { name: 'number', data: [1], type: 'INT32' },
    { name: 'task_protocol', data: [''], type: 'STRING' },
    { name: 'projects', data: [''], type: 'STRING' },
    { name: 'id', data: [EID], type: 'STRING' },
  ].map((c) => (overrides[c.name] ?? c) as Column);
  return Buffer.from(parquetWriteBuffer({ columnData: columns }));
}

function datasetsTable(overrides: Record<string, Column> = {}): Buffer {
  const columns: Column[] = [
    { name: 'rel_path', data: ['alf/trials.goCue_times.npy'], type: 'STRING' },
    { name: 'file_size', data: [144n], type: 'INT64' },
    { name: 'hash', data: [null], type: 'STRING' },
    { name: 'exists', data: [true], type: 'BOOLEAN' },
    { name: 'qc', data: ['NOT_SET'], type: 'STRING' },
    { name: 'eid', data: [EID], type: 'STRING' },
    { name: 'id', data: ['0a1b2c3d-0000-4000-8000-0000000000aa'], type: 'STRING' },
  ].map((c) => (overrides[c.name] ?? c) as Column);
  return Buffer.from(parquetWriteBuffer({ columnData: columns }));
}

function cacheDir(t: { after: (fn: () => void) => void }, sessions: Buffer, datasets: Buffer = datasetsTable()): string {
  const dir = tempDir(t, 'alf-errors-pqt-');
  writeTree(dir, { 'cortexlab/Subjects/KS001/2020-01-01/001/alf/trials.goCue_times.npy': npyFloat64([1, 2]) });
  writeFileSync(path.join(dir, 'sessions.pqt'), sessions);
  writeFileSync(path.join(dir, 'datasets.pqt'), datasets);
  return dir;
}

describe('errors: cache tables with wrong column types', () => {
  before(async () => {
    ({ parquetWriteBuffer } = await import('hyparquet-writer'));
  });
  test('the same tables with the right kinds load (strings for dates, as some writers do)', async (t) => {
    const dir = cacheDir(t, sessionsTable());
    const r = await runAlf(['search', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${EID}  cortexlab/Subjects/KS001/2020-01-01/001\n`);
  });

  test('an integer lab is refused naming the file, the column and the type found', async (t) => {
    const dir = cacheDir(t, sessionsTable({ lab: { name: 'lab', data: [7], type: 'INT32' } }));
    const r = await runAlf(['search', dir]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(isOneLine(r.stderr), r.stderr);
    assert.equal(
      r.stderr,
      `alf: ${path.join(dir, 'sessions.pqt')}: column lab holds int32 values (row 0: 7); ONE writes text there — rebuild the cache (alf build-cache), or fix the program that wrote this table\n`,
    );
    await assert.rejects(loadCache(dir), (e: unknown) => e instanceof ParquetReadError && e.code === 'wrong-type');
  });

  test('an impossible date 2020-13-45 is refused with the value', async (t) => {
    const dir = cacheDir(t, sessionsTable({ date: { name: 'date', data: ['2020-13-45'], type: 'STRING' } }));
    const r = await runAlf(['list-datasets', dir, EID]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /sessions\.pqt: column date holds "2020-13-45" \(row 0, utf8\), which is not a real date; ONE writes dates \(yyyy-mm-dd\) there/);
  });

  test('exists as text and a file size that is not a number are refused in datasets.pqt', async (t) => {
    const text = cacheDir(t, sessionsTable(), datasetsTable({ exists: { name: 'exists', data: ['False'], type: 'STRING' } }));
    const r = await runAlf(['search', text]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /datasets\.pqt: column exists holds utf8 values \(row 0: "False"\); ONE writes True\/False there/);
    const size = cacheDir(t, sessionsTable(), datasetsTable({ file_size: { name: 'file_size', data: ['big'], type: 'STRING' } }));
    const s = await runAlf(['search', size]);
    assert.match(s.stderr, /datasets\.pqt: column file_size holds utf8 values \(row 0: "big"\); ONE writes whole numbers there/);
  });
});

/**
 * Shared pieces of the parquet-*.test.ts and load-cache tests: where the shared fixtures are, a
 * DuckDB connection (an independent reader), sample rows, and a raw look at a column's
 * dictionary page through hyparquet's own thrift/snappy decoders.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DatasetRow, QcName, SessionRow } from '../../src/core/cache/types';

export const projectRoot = path.resolve(__dirname, '../..');
const shared = path.resolve(projectRoot, '../shared');
/** ../shared beside the project, or undefined where it is absent (tests that need it skip). */
export const sharedDir: string | undefined = existsSync(path.join(shared, 'fixtures')) ? shared : undefined;
export const skipNoShared = sharedDir ? false : 'needs ../shared (fixtures and tools), absent here';

export function tempDir(prefix = 'alf-parquet-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let connection: Promise<DuckDBConnection> | undefined;
export function duck(): Promise<DuckDBConnection> {
  return (connection ??= DuckDBInstance.create(':memory:').then((db) => db.connect()));
}

export const sqlStr = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function query(sql: string): Promise<Record<string, unknown>[]> {
  const con = await duck();
  return (await con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

export function closeDuck(): void {
  void connection?.then((c) => c.closeSync());
  connection = undefined;
}

const uuid = (kind: number, i: number) => `${kind.toString(16).padStart(8, '0')}-abcd-4ef0-8123-${i.toString(16).padStart(12, '0')}`;

/** Three sessions with edge cases: Unicode, empty strings, number 0 and 65535, dates far apart. */
export function sampleSessions(): SessionRow[] {
  return [
    { id: uuid(1, 0), lab: 'cortexlab', subject: 'KS005', date: '2019-04-01', number: 1, task_protocol: '_iblrig_tasks_ephysChoiceWorld6.4.2', projects: 'ibl_neuropixel_brainwide_01' },
    { id: uuid(1, 1), lab: 'mainenlab', subject: 'ZFM-01935 ü日本😀', date: '1970-01-01', number: 0, task_protocol: '', projects: '' },
    { id: uuid(1, 2), lab: 'churchlandlab', subject: 'CSHL_001', date: '2099-12-31', number: 65535, task_protocol: 'x'.repeat(300), projects: 'a,b' },
  ];
}

const QCS: QcName[] = ['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'];

/** Datasets covering collections, revisions, Unicode, empty strings, null hash/file_size, sizes above 2^32, every QC. */
export function sampleDatasets(qc: (i: number) => QcName = (i) => QCS[i % QCS.length]): DatasetRow[] {
  const s = sampleSessions();
  const paths = [
    '_ibl_trials.choice.npy',
    'alf/probe00/pykilosort/spikes.times.npy',
    'alf/#2021-03-04#/_ibl_trials.table.pqt',
    'raw_video_data/_iblrig_leftCamera.raw.mp4',
    'alf/données/ü日本😀.attr.npy',
    '',
    'alf/probe01/#v2#/clusters.metrics.csv',
  ];
  return paths.flatMap((p, i) => [0, 1].map((k) => ({
    eid: s[(i + k) % s.length].id,
    id: uuid(2, i),
    rel_path: p,
    file_size: i === 2 && k ? null : i === 3 ? 2 ** 32 + 17 + k : i === 6 ? Number.MAX_SAFE_INTEGER - k : i * 1000 + k,
    hash: i === 1 ? null : i === 5 ? '' : `${(i * 2 + k).toString(16).padStart(32, 'f')}`,
    exists: (i + k) % 3 !== 0,
    qc: qc(i * 2 + k),
  })));
}

/** The values of a column's dictionary page, read with hyparquet's thrift and snappy decoders. */
export async function dictionaryPage(file: string, column: string): Promise<string[] | undefined> {
  const { readFileSync } = await import('node:fs');
  const hp = await import('hyparquet');
  const { deserializeTCompactProtocol } = await import('hyparquet/src/thrift.js');
  const buf = readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
  const md = hp.parquetMetadata(ab);
  const chunk = md.row_groups[0].columns.find((c) => c.meta_data?.path_in_schema[0] === column)?.meta_data;
  if (chunk?.dictionary_page_offset === undefined) return undefined;
  const reader = { view: new DataView(ab), offset: Number(chunk.dictionary_page_offset) };
  const header = deserializeTCompactProtocol(reader) as Record<string, unknown>;
  assertEq(header.field_1, 2, 'a DICTIONARY_PAGE');
  const count = (header.field_7 as Record<string, number>).field_1;
  const compressed = new Uint8Array(ab, reader.offset, header.field_3 as number);
  const body = new Uint8Array(header.field_2 as number);
  if (chunk.codec === 'SNAPPY') hp.snappyUncompress(compressed, body);
  else body.set(compressed);
  const out: string[] = [];
  const view = new DataView(body.buffer);
  for (let at = 0, i = 0; i < count; i++) {
    const len = view.getUint32(at, true);
    out.push(Buffer.from(body.subarray(at + 4, at + 4 + len)).toString('utf8'));
    at += 4 + len;
  }
  return out;
}

function assertEq(a: unknown, b: unknown, what: string): void {
  if (a !== b) throw new Error(`expected ${what}, got ${String(a)}`);
}

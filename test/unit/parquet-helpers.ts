/**
 * Shared pieces of the parquet-*.test.ts and load-cache tests: where the shared fixtures are, a
 * DuckDB connection (an independent reader), sample rows, and a raw look at a column's
 * dictionary page through hyparquet's own thrift/snappy decoders.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { QC_NAMES, type DatasetRow, type QcName, type SessionRow } from '../../src/core/cache/types';
import { SHARED } from '../helpers';

export const projectRoot = path.resolve(__dirname, '../..');
/** ../shared beside the project, or undefined where it is absent (tests that need it skip). */
export const sharedDir: string | undefined = existsSync(path.join(SHARED, 'fixtures')) ? SHARED : undefined;
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

const md5Uuid = (key: string) => {
  const h = createHash('md5').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-3${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** IBL-release-like rows: nulls interleaved, sizes above 2^32, a few QC values; deterministic. */
export function manyRowsCache(sessionCount: number, datasetCount: number): { sessions: SessionRow[]; datasets: DatasetRow[] } {
  const labs = ['cortexlab', 'mainenlab', 'churchlandlab', 'angelakilab', 'hoferlab', 'mrsicflogellab', 'wittenlab', 'zadorlab', 'danlab'];
  const sessions = Array.from({ length: sessionCount }, (_, i): SessionRow => ({
    id: md5Uuid(`s${i}`), lab: labs[i % 9], subject: `SUBJ_${i % 150}`, date: `20${19 + (i % 4)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    number: 1 + (i % 3), task_protocol: i % 2 ? '_iblrig_tasks_trainingChoiceWorld6.4.2' : '', projects: 'ibl_neuropixel_brainwide_01',
  })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const names = ['alf/_ibl_trials.choice.npy', 'alf/_ibl_trials.feedbackType.npy', 'alf/#2024-01-01#/_ibl_trials.table.pqt', 'alf/probe00/spikes.times.npy', 'raw_video_data/_iblrig_leftCamera.raw.mp4'];
  const datasets: DatasetRow[] = [];
  for (let i = 0; i < datasetCount; i++) {
    const s = sessions[Math.floor(i / 15) % sessions.length];
    datasets.push({
      eid: s.id, id: md5Uuid(`d${i}`), rel_path: `${names[i % names.length]}${i % 15 >= 5 ? `.${i % 15}` : ''}`,
      file_size: i % 50 === 0 ? null : i % 7 === 0 ? 2 ** 33 + i : 1000 + ((i * 7919) % 100_000),
      hash: i % 3 === 0 ? null : createHash('md5').update(`h${i}`).digest('hex'),
      exists: i % 11 !== 0, qc: QC_NAMES[i % 13 === 0 ? (i % 5) : 0],
    });
  }
  return { sessions, datasets };
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

/**
 * Issue 14: OneLocal over pyarrow-written tables gives the answers a plain, row-by-row reading
 * gives (the general reader, hyparquet, and the semantics written out here by brute force):
 * search order and terms, listDatasets with and without details or default revisions,
 * listCollections, listRevisions. And listing is lazy: after open, a table whose file changes
 * under it still lists (nothing more is read), while details, which read id/hash/file_size for
 * the rows asked, say the file changed.
 *
 * Tables: ONE 3.4.2's own (../shared fixtures) and make-big-cache.py's Alyx layout with
 * default_revision (needs a Python with pandas + pyarrow: ALF_PYTHON, as the interop tests).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { relPathParts } from '../../src/core/alf';
import { QC_NUMBER } from '../../src/core/cache/dataset-store';
import type { DatasetRow, QcName, SessionRow } from '../../src/core/cache/types';
import { OneLocal, compareCodePoints, compareSessions } from '../../src/core/one';
import { encodeParquet } from '../../src/core/parquet';
import { encodeSessionsTable } from '../../src/core/parquet/one-tables';
import { daysToIsoDate, readParquetColumns } from '../../src/core/parquet/read';
import { cacheInfo } from '../../src/model/worker/cacheTables';
import { SHARED, tempDir } from '../helpers';
import { interopPython } from '../interop/support';

const ONE_FIXTURE = path.join(SHARED, 'fixtures/one-3.4.2-pyarrow-25/tree300');
const MAKER = path.join(SHARED, 'tools/make-big-cache.py');

interface Reference {
  sessions: SessionRow[];
  datasets: DatasetRow[];
  hasDefault: boolean;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const isoDate = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' ? daysToIsoDate(v) : text(v).slice(0, 10));

/** Both tables read row by row with the general reader: the reference the lazy store must agree with. */
async function reference(dir: string): Promise<Reference> {
  const s = await readParquetColumns(path.join(dir, 'sessions.pqt'));
  const d = await readParquetColumns(path.join(dir, 'datasets.pqt'));
  const col = (t: typeof s, name: string, i: number): unknown => (t.data[name] as unknown[] | undefined)?.[i];
  const sessions = Array.from({ length: s.numRows }, (_, i): SessionRow => ({
    id: text(col(s, 'id', i)),
    lab: text(col(s, 'lab', i)),
    subject: text(col(s, 'subject', i)),
    date: isoDate(col(s, 'date', i)),
    number: Number(col(s, 'number', i)),
    task_protocol: text(col(s, 'task_protocol', i)),
    projects: text(col(s, 'projects', i)),
  }));
  const hasDefault = d.data.default_revision !== undefined;
  const datasets = Array.from({ length: d.numRows }, (_, i): DatasetRow => {
    const size = col(d, 'file_size', i);
    const hash = col(d, 'hash', i);
    const row: DatasetRow = {
      eid: text(col(d, 'eid', i)),
      id: text(col(d, 'id', i)),
      rel_path: text(col(d, 'rel_path', i)),
      file_size: size === null || size === undefined ? null : Number(size),
      hash: hash === null || hash === undefined ? null : String(hash),
      exists: col(d, 'exists', i) !== false,
      qc: (text(col(d, 'qc', i)) || 'NOT_SET') as QcName,
    };
    if (hasDefault) row.default_revision = col(d, 'default_revision', i) === true;
    return row;
  });
  return { sessions, datasets, hasDefault };
}

/** ONE's order: date, subject, number descending; ties by eid. */
function refOrder(sessions: readonly SessionRow[]): SessionRow[] {
  return [...sessions].sort(
    (a, b) => compareCodePoints(b.date, a.date) || compareCodePoints(b.subject, a.subject) || b.number - a.number || compareCodePoints(a.id, b.id),
  );
}

const visible = (r: DatasetRow): boolean => QC_NUMBER[r.qc] <= QC_NUMBER.FAIL && relPathParts(r.rel_path, { assertValid: false }).object !== null;

function refList(ref: Reference, eid: string, defaultOnly = false): DatasetRow[] {
  return ref.datasets
    .filter((r) => r.eid === eid && visible(r) && (!defaultOnly || r.default_revision === true))
    .sort((a, b) => compareCodePoints(a.rel_path, b.rel_path));
}

const distinct = (xs: string[]): string[] => [...new Set(xs)].sort(compareCodePoints);

/** Sessions with, for every name, an existing dataset at or below FAIL whose file name matches whole. */
function refSearchDatasets(ref: Reference, patterns: RegExp[]): string[] {
  const have = new Map<string, DatasetRow[]>();
  for (const r of ref.datasets) {
    if (!r.exists || QC_NUMBER[r.qc] > QC_NUMBER.FAIL) continue;
    const list = have.get(r.eid) ?? [];
    list.push(r);
    have.set(r.eid, list);
  }
  return refOrder(ref.sessions)
    .filter((s) => patterns.every((re) => (have.get(s.id) ?? []).some((r) => re.test(r.rel_path.slice(r.rel_path.lastIndexOf('/') + 1)))))
    .map((s) => s.id);
}

async function checkAgainstReference(dir: string, ref: Reference): Promise<void> {
  const one = await OneLocal.open(dir);
  assert.equal(one.hasDefaultRevision, ref.hasDefault);
  const ordered = refOrder(ref.sessions);
  assert.deepEqual(one.search(), ordered.map((s) => s.id), 'every session, in ONE order');
  const some = ordered[Math.floor(ordered.length / 3)] as SessionRow;
  const bySubject = ordered.filter((s) => s.subject.includes(some.subject.slice(0, 3))).map((s) => s.id);
  assert.deepEqual(one.search({ subject: some.subject.slice(0, 3) }), bySubject, 'subject');
  assert.deepEqual(one.search({ lab: some.lab }), ordered.filter((s) => s.lab.includes(some.lab)).map((s) => s.id), 'lab');
  assert.deepEqual(one.search({ number: [some.number] }), ordered.filter((s) => s.number === some.number).map((s) => s.id), 'number');
  assert.deepEqual(one.search({ date_range: [some.date, some.date] }), ordered.filter((s) => s.date === some.date).map((s) => s.id), 'date_range');
  const names = distinct(ref.datasets.map((r) => r.rel_path.slice(r.rel_path.lastIndexOf('/') + 1)));
  const [first, second] = [names[0] as string, names[Math.floor(names.length / 2)] as string];
  const literal = (n: string): RegExp => new RegExp(`^${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  assert.deepEqual(one.search({ datasets: first.replace(/\./g, '\\.') }), refSearchDatasets(ref, [literal(first)]), `datasets ${first}`);
  assert.deepEqual(
    one.search({ datasets: [first.replace(/\./g, '\\.'), second.replace(/\./g, '\\.')] }),
    refSearchDatasets(ref, [literal(first), literal(second)]),
    'two datasets',
  );
  const details = one.search({ subject: some.subject }, { details: true });
  assert.deepEqual(details.records, ordered.filter((s) => s.subject.includes(some.subject)).map(({ id: _id, ...rest }) => rest), 'details');

  // every 7th session: listing, details, collections, revisions (and default revisions when the table has them)
  for (let k = 0; k < ordered.length; k += 7) {
    const eid = (ordered[k] as SessionRow).id;
    const expected = refList(ref, eid);
    assert.deepEqual(one.listDatasets(eid), expected.map((r) => r.rel_path), `listDatasets ${eid}`);
    assert.deepEqual(one.listDatasets(eid, { details: true }), expected, `details ${eid}`);
    const parts = expected.map((r) => relPathParts(r.rel_path, { assertValid: false }));
    assert.deepEqual(one.listCollections(eid), distinct(parts.map((p) => p.collection ?? '')), `collections ${eid}`);
    assert.deepEqual(one.listRevisions(eid), distinct(parts.map((p) => p.revision ?? '')), `revisions ${eid}`);
    if (ref.hasDefault) {
      const marked = refList(ref, eid, true);
      assert.deepEqual(one.listDatasets(eid, { defaultRevisionsOnly: true }), marked.map((r) => r.rel_path), `default revisions ${eid}`);
      assert.deepEqual(one.listDatasets(eid, { defaultRevisionsOnly: true, details: true }), marked, `default revision details ${eid}`);
    }
  }
}

/** Opens, then makes the datasets file look rewritten: listing must not need it, details must. */
async function checkLazy(dir: string, ref: Reference): Promise<void> {
  const one = await OneLocal.open(dir);
  const t = new Date(Date.now() + 60_000);
  utimesSync(path.join(dir, 'datasets.pqt'), t, t);
  const withRows = refOrder(ref.sessions).filter((s) => refList(ref, s.id).length > 0);
  assert.ok(withRows.length > 0);
  for (const s of withRows.slice(0, 20)) {
    const expected = refList(ref, s.id);
    assert.deepEqual(one.listDatasets(s.id), expected.map((r) => r.rel_path), `listDatasets ${s.id} after the file changed`);
    assert.ok(one.listCollections(s.id).length > 0);
    assert.ok(one.listRevisions(s.id).length > 0);
    if (ref.hasDefault) assert.deepEqual(one.listDatasets(s.id, { defaultRevisionsOnly: true }), refList(ref, s.id, true).map((r) => r.rel_path));
  }
  const eid = (withRows[0] as SessionRow).id;
  assert.throws(() => one.listDatasets(eid, { details: true }), /datasets\.pqt: the file changed since it was opened/, 'details read the file');
}

describe('lazy listing and search on pyarrow-written tables (issue 14)', () => {
  const fixtureMissing = existsSync(path.join(ONE_FIXTURE, 'datasets.pqt')) ? false : `needs ${ONE_FIXTURE} (the shared folder beside the project)`;

  test('ONE 3.4.2 tables: search, listDatasets (with details), collections, revisions as a row-by-row reading', { skip: fixtureMissing }, async () => {
    await checkAgainstReference(ONE_FIXTURE, await reference(ONE_FIXTURE));
  });

  test('ONE 3.4.2 tables: listing reads nothing after open; details read the rows asked', { skip: fixtureMissing }, async (t) => {
    const dir = tempDir(t, 'alf-lazy-');
    for (const f of ['sessions.pqt', 'datasets.pqt']) copyFileSync(path.join(ONE_FIXTURE, f), path.join(dir, f));
    await checkLazy(dir, await reference(dir));
  });

  test("the worker's cacheInfo: counts, and hashes found without decoding every row", { skip: fixtureMissing }, async (t) => {
    for (const [name, hashed] of [['tree20-hashed', true], ['tree300', false]] as const) {
      const dir = path.join(ONE_FIXTURE, '..', name);
      const ref = await reference(dir);
      const info = await cacheInfo(dir);
      assert.equal(info?.hasHashes, hashed, name);
      assert.equal(info?.sessionCount, ref.sessions.length);
      assert.equal(info?.datasetCount, ref.datasets.length);
    }
    // one hash, in the last of 200,000 rows (past the first block of rows looked at), small pages
    const dir = tempDir(t, 'alf-lazy-hash-');
    const n = 200_000;
    const rows = Array.from({ length: n }, (_, i) => i);
    const eid = 'aaaaaaaa-0000-4000-8000-000000000001';
    writeFileSync(path.join(dir, 'sessions.pqt'), await encodeSessionsTable([{ id: eid, lab: 'lab', subject: 'S', date: '2024-01-02', number: 1, task_protocol: '', projects: '' }], { date_created: '2024-01-01 10:00', origin: 'test' }));
    const datasets = (last: string | null) =>
      encodeParquet({
        columns: [
          { name: 'rel_path', type: 'utf8', values: rows.map((i) => `alf/obj.attr${i}.npy`) },
          { name: 'file_size', type: 'uint64', values: rows.map(() => 8) },
          { name: 'hash', type: 'utf8', values: rows.map((i) => (i === n - 1 ? last : i % 2 ? '' : null)) },
          { name: 'exists', type: 'bool', values: rows.map(() => true) },
          { name: 'qc', type: 'utf8', values: rows.map(() => 'NOT_SET'), dictionary: ['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'] },
          { name: 'eid', type: 'utf8', values: rows.map(() => eid) },
          { name: 'id', type: 'utf8', values: rows.map((i) => `dddddddd-0000-4000-8000-${String(i).padStart(12, '0')}`) },
        ],
        keyValueMetadata: [['one_metadata', JSON.stringify({ date_created: '2024-01-01 10:00', origin: 'test' })]],
        dataPageSize: 64 * 1024,
      });
    writeFileSync(path.join(dir, 'datasets.pqt'), await datasets('0123456789abcdef0123456789abcdef'));
    assert.equal((await cacheInfo(dir))?.hasHashes, true, 'a hash in the last row');
    writeFileSync(path.join(dir, 'datasets.pqt'), await datasets(''));
    const t2 = new Date(Date.now() + 5_000);
    utimesSync(path.join(dir, 'datasets.pqt'), t2, t2); // a new stamp even within the mtime's resolution
    assert.equal((await cacheInfo(dir))?.hasHashes, false, "only null and '' hashes");
  });

  const py = interopPython(['pandas', 'pyarrow']);
  const noMaker = py.reason ?? (existsSync(MAKER) ? false : `needs ${MAKER}`);

  test('Alyx layout (make-big-cache.py, default_revision): the same, default revisions included, and lazy', { skip: noMaker }, async (t) => {
    const dir = tempDir(t, 'alf-lazy-big-');
    const r = spawnSync(py.python as string, [MAKER, dir, '--sessions', '400', '--seed', '3'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const ref = await reference(dir);
    assert.equal(ref.hasDefault, true);
    await checkAgainstReference(dir, ref);
    await checkLazy(dir, ref);
  });
});

describe('sessions sorted on ranks (issue 14)', () => {
  test('the order of comparing strings: code points, numbers as numbers, ties on eid; text terms by code', () => {
    // few distinct values, so ranks and ties matter: surrogate pairs, case, '_' against letters
    const subjects = ['abc', 'ABC', 'Abc', 'CSHL_001', 'CSH_ZAD_001', '\u{1D49C}_1', '\uFF26_1', 'ibl_witten_02', 'SWC_002'];
    const dates = ['2021-03-01', '2021-03-02', '2020-12-31', '2021-03-01'];
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const hex = (k: number): string => k.toString(16).padStart(8, '0');
    const sessions: SessionRow[] = Array.from({ length: 3000 }, (_, i) => ({
      id: `${hex(rand(2 ** 30))}-0000-4000-8000-${String(i).padStart(12, '0')}`,
      lab: ['lab', 'Lab', 'lab_2'][rand(3)] as string,
      subject: subjects[rand(subjects.length)] as string,
      date: dates[rand(dates.length)] as string,
      number: [1, 2, 10, 2][rand(4)] as number,
      task_protocol: ['', 'ephys', 'training'][rand(3)] as string,
      projects: '',
    }));
    const one = OneLocal.fromTables('/nowhere', { sessions, datasets: [] });
    const expected = [...sessions].sort(compareSessions);
    assert.deepEqual(one.search(), expected.map((s) => s.id));
    assert.ok(expected.some((s, k) => k > 0 && compareSessions(s, expected[k - 1] as SessionRow) !== 0 && s.date === expected[k - 1]?.date && s.subject === expected[k - 1]?.subject && s.number === expected[k - 1]?.number), 'ties on eid are exercised');
    assert.deepEqual(one.search({ subject: '^A' }), expected.filter((s) => /^A/.test(s.subject)).map((s) => s.id));
    assert.deepEqual(one.search({ lab: '(?i)^lab$', task_protocol: 'e' }), expected.filter((s) => /^lab$/i.test(s.lab) && s.task_protocol.includes('e')).map((s) => s.id));
    assert.deepEqual(one.search({ number: ['2', 10] }), expected.filter((s) => s.number === 2 || s.number === 10).map((s) => s.id));
  });

  test("from a table read by the typed reader: its codes, past the thousands of values where it stops interning, give the same order and answers", async (t) => {
    const dir = tempDir(t, 'alf-ranks-');
    let seed = 5;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    // 6,000 distinct subjects (the reader interns up to 4,096), a few hundred dates, random eid order
    const sessions: SessionRow[] = Array.from({ length: 9000 }, (_, i) => ({
      id: `${rand(2 ** 30).toString(16).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`,
      lab: `lab${rand(12)}`,
      subject: `S_${String(rand(6000)).padStart(4, '0')}${rand(3) === 0 ? '\u{1D49C}' : ''}`,
      date: `2020-${String(1 + rand(12)).padStart(2, '0')}-${String(1 + rand(28)).padStart(2, '0')}`,
      number: 1 + rand(3),
      task_protocol: ['', 'ephys', 'training'][rand(3)] as string,
      projects: ['', 'brainwide'][rand(2)] as string,
    }));
    const metadata = { date_created: '2024-01-01 10:00', origin: 'test' };
    writeFileSync(path.join(dir, 'sessions.pqt'), await encodeSessionsTable([...sessions].sort((a, b) => compareCodePoints(a.id, b.id)), metadata));
    const eid = (sessions[0] as SessionRow).id;
    writeFileSync(path.join(dir, 'datasets.pqt'), await encodeParquet({
      columns: [
        { name: 'rel_path', type: 'utf8', values: ['alf/obj.attr.npy'] },
        { name: 'file_size', type: 'uint64', values: [8] },
        { name: 'hash', type: 'utf8', values: [null] },
        { name: 'exists', type: 'bool', values: [true] },
        { name: 'qc', type: 'utf8', values: ['NOT_SET'], dictionary: ['NOT_SET', 'PASS', 'WARNING', 'FAIL', 'CRITICAL'] },
        { name: 'eid', type: 'utf8', values: [eid] },
        { name: 'id', type: 'utf8', values: ['dddddddd-0000-4000-8000-000000000000'] },
      ],
      keyValueMetadata: [['one_metadata', JSON.stringify(metadata)]],
    }));
    const one = await OneLocal.open(dir);
    const expected = [...sessions].sort(compareSessions);
    assert.deepEqual(one.search(), expected.map((s) => s.id));
    assert.deepEqual(one.search({ subject: 'S_00[0-4]' }), expected.filter((s) => /S_00[0-4]/.test(s.subject)).map((s) => s.id));
    assert.deepEqual(one.search({ subject: '\u{1D49C}$', lab: 'lab1$' }), expected.filter((s) => s.subject.endsWith('\u{1D49C}') && s.lab === 'lab1').map((s) => s.id));
    assert.deepEqual(one.search({ date_range: ['2020-03-01', '2020-03-31'], projects: 'brain' }), expected.filter((s) => s.date.startsWith('2020-03') && s.projects === 'brainwide').map((s) => s.id));
    assert.deepEqual(one.listSubjects(), [...new Set(sessions.map((s) => s.subject))].sort(compareCodePoints));
  });

  test('eids found by binary search and merge when the sessions are sorted by id, by a map when not; datasets in any order', () => {
    let seed = 9;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const idOf = (i: number): string => `${(i * 7919).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const base: SessionRow[] = Array.from({ length: 500 }, (_, i) => ({ id: idOf(i), lab: 'lab', subject: `S${rand(40)}`, date: '2021-01-01', number: 1 + rand(3), task_protocol: '', projects: '' }));
    const byId = [...base].sort((a, b) => (a.id < b.id ? -1 : 1));
    // datasets: sorted by eid, then shuffled; some of sessions not in the table (a stranger eid)
    const rowsFor = (eids: string[]): DatasetRow[] =>
      eids.flatMap((eid, j) => [0, 1, 2].map((a): DatasetRow => ({ eid, id: `${eid.slice(0, 8)}-${j}-${a}`, rel_path: `alf/obj.attr${a}.npy`, file_size: a, hash: null, exists: true, qc: 'NOT_SET' })));
    const stranger = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
    const sortedRows = rowsFor([...byId.map((s) => s.id), stranger].sort());
    const shuffled = [...sortedRows].sort(() => rand(3) - 1);
    for (const [label, sessions, datasets] of [
      ['sessions and datasets sorted', byId, sortedRows],
      ['sessions sorted, datasets shuffled', byId, shuffled],
      ['sessions shuffled (a map)', [...byId].reverse(), shuffled],
    ] as const) {
      const one = OneLocal.fromTables('/nowhere', { sessions, datasets });
      for (const s of base) {
        assert.deepEqual(one.listDatasets(s.id), ['alf/obj.attr0.npy', 'alf/obj.attr1.npy', 'alf/obj.attr2.npy'], `${label}: ${s.id}`);
        assert.deepEqual(one.getSession(s.id), s, label);
      }
      assert.deepEqual(one.listDatasets(stranger), [], label);
      assert.equal(one.getSession(stranger), undefined, label);
      assert.equal(one.getSession('00000001-0000-4000-8000-000000000000'), undefined, label);
      assert.deepEqual(one.search({ datasets: 'obj.attr1.npy' }), [...base].sort(compareSessions).map((s) => s.id), label);
    }
    // a duplicate id: not strictly increasing, so the map, which keeps the one later in result order
    const twin = { ...(byId[10] as SessionRow), subject: 'ZZZ' };
    const withTwin = [...byId.slice(0, 11), twin, ...byId.slice(11)];
    const one = OneLocal.fromTables('/nowhere', { sessions: withTwin, datasets: sortedRows });
    const expected = [...withTwin].sort(compareSessions);
    const later = expected.filter((s) => s.id === twin.id).at(-1);
    assert.deepEqual(one.getSession(twin.id), later);
  });
});

// The Parquet table viewer's worker side on files written by DuckDB (an independent writer) with
// several row groups: pages read lazily across row-group boundaries, sort and filter over whole
// columns, the session column joined from sessions.pqt beside, and CSV export read back by DuckDB.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CancelledError } from '../../src/core/progress';
import type { TableProgress, TableQuery } from '../../src/model/worker/protocol';
import { closeTable, exportTableCsv, openTable, tablePage } from '../../src/model/worker/tableViews';
import { tempDir } from '../helpers';
import { closeDuck, query, sqlStr } from './parquet-helpers';

after(closeDuck);

const ROWS = 10_000;
const never = new AbortController().signal;

/** datasets.pqt-like: 5 sessions × 2,000 datasets, nulls and sizes above 2^32, several row groups. */
async function writeTables(dir: string, withSessions = true): Promise<string> {
  const datasets = path.join(dir, 'datasets.pqt');
  await query(`copy (
      select
        case when i % 3 = 0 then 'alf/_ibl_trials.choice.npy' when i % 3 = 1 then 'alf/#2023-04-20#/_ibl_trials.table.pqt' else 'raw_video_data/_iblrig_leftCamera.raw.mp4' end as rel_path,
        case when i % 97 = 0 then null else ((i * 7919) % 10007)::UBIGINT * 1000000 end as file_size,
        printf('%032x', i) as hash,
        i % 5 <> 0 as "exists",
        ['NOT_SET','PASS','WARNING','FAIL','CRITICAL'][1 + i % 5] as qc,
        printf('0000000%d-0000-4000-8000-000000000000', i % 5) as eid,
        printf('%08d-1111-4000-8000-000000000000', i) as id
      from range(${ROWS}) t(i) order by i
    ) to ${sqlStr(datasets)} (format parquet, row_group_size 2048)`);
  if (withSessions) {
    await query(`copy (
        select printf('0000000%d-0000-4000-8000-000000000000', i) as id, 'lab' || (i % 2) as lab, 'SUBJ_' || i as subject,
               ('2024-01-0' || (i + 1))::DATE as date, (i + 1)::USMALLINT as number
        from range(5) t(i)
      ) to ${sqlStr(path.join(dir, 'sessions.pqt'))} (format parquet)`);
  }
  return datasets;
}

const page = (tableId: number, offset: number, limit: number, q?: TableQuery, columns?: number[]) =>
  tablePage({ tableId, offset, limit, ...(q ? { query: q } : {}), ...(columns ? { columns } : {}) }, () => undefined, never);

test('pages are read lazily across row groups, with the session of each eid beside it', async (t) => {
  const dir = tempDir(t, 'alf-viewer-');
  const info = await openTable(await writeTables(dir));
  t.after(() => closeTable(info.tableId));
  assert.equal(info.rowCount, ROWS);
  assert.ok(info.rowGroups.length >= 3, `row groups: ${info.rowGroups.join(', ')}`);
  assert.equal(info.rowGroups.reduce((a, b) => a + b, 0), ROWS);
  assert.deepEqual(info.columns.map((c) => c.name), ['rel_path', 'file_size', 'hash', 'exists', 'qc', 'eid', 'session', 'id']);
  assert.equal(info.columns[6]!.derived, true);
  // A page straddling the boundary between the first two row groups.
  const boundary = info.rowGroups[0]!;
  // The first page does not wait for sessions.pqt: it may come without session labels, saying so.
  const early = await page(info.tableId, boundary - 3, 6);
  if (early.partial) assert.ok(early.rows.every((r) => r[6] === null && r[2] !== null));
  const p = early.partial ? await tablePage({ tableId: info.tableId, offset: boundary - 3, limit: 6, complete: true }, () => undefined, never) : early;
  assert.equal(p.partial, undefined);
  assert.deepEqual(p.rowNumbers, [0, 1, 2, 3, 4, 5].map((k) => boundary - 3 + k));
  for (const [k, row] of p.rows.entries()) {
    const i = boundary - 3 + k;
    assert.equal(row[2], i.toString(16).padStart(32, '0'));
    assert.equal(row[1], i % 97 === 0 ? null : String(((i * 7919) % 10007) * 1_000_000));
    assert.equal(row[6], `lab${(i % 5) % 2}/SUBJ_${i % 5}/2024-01-0${(i % 5) + 1}/00${(i % 5) + 1}`);
    assert.equal(row[7], `${String(i).padStart(8, '0')}-1111-4000-8000-000000000000`);
  }
  // Only the columns asked for are sent, in that order.
  const narrow = await page(info.tableId, ROWS - 2, 10, undefined, [7, 0]);
  assert.deepEqual(narrow.rows, [
    [`${String(ROWS - 2).padStart(8, '0')}-1111-4000-8000-000000000000`, 'raw_video_data/_iblrig_leftCamera.raw.mp4'],
    [`${String(ROWS - 1).padStart(8, '0')}-1111-4000-8000-000000000000`, 'alf/_ibl_trials.choice.npy'],
  ]);
});

test('sort: numbers descending with missing values last, ties in file order; filters by value, substring, regex', async (t) => {
  const dir = tempDir(t, 'alf-viewer-');
  const file = await writeTables(dir);
  const info = await openTable(file);
  t.after(() => closeTable(info.tableId));
  const events: TableProgress[] = [];
  const sorted = await tablePage({ tableId: info.tableId, offset: 0, limit: ROWS, query: { filters: [], sort: { column: 1, descending: true } } }, (e) => events.push(e), never);
  assert.ok(events.some((e) => /Reading column file_size/.test(e.text)), JSON.stringify(events));
  const expected = await query(`select row_number() over () - 1 as i, file_size from read_parquet(${sqlStr(file)})`);
  const byDuck = expected
    .map((r) => ({ i: Number(r.i), size: r.file_size === null ? null : Number(r.file_size) }))
    .sort((a, b) => (a.size === null ? (b.size === null ? a.i - b.i : 1) : b.size === null ? -1 : b.size - a.size || a.i - b.i));
  assert.deepEqual(sorted.rowNumbers, byDuck.map((r) => r.i));
  assert.equal(sorted.rows.at(-1)![1], null);

  // Dictionary column (few values), descending: QC names in text order, stable.
  const qc = await page(info.tableId, 0, ROWS, { filters: [], sort: { column: 4, descending: true } });
  assert.deepEqual([...new Set(qc.rows.map((r) => r[4]))], ['WARNING', 'PASS', 'NOT_SET', 'FAIL', 'CRITICAL']);
  assert.deepEqual(qc.rowNumbers.slice(0, 3), [2, 7, 12]);

  // The session column sorts and filters like any other.
  const bySession = await page(info.tableId, 0, 3, { filters: [{ column: 6, mode: 'equals', value: 'lab1/SUBJ_3/2024-01-04/004' }], sort: { column: 7, descending: true } });
  assert.equal(bySession.rowCount, ROWS / 5);
  assert.deepEqual(bySession.rowNumbers, [ROWS - 2, ROWS - 7, ROWS - 12]);

  const regex = await page(info.tableId, 0, 5, { filters: [{ column: 0, mode: 'regex', value: '^alf/#\\d{4}-\\d\\d-\\d\\d#/' }] });
  assert.equal(regex.rowCount, Math.floor(ROWS / 3));
  assert.deepEqual(regex.rowNumbers, [1, 4, 7, 10, 13]);
  const both = await page(info.tableId, 0, ROWS, {
    filters: [
      { column: 0, mode: 'contains', value: 'TRIALS' },
      { column: 4, mode: 'equals', value: 'PASS', negate: true },
    ],
  });
  assert.ok(both.rows.every((r) => /trials/.test(r[0]!) && r[4] !== 'PASS'));
  assert.equal(both.rowCount, (await query(`select count(*)::INTEGER as n from read_parquet(${sqlStr(file)}) where rel_path ilike '%trials%' and qc <> 'PASS'`))[0]!.n);
  const missing = await page(info.tableId, 0, ROWS, { filters: [{ column: 1, mode: 'equals', value: '' }] });
  assert.deepEqual(missing.rowNumbers, Array.from({ length: Math.ceil(ROWS / 97) }, (_, k) => k * 97));

  await assert.rejects(page(info.tableId, 0, 5, { filters: [{ column: 0, mode: 'regex', value: 'alf/(' }] }), (e: Error) => {
    assert.match(e.message, /^filter on rel_path: alf\/\( is not a valid regular expression \(.*\); fix or remove it$/);
    return true;
  });
});

test('without sessions.pqt beside it there is no session column; a bad file is one line naming it', async (t) => {
  const dir = tempDir(t, 'alf-viewer-');
  const info = await openTable(await writeTables(dir, false));
  t.after(() => closeTable(info.tableId));
  assert.ok(!info.columns.some((c) => c.name === 'session'));
  const bad = path.join(dir, 'bad.pqt');
  writeFileSync(bad, 'not parquet at all');
  await assert.rejects(openTable(bad), /bad\.pqt: not a Parquet file \(no PAR1 magic\)/);
});

test('CSV export streams the filtered, sorted rows to a file DuckDB reads back; cancel leaves nothing', async (t) => {
  const dir = tempDir(t, 'alf-viewer-');
  const file = await writeTables(dir);
  const info = await openTable(file);
  t.after(() => closeTable(info.tableId));
  const out = path.join(dir, 'export.csv');
  const q: TableQuery = { filters: [{ column: 0, mode: 'contains', value: 'trials' }], sort: { column: 1, descending: false } };
  const events: TableProgress[] = [];
  const result = await exportTableCsv({ tableId: info.tableId, path: out, query: q, columns: [7, 1, 6, 0] }, (e) => events.push(e), never);
  const kept = Math.ceil((ROWS * 2) / 3);
  assert.ok(Math.abs(result.rows - kept) <= 1, `${result.rows}`);
  assert.equal(result.bytes, readFileSync(out).length);
  assert.ok(events.filter((e) => e.text.startsWith('Writing')).length >= 1);
  const back = await query(`select * from read_csv(${sqlStr(out)}, header = true, all_varchar = true)`);
  assert.deepEqual(Object.keys(back[0]!), ['id', 'file_size', 'session', 'rel_path']);
  const full = await page(info.tableId, 0, ROWS, q, [7, 1, 6, 0]);
  assert.deepEqual(back.map((r) => [r.id, r.file_size, r.session, r.rel_path]), full.rows);

  const controller = new AbortController();
  const cancelled = exportTableCsv({ tableId: info.tableId, path: path.join(dir, 'cancelled.csv'), query: { filters: [] }, columns: [0, 1, 2] }, (e) => {
    if (e.text.startsWith('Writing')) controller.abort();
  }, controller.signal);
  await assert.rejects(cancelled, CancelledError);
  assert.ok(!existsSync(path.join(dir, 'cancelled.csv')));
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left behind');
});

test('a sorted page of a large file answers at once with the sort column, the others follow when asked with complete', async (t) => {
  const dir = tempDir(t, 'alf-viewer-');
  const file = path.join(dir, 'big.parquet');
  const N = 150_000;
  await query(`copy (select i as n, (i * 7919) % 150001 as key, printf('row %d', i) as label from range(${N}) t(i)) to ${sqlStr(file)} (format parquet, row_group_size 50000)`);
  const info = await openTable(file);
  t.after(() => closeTable(info.tableId));
  const q: TableQuery = { filters: [], sort: { column: 1, descending: true } };
  const first = await page(info.tableId, 0, 5, q);
  assert.deepEqual(first.pending, [0, 2], 'only the sort column is decoded yet');
  assert.ok(first.rows.every((r) => r[0] === null && r[2] === null && r[1] !== null));
  const full = await tablePage({ tableId: info.tableId, offset: 0, limit: 5, query: q, complete: true }, () => undefined, never);
  assert.equal(full.pending, undefined);
  const expected = await query(`select n::INTEGER as n, key::BIGINT as key, label from read_parquet(${sqlStr(file)}) order by key desc, n limit 5`);
  assert.deepEqual(full.rows, expected.map((r) => [String(r.n), String(r.key), r.label]));
  assert.deepEqual(first.rows.map((r) => r[1]), full.rows.map((r) => r[1]));
});

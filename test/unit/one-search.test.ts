/**
 * OneLocal.search against ONE 3.4.2's measured local-mode behaviour
 * (shared/docs/one-search-semantics.md), on a generated tree plus sessions written here for the
 * ordering corner cases.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCache } from '../../src/core/cache/build';
import { loadCache } from '../../src/core/cache/load';
import { writeCacheTables } from '../../src/core/cache/tables';
import type { DatasetRow, QcName, SessionRow } from '../../src/core/cache/types';
import { OneError, OneLocal } from '../../src/core/one';
import { makeExampleData, writeTree } from '../helpers';

const CHOICE = 'alf/_ibl_trials.choice.npy';
const EXTRA: Record<string, string> = {
  // 2021-03-01: '_' (0x5F) > 'L' (0x4C), and lower case > upper case, by code point.
  [`cshlab/Subjects/CSHL_001/2021-03-01/001/${CHOICE}`]: 'x',
  [`zadorlab/Subjects/CSH_ZAD_001/2021-03-01/001/${CHOICE}`]: 'x',
  [`wittenlab/Subjects/ibl_witten_02/2021-03-01/001/${CHOICE}`]: 'x',
  [`hoferlab/Subjects/SWC_002/2021-03-01/001/${CHOICE}`]: 'x',
  // 2021-03-02: lower vs upper case subjects.
  [`caselab/Subjects/abc/2021-03-02/001/${CHOICE}`]: 'x',
  [`caselab/Subjects/ABC/2021-03-02/001/${CHOICE}`]: 'x',
  [`caselab/Subjects/Abc/2021-03-02/001/${CHOICE}`]: 'x',
  // 2021-03-03: U+1D49C (a surrogate pair in UTF-16) sorts above U+FF26 by code point, below it by code unit.
  [`caselab/Subjects/\u{1D49C}_1/2021-03-03/001/${CHOICE}`]: 'x',
  [`caselab/Subjects/\uFF26_1/2021-03-03/001/${CHOICE}`]: 'x',
  // 2021-03-04: numbers compare as numbers (10 > 2 > 1), whatever the folder padding.
  [`numlab/Subjects/NUM_001/2021-03-04/1/${CHOICE}`]: 'x',
  [`numlab/Subjects/NUM_001/2021-03-04/002/${CHOICE}`]: 'x',
  [`numlab/Subjects/NUM_001/2021-03-04/010/${CHOICE}`]: 'x',
};

let root = '';
let one: OneLocal;
let sessions: SessionRow[];
let datasets: DatasetRow[];

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'alf-one-search-'));
  makeExampleData(root, ['--sessions', '30', '--messy']);
  writeTree(root, EXTRA);
  await buildCache(root);
  one = await OneLocal.open(root);
  ({ sessions, datasets } = await loadCache(root));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Python's str comparison, written independently of the code under test. */
function pyCompare(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

function expectedOrder(rows: readonly SessionRow[]): string[] {
  return [...rows].sort((a, b) => pyCompare(b.date, a.date) || pyCompare(b.subject, a.subject) || b.number - a.number || pyCompare(a.id, b.id)).map((s) => s.id);
}

const subjectsOf = (eids: readonly string[]): string[] => eids.map((e) => (one.getSession(e) as SessionRow).subject);
const eidsWhere = (p: (s: SessionRow) => boolean): string[] => expectedOrder(sessions.filter(p));

/** A copy of the cache with some datasets changed, opened over the same data folder. */
async function withDatasets(change: (rows: DatasetRow[]) => void): Promise<OneLocal> {
  const loaded = await loadCache(root);
  const rows = loaded.datasets.map((d) => ({ ...d }));
  change(rows);
  const outDir = mkdtempSync(path.join(tmpdir(), 'alf-one-tables-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));
  await writeCacheTables({ outDir, sessions: loaded.sessions, datasets: rows, metadata: loaded.metadata.datasets ?? { date_created: '2024-01-01T00:00:00', origin: root } });
  return OneLocal.open(root, { tablesDir: outDir });
}

function rejectsWith(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof OneError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe('order', () => {
  test('no terms: every session, by date, subject, number, all descending, comparing by code point', () => {
    assert.equal(sessions.length, one.sessions.length);
    assert.deepEqual(one.search(), expectedOrder(sessions));
    assert.deepEqual(one.search({}), expectedOrder(sessions));
  });

  test("'_' sorts after 'L' and lower case after upper case (never localeCompare)", () => {
    assert.deepEqual(subjectsOf(one.search({ date_range: '2021-03-01' })), ['ibl_witten_02', 'SWC_002', 'CSH_ZAD_001', 'CSHL_001']);
    assert.deepEqual(subjectsOf(one.search({ date_range: '2021-03-02' })), ['abc', 'Abc', 'ABC']);
  });

  test('characters above U+FFFF sort by code point, not by UTF-16 code unit', () => {
    assert.deepEqual(subjectsOf(one.search({ date_range: '2021-03-03' })), ['\u{1D49C}_1', '\uFF26_1']);
  });

  test('numbers sort as numbers', () => {
    const found = one.search({ subject: 'NUM' }, { details: true });
    assert.deepEqual(
      found.records.map((r) => r.number),
      [10, 2, 1],
    );
  });
});

describe('text terms', () => {
  test('case-sensitive regular expressions matched anywhere in the value', () => {
    assert.deepEqual(one.search({ subject: 'SWC' }), eidsWhere((s) => s.subject.includes('SWC')));
    assert.ok(one.search({ subject: 'SWC' }).length > 2);
    assert.deepEqual(one.search({ subject: 'swc' }), []);
    assert.deepEqual(one.search({ subject: '^CSH' }), eidsWhere((s) => s.subject.startsWith('CSH')));
    assert.deepEqual(subjectsOf(one.search({ subject: 'CSH_' })), ['CSH_ZAD_001']);
    assert.deepEqual(subjectsOf(one.search({ subject: '^[a-z]+$' })), ['abc']);
    assert.deepEqual(one.search({ lab: 'hofer' }), eidsWhere((s) => s.lab === 'hoferlab'));
  });

  test('a list is OR (joined with |)', () => {
    assert.deepEqual(one.search({ subject: ['SWC', 'ZM_'] }), eidsWhere((s) => /SWC|ZM_/.test(s.subject)));
    assert.deepEqual(one.search({ subject: ['^abc$', '^ABC$'] }), eidsWhere((s) => s.subject === 'abc' || s.subject === 'ABC'));
    // '|'.join([]) is '', which matches everything
    assert.deepEqual(one.search({ subject: [] }), one.search());
  });

  test('Python-only syntax is translated: (?i), \\Z, (?P<name>…)', () => {
    assert.deepEqual(one.search({ subject: '(?i)swc' }), one.search({ subject: 'SWC' }));
    assert.deepEqual(subjectsOf(one.search({ subject: '(?i)^abc$' })), ['abc', 'Abc', 'ABC']);
    assert.deepEqual(subjectsOf(one.search({ subject: 'ZAD_001\\Z' })), ['CSH_ZAD_001']);
    assert.deepEqual(subjectsOf(one.search({ subject: '^(?P<p>[A-Z])(?P=p)' })), []);
    assert.deepEqual(subjectsOf(one.search({ subject: '(?P<first>ab)c' })), ['abc']);
  });

  test('untranslatable or invalid regular expressions: an error naming the term', () => {
    rejectsWith(() => one.search({ subject: '(?i:swc)' }), 'unsupported-regex', /^subject: scoped inline flags/);
    rejectsWith(() => one.search({ lab: 'a*+' }), 'unsupported-regex', /^laboratory: possessive/);
    rejectsWith(() => one.search({ subject: 'a(?i)' }), 'invalid-value', /^subject: global flags not at the start/);
    rejectsWith(() => one.search({ subject: '(' }), 'invalid-value', /^subject: invalid regular expression/);
    // ONE joins the list first, so a flag in the second pattern is not at the start.
    rejectsWith(() => one.search({ subject: ['x', '(?i)y'] }), 'invalid-value', /global flags not at the start/);
    rejectsWith(() => one.search({ subject: 5 }), 'invalid-value', /^subject: expected a string \(a regular expression\) or a list of strings, got 5/);
  });

  test("task_protocol and projects are '' in a local cache: '' and '^$' match all, anything else none", () => {
    const all = one.search();
    assert.deepEqual(one.search({ task_protocol: '' }), all);
    assert.deepEqual(one.search({ taskProtocol: '^$' }), all);
    assert.deepEqual(one.search({ projects: '^$' }), all);
    assert.deepEqual(one.search({ task_protocol: 'training' }), []);
    assert.deepEqual(one.search({ projects: 'ibl' }), []);
  });
});

describe('term names', () => {
  test("ONE's names, camelCase names, and case-insensitive unique prefixes", () => {
    const hofer = one.search({ lab: 'hoferlab' });
    assert.ok(hofer.length > 0);
    assert.deepEqual(one.search({ laboratory: 'hoferlab' }), hofer);
    assert.deepEqual(one.search({ LAB: 'hoferlab' }), hofer);
    assert.deepEqual(one.search({ la: 'hoferlab' }), hofer);
    assert.deepEqual(one.search({ date: '2021-03-02' }), one.search({ date_range: '2021-03-02' }));
    assert.deepEqual(one.search({ date: '2021-03-02' }), one.search({ dateRange: '2021-03-02' }));
    assert.deepEqual(one.search({ subj: 'abc', num: 1 }), one.search({ subject: 'abc', number: 1 }));
    assert.deepEqual(one.search({ task: '' }), one.search());
    assert.deepEqual(one.search({ project: '' }), one.search());
    assert.deepEqual(one.search({ datasets: 'spikes.times.npy', datasetqc: 'FAIL' }), one.search({ datasets: 'spikes.times.npy' }));
    assert.deepEqual([...one.searchTerms()], ['datasets', 'date_range', 'laboratory', 'number', 'projects', 'subject', 'task_protocol', 'dataset_qc_lte']);
  });

  test('unknown, ambiguous and doubled terms are errors, even when nothing would match', () => {
    rejectsWith(() => one.search({ dataset: 'x' }), 'ambiguous-term', /Ambiguous search term "dataset": it could be datasets or dataset_qc_lte/);
    rejectsWith(() => one.search({ d: 'x' }), 'ambiguous-term', /"d"/);
    rejectsWith(() => one.search({ subjects: 'x' }), 'unknown-term', /Invalid search term "subjects": the terms are datasets, date_range/);
    rejectsWith(() => one.search({ subject: 'nobody', colour: 'red' }), 'unknown-term', /"colour"/);
    rejectsWith(() => one.search({ lab: 'a', laboratory: 'b' }), 'duplicate-term', /"lab" and "laboratory" both give laboratory/);
    rejectsWith(() => one.search({ subject: 'x', details: true } as never), 'unknown-term', /"details" is an option, not a search term: pass it as search\(query, \{ details: true \}\)/);
  });

  test('undefined and null values are left out', () => {
    assert.deepEqual(one.search({ subject: undefined, lab: null, number: undefined }), one.search());
  });
});

describe('datasets', () => {
  const withIntervals = (): string[] => eidsWhere((s) => datasets.some((d) => d.eid === s.id && d.rel_path.endsWith('/_ibl_trials.intervals.npy')));

  test('each name is a regex matched against the whole file name', () => {
    const expected = withIntervals();
    assert.ok(expected.length > 20 && expected.length < sessions.length);
    assert.deepEqual(one.search({ datasets: '_ibl_trials.intervals.npy' }), expected);
    assert.deepEqual(one.search({ datasets: ['_ibl_trials.intervals.npy'] }), expected);
    assert.deepEqual(one.search({ datasets: '.*intervals.*' }), expected);
    assert.deepEqual(one.search({ datasets: 'trials.intervals' }), []);
    assert.deepEqual(one.search({ datasets: 'alf/_ibl_trials.intervals.npy' }), []);
    assert.deepEqual(one.search({ datasets: '_ibl_trials.intervals' }), []);
    assert.deepEqual(one.search({ datasets: '(?i)trials.choice.npy' }), eidsWhere((s) => datasets.some((d) => d.eid === s.id && /\/trials\.choice\.npy$/i.test(d.rel_path))));
  });

  test('a list means all of them (AND)', () => {
    const spikes = one.search({ datasets: ['_ibl_trials.choice.npy', 'spikes.times.npy'] });
    assert.equal(spikes.length, 1);
    assert.deepEqual(spikes, one.search({ datasets: 'spikes.times.npy' }));
    assert.deepEqual(one.search({ datasets: ['spikes.times.npy', '_iblrig_taskSettings.raw.json'] }), []);
    // all([]) is True: every session with at least one dataset row
    assert.deepEqual(one.search({ datasets: [] }), eidsWhere((s) => datasets.some((d) => d.eid === s.id)));
  });

  test('only datasets that exist count', async () => {
    const target = one.search({ datasets: 'spikes.times.npy' })[0] as string;
    const changed = await withDatasets((rows) => {
      for (const r of rows) if (r.eid === target && r.rel_path.endsWith('spikes.times.npy')) r.exists = false;
    });
    assert.deepEqual(changed.search({ datasets: 'spikes.times.npy' }), []);
    assert.ok(changed.search({ datasets: '_ibl_trials.choice.npy' }).includes(target));
  });

  test('other terms narrow first; datasets combine with them (AND)', () => {
    const r = one.search({ datasets: '_ibl_trials.intervals.npy', lab: 'hoferlab', date_range: ['2020-01-08', '2020-01-12'] }, { details: true });
    assert.ok(r.eids.length > 0);
    for (const rec of r.records) {
      assert.equal(rec.lab, 'hoferlab');
      assert.ok(rec.date >= '2020-01-08' && rec.date <= '2020-01-12');
    }
  });
});

describe('QC', () => {
  let qcOne: OneLocal;
  let critical = '';
  let warning = '';
  let notSetOnly = '';
  const intervals = (d: DatasetRow): boolean => d.rel_path.endsWith('/_ibl_trials.intervals.npy');
  before(async () => {
    const [a, b, c] = one.search({ datasets: '_ibl_trials.intervals.npy', lab: 'cortexlab' });
    critical = a as string;
    warning = b as string;
    notSetOnly = c as string;
    const set = (rows: DatasetRow[], eid: string, qc: QcName, which: (d: DatasetRow) => boolean): void => {
      for (const r of rows) if (r.eid === eid && which(r)) r.qc = qc;
    };
    qcOne = await withDatasets((rows) => {
      for (const r of rows) if (r.eid !== notSetOnly) r.qc = 'PASS';
      set(rows, critical, 'CRITICAL', intervals);
      set(rows, warning, 'WARNING', intervals);
    });
  });

  test('without dataset_qc_lte, QC defaults to FAIL: a CRITICAL dataset counts as absent', () => {
    const found = qcOne.search({ datasets: '_ibl_trials.intervals.npy', lab: 'cortexlab' });
    assert.ok(!found.includes(critical));
    assert.ok(found.includes(warning) && found.includes(notSetOnly));
    assert.ok(qcOne.search({ datasets: '_ibl_trials.choice.npy', lab: 'cortexlab' }).includes(critical));
  });

  test('dataset_qc_lte: at or below the level; a name in any case, a number or a numeric string', () => {
    const q = (level: string | number): string[] => qcOne.search({ datasets: '_ibl_trials.intervals.npy', lab: 'cortexlab', dataset_qc_lte: level });
    assert.ok(q('CRITICAL').includes(critical));
    assert.deepEqual(q('critical'), q(50));
    assert.ok(!q('PASS').includes(warning) && q('PASS').includes(notSetOnly));
    assert.deepEqual(q('pass'), q('10'));
    assert.ok(q('warning').includes(warning) && !q('warning').includes(critical));
    assert.deepEqual(q(30), q('WARNING'));
    assert.deepEqual(q('NOT_SET'), [notSetOnly]);
    assert.deepEqual(q(0), [notSetOnly]);
  });

  test('an invalid QC level is an error naming dataset_qc_lte', () => {
    rejectsWith(() => qcOne.search({ datasets: '_ibl_trials.intervals.npy', datasetQcLte: 'GOOD' }), 'invalid-value', /^dataset_qc_lte: "GOOD" is not a QC level/);
    rejectsWith(() => qcOne.search({ datasets: '_ibl_trials.intervals.npy', dataset_qc_lte: 35 }), 'invalid-value', /^dataset_qc_lte: 35 is not a QC level/);
    rejectsWith(() => qcOne.search({ dataset_qc_lte: 'GOOD' }), 'invalid-value', /dataset_qc_lte/);
  });

  test('dataset_qc_lte alone: sessions with any existing dataset at or below the level (deliberately not ONE 3.4.2, which returns none)', () => {
    // Every dataset is PASS except those of notSetOnly (NOT_SET) and the two changed above.
    assert.deepEqual(qcOne.search({ dataset_qc_lte: 'NOT_SET' }), [notSetOnly]);
    assert.deepEqual(qcOne.search({ dataset_qc_lte: 'PASS' }), eidsWhere((s) => datasets.some((d) => d.eid === s.id)));
  });
});

describe('date_range', () => {
  const onDays = (...days: string[]): string[] => eidsWhere((s) => days.includes(s.date));
  const between = (from: string, to: string): string[] => eidsWhere((s) => s.date >= from && s.date <= to);

  test('a single date is that whole day', () => {
    assert.ok(onDays('2020-01-06').length > 3);
    assert.deepEqual(one.search({ date_range: '2020-01-06' }), onDays('2020-01-06'));
    assert.deepEqual(one.search({ date_range: new Date(Date.UTC(2020, 0, 6)) }), onDays('2020-01-06'));
    assert.deepEqual(one.search({ date_range: '20200106' }), onDays('2020-01-06'));
    assert.deepEqual(one.search({ date_range: '2020-01-07' }), []);
  });

  test('a single date-time means [t, t + 1 day − 1 ms]: noon on the 7th reaches into the 8th', () => {
    assert.deepEqual(one.search({ date_range: '2020-01-07T12:00:00' }), onDays('2020-01-08'));
    assert.deepEqual(one.search({ date_range: '2020-01-06T00:00:00.001' }), []);
    assert.deepEqual(one.search({ date_range: '2020-01-07 00:00' }), []);
    assert.deepEqual(one.search({ date_range: '2020-01-08 00:00' }), onDays('2020-01-08'));
  });

  test('[start, end] includes both days; open ends with one element, null or an empty string; reversed gives nothing', () => {
    assert.deepEqual(one.search({ date_range: ['2020-01-06', '2020-01-10'] }), between('2020-01-06', '2020-01-10'));
    assert.deepEqual(one.search({ date_range: ['2020-01-10'] }), between('2020-01-10', '9999'));
    assert.deepEqual(one.search({ date_range: ['2020-01-10', null] }), between('2020-01-10', '9999'));
    assert.deepEqual(one.search({ date_range: ['2020-01-10', undefined] }), between('2020-01-10', '9999'));
    assert.deepEqual(one.search({ date_range: [null, '2020-01-08'] }), between('0000', '2020-01-08'));
    assert.deepEqual(one.search({ date_range: ['', '2020-01-08'] }), between('0000', '2020-01-08'));
    assert.deepEqual(one.search({ date_range: [null, null] }), one.search());
    assert.deepEqual(one.search({ date_range: ['2020-01-10', '2020-01-06'] }), []);
  });

  test('three elements, an empty list, or something that is not a date: an error naming date_range', () => {
    rejectsWith(() => one.search({ date_range: ['2020-01-01', '2020-01-02', '2020-01-03'] }), 'invalid-value', /^date_range: expected one date or \[start, end\]; got 3 elements/);
    rejectsWith(() => one.search({ date_range: [] }), 'invalid-value', /got 0 elements/);
    rejectsWith(() => one.search({ date: 'yesterday' }), 'invalid-value', /^date_range: "yesterday" is not a date; write yyyy-mm-dd/);
    rejectsWith(() => one.search({ date: '2020-02-30' }), 'invalid-value', /"2020-02-30" is not a real date/);
    rejectsWith(() => one.search({ date: ['2020-01-01', 'soon'] }), 'invalid-value', /"soon"/);
    rejectsWith(() => one.search({ date: '2020-01-01T00:00:00Z' }), 'invalid-value', /has a time zone/);
    rejectsWith(() => one.search({ date: 20200101 }), 'invalid-value', /expected a date/);
    rejectsWith(() => one.search({ date: new Date(NaN) }), 'invalid-value', /the Date is invalid/);
  });
});

describe('number', () => {
  test("ints, or strings read like Python's int(); a list is OR", () => {
    const two = eidsWhere((s) => s.number === 2);
    assert.ok(two.length > 1);
    assert.deepEqual(one.search({ number: 2 }), two);
    assert.deepEqual(one.search({ number: '002' }), two);
    assert.deepEqual(one.search({ number: ' 2 ' }), two);
    assert.deepEqual(one.search({ number: '+2' }), two);
    assert.deepEqual(one.search({ number: [10, '2'] }), eidsWhere((s) => s.number === 2 || s.number === 10));
    assert.deepEqual(one.search({ number: [] }), []);
  });

  test('anything else is an error naming number', () => {
    rejectsWith(() => one.search({ number: 'two' }), 'invalid-value', /^number: "two" is not a whole number/);
    rejectsWith(() => one.search({ number: 2.5 }), 'invalid-value', /^number: 2\.5 is not a whole number/);
    rejectsWith(() => one.search({ number: ['1', '2.0'] }), 'invalid-value', /"2\.0"/);
  });
});

describe('evaluation order and early return', () => {
  test('once nothing is left, later terms are not evaluated, so their bad values do not raise', () => {
    assert.deepEqual(one.search({ subject: 'nobody', number: 'two' }), []);
    assert.deepEqual(one.search({ number: 'two', subject: 'nobody' }), []); // text terms go first whatever the order given
    assert.deepEqual(one.search({ subject: 'nobody', date_range: 'soon' }), []);
    assert.deepEqual(one.search({ date_range: '1999-01-01', number: 'two' }), []); // date before number
    assert.deepEqual(one.search({ number: 99, datasets: '(' }), []); // number before datasets
    assert.deepEqual(one.search({ subject: 'nobody', datasets: 'x', dataset_qc_lte: 'GOOD' }), []); // QC is checked with datasets, last
  });

  test('but a bad value is reported when sessions are still left at its turn', () => {
    rejectsWith(() => one.search({ subject: 'SWC', number: 'two' }), 'invalid-value', /number/);
    rejectsWith(() => one.search({ number: 'two', date_range: '2020-01-06' }), 'invalid-value', /^number/);
    rejectsWith(() => one.search({ datasets: 'x', dataset_qc_lte: 'GOOD' }), 'invalid-value', /^dataset_qc_lte/);
  });
});

describe('details', () => {
  test('records parallel to the eids: the session columns without id', () => {
    const r = one.search({ lab: 'caselab' }, { details: true });
    assert.deepEqual(r.eids, one.search({ lab: 'caselab' }));
    assert.deepEqual(
      r.records.map((x) => Object.keys(x).sort()),
      r.eids.map(() => ['date', 'lab', 'number', 'projects', 'subject', 'task_protocol']),
    );
    r.records.forEach((rec, i) => {
      const { id, ...rest } = one.getSession(r.eids[i] as string) as SessionRow;
      assert.equal(id, r.eids[i]);
      assert.deepEqual(rec, rest);
    });
    assert.deepEqual(one.search({ subject: 'nobody' }, { details: true }), { eids: [], records: [] });
  });
});

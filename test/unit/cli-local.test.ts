// The local-mode commands of the CLI (alf search, list-datasets, load-object, npy) as a user runs
// them, through `main` in this process (test/helpers.ts `alf`), on trees written by the project's
// generator or by npyFloat64, with caches built by `alf build-cache`. Expectations come from ONE's
// documented behaviour and from the files' bytes read here independently, never from the code
// under test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type ExampleEntry, makeExampleData, npyFloat64, alf, tempDir, writeTree } from '../helpers';

interface SessionJson {
  eid: string;
  lab: string;
  subject: string;
  date: string;
  number: number;
  path: string;
  datasets: number;
}

/** A float64 or int64 .npy read straight from its bytes (v1.0, little-endian, C order). */
function readNpyIndependently(file: string): { shape: number[]; values: number[] } {
  const buf = readFileSync(file);
  const headerLength = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + headerLength).toString('latin1');
  assert.match(header, /'descr': '<f8'/);
  assert.match(header, /'fortran_order': False/);
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const values: number[] = [];
  for (let at = 10 + headerLength; at < buf.length; at += 8) values.push(buf.readDoubleLE(at));
  return { shape, values };
}

/** CSV text → header and rows of cells (the CLI quotes only names with commas or quotes). */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trimEnd().split('\n');
  return { header: (lines[0] as string).split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

const cell = (text: string): number => (text === '' ? NaN : Number(text));

function sameNumber(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
  else assert.equal(actual, expected, what);
}

function oneLineError(r: { stderr: string }): void {
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

describe('alf search / list-datasets / load-object on the generated example data', () => {
  let root = '';
  let manifest: ExampleEntry[] = [];
  let sessions: SessionJson[] = [];

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'alf-cli-local-'));
    manifest = makeExampleData(root, ['--messy', '--sessions', '14']);
    const built = await alf(['build-cache', root]);
    assert.equal(built.status, 0, built.stderr);
    // The cache's sessions as the builder indexed them: what every search is checked against.
    const all = JSON.parse((await alf(['sessions', root, '--json'])).stdout) as SessionJson[];
    const indexed = new Set((JSON.parse((await alf(['search', root, '--json'])).stdout) as { eid: string }[]).map((s) => s.eid));
    sessions = all.filter((s) => indexed.has(s.eid));
    assert.ok(sessions.length >= 14, `${sessions.length} sessions`);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const search = async (...args: string[]) => {
    const r = await alf(['search', root, '--json', ...args]);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { eid: string; path: string }[]).map((s) => s.eid);
  };
  /** ONE's order: date, subject, number, all descending (these names are ASCII). */
  const newestFirst = (list: SessionJson[]) =>
    [...list].sort((a, b) => (a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.subject !== b.subject ? (a.subject < b.subject ? 1 : -1) : b.number - a.number)).map((s) => s.eid);

  test('no terms: every session, newest first, one "eid  path" line each, the count on stderr', async () => {
    const r = await alf(['search', root]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(/\s+/)[0]),
      newestFirst(sessions),
    );
    for (const line of lines) {
      const [eid, rel] = line.split(/\s+/) as [string, string];
      const s = sessions.find((x) => x.eid === eid) as SessionJson;
      const expected = s.lab ? `${s.lab}/Subjects/${s.subject}/${s.date}/${String(s.number).padStart(3, '0')}` : `${s.subject}/${s.date}/${String(s.number).padStart(3, '0')}`;
      assert.equal(rel, expected);
    }
    assert.equal(r.stderr, `${sessions.length} of ${sessions.length} sessions matched\n`);
  });

  test('--subject is a case-sensitive regex matched anywhere; repeated it is OR, with --lab it is AND', async () => {
    assert.deepEqual(await search('--subject', 'KS'), newestFirst(sessions.filter((s) => s.subject.includes('KS'))));
    assert.ok((await search('--subject', 'KS')).length >= 2);
    assert.deepEqual(await search('--subject', 'ks'), []);
    assert.deepEqual(await search('--subject', '(?i)ks'), await search('--subject', 'KS'));
    assert.deepEqual(await search('--subject', '^KS_0', '--subject', 'NYU'), newestFirst(sessions.filter((s) => s.subject.startsWith('KS_0') || s.subject.includes('NYU'))));
    assert.deepEqual(await search('--subject', 'KS', '--lab', 'cortex'), newestFirst(sessions.filter((s) => s.subject.includes('KS') && s.lab.includes('cortex'))));
    // ONE's own keyword name and a prefix name the same term.
    assert.deepEqual(await search('--laboratory', 'hofer'), await search('--lab', 'hofer'));
    assert.deepEqual(await search('--subj', 'SWC'), await search('--subject', 'SWC'));
  });

  test('--date-range: one day, both ends included, open ends', async () => {
    const dates = [...new Set(sessions.map((s) => s.date))].sort();
    const [d0, d1, d2] = dates as [string, string, string];
    assert.ok(dates.length >= 3);
    assert.deepEqual(await search('--date-range', d1), newestFirst(sessions.filter((s) => s.date === d1)));
    assert.deepEqual(await search('--date-range', `${d0},${d1}`), newestFirst(sessions.filter((s) => s.date >= d0 && s.date <= d1)));
    assert.deepEqual(await search('--date-range', `${d2},`), newestFirst(sessions.filter((s) => s.date >= d2)));
    assert.deepEqual(await search('--date', `,${d0}`), newestFirst(sessions.filter((s) => s.date <= d0)));
    assert.deepEqual(await search('--date-range', `${d1},${d0}`), [], 'a reversed range matches nothing');
  });

  test('--number and --dataset (whole file name, all of them must be present)', async () => {
    assert.deepEqual(await search('--number', '2'), newestFirst(sessions.filter((s) => s.number === 2)));
    assert.ok((await search('--number', '2')).length > 0, 'the generator makes second sessions');
    assert.deepEqual(await search('--number', '1,2'), newestFirst(sessions));
    const spikes = manifest.find((m) => m.what === 'nested collection') as ExampleEntry;
    const owner = sessions.find((s) => spikes.path.startsWith(`${s.path}/`)) as SessionJson;
    assert.ok(owner, spikes.path);
    assert.deepEqual(await search('--dataset', 'spikes.times.npy'), [owner.eid]);
    assert.deepEqual(await search('--dataset', '.*spikes.*'), [owner.eid]);
    assert.deepEqual(await search('--dataset', 'spikes.times'), [], 'a dataset regex must match the whole file name');
    assert.deepEqual(await search('--dataset', 'spikes.times.npy', '--dataset', '_ibl_trials.intervals.npy'), [owner.eid]);
    assert.deepEqual(await search('--dataset', 'spikes.times.npy', '--dataset', 'nothing.here.npy'), []);
    assert.deepEqual(await search('--dataset', '_ibl_trials.intervals.npy'), newestFirst(sessions.filter((s) => s.datasets >= 15)));
  });

  test('--details adds the session records (text and JSON)', async () => {
    const r = await alf(['search', root, '--subject', 'KS', '--details']);
    assert.equal(r.status, 0, r.stderr);
    const [head, ...rows] = r.stdout.trimEnd().split('\n');
    assert.match(head as string, /^date\s+subject\s+no\.\s+lab\s+task_protocol\s+projects\s+eid$/);
    const expected = sessions.filter((s) => s.subject.includes('KS'));
    assert.equal(rows.length, expected.length);
    for (const s of expected) assert.ok(rows.some((row) => row.startsWith(s.date) && row.includes(s.subject) && row.endsWith(s.eid)), s.eid);
    const json = JSON.parse((await alf(['search', root, '--subject', 'KS', '--details', '--json'])).stdout) as (SessionJson & { task_protocol: string })[];
    for (const j of json) {
      const s = sessions.find((x) => x.eid === j.eid) as SessionJson;
      assert.deepEqual([j.lab, j.subject, j.date, j.number, j.task_protocol], [s.lab, s.subject, s.date, s.number, '']);
    }
  });

  test('bad values, options and caches: exit 2, one line naming the option', async () => {
    const cases: [string[], RegExp][] = [
      [['search', root, '--date-range', 'yesterday'], /^alf: --date-range: "yesterday" is not a date/],
      [['search', root, '--date-range', '2020-01-01,2020-01-02,2020-01-03'], /^alf: --date-range .*FROM,TO/],
      [['search', root, '--subject', 'KS('], /^alf: --subject: .*KS\(/],
      [['search', root, '--lab', '(?i:x)'], /^alf: --lab: /],
      [['search', root, '--number', 'two'], /^alf: --number: "two" is not a whole number/],
      [['search', root, '--dataset', 'x', '--dataset-qc-lte', 'GOOD'], /^alf: --dataset-qc-lte: "GOOD" is not a QC level/],
      [['search', root, '--dat', 'x'], /^alf: --dat: ambiguous: .*datasets.*date_range/],
      [['search', root, '--colour', 'red'], /^alf: --colour: unknown option for 'alf search'/],
      [['search', path.join(root, 'cortexlab')], /^alf: no sessions\.pqt in .*cortexlab — build it with `alf build-cache .*cortexlab` \(or give --tables-dir DIR if it was written with --out DIR\)\n$/],
      [['search', path.join(root, 'missing')], /^alf: .*missing is not a folder/],
      [['list-datasets', root, 'not-a-session'], /^alf: "not-a-session" is neither an eid nor a session path/],
      [['list-datasets', root, 'XX_001/2020-01-01/001'], /^alf: no session XX_001\/2020-01-01\/001 in the cache/],
      [['list-datasets', root, '00000000-0000-0000-0000-000000000000'], /^alf: session 0{8}-.* is not in the cache/],
      [['load-object', root, (sessions[0] as SessionJson).eid, 'wheel'], /^alf: ALF object "wheel" not found .*objects here: .*trials/],
    ];
    for (const [args, message] of cases) {
      const r = await alf(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
      oneLineError(r);
    }
  });

  test('list-datasets: by eid or by path, ONE order, collection / filename / revision filters', async () => {
    const revision = manifest.find((m) => m.what === 'revision folder') as ExampleEntry;
    const s = sessions.find((x) => revision.path.startsWith(`${x.path}/`)) as SessionJson;
    const list = async (...args: string[]) => {
      const r = await alf(['list-datasets', root, ...args]);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trimEnd().split('\n').filter(Boolean);
    };
    const byEid = await list(s.eid);
    assert.deepEqual(await list(s.path), byEid);
    assert.deepEqual(await list(path.join(root, s.path) + '/'), byEid, 'the folder on disk names the session too');
    const onDisk = [...readdirSync(path.join(root, s.path, 'alf')).filter((f) => f.endsWith('.npy')).map((f) => `alf/${f}`), 'alf/#2021-01-01#/_ibl_trials.choice.npy'];
    // Code-point order, as Python sorts strings ('#' < '_', 'goCueTrigger' < 'goCue_').
    assert.deepEqual(byEid, [...onDisk].sort((a, b) => (a < b ? -1 : 1)));
    assert.ok(byEid.indexOf('alf/_ibl_trials.goCueTrigger_times.npy') < byEid.indexOf('alf/_ibl_trials.goCue_times.npy'));
    assert.deepEqual(await list(s.eid, '--filename', '*_times*'), byEid.filter((p) => p.includes('_times')));
    assert.deepEqual(await list(s.eid, '--revision', '2021-01-01'), ['alf/#2021-01-01#/_ibl_trials.choice.npy']);
    assert.deepEqual(await list(s.eid, '--collection', 'nothing'), []);
    const spikes = manifest.find((m) => m.what === 'nested collection') as ExampleEntry;
    const withProbe = sessions.find((x) => spikes.path.startsWith(`${x.path}/`)) as SessionJson;
    assert.deepEqual(await list(withProbe.eid, '--collection', 'alf/probe*'), ['alf/probe00/spikes.times.npy']);
    assert.ok(!(await list(withProbe.eid, '--collection', 'alf')).includes('alf/probe00/spikes.times.npy'));
    const details = JSON.parse((await alf(['list-datasets', root, s.eid, '--details', '--json', '--filename', '*intervals*'])).stdout) as { rel_path: string; file_size: number; qc: string; exists: boolean }[];
    assert.deepEqual(details.map((d) => [d.rel_path, d.file_size, d.qc, d.exists]), [
      ['alf/_ibl_trials.intervals.npy', readFileSync(path.join(root, s.path, 'alf/_ibl_trials.intervals.npy')).length, 'NOT_SET', true],
    ]);
  });

  test('load-object: stats of the files, CSV equal to the files\' values, a derived column', async (t) => {
    // A session without the generator's extra revision: every attribute has one length.
    const messy = new Set(manifest.map((m) => m.path.split('/alf/')[0]));
    const s = sessions.find((x) => x.lab && !messy.has(x.path)) as SessionJson;
    const alfDir = path.join(root, s.path, 'alf');
    const file = (attr: string) => readNpyIndependently(path.join(alfDir, `_ibl_trials.${attr}.npy`));

    const summary = await alf(['load-object', root, s.path, 'trials', '--expr', 'feedback_times - goCue_times']);
    assert.equal(summary.status, 0, summary.stderr);
    assert.match(summary.stdout, new RegExp(`^trials of ${s.path} \\(${s.eid}\\), collection alf: 15 files\\n`));
    const contrast = file('contrastLeft').values;
    const nans = contrast.filter(Number.isNaN).length;
    assert.ok(nans > 0, 'the generator leaves NaN in contrastLeft');
    assert.match(summary.stdout, new RegExp(`\\ncontrastLeft\\s+float64\\s+\\(${contrast.length},\\)\\s+\\S+\\s+\\S+\\s+\\S+\\s+${nans}\\n`));
    assert.match(summary.stdout, /\nintervals\s+float64\s+\(\d+, 2\)/);
    assert.match(summary.stdout, /\n= feedback_times - goCue_times\s+float64/);

    const dir = tempDir(t);
    const csv = path.join(dir, 'trials.csv');
    const r = await alf(['load-object', root, s.eid, 'trials', '--csv', csv, '--expr', 'feedback_times - goCue_times']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Wrote .*trials\.csv: \d+ rows × 17 columns/);
    const { header, rows } = parseCsv(readFileSync(csv, 'utf8'));
    assert.equal(header.length, 17);
    assert.ok(header.includes('intervals[0]') && header.includes('intervals[1]') && header.includes('feedback_times - goCue_times'));
    const column = (name: string) => rows.map((row) => cell(row[header.indexOf(name)] as string));
    for (const attr of ['goCue_times', 'feedback_times', 'contrastLeft', 'choice']) {
      const expected = file(attr).values;
      assert.equal(rows.length, expected.length);
      column(attr).forEach((v, i) => sameNumber(v, expected[i] as number, `${attr}[${i}]`));
    }
    const intervals = file('intervals');
    assert.deepEqual(intervals.shape, [rows.length, 2]);
    column('intervals[0]').forEach((v, i) => assert.equal(v, intervals.values[2 * i]));
    column('intervals[1]').forEach((v, i) => assert.equal(v, intervals.values[2 * i + 1]));
    const fb = file('feedback_times').values;
    const go = file('goCue_times').values;
    column('feedback_times - goCue_times').forEach((v, i) => assert.equal(v, (fb[i] as number) - (go[i] as number)));
    assert.deepEqual(readdirSync(dir), ['trials.csv'], 'no temporary file left beside it');

    const json = JSON.parse((await alf(['load-object', root, s.eid, 'trials', '--attribute', 'goCue_times', '--json', '--values'])).stdout) as {
      attributes: Record<string, { shape: number[]; values: number[]; stats: { min: number; max: number; nanCount: number } }>;
    };
    assert.deepEqual(Object.keys(json.attributes), ['goCue_times']);
    assert.deepEqual(json.attributes.goCue_times?.values, go);
    assert.equal(json.attributes.goCue_times?.stats.min, Math.min(...go));
    assert.equal(json.attributes.goCue_times?.stats.max, Math.max(...go));
  });
});

describe('alf load-object on hand-written files', () => {
  let root = '';
  const session = 'mylab/Subjects/M1/2021-03-04/001';
  const times = [1.5, 2.25, NaN, 4, 1e-7];
  const amp = [0.1, 0.2, 0.3, 0.4, 0.5];
  const ampRevised = [10, 20, 30, 40, 50];
  const bounds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const counts = new BigInt64Array([1n, -2n, 9007199254740993n, 0n, 5n]);

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'alf-cli-object-'));
    writeTree(root, {
      [`${session}/alf/licks.times.npy`]: npyFloat64(times),
      [`${session}/alf/licks.amp.npy`]: npyFloat64(amp),
      [`${session}/alf/#2021-05-01#/licks.amp.npy`]: npyFloat64(ampRevised),
      [`${session}/alf/licks.bounds.npy`]: npyFloat64(bounds, [5, 2]),
      [`${session}/alf/licks.counts.npy`]: npyFloat64(new Float64Array(counts.buffer), [5], { descr: '<i8' }),
      [`${session}/alf/pulses.times.npy`]: npyFloat64([1, 2, 3]),
      [`${session}/alf/pulses.width.npy`]: npyFloat64([1, 2, 3, 4]),
      [`${session}/alf/probe00/clusters.depths.npy`]: npyFloat64([100, 200]),
      [`${session}/alf/probe01/clusters.depths.npy`]: npyFloat64([300]),
    });
    const built = await alf(['build-cache', root]);
    assert.equal(built.status, 0, built.stderr);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('CSV: every column equals the values written, NaN empty, int64 exact; latest revision by default', async (t) => {
    const r = await alf(['load-object', root, session, 'licks', '--csv', '-', '--expr', 'bounds[1] - bounds[0] + amp']);
    assert.equal(r.status, 0, r.stderr);
    const { header, rows } = parseCsv(r.stdout);
    assert.deepEqual(header, ['amp', 'bounds[0]', 'bounds[1]', 'counts', 'times', 'bounds[1] - bounds[0] + amp']);
    assert.equal(rows.length, 5);
    rows.forEach((row, i) => {
      assert.equal(cell(row[0] as string), ampRevised[i], 'amp comes from the latest revision, as ONE loads it');
      assert.equal(cell(row[1] as string), bounds[2 * i]);
      assert.equal(cell(row[2] as string), bounds[2 * i + 1]);
      assert.equal(row[3], counts[i]?.toString(), 'int64 written exactly, even beyond 2^53');
      sameNumber(cell(row[4] as string), times[i] as number, `times[${i}]`);
      assert.equal(cell(row[5] as string), (bounds[2 * i + 1] as number) - (bounds[2 * i] as number) + (ampRevised[i] as number));
    });
    assert.equal(rows[2]?.[4], '', 'NaN is an empty cell, as pandas writes it');
    assert.equal(rows[4]?.[4], '1e-7');

    const older = parseCsv((await alf(['load-object', root, session, 'licks', '--revision', '2021-04-01', '--attribute', 'amp', '--csv', '-'])).stdout);
    assert.deepEqual(older.rows.map((row) => cell(row[0] as string)), amp, 'the unrevised file is the latest before 2021-04-01');

    const dir = tempDir(t);
    const out = path.join(dir, 'licks.csv');
    writeFileSync(out, 'old content\n');
    assert.equal((await alf(['load-object', root, session, 'licks', '--attribute', 'times', '--csv', out])).status, 0);
    assert.equal(readFileSync(out, 'utf8'), `times\n1.5\n2.25\n\n4\n1e-7\n`);
  });

  test('summary and JSON: dtype, shape, min/max/mean without NaN, NaN count', async () => {
    const r = await alf(['load-object', root, session, 'licks']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\ntimes\s+float64\s+\(5,\)\s+1e-7\s+4\s+1\.9375\s+1\n/);
    assert.match(r.stdout, /\nbounds\s+float64\s+\(5, 2\)\s+0\s+9\s+4\.5\s+0\n/);
    assert.match(r.stdout, /\ncounts\s+int64\s+\(5,\)\s+-2\s+9\.0072e\+15\s+1\.80144e\+15\s+0\n/);
    assert.match(r.stdout, /Warning: multiple revisions: "", "2021-05-01"/);
    const json = JSON.parse((await alf(['load-object', root, session, 'licks', '--json', '--values'])).stdout) as {
      collection: string;
      attributes: Record<string, { dtype: string; shape: number[]; stats: Record<string, number | null>; values: unknown }>;
    };
    assert.equal(json.collection, 'alf');
    assert.deepEqual(json.attributes.times?.stats, { count: 5, nanCount: 1, min: 1e-7, max: 4, mean: (1.5 + 2.25 + 4 + 1e-7) / 4 });
    assert.deepEqual(json.attributes.times?.values, [1.5, 2.25, null, 4, 1e-7]);
    assert.deepEqual(json.attributes.bounds?.values, [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]);
    assert.deepEqual(json.attributes.counts?.values, [1, -2, '9007199254740993', 0, 5]);
  });

  test('--tables-dir: tables written elsewhere with build-cache --out, files read from CACHE_DIR', async (t) => {
    const tables = tempDir(t);
    assert.equal((await alf(['build-cache', root, '--out', tables])).status, 0);
    const found = JSON.parse((await alf(['search', root, '--tables-dir', tables, '--subject', '^M1$', '--json'])).stdout) as { path: string }[];
    assert.deepEqual(found.map((s) => s.path), [session]);
    const csv = await alf(['load-object', root, session, 'pulses', '--attribute', 'times', '--tables-dir', tables, '--csv', '-']);
    assert.equal(csv.stdout, 'times\n1\n2\n3\n');
    const missing = await alf(['search', tables, '--tables-dir', path.join(tables, 'nope')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^alf: --tables-dir .*nope is not a folder\n$/);
  });

  test('errors: different lengths for CSV, several collections, bad expression — nothing written', async (t) => {
    const dir = tempDir(t);
    const out = path.join(dir, 'pulses.csv');
    const lengths = await alf(['load-object', root, session, 'pulses', '--csv', out]);
    assert.equal(lengths.status, 2);
    assert.match(lengths.stderr, /^alf: the attributes have different lengths, .*times \(3 rows\); width \(4 rows\); pick those of one length with --attribute\n$/);
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir), []);
    assert.equal((await alf(['load-object', root, session, 'pulses', '--attribute', 'width', '--csv', out])).status, 0);
    assert.equal(readFileSync(out, 'utf8'), 'width\n1\n2\n3\n4\n');

    const several = await alf(['load-object', root, session, 'clusters']);
    assert.equal(several.status, 2);
    assert.match(several.stderr, /^alf: --collection: object clusters is in several collections: "alf\/probe00", "alf\/probe01"; pass collection\n$/);
    assert.match((await alf(['load-object', root, session, 'clusters', '--collection', 'alf/probe01'])).stdout, /\ndepths\s+float64\s+\(1,\)\s+300\s+300\s+300\s+0\n/);

    for (const [expr, message] of [
      ['tims * 2', /unknown attribute "tims"/],
      ['times -', /expected an attribute name, a number or "\(", found the end/],
      ['bounds + 1', /"bounds" has shape \(5, 2\): pick a column, e.g\. bounds\[0\]/],
    ] as const) {
      const r = await alf(['load-object', root, session, 'licks', '--expr', expr]);
      assert.equal(r.status, 2, expr);
      assert.match(r.stderr, new RegExp(`^alf: --expr "${expr.replace(/[*+]/g, '\\$&')}": `));
      assert.match(r.stderr, message);
      oneLineError(r);
    }
    const missing = path.join(root, session, 'alf/licks.times.npy');
    const saved = readFileSync(missing);
    rmSync(missing);
    t.after(() => writeFileSync(missing, saved));
    const gone = await alf(['load-object', root, session, 'licks', '--attribute', 'times']);
    assert.equal(gone.status, 1, 'files missing on disk: the operation failed');
    assert.match(gone.stderr, /^alf: ALF object "licks" not found on disk: .*licks\.times\.npy missing/);
  });
});

describe('alf npy', () => {
  test('header, stats and a row slice of a Fortran-order file', async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, 'a.npy');
    // C-order matrix [[r*10 + c]] for 4 rows × 3 columns, stored column by column.
    const c = [0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, NaN];
    const fortran = [0, 10, 20, 30, 1, 11, 21, 31, 2, 12, 22, NaN];
    writeFileSync(file, npyFloat64(fortran, [4, 3], { fortran: true }));
    const r = await alf(['npy', file, '--rows', '1:3']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\n {2}dtype {4}float64 \(<f8\)\n/);
    assert.match(r.stdout, /\n {2}shape {4}\(4, 3\), 12 values\n/);
    assert.match(r.stdout, /\n {2}order {4}Fortran/);
    assert.match(r.stdout, /\n {2}version {2}1\.0\n/);
    assert.match(r.stdout, /\n {2}values {3}min 0 {2}max 31 {2}mean 14\.5455 {2}NaN 1\n/);
    assert.match(r.stdout, /\nrows 1:3 of 4\n1 {2}10 {2}11 {2}12\n2 {2}20 {2}21 {2}22\n$/);
    const json = JSON.parse((await alf(['npy', file, '--json', '--rows', '-1:'])).stdout) as Record<string, unknown>;
    assert.equal(json.dtype, 'float64');
    assert.deepEqual(json.shape, [4, 3]);
    assert.equal(json.fortranOrder, true);
    assert.equal(json.headerBytes, 128);
    assert.equal(json.dataBytes, 96);
    assert.equal(json.fileSize, 128 + 96);
    assert.deepEqual(json.stats, { count: 12, nanCount: 1, min: 0, max: 31, mean: c.filter((x) => !Number.isNaN(x)).reduce((a, b) => a + b, 0) / 11 });
    assert.deepEqual(json.rows, { start: 3, stop: 4, values: [[30, 31, null]] });
    assert.match((await alf(['npy', file, '--rows', '2'])).stdout, /\nrows 2:3 of 4\n2 {2}20 {2}21 {2}22\n$/);
  });

  test('int64 rows exactly; a truncated file shows its header and exits 1; errors exit 2', async (t) => {
    const dir = tempDir(t);
    const ints = path.join(dir, 'ints.npy');
    const big = new BigInt64Array([9007199254740993n, -1n]);
    writeFileSync(ints, npyFloat64(new Float64Array(big.buffer), [2], { descr: '<i8' }));
    assert.match((await alf(['npy', ints, '--rows', ':'])).stdout, /\n0 {2}9007199254740993\n1 {2}-1\n$/);

    const cut = path.join(dir, 'cut.npy');
    writeFileSync(cut, npyFloat64([1, 2, 3, 4]).subarray(0, 128 + 8));
    const trunc = await alf(['npy', cut]);
    assert.equal(trunc.status, 1);
    assert.match(trunc.stdout, /shape {4}\(4,\)/);
    assert.match(trunc.stderr, /^alf: .*cut\.npy: truncated: the header promises 32 data bytes, the file has 8/);

    const text = path.join(dir, 'notes.npy');
    writeFileSync(text, 'hello');
    const cases: [string[], RegExp][] = [
      [['npy', text], /^alf: .*notes\.npy: not an NPY file/],
      [['npy', path.join(dir, 'absent.npy')], /^alf: .*absent\.npy: not found/],
      [['npy', dir], /is a folder; give an \.npy file/],
      [['npy', ints, '--rows', 'a:b'], /^alf: --rows a:b: expected A:B/],
      [['npy', ints, '--rows', '7'], /^alf: --rows 7: row 7 is out of range \(the array has 2 rows\)/],
    ];
    for (const [args, message] of cases) {
      const r = await alf(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      oneLineError(r);
    }
  });
});

/**
 * The pieces under OneLocal.search: Python regex translation (checked against Python's own `re`
 * in test/interop/python-regex.test.ts), term completion, date ranges, numbers, code-point order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareCodePoints, compilePyRegex, completeSearchTerm, OneError, parseDateRange, parseSessionNumber, PyRegexError, translatePyRegex } from '../../src/core/one';

const search = (p: string, s: string): boolean => compilePyRegex(p, 'search').test(s);
const full = (p: string, s: string): boolean => compilePyRegex(p, 'full').test(s);

test('Python regex: flags, anchors, named groups, escapes and sets behave as in Python', () => {
  assert.ok(search('(?i)swc', 'SWC_001') && !search('swc', 'SWC_001'));
  assert.deepEqual(translatePyRegex('(?i)a').flags, 'iv');
  assert.ok(search('(?s)a.b', 'a\nb') && !search('a.b', 'a\nb'));
  assert.ok(search('a.b', 'a\rb')); // '.' excludes only \n in Python
  assert.ok(search('(?m)^b$', 'a\nb\nc') && !search('^b$', 'a\nb\nc'));
  assert.ok(!search('(?m)^b', 'a\rb')); // only \n starts a line in Python
  assert.ok(search('1$', 'ZM_1\n') && !search('1\\Z', 'ZM_1\n') && search('1\\Z', 'ZM_1'));
  assert.ok(search('\\AZM', 'ZM_1') && !search('\\AM', 'ZM_1'));
  assert.ok(search('(?P<lab>[A-Z]+)_(?P=lab)', 'AB_AB') && !search('^(?P<lab>[A-Z]+)_(?P=lab)$', 'AB_CD'));
  assert.ok(search('(?x) S W C  # a comment', 'SWC') && search('(?x)S\\ W', 'S W'));
  assert.ok(search('\\w+', 'α_1') && full('\\w+', 'α_1') && !full('(?a)\\w+', 'α_1'));
  assert.ok(full('\\d+', '٣٤٥') && !full('(?a)\\d+', '٣٤٥'));
  assert.ok(search('\\bfoo\\b', 'a foo b') && !search('\\bfoo\\b', 'éfoo'));
  assert.ok(full('a{,2}b', 'aab') && full('a{', 'a{') && full('{x}', '{x}') && full(']', ']') && full('x{,}', 'xxx'));
  assert.ok(full('[]a]+', 'a]') && full('[^]a]', 'b') && full('[-a]+', '-a') && full('[a-]+', 'a-'));
  assert.ok(full('[\\W\\d]+', '-3 ') && !full('[\\W\\d]+', 'a'));
  assert.ok(full('\\-\\_\\#\\ ', '-_# ') && full('[&&]+', '&&') && full('[\\b]', '\b'));
  assert.ok(full('\\x41\\u00e9\\U0001F600\\101\\0', 'Aé😀A\0'));
  assert.ok(full('(a)\\1', 'aa') && full('(?#comment)x', 'x') && full('(?<=a)b|c', 'c'));
  assert.ok(full('(?i)ſ', 'S') && full('(?i)k', '\u212a')); // Unicode case folding, as Python
  assert.ok(full('', '') && search('', 'anything'));
});

test('Python regex: what cannot be translated, and what Python rejects, throws with a reason', () => {
  const rejects = (p: string, kind: 'unsupported' | 'invalid', message: RegExp): void => {
    assert.throws(
      () => compilePyRegex(p, 'search'),
      (e: unknown) => e instanceof PyRegexError && e.kind === kind && message.test(e.message),
      p,
    );
  };
  rejects('(?i:a)', 'unsupported', /scoped inline flags .* put a global flag such as \(\?i\) at the very start instead/);
  rejects('(?-i:a)', 'unsupported', /scoped inline flags/);
  rejects('(?>a)', 'unsupported', /atomic groups/);
  rejects('a*+', 'unsupported', /possessive/);
  rejects('a{2}+', 'unsupported', /possessive/);
  rejects('(?(1)a|b)', 'unsupported', /conditional/);
  rejects('\\N{DIGIT ONE}', 'unsupported', /named characters/);
  rejects('a(?i)', 'invalid', /global flags not at the start of the expression/);
  rejects('(?<n>a)', 'invalid', /Python writes named groups \(\?P<name>…\)/);
  rejects('\\q', 'invalid', /bad escape \\q/);
  rejects('\\x4', 'invalid', /incomplete escape/);
  rejects('[a', 'invalid', /unterminated character set/);
  rejects('[z-a]', 'invalid', /bad character range/);
  rejects('[\\d-z]', 'invalid', /bad character range/);
  rejects('(?L)a', 'invalid', /locale/);
  rejects('*a', 'invalid', /invalid regular expression \(Nothing to repeat\)/);
  rejects('(a', 'invalid', /invalid regular expression/);
});

test("term completion: ONE's names, camelCase aliases, any case, unique prefixes", () => {
  const cases: [string, string][] = [
    ['lab', 'laboratory'], ['LAB', 'laboratory'], ['l', 'laboratory'], ['laboratory', 'laboratory'],
    ['date', 'date_range'], ['dateRange', 'date_range'], ['DATE_RANGE', 'date_range'],
    ['task', 'task_protocol'], ['taskProtocol', 'task_protocol'], ['project', 'projects'], ['proj', 'projects'],
    ['subj', 'subject'], ['s', 'subject'], ['n', 'number'], ['datasets', 'datasets'], ['dataset_', 'dataset_qc_lte'],
    ['datasetQc', 'dataset_qc_lte'], ['datasetQcLte', 'dataset_qc_lte'], ['ſubject', 'subject'],
  ];
  for (const [key, term] of cases) assert.equal(completeSearchTerm(key), term, key);
  for (const key of ['dataset', 'd', 'data', '']) assert.throws(() => completeSearchTerm(key), (e: unknown) => e instanceof OneError && e.code === 'ambiguous-term', key);
  for (const key of ['subjects', 'labs', 'x', 'date_ranges']) assert.throws(() => completeSearchTerm(key), (e: unknown) => e instanceof OneError && e.code === 'unknown-term', key);
});

test('date ranges as ONE builds them (naive times, ms)', () => {
  const day = 86_400_000;
  const t = Date.UTC(2020, 0, 6);
  assert.deepEqual(parseDateRange('2020-01-06'), { start: t, end: t + day - 1 });
  assert.deepEqual(parseDateRange('2020-01-06T12:30:15.5'), { start: t + 45_015_500, end: t + 45_015_500 + day - 1 });
  assert.deepEqual(parseDateRange(['2020-01-06', '2020-01-08']), { start: t, end: t + 2 * day });
  assert.deepEqual(parseDateRange(['2020-01-06']), { start: t, end: Infinity });
  assert.deepEqual(parseDateRange([null, '2020-01-06']), { start: -Infinity, end: t });
  assert.deepEqual(parseDateRange('2020'), { start: Date.UTC(2020, 0, 1), end: Date.UTC(2020, 0, 2) - 1 });
  assert.throws(() => parseDateRange('2020-13-01'), /not a real date/);
  assert.throws(() => parseDateRange('2020-01-01T25:00'), /not a real date/);
});

test("session numbers like Python's int()", () => {
  assert.equal(parseSessionNumber('002'), 2);
  assert.equal(parseSessionNumber(' 12 '), 12);
  assert.equal(parseSessionNumber('1_0'), 10);
  assert.equal(parseSessionNumber('٣'), 3);
  assert.equal(parseSessionNumber(-0), -0);
  for (const bad of ['2.0', '', '1__0', '0x10', 'two', true, null, 1.5, NaN]) assert.throws(() => parseSessionNumber(bad), OneError, String(bad));
});

test('code point order, not UTF-16 code unit order', () => {
  assert.ok(compareCodePoints('CSH_ZAD', 'CSHL') > 0);
  assert.ok(compareCodePoints('ibl', 'SWC') > 0);
  assert.ok(compareCodePoints('\u{1D49C}', '\uFF26') > 0);
  assert.ok('\u{1D49C}' < '\uFF26'); // what plain < would say
  assert.ok(compareCodePoints('ab', 'abc') < 0 && compareCodePoints('x', 'x') === 0);
});

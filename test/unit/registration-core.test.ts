import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DatasetTypeError, InvalidInputError, RegistrationClient, ensureIso8601, fnmatchToRegExp, getDatasetType, nextRevision, revisionTarget, roundSignificant,
} from '../../src/core/registration';
import { getSessionPath, revisionOf, sessionFolderParts, sessionPathParts } from '../../src/core/registration/alf-path';

describe('getDatasetType (ONE\'s get_dataset_type)', () => {
  const dtypes = [
    { name: 'obj.attr', filename_pattern: '' },
    { name: 'foo.bar', filename_pattern: '*FOO.b?r*' },
    { name: 'bar.baz', filename_pattern: '' },
    { name: 'some_file', filename_pattern: 'some_file.*' },
  ];

  test('matches patterns casefolded and empty patterns on object.attribute or the stem', () => {
    for (const [filename, expected] of [
      ['foo.bar.npy', 'foo.bar'], ['foo.bir.npy', 'foo.bar'], ['_ns_obj.attr_clock.extra.npy', 'obj.attr'],
      ['bar.baz.ext', 'bar.baz'], ['some_file.ext', 'some_file'], ['alf/probe00/FOO.BAR.npy', 'foo.bar'],
    ] as const) {
      assert.equal(getDatasetType(filename, dtypes).name, expected, filename);
    }
  });

  test('no match and several matches are errors that say which', () => {
    assert.throws(() => getDatasetType('no_match', dtypes), (err: unknown) => err instanceof DatasetTypeError && err.message === 'No dataset type found for filename "no_match"' && err.candidates.length === 0);
    const ambiguous = [...dtypes, { name: 'foo.bor', filename_pattern: 'foo.bor*' }];
    assert.throws(() => getDatasetType('foo.bor', ambiguous), (err: unknown) => {
      assert.ok(err instanceof DatasetTypeError);
      assert.match(err.message, /Multiple matching dataset types found for filename "foo.bor": foo.bar, foo.bor/);
      assert.deepEqual(err.candidates.map((c) => c.name), ['foo.bar', 'foo.bor']);
      return true;
    });
  });

  test('realistic IBL patterns', () => {
    const ibl = [{ name: 'trials.intervals', filename_pattern: '*trials.intervals*.*' }, { name: 'wheel.position', filename_pattern: null }];
    assert.equal(getDatasetType('_ibl_trials.intervals_bpod.npy', ibl).name, 'trials.intervals');
    assert.equal(getDatasetType('_ibl_wheel.position.npy', ibl).name, 'wheel.position');
    assert.throws(() => getDatasetType('_ibl_wheel.positions.npy', ibl), DatasetTypeError);
  });
});

test('fnmatch follows Python: *, ?, [seq], [!seq], unclosed [ and regex characters are literal', () => {
  const m = (name: string, pattern: string) => fnmatchToRegExp(pattern).test(name);
  assert.ok(m('a/b.c', '*.c'));
  assert.ok(m('abc', 'a?c'));
  assert.ok(m('a1c', 'a[0-9]c'));
  assert.ok(!m('a1c', 'a[!0-9]c'));
  assert.ok(m('a]c', 'a[]]c'));
  assert.ok(m('a[c', 'a[c'));
  assert.ok(m('a+(b)', 'a+(b)'));
  assert.ok(!m('xa.b', 'a.b'));
  assert.ok(m('line\nbreak', 'line*'));
});

test('ensureIso8601 matches ONE\'s ensure_ISO8601', () => {
  assert.equal(ensureIso8601('2021-07-14T15:53:15.525119'), '2021-07-14T15:53:15.525119');
  assert.equal(ensureIso8601('2021-07-14'), '2021-07-14T00:00:00');
  assert.equal(ensureIso8601('2021-07-14 15:53'), '2021-07-14T15:53:00');
  assert.equal(ensureIso8601('2021-07-14T15:53:15.5'), '2021-07-14T15:53:15.500000');
  assert.equal(ensureIso8601('2021-07-14T15:53:15.000'), '2021-07-14T15:53:15');
  assert.equal(ensureIso8601('2021-07-14T15:53:15Z'), '2021-07-14T15:53:15+00:00');
  assert.equal(ensureIso8601('2021-07-14T15:53:15-0500'), '2021-07-14T15:53:15-05:00');
  assert.equal(ensureIso8601(new Date(2021, 6, 14, 15, 53, 15, 525)), '2021-07-14T15:53:15.525000');
  assert.equal(ensureIso8601(new Date(2021, 6, 14)), '2021-07-14T00:00:00');
  assert.match(ensureIso8601(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/);
  for (const bad of ['07/14/21', '2021-02-30', '2021-07-14T25:00', '2021-7-14', 'yesterday']) {
    assert.throws(() => ensureIso8601(bad, 'startTime'), (err: unknown) => err instanceof InvalidInputError && err.field === 'startTime' && err.message.includes(bad), bad);
  }
  assert.equal(RegistrationClient.ensureIso8601, ensureIso8601);
});

test('nextRevision matches ONE\'s _next_revision', () => {
  assert.equal(nextRevision('2020-01-01'), '2020-01-01a');
  assert.equal(nextRevision('2020-01-01', ['2020-01-01a', '2020-01-01b']), '2020-01-01c');
  assert.equal(nextRevision('2020-01-01', [], String.fromCodePoint(945)).codePointAt(10), 945);
  assert.throws(() => nextRevision('2020-01-01', [], 'do'), TypeError);
});

describe('revisionTarget (the protected-dataset branch of ONE\'s register_files)', () => {
  const today = '2024-05-02';
  test('ONE\'s own table of cases', () => {
    const cases: Array<[string, Array<Record<string, boolean>>, string]> = [
      ['wheel.position.ssv', [{ '': false }, { puHIt1: true }], 'wheel.position.ssv'],
      ['wheel.position.npy', [{ [today]: false }, { puHIt1: true }], `#${today}#/wheel.position.npy`],
      ['wheel.timestamps.npy', [{ [today]: true }, { puHIt1: true }], `#${today}a#/wheel.timestamps.npy`],
      ['wheel.timestamps.ssv', [{ [`${today}a`]: true }, { [today]: true }], `#${today}b#/wheel.timestamps.ssv`],
      ['wheel.velocity.ssv', [{ puHIt1: false }, { foo: true }], `#${today}#/wheel.velocity.ssv`],
      ['wheel.velocity.npy', [{ [`${today}A`]: true }, { [today]: true }], `#${today}B#/wheel.velocity.npy`],
    ];
    for (const [file, info, expected] of cases) assert.equal(revisionTarget(file, info, today), expected, file);
  });

  test('never registered, protected original, older revisions, collections', () => {
    assert.equal(revisionTarget('alf/_ibl_trials.choice.npy', [], today), 'alf/_ibl_trials.choice.npy');
    assert.equal(revisionTarget('alf/_ibl_trials.choice.npy', [{ '': true }], today), `alf/#${today}#/_ibl_trials.choice.npy`);
    assert.equal(revisionTarget('alf/x.y.npy', [{ '2022-10-31': true }, { '': true }], today), `alf/#${today}#/x.y.npy`);
    assert.equal(revisionTarget('alf/x.y.npy', [{ '2022-10-31': false }, { '': true }], today), 'alf/#2022-10-31#/x.y.npy');
  });

  test('an explicit revision folder is kept unless it is protected', () => {
    assert.equal(revisionTarget('alf/#v1#/x.y.npy', [{ '': true }], today), 'alf/#v1#/x.y.npy');
    assert.equal(revisionTarget('alf/#v1#/x.y.npy', [{ v1: true }, { '': true }], today), 'alf/#v1a#/x.y.npy');
    assert.equal(revisionTarget('#v1#/x.y.npy', [{ v1a: true }, { v1: true }], today), '#v1b#/x.y.npy');
  });
});

test('roundSignificant is Python\'s float(f"{x:.4g}"), ties to even on exact values', () => {
  assert.equal(roundSignificant(35.10000000235), 35.1);
  assert.equal(roundSignificant(20.125), 20.12); // exact tie; toPrecision would give 20.13
  assert.equal(roundSignificant(20.375), 20.38);
  assert.equal(roundSignificant(1234.5), 1234);
  assert.equal(roundSignificant(1235.5), 1236);
  assert.equal(roundSignificant(0.0625), 0.0625);
  assert.equal(roundSignificant(0.123456), 0.1235);
  assert.equal(roundSignificant(9.99951), 10);
  assert.equal(roundSignificant(123456), 123500);
  assert.equal(roundSignificant(-2.675), -2.675);
  assert.equal(roundSignificant(1.00005), 1); // 1.00005 is just below the tie in binary
});

test('session paths as ONE parses them', () => {
  assert.deepEqual(sessionPathParts('/data/cortexlab/Subjects/algernon/2024-01-15/001/alf/x.y.npy'), { lab: 'cortexlab', subject: 'algernon', date: '2024-01-15', number: '001' });
  assert.deepEqual(sessionPathParts('/data/algernon/2024-01-15/1'), { lab: null, subject: 'algernon', date: '2024-01-15', number: '1' });
  assert.equal(getSessionPath('/data/algernon/2024-01-15/001/alf/x.y.npy'), '/data/algernon/2024-01-15/001');
  assert.equal(getSessionPath('/data/algernon/2024-02-30/001/x.y.npy'), undefined);
  assert.equal(getSessionPath('/data/algernon/x.y.npy'), undefined);
  assert.ok(sessionFolderParts('/data/algernon/2024-01-15/001'));
  assert.equal(sessionFolderParts('/data/algernon/2024-01-15/001/alf'), undefined);
  assert.equal(sessionFolderParts('/data/algernon/2024-01-15'), undefined);
  assert.equal(revisionOf('algernon/2024-01-15/001/alf/#2024-01-16#/x.y.npy'), '2024-01-16');
  assert.equal(revisionOf('algernon/2024-01-15/001/alf/x.y.npy'), null);
});

/** The Python ONE snippet of the Search view, and the terms the view searches with. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { buildCache } from '../../src/core/cache/build';
import { OneLocal, oneSearchSnippet, pyString, searchTermsOf } from '../../src/core/one';
import { writeTree } from '../helpers';

describe('search form → ONE terms', () => {
  test('only the fields filled in, under ONE names', () => {
    assert.deepEqual(searchTermsOf({ subject: ' NYU-01 ', lab: '', datasets: 'trials.goCue_times, , trials.feedback_times' }), {
      subject: 'NYU-01',
      datasets: ['trials.goCue_times', 'trials.feedback_times'],
    });
    assert.deepEqual(searchTermsOf({ dateFrom: '2020-01-01' }), { date_range: ['2020-01-01', null] });
    assert.deepEqual(searchTermsOf({ dateFrom: '2020-01-01', dateTo: '2020-01-01' }), { date_range: '2020-01-01' });
    assert.deepEqual(searchTermsOf({ dateTo: '2020-02-01', number: '1, 2', datasetQcLte: 'WARNING', taskProtocol: 'training', projects: 'ibl', lab: 'cortex' }), {
      laboratory: 'cortex',
      date_range: [null, '2020-02-01'],
      number: ['1', '2'],
      dataset_qc_lte: 'WARNING',
      task_protocol: 'training',
      projects: 'ibl',
    });
  });
});

describe('ONE snippet', () => {
  test('search and load_object with exactly the terms entered', () => {
    const s = oneSearchSnippet({
      cacheDir: '/data/ibl',
      form: { subject: 'NYU-01', datasets: 'trials.goCue_times, trials.feedback_times', dateFrom: '2020-01-01' },
      eid: '0a1b',
      sessionLabel: 'nyu/NYU-01/2020-01-07/001',
      object: 'trials',
      collection: 'alf',
    });
    assert.equal(
      s,
      [
        'from one.api import ONE',
        '',
        "one = ONE(cache_dir='/data/ibl', mode='local')",
        "eids = one.search(subject='NYU-01', date_range=['2020-01-01', None], datasets=['trials.goCue_times', 'trials.feedback_times'])",
        "eid = '0a1b'  # nyu/NYU-01/2020-01-07/001",
        "trials = one.load_object(eid, 'trials', collection='alf')",
        '',
      ].join('\n'),
    );
    assert.match(oneSearchSnippet({ cacheDir: 'C:\\data', tablesDir: '/t', form: {} }), /ONE\(cache_dir=r'C:\\data', tables_dir='\/t', mode='local'\)\neids = one\.search\(\)\n$/);
    assert.match(oneSearchSnippet({ cacheDir: '/d', form: {}, eid: 'e' }), /datasets = one\.list_datasets\(eid\)\n$/);
  });
  test('Python string literals survive quotes, backslashes and control characters', () => {
    assert.equal(pyString("it's"), "'it\\'s'");
    assert.equal(pyString('\\d+'), "r'\\d+'");
    assert.equal(pyString('ends\\'), "'ends\\\\'");
    assert.equal(pyString('a\nb\u0001'), "'a\\nb\\x01'");
    assert.equal(pyString('Zürich'), "'Zürich'");
  });
  test('the terms find in OneLocal what the snippet says', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'alf-snippet-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeTree(dir, {
      'nyu/Subjects/NYU-01/2020-01-07/001/alf/_ibl_trials.goCue_times.npy': '',
      'nyu/Subjects/NYU-01/2020-01-07/001/alf/_ibl_trials.feedback_times.npy': '',
      'nyu/Subjects/NYU-01/2019-12-01/001/alf/_ibl_trials.goCue_times.npy': '',
      'nyu/Subjects/NYU-02/2020-01-07/001/alf/_ibl_trials.goCue_times.npy': '',
    });
    await buildCache(dir);
    const one = await OneLocal.open(dir);
    const terms = searchTermsOf({ subject: 'NYU-01', dateFrom: '2020-01-01', datasets: '_ibl_trials.goCue_times.npy, _ibl_trials.feedback_times.npy' });
    const eids = one.search(terms);
    assert.equal(eids.length, 1);
    assert.equal(one.getSession(eids[0] as string)?.date, '2020-01-07');
    assert.equal(one.search(searchTermsOf({ subject: 'NYU' })).length, 3);
  });
});

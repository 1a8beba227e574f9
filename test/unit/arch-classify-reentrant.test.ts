/**
 * Issue 15 item 6: classification keeps its caches and buffers in a Classifier owned by each
 * caller, so two classifications of different roots interleaved on one thread (two sliced
 * walks) each get the verdicts of a classification run alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Classifier, classifyPath, type PathVerdict } from '../../src/core/alf';
import type { IndexedFile } from '../../src/model/types';
import { walkFiles } from '../../src/model/worker/scan';
import { tempDir, writeTree } from '../helpers';

const FILES = [
  'SW_001/2020-01-01/001/alf/spikes.times.npy',
  'SW_001/2020-01-01/001/alf/spikes.clusters.npy',
  'SW_001/2020-01-01/001/alf/#2021-01-01#/spikes.times.npy',
  'SW_001/2020-01-01/001/raw data/wheel.position.npy',
  'SW_001/2020-01-01/002/trials.intervals.npy',
  'SW_001/2020-13-01/001/trials.intervals.npy',
  'SW_001/2020-01-01/001/alf/Bad Name.npy',
];

function summary(v: PathVerdict): string {
  if (v.kind === 'dataset') return `dataset ${v.session.strId} ${v.session.path} ${v.collection ?? '-'} ${v.revision ?? '-'} ${v.relPath}`;
  if (v.kind === 'invalid') return `invalid ${v.code} at ${v.at}`;
  return `outside ${v.alfName}`;
}

/** The verdicts of each root's files, each classified by a fresh classifier of its own. */
function alone(root: string): string[] {
  return FILES.map((rel) => summary(new Classifier().classifyPath(rel, { root })));
}

const ROOT_A = '/data/cortexlab/Subjects';
const ROOT_B = '/data/other';

test('two classifiers interleaved over different roots give the verdicts of each run alone', () => {
  const expectedA = alone(ROOT_A);
  const expectedB = alone(ROOT_B);
  assert.notDeepEqual(expectedA, expectedB, 'the roots read differently (a lab above one of them)');
  assert.match(expectedA[0]!, /^dataset cortexlab\/SW_001\/2020-01-01\/001 /);
  assert.match(expectedB[0]!, /^dataset SW_001\/2020-01-01\/001 /);
  assert.match(expectedA[5]!, /^invalid invalid-date at SW_001\/2020-13-01$/);

  const a = new Classifier();
  const b = new Classifier();
  const gotA: string[] = [];
  const gotB: string[] = [];
  for (let round = 0; round < 3; round++) {
    gotA.length = 0;
    gotB.length = 0;
    FILES.forEach((rel, i) => {
      gotA.push(summary(a.classifyPath(rel, { root: ROOT_A })));
      // The one-off functions run in between: they share nothing with either classifier.
      assert.equal(summary(classifyPath(FILES[(i + 3) % FILES.length]!, { root: ROOT_B })), expectedB[(i + 3) % FILES.length]);
      gotB.push(summary(b.classifyPath(rel, { root: ROOT_B })));
    });
    assert.deepEqual(gotA, expectedA, `round ${round}: root A`);
    assert.deepEqual(gotB, expectedB, `round ${round}: root B`);
  }
});

test('two worker walks of different roots, sliced and run at once, each classify their own root', async (t) => {
  const dir = tempDir(t);
  const files = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`S${i % 4}/2020-01-0${1 + (i % 9)}/00${i % 3}/alf/obj${i}.times.npy`, '']));
  writeTree(`${dir}/labA/Subjects`, files);
  writeTree(`${dir}/plain`, files);
  const seen = { a: new Map<string, string>(), b: new Map<string, string>() };
  const signal = new AbortController().signal;
  const record = (into: Map<string, string>) => (f: IndexedFile) => {
    into.set(f.path, f.kind === 'dataset' ? `dataset ${f.session.strId} ${f.relPath}` : f.kind);
  };
  await Promise.all([
    walkFiles(`${dir}/labA/Subjects`, '', [], signal, record(seen.a)),
    walkFiles(`${dir}/plain`, '', [], signal, record(seen.b)),
  ]);
  assert.equal(seen.a.size, 400);
  assert.equal(seen.b.size, 400);
  for (const [rel, a] of seen.a) {
    const b = seen.b.get(rel)!;
    assert.match(a, /^dataset labA\//, rel);
    assert.match(b, /^dataset S\d\//, rel);
    assert.equal(a, `dataset labA/${b.slice('dataset '.length)}`, rel);
  }
});

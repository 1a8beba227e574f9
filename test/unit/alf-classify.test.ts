import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PROBLEM_CODES,
  classifyFolder,
  classifyPath,
  clearClassifyCache,
  isValid,
  type DatasetVerdict,
  type InvalidVerdict,
  type PathVerdict,
  type ProblemCode,
} from '../../src/core/alf';

const S = 'lab/Subjects/subj/2020-01-01/001';

function dataset(v: PathVerdict): DatasetVerdict {
  assert.equal(v.kind, 'dataset', JSON.stringify(v));
  return v as DatasetVerdict;
}
function invalid(v: PathVerdict, code: ProblemCode): InvalidVerdict {
  assert.equal(v.kind, 'invalid', JSON.stringify(v));
  const i = v as InvalidVerdict;
  assert.equal(i.code, code, i.message);
  assert.ok(i.message.length > 30);
  return i;
}

test('a file in a lab/Subjects session', () => {
  const v = dataset(classifyPath(`${S}/alf/_ibl_trials.choice.npy`));
  assert.deepEqual(v.session, { lab: 'lab', subject: 'subj', date: '2020-01-01', number: '001', path: S, strId: 'lab/subj/2020-01-01/001' });
  assert.equal(v.collection, 'alf');
  assert.equal(v.revision, null);
  assert.equal(v.relPath, 'alf/_ibl_trials.choice.npy');
  assert.deepEqual(v.parts, { namespace: 'ibl', object: 'trials', attribute: 'choice', timescale: null, extra: null, extension: 'npy' });
  assert.deepEqual(v.warnings, []);
});

test('lab-less, unpadded session: ONE keeps the number as written in the id', () => {
  const v = dataset(classifyPath('subj/2020-01-01/1/x.y.npy'));
  assert.deepEqual(v.session, { lab: null, subject: 'subj', date: '2020-01-01', number: '1', path: 'subj/2020-01-01/1', strId: 'subj/2020-01-01/1' });
  assert.equal(v.collection, null);
  assert.equal(v.relPath, 'x.y.npy');
  assert.deepEqual(v.warnings.map((w) => [w.code, w.at, w.fix]), [['unpadded-number', 'subj/2020-01-01/1', '001']]);
});

test('revisions, nested collections and session-root files', () => {
  let v = dataset(classifyPath(`${S}/alf/#2021-01-01#/x.y.npy`));
  assert.deepEqual([v.collection, v.revision, v.relPath], ['alf', '2021-01-01', 'alf/#2021-01-01#/x.y.npy']);
  v = dataset(classifyPath(`${S}/#v1.0.1#/_ibl_trials.choice.npy`));
  assert.deepEqual([v.collection, v.revision], [null, 'v1.0.1']);
  v = dataset(classifyPath(`${S}/alf/probe00/spikes.times.npy`));
  assert.deepEqual([v.collection, v.revision, v.relPath], ['alf/probe00', null, 'alf/probe00/spikes.times.npy']);
  v = dataset(classifyPath(`${S}/raw_ephys_data/probe00/#foobar#/_iblqc_ephysTimeRmsAP.timestamps.npy`));
  assert.deepEqual([v.collection, v.revision], ['raw_ephys_data/probe00', 'foobar']);
  v = dataset(classifyPath(`${S}/_ibl_experiment.description.yaml`));
  assert.deepEqual([v.collection, v.relPath], [null, '_ibl_experiment.description.yaml']);
  v = dataset(classifyPath(`${S}/session.log.txt`));
  assert.equal(v.parts.object, 'session');
});

test('Windows separators (on Windows, or asked for) and untidy slashes', () => {
  const v = dataset(classifyPath('lab\\Subjects\\subj\\2020-01-01\\001\\alf\\x.y.npy', { backslashSeparates: true }));
  assert.equal(v.session.path, S);
  assert.equal(v.relPath, 'alf/x.y.npy');
  assert.equal(dataset(classifyPath(`lab//Subjects/./subj/2020-01-01/001/alf/x.y.npy`)).session.strId, 'lab/subj/2020-01-01/001');
});

test('folder problems in the session path: code, offending folder, fix', () => {
  let v = invalid(classifyPath('lab/Subjects/subj/2020-01-01/0001/alf/x.y.npy'), 'session-number-digits');
  assert.deepEqual([v.at, v.isFolder, v.fix], ['lab/Subjects/subj/2020-01-01/0001', true, '001']);
  assert.match(v.message, /1 to 3 digits.*not treat .* as a session/);
  assert.equal(invalid(classifyPath('subj/2020-01-01/12345/x.y.npy'), 'session-number-digits').fix, undefined);

  v = invalid(classifyPath('lab/Subjects/subj/2020-02-30/001/alf/x.y.npy'), 'invalid-date');
  assert.deepEqual([v.at, v.fix], ['lab/Subjects/subj/2020-02-30', undefined]);
  assert.match(v.message, /February 2020 has no day 30/);
  v = invalid(classifyPath('lab/Subjects/subj/2020-13-01/001/x.y.npy'), 'invalid-date');
  assert.match(v.message, /no month 13/);
  v = invalid(classifyPath('subj/٢٠٢٠-٠١-٠١/001/x.y.npy'), 'invalid-date');
  assert.equal(v.fix, '2020-01-01');

  v = invalid(classifyPath('lab/Subjects/subj/2020-1-5/001/x.y.npy'), 'date-format');
  assert.deepEqual([v.at, v.fix], ['lab/Subjects/subj/2020-1-5', '2020-01-05']);
  assert.equal(invalid(classifyPath('subj/20200105/001/x.y.npy'), 'date-format').fix, '2020-01-05');

  v = invalid(classifyPath('my-lab/Subjects/subj/2020-01-01/001/x.y.npy'), 'bad-lab');
  assert.deepEqual([v.at, v.fix], ['my-lab', 'mylab']);
  assert.match(v.message, /ONE would read the lab as "lab"/);

  v = invalid(classifyPath('lab/Subjects/my subj/2020-01-01/001/x.y.npy'), 'bad-subject');
  assert.deepEqual([v.at, v.fix], ['lab/Subjects/my subj', 'my_subj']);
  assert.match(v.message, /ONE would read the subject as "subj"/);

  v = invalid(classifyPath('2020-01-01/001/x.y.npy'), 'session-at-root');
  assert.equal(v.at, '2020-01-01');

  // ONE's search finds lab/subject/date/number earlier in the path than the folders say.
  v = invalid(classifyPath('subj/2020-01-01/2020-01-02/001/x.y.npy'), 'ambiguous-session');
  assert.match(v.message, /"subj\/2020-01-01\/202"/);
});

test('lower-case subjects: a lab-less session for ONE, with a warning', () => {
  const v = dataset(classifyPath('lab/subjects/subj/2020-01-01/001/x.y.npy'));
  assert.equal(v.session.lab, null);
  assert.equal(v.session.subject, 'subj');
  assert.equal(v.session.strId, 'subj/2020-01-01/001');
  assert.deepEqual(v.warnings.map((w) => [w.code, w.at, w.fix]), [['lowercase-subjects', 'lab/subjects', 'Subjects']]);
  // A lab folder without any Subjects folder is simply ignored by ONE.
  assert.equal(dataset(classifyPath('lab/subj/2020-01-01/001/x.y.npy')).session.strId, 'subj/2020-01-01/001');
});

test('folder problems below the session', () => {
  let v = invalid(classifyPath(`${S}/raw data/x.y.json`), 'bad-collection');
  assert.deepEqual([v.at, v.fix, v.session?.strId], [`${S}/raw data`, 'raw_data', 'lab/subj/2020-01-01/001']);
  assert.match(v.message, /without the collection/);
  v = invalid(classifyPath(`${S}/alf#2/x.y.json`), 'bad-collection');
  assert.equal(v.fix, 'alf2');
  v = invalid(classifyPath(`${S}/alf/#bad rev#/x.y.npy`), 'bad-revision');
  assert.deepEqual([v.at, v.fix], [`${S}/alf/#bad rev#`, '#bad_rev#']);
  assert.equal(invalid(classifyPath(`${S}/alf/#v1/x.y.npy`), 'bad-revision').fix, '#v1#');
  assert.equal(invalid(classifyPath(`${S}/alf/##/x.y.npy`), 'bad-revision').fix, undefined);
  v = invalid(classifyPath(`${S}/alf/#rev#/sub/x.y.npy`), 'revision-not-last');
  assert.equal(v.at, `${S}/alf/#rev#/sub`);
  invalid(classifyPath(`${S}/#a#/#b#/x.y.npy`), 'revision-not-last');
  v = invalid(classifyPath(`${S}/alf/2020-01-02/002/x.y.npy`), 'nested-session');
  assert.equal(v.at, `${S}/alf/2020-01-02/002`);
  invalid(classifyPath(`${S}/alf/2020-01-02/0002/x.y.npy`), 'nested-session');
  invalid(classifyPath(`subj/2020-01-01/001/alf/sub/2020-01-02/1x.y.npy`), 'nested-session');
  const hidden = dataset(classifyPath(`${S}/.hidden/x.y.npy`));
  assert.deepEqual(hidden.warnings.map((w) => w.code), ['hidden-folder']);
});

test('invalid file names inside a session point at the file', () => {
  const v = invalid(classifyPath(`${S}/alf/trials choice.npy`), 'whitespace');
  assert.deepEqual([v.at, v.isFolder, v.fix, v.session?.path], [`${S}/alf/trials choice.npy`, false, 'trials.choice.npy', S]);
  assert.equal(invalid(classifyPath(`${S}/.DS_Store`), 'os-metadata').fix, undefined);
  invalid(classifyPath(`${S}/alf/._x.y.npy`), 'apple-double');
  invalid(classifyPath(`${S}/create_me.flag`), 'flag-file');
  const w = dataset(classifyPath(`${S}/alf/Trials.Choice.NPY`)).warnings;
  assert.deepEqual(w.map((f) => [f.code, f.at, f.fix, f.isFolder]), [['uppercase-extension', `${S}/alf/Trials.Choice.NPY`, 'Trials.Choice.npy', false]]);
});

test('files outside every session', () => {
  assert.deepEqual(classifyPath('README.txt'), { kind: 'outside', alfName: false });
  assert.deepEqual(classifyPath('subj/.DS_Store'), { kind: 'outside', alfName: false });
  assert.deepEqual(classifyPath('lab/Subjects/subj/notes.summary.txt'), { kind: 'outside', alfName: true });
  assert.deepEqual(classifyPath('subj/2020-01-01/x.y.npy'), { kind: 'outside', alfName: true });
  assert.deepEqual(classifyPath('subj/2020-01-01/001'), { kind: 'outside', alfName: false }, 'a file named like a number folder');
});

test('with the data root given, lab and subject come from the absolute path as in ONE', () => {
  let v = dataset(classifyPath('Subjects/subj/2020-01-01/001/x.y.npy', { root: '/data/cortexlab' }));
  assert.deepEqual([v.session.lab, v.session.path, v.session.strId], ['cortexlab', 'Subjects/subj/2020-01-01/001', 'cortexlab/subj/2020-01-01/001']);
  assert.deepEqual(dataset(classifyPath('Subjects/subj/2020-01-01/001/x.y.npy')).warnings.map((w) => w.code), ['lab-from-root']);
  v = dataset(classifyPath('2020-01-01/001/x.y.npy', { root: 'C:\\data\\subj', backslashSeparates: true }));
  assert.deepEqual([v.session.strId, v.session.path], ['subj/2020-01-01/001', '2020-01-01/001']);
  v = dataset(classifyPath('alf/x.y.npy', { root: '/data/subj/2020-01-01/001' }));
  assert.deepEqual([v.session.path, v.relPath, v.collection], ['', 'alf/x.y.npy', 'alf']);
  v = dataset(classifyPath('x.y.npy', { root: '/data/subj/2020-01-01/001/alf' }));
  assert.deepEqual([v.session.path, v.relPath], ['..', 'alf/x.y.npy']);
  const bad = invalid(classifyPath('Subjects/subj/2020-01-01/001/x.y.npy', { root: '/data/my-lab' }), 'bad-lab');
  assert.equal(bad.at, '', 'the root folder itself');
});

test('classifyFolder gives the folder-level verdicts the cache builder walks with', () => {
  assert.deepEqual(classifyFolder(''), { kind: 'outside' });
  assert.deepEqual(classifyFolder('lab/Subjects/subj/2020-01-01'), { kind: 'outside' });
  const s = classifyFolder(S);
  assert.equal(s.kind, 'session-folder');
  const inside = classifyFolder(`${S}/alf/#v1#`);
  assert.equal(inside.kind, 'inside-session');
  if (inside.kind === 'inside-session') assert.deepEqual([inside.collection, inside.revision], ['alf', 'v1']);
  const bad = classifyFolder('/abs/root/lab/Subjects/subj/2020-01-01/0001/alf');
  assert.equal(bad.kind, 'invalid');
  if (bad.kind === 'invalid') assert.equal(bad.at, '/abs/root/lab/Subjects/subj/2020-01-01/0001');
});

test('every folder-level code is produced by some path', () => {
  const produced = new Set<string>();
  const paths = [
    'lab/Subjects/subj/2020-01-01/0001/x.y.z', 'subj/2020-1-1/001/x.y.z', 'subj/2020-02-30/001/x.y.z', '2020-01-01/001/x.y.z',
    'my-lab/Subjects/subj/2020-01-01/001/x.y.z', 'lab/Subjects/my subj/2020-01-01/001/x.y.z', 'subj/2020-01-01/2020-01-02/001/x.y.z',
    `${S}/alf/2020-01-02/002/x.y.z`, 'lab/subjects/subj/2020-01-01/001/x.y.z', 'subj/2020-01-01/1/x.y.z', 'Subjects/subj/2020-01-01/001/x.y.z',
    `${S}/raw data/x.y.z`, `${S}/#a b#/x.y.z`, `${S}/#a#/b/x.y.z`, `${S}/.h/x.y.z`,
  ];
  for (const p of paths) {
    const v = classifyPath(p);
    if (v.kind === 'invalid') produced.add(v.code);
    if (v.kind === 'dataset') v.warnings.forEach((w) => produced.add(w.code));
  }
  for (const [code, info] of Object.entries(PROBLEM_CODES)) {
    if (info.scope === 'folder') assert.ok(produced.has(code), `no path produces ${code}`);
  }
});

test('verdicts do not depend on the cache or on call order', () => {
  const paths = [`${S}/alf/x.y.npy`, `${S}/alf/bad name.npy`, 'README.txt', `${S}/alf/#r#/x.y.npy`, `${S}/alf/x.y.npy`, 'subj/2020-01-01/0001/a.b.c'];
  const first = paths.map((p) => JSON.stringify(classifyPath(p)));
  clearClassifyCache();
  const again = [...paths].reverse().map((p) => JSON.stringify(classifyPath(p))).reverse();
  assert.deepEqual(again, first);
  for (const p of paths) {
    clearClassifyCache();
    assert.equal(JSON.stringify(classifyPath(p)), first[paths.indexOf(p)]);
  }
});

test('fixes in verdicts are valid names', () => {
  for (const p of [`${S}/alf/trials choice.npy`, `${S}/alf/_ibl_trials.choice..npy`, `${S}/alf/_ibl_trials.choice-2.npy`, `${S}/alf/Trials.Choice.NPY`]) {
    const v = classifyPath(p);
    const fix = v.kind === 'invalid' ? v.fix : v.kind === 'dataset' ? v.warnings[0]?.fix : undefined;
    assert.ok(fix && isValid(fix), p);
  }
});

test('classifyPath speed on a build-sized tree', () => {
  const attrs = ['choice', 'contrastLeft', 'feedback_times', 'goCue_times', 'intervals', 'stimOn_times', 'rewardVolume', 'probabilityLeft'];
  const tree: string[] = [];
  for (let s = 0; s < 4000; s++) {
    const ses = `lab${s % 9}/Subjects/subj${s % 400}/2020-${String(1 + (s % 12)).padStart(2, '0')}-${String(1 + (s % 28)).padStart(2, '0')}/${String(1 + Math.floor(s / 1200)).padStart(3, '0')}`;
    for (let f = 0; f < 15; f++) tree.push(`${ses}/alf/_ibl_trials.${attrs[f % attrs.length]}${f}.npy`);
  }
  const typical = `${S}/alf/_ibl_trials.choice.npy`;
  for (let i = 0; i < 50_000; i++) classifyPath(typical);
  // CPU time rather than wall time: other processes on a shared machine inflate the latter.
  const cpuMicros = (fn: () => void): number => {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    return c.user + c.system;
  };
  let best = Infinity;
  let bestTypical = Infinity;
  for (let round = 0; round < 5; round++) {
    clearClassifyCache();
    best = Math.min(best, cpuMicros(() => tree.forEach((p) => classifyPath(p))) / tree.length);
    bestTypical = Math.min(bestTypical, cpuMicros(() => {
      for (let i = 0; i < 100_000; i++) classifyPath(typical);
    }) / 100_000);
  }
  console.log(`classifyPath: ${bestTypical.toFixed(2)} µs CPU per typical path (folder cached), ${best.toFixed(2)} µs CPU per path over ${tree.length} paths in ${tree.length / 15} folders (cold cache)`);
  // Generous bound so a loaded CI machine does not fail; the figure above is what matters.
  assert.ok(best < 50, `${best} µs per path`);
});

test('nothing throws on arbitrary input, and every offered fix is valid', () => {
  const pieces = ['_', '.', '.', '/', '/', '\\', ' ', '-', 'a', '1', '001', '0001', '2020-01-01', '2020-02-30', '2020-1-1', 'Subjects', 'subjects', 'é', '\ud800', '😀', '\n', '\u0000', '\u200b', '#', '#r#', '~', '(', 'times', '.DS_Store', '._', 'x.y.z', '..', '\t'];
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 20_000; i++) {
    let s = '';
    const len = 1 + Math.floor(next() * 14);
    for (let j = 0; j < len; j++) s += pieces[Math.floor(next() * pieces.length)];
    const v = classifyPath(s);
    if (v.kind === 'invalid' && v.fix !== undefined && !v.isFolder) assert.equal(isValid(v.fix), true, JSON.stringify(s));
    if (v.kind === 'dataset') for (const w of v.warnings) if (w.fix !== undefined && !w.isFolder) assert.equal(isValid(w.fix), true, JSON.stringify(s));
    classifyFolder(s);
    classifyPath(s, { root: `/r/${s.slice(0, 4)}` });
  }
});

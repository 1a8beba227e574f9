import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AlfInvalidError,
  folderParts,
  fullPathParts,
  getAlfPath,
  getSessionPath,
  isSessionPath,
  paddedSequence,
  relPathParts,
  sessionPathParts,
} from '../../src/core/alf';

const ses = (p: string) => {
  const s = sessionPathParts(p, { assertValid: false });
  return [s.lab, s.subject, s.date, s.number];
};
const fold = (p: string) => {
  const f = folderParts(p, { assertValid: false });
  return [f.lab, f.subject, f.date, f.number, f.collection, f.revision];
};

test('sessionPathParts searches the path for (lab/Subjects/)subject/date/number, keeping the number as text', () => {
  assert.deepEqual(sessionPathParts('/home/user/Data/cortexlab/Subjects/KS023/2019-12-10/001/alf'), {
    lab: 'cortexlab', subject: 'KS023', date: '2019-12-10', number: '001',
  });
  assert.deepEqual(ses('NYU-40/2021-04-12/1/_kilosort_raw.output.tar'), [null, 'NYU-40', '2021-04-12', '1']);
  // The search is not anchored on folder boundaries, so it reads the tail of a bad folder name.
  assert.deepEqual(ses('my-lab/Subjects/subj/2020-01-01/001'), ['lab', 'subj', '2020-01-01', '001']);
  assert.deepEqual(ses('lab/Subjects/my subj/2020-01-01/001'), [null, 'subj', '2020-01-01', '001']);
  assert.deepEqual(ses('subj/2020-01-01/0001/alf'), [null, 'subj', '2020-01-01', '000']);
  assert.deepEqual(ses('lab/subjects/subj/2020-01-01/001'), [null, 'subj', '2020-01-01', '001']);
  // Leftmost match wins even when it comes from a later date via its lab.
  assert.deepEqual(ses('lab/Subjects/2020-01-01/2020-01-02/001'), ['lab', '2020-01-01', '2020-01-02', '001']);
  assert.deepEqual(ses('subj/2020-01-01/2020-01-02/001'), [null, 'subj', '2020-01-01', '202']);
  assert.deepEqual(ses('subj/٢٠٢٠-٠١-٠١/١'), [null, 'subj', '٢٠٢٠-٠١-٠١', '١'], '\\d is Unicode');
  assert.throws(() => sessionPathParts('/home/user/Data/labname/2020-01-01/alf/001/'), AlfInvalidError);
  assert.deepEqual(ses('/home/user/Data/labname/2020-01-01/alf/001/'), [null, null, null, null]);
});

test('Windows backslash paths are read with / separators', () => {
  assert.deepEqual(ses('C:\\Data\\cortexlab\\Subjects\\KS023\\2019-12-10\\001\\alf\\x.y.npy'), ['cortexlab', 'KS023', '2019-12-10', '001']);
  assert.equal(getSessionPath('C:\\Data\\subject\\2020-01-01\\1\\trials.intervals.npy'), 'C:/Data/subject/2020-01-01/1');
  assert.equal(isSessionPath('D:\\data\\subj\\2020-01-01\\001\\'), true);
  assert.equal(getAlfPath('C:\\x\\lab\\Subjects\\s\\2020-01-01\\001\\alf\\a.b.c'), 'lab/Subjects/s/2020-01-01/001/alf/a.b.c');
  assert.deepEqual(relPathParts('alf\\probe00\\spikes.times.npy').collection, 'alf/probe00');
});

test('folderParts adds collection and revision after the session', () => {
  assert.deepEqual(fold('lab/Subjects/subj/2020-01-01/001/alf/probe00/#v1#'), ['lab', 'subj', '2020-01-01', '001', 'alf/probe00', 'v1']);
  assert.deepEqual(fold('/home/user/Data/labname/Subjects/subject/2020-01-01/001'), ['labname', 'subject', '2020-01-01', '001', null, null]);
  assert.deepEqual(fold('lab/Subjects/subj/2020-01-01/001/raw data'), ['lab', 'subj', '2020-01-01', '001', null, null]);
  assert.deepEqual(fold('lab/Subjects/subj/2020-01-01/001/alf/raw data'), ['lab', 'subj', '2020-01-01', '001', 'alf', null]);
  assert.deepEqual(fold('subj/2020-01-01/001/#v1#/alf'), [null, 'subj', '2020-01-01', '001', null, 'v1']);
  assert.deepEqual(fold('subj/2020-01-01/0001/alf'), [null, null, null, null, null, null]);
  assert.throws(() => folderParts('subj/2020-01-01/0001/alf'), AlfInvalidError);
});

test('relPathParts matches (collection/)(#revision#/)name from the start', () => {
  assert.deepEqual(relPathParts('alf/probe00/#2021-01-01#/spikes.times.npy'), {
    collection: 'alf/probe00', revision: '2021-01-01', namespace: null, object: 'spikes', attribute: 'times', timescale: null, extra: null, extension: 'npy',
  });
  assert.deepEqual(relPathParts('spikes.clusters.npy', { assertValid: false }).collection, null);
  assert.equal(relPathParts('#v1#/_ibl_trials.choice.npy').revision, 'v1');
  for (const bad of ['#v1#/alf/spikes.times.npy', 'raw data/x.y.json', '/x.y.z', 'alf/badfile']) {
    assert.throws(() => relPathParts(bad), AlfInvalidError, bad);
    assert.equal(relPathParts(bad, { assertValid: false }).object, null, bad);
  }
});

test('isSessionPath needs the path to end with the session folder', () => {
  assert.equal(isSessionPath('/mnt/s0/Data/Subjects/ibl_witten_14/2019-12-04/001'), true);
  assert.equal(isSessionPath('/mnt/s0/Data/Subjects/ibl_witten_14/2019-12-04/001/'), true);
  assert.equal(isSessionPath('/mnt/s0/Data/Subjects/ibl_witten_14/2019-12-04'), false);
  assert.equal(isSessionPath('/mnt/s0/Data/Subjects/ibl_witten_14/2019-12-04/001/alf'), false);
  assert.equal(isSessionPath('lab/Subjects/subj/2020-01-01/0001'), false);
  assert.equal(isSessionPath('subj/2020-01-01/001\n'), true, "Python's $ before a final newline");
  assert.equal(isSessionPath('subj/2020-02-30/001'), true, 'the pattern does not check the calendar');
  assert.equal(isSessionPath('2020-01-01/001'), false, 'a subject folder is needed');
  assert.equal(isSessionPath('a/2020-01-01/001/b/2020-01-02/002'), true);
});

test('getSessionPath uses isdigit and strptime like ONE', () => {
  assert.equal(getSessionPath('/mnt/s0/Subjects/ZM_1368/2019-04-19/001/raw_behavior_data/_iblrig_micData.raw.wav'), '/mnt/s0/Subjects/ZM_1368/2019-04-19/001');
  assert.equal(getSessionPath('/mnt/s0/Subjects/ZM_1368/2019-04-19/001'), '/mnt/s0/Subjects/ZM_1368/2019-04-19/001');
  assert.equal(getSessionPath('subj/2020-1-5/1/x.y.z'), 'subj/2020-1-5/1', 'strptime accepts unpadded months and days');
  assert.equal(getSessionPath('subj/2020-02-30/1/x.y.z'), null, 'strptime rejects impossible days');
  assert.equal(getSessionPath('subj/2020-01-01/0001/x.y.z'), 'subj/2020-01-01/0001', 'isdigit takes any length');
  assert.equal(getSessionPath('subj/2020-01-01/²/x.y.z'), 'subj/2020-01-01/²', 'superscripts are isdigit()');
  assert.equal(getSessionPath('a//b/./2020-01-01/7/'), 'a/b/2020-01-01/7');
  assert.equal(getSessionPath('1/x/2020-01-01'), null, 'deliberately not the wrap-around reading ONE gives here');
  assert.equal(getSessionPath('foo/bar'), null);
});

test('getAlfPath returns the session onwards, else the relative path, else the file name', () => {
  assert.equal(getAlfPath('/data/lab/Subjects/subj/2020-01-01/001/alf/x.y.npy'), 'lab/Subjects/subj/2020-01-01/001/alf/x.y.npy');
  assert.equal(getAlfPath('/mnt/s0/Data/Subjects/ZM_1368/2019-04-19/001/raw_behavior_data/_iblrig_micData.raw.wav'), 'Data/Subjects/ZM_1368/2019-04-19/001/raw_behavior_data/_iblrig_micData.raw.wav');
  assert.equal(getAlfPath('etc/alf/x.y.npy'), 'etc/alf/x.y.npy');
  assert.equal(getAlfPath('collection/trials.intervals_bpod.npy'), 'collection/trials.intervals_bpod.npy');
  assert.equal(getAlfPath('/trials.intervals_bpod.npy'), 'trials.intervals_bpod.npy');
  assert.equal(getAlfPath('etc/raw data/x.y.npy'), 'x.y.npy', 'ONE drops a collection it cannot parse');
  assert.equal(getAlfPath('etc/alf/README.md'), null);
});

test('fullPathParts reads folders and file names like ONE, quirks included', () => {
  const full = fullPathParts('/home/user/Data/labname/Subjects/subject/2020-01-01/001/collection/#revision#/_namespace_obj.times_timescale.extra.foo.ext');
  assert.deepEqual(Object.values(full), ['labname', 'subject', '2020-01-01', '001', 'collection', 'revision', 'namespace', 'obj', 'times', 'timescale', 'extra.foo', 'ext']);
  assert.deepEqual(Object.values(fullPathParts('x.y.z')).slice(0, 6), [null, null, null, null, null, null]);
  assert.equal(fullPathParts('lab/Subjects/subj/2020-01-01/001/alf/#v1#').revision, 'v1');
  assert.equal(fullPathParts('lab/Subjects/subj/2020-01-01/001/alf').collection, 'alf');
  // A nested collection folder on its own is refused: its name is not one of the parts.
  assert.throws(() => fullPathParts('lab/Subjects/subj/2020-01-01/001/alf/probe00'), AlfInvalidError);
  assert.equal(fullPathParts('lab/Subjects/subj/2020-01-01/001/alf/probe00', { assertValid: false }).collection, 'alf/probe00');
  assert.throws(() => fullPathParts('foo/bar.npy'), AlfInvalidError);
});

test('paddedSequence zero-pads the session number', () => {
  assert.equal(paddedSequence('/iblrigdata/subject/2023-01-01/1/_ibl_experiment.description.yaml'), '/iblrigdata/subject/2023-01-01/001/_ibl_experiment.description.yaml');
  assert.equal(paddedSequence('subject/2023-01-01/001'), 'subject/2023-01-01/001');
  assert.equal(paddedSequence('F:\\ScanImage\\subject\\2023-01-01\\1\\foo\\bar.baz'), 'F:/ScanImage/subject/2023-01-01/001/foo/bar.baz');
  assert.equal(paddedSequence('subj/2020-01-01/٣/x.y.z'), 'subj/2020-01-01/003/x.y.z');
  assert.throws(() => paddedSequence('/foo/bar/baz'), AlfInvalidError);
});

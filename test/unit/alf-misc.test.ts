import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AlfError,
  AlfInvalidError,
  QC,
  addUuidString,
  dromedary,
  isUuid,
  isUuidString,
  isValid,
  qcName,
  readableAlf,
  removeUuidString,
  toAlf,
  validateQc,
} from '../../src/core/alf';

const UUID = 'a976e418-c8b8-4d24-be47-d05120b18341';

test('isUuidString wants a canonical lower-case v3/v4/v5 UUID; isUuid reads the forms Python UUID() reads', () => {
  assert.equal(isUuidString(UUID), true);
  assert.equal(isUuidString(UUID.toUpperCase()), false);
  assert.equal(isUuidString('f6ffe25827-06-425aaa-f5-919f70025835'), false);
  assert.equal(isUuidString(null), false);
  assert.equal(isUuidString('some_string'), false);
  assert.equal(isUuidString('00000000-0000-1000-8000-000000000000'), false, 'version 1 is not random');
  assert.equal(isUuid('f6ffe25827-06-425aaa-f5-919f70025835'), true);
  assert.equal(isUuid(`{${UUID}}`), true);
  assert.equal(isUuid(`urn:uuid:${UUID}`), true);
  assert.equal(isUuid(UUID.replace(/-/g, '')), true);
  assert.equal(isUuid('00000000-0000-5000-8000-000000000000'), false, 'v5 is not in the default versions');
  assert.equal(isUuid('00000000-0000-5000-8000-000000000000', [5]), true);
  assert.equal(isUuid('00000000-0000-4000-c000-000000000000'), false, 'not the RFC 4122 variant');
  assert.equal(isUuid('dddd-aaa-eeee'), false);
  assert.equal(isUuid(54323), false);
});

test('addUuidString / removeUuidString', () => {
  assert.equal(addUuidString('/titi/tutu.part1.part1.json', UUID), `/titi/tutu.part1.part1.${UUID}.json`);
  assert.equal(addUuidString('/tutu/tata.json', UUID), `/tutu/tata.${UUID}.json`);
  assert.equal(addUuidString(`a/b.c.${UUID}.npy`, UUID), `a/b.c.${UUID}.npy`, 'same id: unchanged');
  assert.equal(addUuidString('a/b.c.f6ffe258-2706-425a-aaf5-919f70025835.npy', UUID), `a/b.c.${UUID}.npy`, 'another id is replaced');
  assert.equal(addUuidString('alf\\_ibl_trials.choice.npy', UUID), `alf/_ibl_trials.choice.${UUID}.npy`);
  assert.equal(isValid(addUuidString('_ibl_trials.choice.npy', UUID)), true);
  assert.throws(() => addUuidString('/foo/bar.npy', 'fake'), RangeError);
  assert.equal(removeUuidString('x/_spikeglx_sync.channels.probe00.89c861ea-66aa-4729-a808-e79f84d08b81.npy'), 'x/_spikeglx_sync.channels.probe00.npy');
  assert.equal(removeUuidString('toto.89c861ea-66aa-4729-a808-e79f84d08b81.npy'), 'toto.npy');
  assert.equal(removeUuidString('a/b.c.npy'), 'a/b.c.npy');
});

test('toAlf builds valid names and converts to camel case', () => {
  assert.equal(toAlf('spikes', 'times', 'ssv'), 'spikes.times.ssv');
  assert.equal(toAlf('spikes', 'times', 'ssv', { namespace: 'ibl' }), '_ibl_spikes.times.ssv');
  assert.equal(toAlf('spikes', 'times', 'ssv', { namespace: 'ibl', timescale: 'ephysClock' }), '_ibl_spikes.times_ephysClock.ssv');
  assert.equal(toAlf('spikes', 'times', 'ssv', { namespace: 'ibl', timescale: ['ephys clock', 'minutes'] }), '_ibl_spikes.times_ephysClock_minutes.ssv');
  assert.equal(toAlf('spikes', 'times', 'npy', { namespace: 'ibl', timescale: 'ephysClock', extra: 'raw' }), '_ibl_spikes.times_ephysClock.raw.npy');
  assert.equal(toAlf('wheel', 'timestamps', '.npy', { namespace: 'ibl', timescale: 'bpod', extra: ['raw', 'v12'] }), '_ibl_wheel.timestamps_bpod.raw.v12.npy');
  assert.equal(toAlf('obj', 'foo_bar_intervals', '.npy'), 'obj.fooBar_intervals.npy');
  assert.equal(toAlf('obj', 'attr_timestamps', '.npy'), 'obj.attr_timestamps.npy');
  assert.equal(toAlf('Wheel Moves', 'peak amplitude', 'npy', { extra: 'a.b' }), 'wheelMoves.peakAmplitude.a.b.npy');
  assert.equal(toAlf('passive_RFM', 'ROI motion energy', 'npy'), 'passiveRFM.ROIMotionEnergy.npy');
  assert.throws(() => toAlf('spikes', 'times', ''), TypeError);
  assert.throws(() => toAlf('spikes.times', 'fooBar', 'npy'), AlfInvalidError);
  assert.throws(() => toAlf('spikes', 'times', 'npy', { namespace: '_usr_' }), AlfInvalidError);
  assert.throws(() => toAlf('_usr_spikes', 'times', 'npy'), AlfInvalidError);
  assert.throws(() => toAlf('spikes', 'times', 'npy', { timescale: ['a.b'] }), AlfInvalidError);
});

test('dromedary and readableAlf keep acronyms', () => {
  assert.equal(dromedary('Hello world'), 'helloWorld');
  assert.equal(dromedary('motion_energy'), 'motionEnergy');
  assert.equal(dromedary('FooBarBaz'), 'fooBarBaz');
  assert.equal(dromedary('passive_RFM'), 'passiveRFM');
  assert.equal(dromedary('ROI Motion Energy'), 'ROIMotionEnergy');
  assert.equal(dromedary('mpci ROIs'), 'mpciROIs');
  assert.equal(dromedary('a__b'), 'aB');
  assert.equal(dromedary('x\x1cy'), 'xY', "Python's \\s includes the information separators");
  assert.equal(dromedary(''), '');
  assert.equal(readableAlf('sparseNoise'), 'sparse noise');
  assert.equal(readableAlf('someROIDataset'), 'some ROI dataset');
  assert.equal(readableAlf('someROIDataset', true), 'Some ROI dataset');
  assert.equal(readableAlf('someROIsDataset'), 'some ROIs dataset');
  assert.equal(readableAlf('DAQData'), 'DAQ data');
  assert.equal(readableAlf('ROIMotion'), 'ROI motion');
  assert.equal(readableAlf('blueChipTime'), 'blue chip time');
  assert.equal(readableAlf('fooBAR', true), 'Foo BAR');
  assert.equal(readableAlf('stimOn_times'), 'stim on_times');
  assert.equal(readableAlf('Trials'), 'trials', 'ONE gives " trials" (leading space); see docs');
  assert.equal(readableAlf(''), '');
});

test('QC values and validateQc', () => {
  assert.deepEqual({ ...QC }, { NOT_SET: 0, PASS: 10, WARNING: 30, FAIL: 40, CRITICAL: 50 });
  assert.equal(validateQc(QC.FAIL), 40);
  assert.equal(validateQc('40'), 40);
  assert.equal(validateQc(40), 40);
  assert.equal(validateQc(10.0), 10);
  assert.equal(validateQc('FAIL'), 40);
  assert.equal(validateQc('critical'), 50);
  assert.equal(validateQc('not_set'), 0);
  assert.equal(validateQc('٤٠'), 40, 'Python int() reads any decimal digits');
  for (const bad of ['ERROR', 20, '20', '', ' 40', true, null, undefined, Number.NaN]) assert.throws(() => validateQc(bad), RangeError, String(bad));
  assert.equal(qcName(30), 'WARNING');
  assert.equal(qcName(31), undefined);
});

test('AlfError messages mirror ONE (detail plus class explanation unless terse)', () => {
  assert.equal(new AlfError().message, '');
  assert.equal(new AlfError('foobar').message, 'foobar');
  assert.equal(new AlfError([0, 1, 2]).detail, '"0", "1", "2"');
  const e = new AlfInvalidError('a/b');
  assert.ok(e instanceof AlfError && e instanceof Error);
  assert.equal(e.name, 'AlfInvalidError');
  assert.equal(e.detail, 'a/b');
  assert.ok(e.message.startsWith('a/b\n') && e.message.includes('ALF path specification'));
  assert.equal(new AlfInvalidError('a/b', { terse: true }).message, 'a/b');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filenameParts, isValid, AlfInvalidError, PARTS, PART_ORDER, PART_RE, isValidLabName, isValidSubjectName, isValidCollection, isValidRevision, isValidAttribute } from '../../src/core/alf';

type Row = [string, [string | null, string | null, string | null, string | null, string | null, string | null]];
const NONE: Row[1] = [null, null, null, null, null, null];

const partsOf = (name: string): Row[1] => {
  const p = filenameParts(name);
  return [p.namespace, p.object, p.attribute, p.timescale, p.extra, p.extension];
};

test('ordinary IBL names parse into their six parts', () => {
  const rows: Row[] = [
    ['trials.feedbackType.npy', [null, 'trials', 'feedbackType', null, null, 'npy']],
    ['_ibl_trials.stimOn_times.npy', ['ibl', 'trials', 'stimOn_times', null, null, 'npy']],
    ['_ibl_trials.goCue_times_bpod.csv', ['ibl', 'trials', 'goCue_times', 'bpod', null, 'csv']],
    ['spikes.times_ephysClock.npy', [null, 'spikes', 'times', 'ephysClock', null, 'npy']],
    ['_ibl_wheel.timestamps_bpod.raw.v12.npy', ['ibl', 'wheel', 'timestamps', 'bpod', 'raw.v12', 'npy']],
    ['_iblrig_taskData.raw.jsonable', ['iblrig', 'taskData', 'raw', null, null, 'jsonable']],
    ['_spikeglx_ephysData_g0_t0.imec0.lf.bin', ['spikeglx', 'ephysData_g0_t0', 'imec0', null, 'lf', 'bin']],
    ['_iblqc_ephysTimeRmsAP.timestamps.npy', ['iblqc', 'ephysTimeRmsAP', 'timestamps', null, null, 'npy']],
    ['_ibl_trials.choice.2622b17c-9408-4910-99cb-abf16d9225b9.npy', ['ibl', 'trials', 'choice', null, '2622b17c-9408-4910-99cb-abf16d9225b9', 'npy']],
    ['_kilosort_raw.output.e8c9d765764778b7ee5bda08c982037f8f07e690.tar', ['kilosort', 'raw', 'output', null, 'e8c9d765764778b7ee5bda08c982037f8f07e690', 'tar']],
    ['channels._phy_ids.csv', [null, 'channels', '_phy_ids', null, null, 'csv']],
    ['session.log.txt', [null, 'session', 'log', null, null, 'txt']],
  ];
  for (const [name, expected] of rows) {
    assert.deepEqual(partsOf(name), expected, name);
    assert.equal(isValid(name), true, name);
  }
});

test("ONE's regex answers are reproduced exactly, surprises included (checked against Python ONE 3.4.2)", () => {
  // Expected values were produced by running ONE's own filename_parts on these inputs.
  const rows: Row[] = [
    ['_trials.choice.npy', ['trial', 's', 'choice', null, null, 'npy']],
    ['_ibl_.x.npy', ['ibl', '_', 'x', null, null, 'npy']],
    ['__ibl_trials.choice.npy', [null, 'ibl_trials', 'choice', null, null, 'npy']],
    ['_a.b.c', [null, 'a', 'b', null, null, 'c']],
    ['_.b.c', [null, '_', 'b', null, null, 'c']],
    ['__.b.c', [null, '_', 'b', null, null, 'c']],
    ['_ab_.b.c', ['ab', '_', 'b', null, null, 'c']],
    ['_abé.b.c', ['ab', 'é', 'b', null, null, 'c']],
    ['_1x_y.z.w', ['1x', 'y', 'z', null, null, 'w']],
    ['obj.attr_timestamps.npy', [null, 'obj', 'attr', 'timestamps', null, 'npy']],
    ['obj.goCue_times_.npy', [null, 'obj', 'goCue', 'times_', null, 'npy']],
    ['obj.goCue_intervals_bpod_2.npy', [null, 'obj', 'goCue_intervals', 'bpod_2', null, 'npy']],
    ['obj._ab_cd_ef.npy', [null, 'obj', '_ab_cd', 'ef', null, 'npy']],
    ['obj._ab_.npy', NONE],
    ['obj._AB_cd.npy', NONE],
    ['obj.a__b.npy', [null, 'obj', 'a', '_b', null, 'npy']],
    ['obj.a_times_b_c.d-e..f.g', [null, 'obj', 'a_times', 'b_c', 'd-e..f', 'g']],
    ['obj.a.b..c', [null, 'obj', 'a', null, 'b.', 'c']],
    ['obj.a..b', NONE],
    ['obj.a.-.b', [null, 'obj', 'a', null, '-', 'b']],
    ['obj.a.b.c.d.e', [null, 'obj', 'a', null, 'b.c.d', 'e']],
    ['x.1.2', [null, 'x', '1', null, null, '2']],
    ['x.times_times.b', [null, 'x', 'times_times', null, null, 'b']],
    ['x.a_timesx.b', [null, 'x', 'a', 'timesx', null, 'b']],
    ['x.a_times-b.c', NONE],
    ['obj.attr.ext.', NONE],
    ['spike_train.npy', NONE],
    ['obj.Attr9.npy', [null, 'obj', 'Attr9', null, null, 'npy']],
  ];
  for (const [name, expected] of rows) assert.deepEqual(partsOf(name), expected, name);
});

test('\\w and \\d are Unicode-aware, as in Python 3 str patterns', () => {
  assert.deepEqual(partsOf('trïals.choice.npy'), [null, 'trïals', 'choice', null, null, 'npy']);
  assert.deepEqual(partsOf('trials.choice.nöpy'), [null, 'trials', 'choice', null, null, 'nöpy']);
  assert.deepEqual(partsOf('trials.choice_clöck.npy'), [null, 'trials', 'choice', 'clöck', null, 'npy']);
  assert.deepEqual(partsOf('ⅫⅫ.a.b'), [null, 'ⅫⅫ', 'a', null, null, 'b']); // Roman numerals are \w (Nl)
  assert.deepEqual(partsOf('٣.a.b'), [null, '٣', 'a', null, null, 'b']); // Arabic-Indic digit
  assert.deepEqual(partsOf('试验.选择.npy'), NONE, 'the attribute is ASCII-only');
  assert.deepEqual(partsOf('试验.choice.数据'), [null, '试验', 'choice', null, null, '数据']);
  assert.deepEqual(partsOf('𝒳.a.npy'), [null, '𝒳', 'a', null, null, 'npy'], 'astral letters count as one character');
  assert.equal(isValid('trials.chöice.npy'), false, 'attributes are [a-zA-Z0-9]');
  assert.equal(isValid('tri\u0308als.choice.npy'), false, 'a combining mark is not \\w');
  assert.equal(isValid('trials.choice.np\u00a0y'), false);
});

test("'$' also matches before one final newline, as Python's does", () => {
  assert.deepEqual(partsOf('obj.a.b\n'), [null, 'obj', 'a', null, null, 'b']);
  assert.equal(isValid('obj.a.b\n'), true);
  assert.equal(isValid('obj.a.b\n\n'), false);
  assert.equal(isValid('obj.a.b \n'), false);
  assert.equal(isValid('obj.a\n.b'), false);
  assert.equal(isValid('\nobj.a.b'), false);
});

test('names ONE rejects', () => {
  for (const name of ['', '.', '..', 'a', 'a.b', 'a.b.', '.a.b', 'a..b', 'a.b..', 'spike_train.npy', 'trials choice.npy', 'trials.choice.npy ',
    ' trials.choice.npy', '_ibl_trials.choice..npy', '_ibl_trials.choice.npy~', '._ibl_trials.choice.npy', '_ibl_trials.choice-2.npy',
    'trials.choice.np-y', 'trials.cho ice.npy', 'tri-als.choice.npy', 'trials.choice_.npy', 'trials._choice.npy', 'trials.choice.a b.npy',
    '.DS_Store', 'Thumbs.db', 'desktop.ini', 'README.txt', 'create_me.flag', 'a/b.c.d', 'a\\b.c.d']) {
    assert.equal(isValid(name), false, JSON.stringify(name));
    assert.deepEqual(partsOf(name), NONE, JSON.stringify(name));
  }
});

test('filenameParts returns nulls by default and throws AlfInvalidError when asked to assert', () => {
  assert.deepEqual(filenameParts('badfile'), { namespace: null, object: null, attribute: null, timescale: null, extra: null, extension: null });
  assert.throws(() => filenameParts('badfile', { assertValid: true }), AlfInvalidError);
  assert.doesNotThrow(() => filenameParts('a.b.c', { assertValid: true }));
});

test('validation is linear: pathological many-dot names answer in well under a millisecond', () => {
  // ONE's `(?:\.[.\w-]+)*\.\w+$` backtracks exponentially on these.
  const invalid = `a.${'b.'.repeat(60)}${'c'.repeat(70)}!`;
  const valid = `a.b${'.x'.repeat(60)}.npy`;
  assert.ok(invalid.length >= 190 && invalid.split('.').length > 60);
  assert.equal(isValid(invalid), false);
  assert.equal(isValid(valid), true);
  assert.equal(filenameParts(valid).extra, Array(60).fill('x').join('.'));
  const rounds = 2000;
  for (let i = 0; i < 20_000; i++) isValid(i % 2 ? invalid : valid); // let the JIT settle first
  let perName = Infinity;
  for (let r = 0; r < 5; r++) {
    // CPU time, best of five: other processes on a shared machine inflate wall time.
    const c0 = process.cpuUsage();
    for (let i = 0; i < rounds; i++) {
      isValid(invalid);
      isValid(valid);
    }
    const c = process.cpuUsage(c0);
    perName = Math.min(perName, (c.user + c.system) / 1000 / (2 * rounds));
  }
  console.log(`pathological ${invalid.length}-character name with ${invalid.split('.').length - 1} dots: ${(perName * 1000).toFixed(2)} µs CPU per isValid`);
  const t1 = performance.now();
  isValid(invalid);
  assert.ok(performance.now() - t1 < 50, 'a single call must stay far below 50 ms');
  assert.ok(perName < 1, `${perName} ms per name`);
  // Ten times longer costs about ten times more, not exponentially more.
  const huge = `a.${'b.'.repeat(6000)}!`;
  const t2 = performance.now();
  assert.equal(isValid(huge), false);
  assert.ok(performance.now() - t2 < 50);
});

test('the parts table drives one whole-value regex per part', () => {
  assert.deepEqual([...PART_ORDER].sort(), Object.keys(PARTS).sort());
  for (const part of PART_ORDER) {
    const spec = PARTS[part];
    assert.ok(spec.description.length > 20, part);
    assert.ok(spec.allowed.length > 3, part);
    for (const example of spec.examples) assert.ok(PART_RE[part].test(example), `${part} example ${example}`);
    // No nested quantifiers: every '+' or '{' follows a class or a literal, never a group.
    assert.doesNotMatch(spec.pattern, /\)[+*]/, `${part} pattern must not repeat a group`);
  }
  assert.equal(isValidLabName('cortexlab'), true);
  assert.equal(isValidLabName('my-lab'), false);
  assert.equal(isValidSubjectName('NYU-40'), true);
  assert.equal(isValidSubjectName('my subj'), false);
  assert.equal(isValidCollection('alf/probe00'), true);
  assert.equal(isValidCollection('raw data'), false);
  assert.equal(isValidCollection('alf//probe00'), false);
  assert.equal(isValidRevision('v1.0.1'), true);
  assert.equal(isValidRevision('#v1#'), false);
  assert.equal(isValidAttribute('stimOn_times'), true);
  assert.equal(isValidAttribute('stim_on'), false);
});

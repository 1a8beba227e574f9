import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROBLEM_CODES, describeInvalidName, isValid, lintValidName, type ProblemCode } from '../../src/core/alf';

/** name → expected code, expected part (or undefined) and expected fix (null: no fix offered). */
const INVALID: [string, ProblemCode, string | undefined, string | null][] = [
  ['', 'empty-name', undefined, null],
  ['a\u0000b.c.d', 'control-character', undefined, 'ab.c.d'],
  ['trials.cho\u200bice.npy', 'control-character', undefined, 'trials.choice.npy'],
  ['_ibl_trials.choice.npy ', 'leading-trailing-whitespace', undefined, '_ibl_trials.choice.npy'],
  ['\t_ibl_trials.choice.npy', 'leading-trailing-whitespace', undefined, '_ibl_trials.choice.npy'],
  ['trials choice.npy', 'whitespace', 'object', 'trials.choice.npy'],
  ['_ibl_trials choice.npy', 'whitespace', 'object', '_ibl_trials.choice.npy'],
  ['_ibl_trials.sti mOn_times.npy', 'whitespace', 'attribute', '_ibl_trials.stimOn_times.npy'],
  ['spikes.times_ephys clock.npy', 'whitespace', 'timescale', 'spikes.times_ephysclock.npy'],
  ['trials.choice.part 1.npy', 'whitespace', 'extra', 'trials.choice.part1.npy'],
  ['trials.choice.n py', 'whitespace', 'extension', 'trials.choice.npy'],
  ['README', 'no-extension', 'extension', null],
  ['trials_choice.npy', 'missing-attribute', 'attribute', 'trials.choice.npy'],
  ['_ibl_trials_stimOn_times.npy', 'missing-attribute', 'attribute', '_ibl_trials.stimOn_times.npy'],
  ['notes.txt', 'missing-attribute', 'attribute', null],
  ['_ibl_trials.choice..npy', 'empty-part', 'extra', '_ibl_trials.choice.npy'],
  ['_ibl_trials..choice.npy', 'empty-part', 'extra', '_ibl_trials.choice.npy'],
  ['trials.choice.npy.', 'empty-part', 'extension', 'trials.choice.npy'],
  ['trials.choice_.npy', 'empty-part', 'timescale', 'trials.choice.npy'],
  ['_ibl_trials.choice-2.npy', 'bad-character', 'attribute', '_ibl_trials.choice.2.npy'],
  ['_ibl_trials.stimOn_times-2.npy', 'bad-character', 'attribute', '_ibl_trials.stimOn_times.2.npy'],
  ['trials.chöice.npy', 'bad-character', 'attribute', 'trials.choice.npy'],
  ['my-trials.choice.npy', 'bad-character', 'object', 'mytrials.choice.npy'],
  ['_ib-l_trials.choice.npy', 'bad-character', 'namespace', '_ibl_trials.choice.npy'],
  ['trials.choice_bpod(1).npy', 'bad-character', 'timescale', 'trials.choice_bpod.1.npy'],
  ['trials.choice.v(2).npy', 'bad-character', 'extra', 'trials.choice.v2.npy'],
  ['trials.choice.np-y', 'bad-character', 'extension', 'trials.choice.npy'],
  ['trials._Choice.npy', 'attribute-format', 'attribute', 'trials.Choice.npy'],
  ['trials._phy_.npy', 'attribute-format', 'attribute', 'trials.phy.npy'],
  ['.trials.choice.npy', 'hidden-file', 'object', 'trials.choice.npy'],
  ['.gitignore', 'hidden-file', 'object', null],
  ['._ibl_trials.choice.npy', 'apple-double', undefined, null],
  ['.DS_Store', 'os-metadata', undefined, null],
  ['Thumbs.db', 'os-metadata', undefined, null],
  ['desktop.ini', 'os-metadata', undefined, null],
  ['Desktop.ini', 'os-metadata', undefined, null],
  ['_ibl_trials.choice.npy~', 'backup-suffix', undefined, null],
  ['~$notes.docx', 'temp-file', undefined, null],
  ['#trials.choice.npy#', 'temp-file', undefined, null],
  ['.trials.choice.npy.swp', 'temp-file', undefined, null],
  ['create_me.flag', 'flag-file', undefined, null],
];

test('every invalid-name code, with the part at fault and a fix when one is safe', () => {
  for (const [name, code, part, fix] of INVALID) {
    assert.equal(isValid(name), false, JSON.stringify(name));
    const p = describeInvalidName(name);
    assert.ok(p, JSON.stringify(name));
    assert.equal(p.code, code, JSON.stringify(name));
    assert.equal(p.part, part, `${JSON.stringify(name)} part`);
    assert.equal(p.fix ?? null, fix, `${JSON.stringify(name)} fix`);
    if (p.fix !== undefined) assert.equal(isValid(p.fix), true, `fix of ${JSON.stringify(name)}`);
    assert.ok(p.message.length > 20, p.message);
    assert.ok(code in PROBLEM_CODES);
  }
  const codes = new Set(INVALID.map((r) => r[1]));
  for (const [code, info] of Object.entries(PROBLEM_CODES)) {
    if (info.scope === 'name' && info.excluded) assert.ok(codes.has(code as ProblemCode), `no test for ${code}`);
  }
});

test('messages name the part and say what the spec expects', () => {
  assert.equal(
    describeInvalidName('trials choice.npy')?.message,
    '"trials choice.npy": the object "trials choice" contains a space; ALF names are _namespace_object.attribute_timescale.extra.ext with no spaces.',
  );
  assert.match(describeInvalidName('_ibl_trials.choice-2.npy')?.message ?? '', /the attribute "choice-2" contains '-'.*ASCII letters and digits/);
  assert.match(describeInvalidName('trials_choice.npy')?.message ?? '', /only one '\.'.*object\.attribute\.extension/);
  assert.match(describeInvalidName('a\u00a0b.c.d')?.message ?? '', /unusual space \(U\+00A0\)/);
  assert.match(describeInvalidName('._x.y.z')?.message ?? '', /AppleDouble.*"x\.y\.z"/);
});

test('valid names have no problem', () => {
  for (const name of ['trials.choice.npy', '_ibl_trials.stimOn_times.npy', 'Trials.Choice.NPY', '__ibl_trials.choice.npy', 'trials.choice.npy\n']) {
    assert.equal(describeInvalidName(name), null, name);
  }
});

test('fixes are always valid ALF names (generated names)', () => {
  // A deterministic sweep over names built from awkward pieces.
  const pieces = ['_', '.', '.', ' ', '-', 'a', 'B', '1', 'é', 'times', '~', '#', '(', '\t', 'ibl', 'x_'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let fixes = 0;
  for (let i = 0; i < 5000; i++) {
    let name = '';
    const len = 1 + Math.floor(next() * 12);
    for (let j = 0; j < len; j++) name += pieces[Math.floor(next() * pieces.length)];
    const p = describeInvalidName(name);
    if (isValid(name)) {
      assert.equal(p, null);
      continue;
    }
    assert.ok(p && p.message, JSON.stringify(name));
    if (p.fix !== undefined) {
      fixes++;
      assert.equal(isValid(p.fix), true, `${JSON.stringify(name)} → ${JSON.stringify(p.fix)}`);
      assert.notEqual(p.fix, name);
    }
  }
  assert.ok(fixes > 100, `only ${fixes} fixes`);
});

test('lintValidName flags valid but unusual names', () => {
  const rows: [string, ProblemCode[], (string | undefined)[]][] = [
    ['Trials.Choice.NPY', ['uppercase-extension'], ['Trials.Choice.npy']],
    ['_ibl_trials.choice.npy.bak', ['backup-extension'], [undefined]],
    ['_ibl_trials.choice.NPY.BAK', ['uppercase-extension', 'backup-extension'], ['_ibl_trials.choice.NPY.bak', undefined]],
    ['_ibl_trials.choice.copy.npy', ['copy-extra'], [undefined]],
    ['__ibl_trials.choice.npy', ['double-underscore-namespace'], ['_ibl_trials.choice.npy']],
    ['_trials.choice.npy', ['namespace-misparsed'], ['trials.choice.npy']],
    ['_ibl_.x.npy', ['namespace-misparsed'], [undefined]],
    ['channels._phy_ids.csv', ['deprecated-attribute-namespace'], [undefined]],
    ['trials.choice.npy\n', ['trailing-newline'], ['trials.choice.npy']],
    ['trïals.choice.npy', ['non-ascii'], [undefined]],
  ];
  for (const [name, codes, fixes] of rows) {
    const found = lintValidName(name);
    assert.deepEqual(found.map((f) => f.code), codes, name);
    assert.deepEqual(found.map((f) => f.fix), fixes, name);
    for (const f of found) {
      if (f.fix) assert.equal(isValid(f.fix), true);
      assert.equal(PROBLEM_CODES[f.code].excluded, false, f.code);
    }
  }
  for (const name of ['_ibl_trials.choice.npy', 'spikes.times_ephysClock.npy', '_spikeglx_ephysData_g0_t0.imec0.lf.bin', '_ibl_trials.choice.a976e418-c8b8-4d24-be47-d05120b18341.npy']) {
    assert.deepEqual(lintValidName(name), [], name);
  }
  assert.deepEqual(lintValidName('not valid.npy'), []);
});

test('the problem-code table is complete and consistent', () => {
  for (const [code, info] of Object.entries(PROBLEM_CODES)) {
    assert.match(code, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(info.description.length > 15, code);
    assert.ok(info.severity === 'error' || info.severity === 'warning', code);
    if (info.severity === 'error') assert.equal(info.excluded, true, `${code}: errors keep the item out of the cache`);
  }
});

test('docs/alf-grammar.md documents every problem code', () => {
  const docs = fs.readFileSync(path.resolve(__dirname, '../../docs/alf-grammar.md'), 'utf8');
  for (const code of Object.keys(PROBLEM_CODES)) assert.ok(docs.includes(`\`${code}\``), `${code} is not in docs/alf-grammar.md`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlfInvalidError, readableAlf, toAlf, type ToAlfOptions } from '../../src/core/alf';

// Answers of ONE 3.4.2's one.alf.spec.to_alf and readableALF, checked by running ONE itself
// (CPython 3.11.7) on each input; 'raises' means ONE raised. Beyond these tables, 40,000
// generated calls (Greek, ligatures, 'ß', 'İ', spaces, acronyms) gave no difference other than
// the deliberate ones in docs/alf-grammar.md.
type ToAlfCase = readonly [object: string, attribute: string, extension: string, options: ToAlfOptions, one: string | 'raises'];

const TO_ALF: readonly ToAlfCase[] = [
  ['spikes', 'times', 'npy', { timescale: [null] }, 'spikes.times.npy'],
  ['spikes', 'times', 'npy', { timescale: ['a', null, 'b'] }, 'spikes.times_a_b.npy'],
  ['spikes', 'times', 'npy', { timescale: [undefined, 'ephys clock'] }, 'spikes.times_ephysClock.npy'],
  ['spikes', 'times', 'npy', { timescale: ['', 'b'] }, 'spikes.times_b.npy'],
  ['spikes', 'times', 'npy', { timescale: '' }, 'spikes.times.npy'],
  ['spikes', 'times', 'npy', { timescale: 'a.b' }, 'raises'],
  ['spikes', 'times', 'npy', { timescale: ['.'] }, 'raises'],
  ['', 'times', 'npy', {}, 'raises'],
  ['', 'times', 'npy', { namespace: 'ibl' }, 'raises'],
  // str.capitalize puts the first letter in titlecase, not uppercase.
  ['straße', 'times', 'npy', {}, 'straße.times.npy'],
  ['große ßtraße', 'times', 'npy', {}, 'großeSstraße.times.npy'],
  ['obj', 'the ßpeed', 'npy', {}, 'obj.theSspeed.npy'],
  ['obj', 'times', 'npy', { timescale: 'x ßa' }, 'obj.times_xSsa.npy'],
  ['a ǆb', 'times', 'npy', {}, 'aǅb.times.npy'],
  ['a ŉb', 'times', 'npy', {}, 'aʼNb.times.npy'],
  ['a ﬁle', 'times', 'npy', {}, 'aFile.times.npy'],
  // A final sigma depends on the letter before it, the capitalized one included.
  ['a ΑΣ', 'times', 'npy', {}, 'aΑς.times.npy'],
  ['a ΣΑΣ', 'times', 'npy', {}, 'aΣας.times.npy'],
  ['a σΑΣ', 'times', 'npy', {}, 'aΣας.times.npy'],
  ['ΣΑΣ b', 'times', 'npy', {}, 'σαςB.times.npy'],
  ['İX b', 'times', 'npy', {}, 'i\u0307xB.times.npy'],
  ['İx', 'times', 'npy', {}, 'i\u0307x.times.npy'],
];

test('toAlf gives ONE 3.4.2\'s answer on edge inputs', () => {
  for (const [object, attribute, extension, options, one] of TO_ALF) {
    const label = JSON.stringify([object, attribute, extension, options]);
    if (one === 'raises') assert.throws(() => toAlf(object, attribute, extension, options), AlfInvalidError, label);
    else assert.equal(toAlf(object, attribute, extension, options), one, label);
  }
});

test('toAlf refuses, deliberately, what ONE turns into another name or no valid name', () => {
  // ONE: 'spikes.times_a.b.npy' (timescale 'a' plus an extra part 'b') and 'spikes..npy'.
  assert.throws(() => toAlf('spikes', 'times', 'npy', { timescale: ['a.b'] }), AlfInvalidError);
  assert.throws(() => toAlf('spikes', '', 'npy'), /attribute must not be empty/);
  assert.throws(() => toAlf('', 'times', 'npy'), /object must not be empty/);
});

const READABLE: readonly (readonly [name: string, capitalize: boolean, one: string | 'raises'])[] = [
  ['', false, ''],
  ['', true, 'raises'],
  ['fooBar', true, 'Foo bar'],
  // The first letter goes through str.upper (not capitalize), so 'ß' becomes 'SS'.
  ['ß', true, 'SS'],
  ['ßtraße', true, 'SStraße'],
  ['ﬁle', true, 'FIle'],
  ['ǆa', true, 'Ǆa'],
  ['ŉx', true, 'ʼNx'],
  ['İstanbul', false, 'i\u0307stanbul'],
  ['İstanbul', true, 'I\u0307stanbul'],
];

test('readableAlf gives ONE 3.4.2\'s answer on edge inputs', () => {
  for (const [name, capitalize, one] of READABLE) {
    const label = JSON.stringify([name, capitalize]);
    if (one === 'raises') assert.throws(() => readableAlf(name, capitalize), RangeError, label);
    else assert.equal(readableAlf(name, capitalize), one, label);
  }
});

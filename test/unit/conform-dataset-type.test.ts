import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatasetTypeError, getDatasetType } from '../../src/core/registration';

// Answers of ONE 3.4.2's one.registration.get_dataset_type, checked by running ONE itself
// (CPython 3.11.7 on Linux, where fnmatch compares str.casefold() of name and pattern) on each
// input. An answer is the matching type's name, 'none', or the names of several matches.
// fnmatch itself was compared with Python's fnmatchcase on 120,000 generated pattern/name
// pairs (sets, ranges, '!', '\\', Greek, astral characters): no difference.
type Answer = string | 'none' | readonly string[];

const TYPES = [
  { name: 'trials.choice', filename_pattern: '' },
  { name: 'greek', filename_pattern: '*.ΣΊΓΜΑ.*' },
  { name: 'camera', filename_pattern: '_iblrig_*Camera.raw.*' },
  { name: 'sigma', filename_pattern: '*ς*' },
];

const ONE_ANSWERS: readonly (readonly [string, Answer])[] = [
  ['trials.choice.npy', 'trials.choice'],
  // The name is pathlib's: trailing slashes and '.' components do not count.
  ['trials.choice.npy/', 'trials.choice'],
  ['alf/trials.choice.npy/', 'trials.choice'],
  ['trials.choice.npy//', 'trials.choice'],
  ['/x/trials.choice.npy/', 'trials.choice'],
  ['trials.choice.npy/.', 'trials.choice'],
  ['a/./trials.choice.npy', 'trials.choice'],
  ['_iblrig_leftCamera.raw.mp4/', 'camera'],
  ['trials.choice/', 'none'],
  ['', 'none'],
  ['/', 'none'],
  ['.', 'none'],
  // Greek: casefold maps 'Σ', 'σ' and final 'ς' alike.
  ['foo.σίγμα.npy', ['greek', 'sigma']],
  ['foo.ΣΊΓΜΑ.npy', ['greek', 'sigma']],
  ['foo.σιγμα.npy', 'sigma'],
  ['x.σ.y', 'sigma'],
  ['x.Σ.y', 'sigma'],
  ['x.ς.y', 'sigma'],
  ['_IBLRIG_LEFTCAMERA.RAW.MP4', 'camera'],
];

const UNICODE_TYPES = [
  { name: 'ss', filename_pattern: '*STRASSE*' },
  { name: 'kelvin', filename_pattern: '*\u212a*' },
  { name: 'dotI', filename_pattern: '*İ*' },
  { name: 'fi', filename_pattern: '*ﬁ*' },
  { name: 'micro', filename_pattern: '*µ*' },
  { name: 'cls', filename_pattern: '[Σ]*' },
  { name: 'rng', filename_pattern: '[α-ω]x.*' },
  { name: 'sharp', filename_pattern: 'ss.*' },
  { name: 'sigmaEnd', filename_pattern: 'ασ.*' },
  { name: 'oneChar', filename_pattern: '?.emoji' },
];

const UNICODE_ANSWERS: readonly (readonly [string, Answer])[] = [
  ['straße.a.b', 'ss'],
  ['STRASSE.a.b', 'ss'],
  ['ẞ.a.b', 'sharp'],
  ['ß.a.b', 'sharp'],
  // A final sigma folds like any sigma (JavaScript's toLowerCase would write 'ς').
  ['ΑΣ.a.b', 'sigmaEnd'],
  ['ας.a.b', 'sigmaEnd'],
  // '?' is one character, also outside the BMP.
  ['😀.emoji', 'oneChar'],
  ['ab.emoji', 'none'],
  ['k.a.b', 'kelvin'],
  ['K.a.b', 'kelvin'],
  ['i\u0307.a.b', 'dotI'],
  ['İ.a.b', 'dotI'],
  ['i.a.b', 'none'],
  ['fi.a.b', 'fi'],
  ['FI.a.b', 'fi'],
  ['ﬁ.a.b', 'fi'],
  ['μ.a.b', 'micro'],
  ['µ.a.b', 'micro'],
  ['Μ.a.b', 'micro'],
  ['ς.a.b', 'cls'],
  ['σ.a.b', 'cls'],
  ['ΣX.a.b', ['cls', 'rng']],
  ['Σx.a.b', ['cls', 'rng']],
  ['Ωx.a.b', 'rng'],
  ['ωx.a.b', 'rng'],
  ['ϐ.a.b', 'none'],
  ['ſ.a.b', 'none'],
  ['s.a.b', 'none'],
];

function answer(filename: string, types: readonly { name: string; filename_pattern: string }[]): Answer {
  try {
    return getDatasetType(filename, types).name;
  } catch (err) {
    if (!(err instanceof DatasetTypeError)) throw err;
    return err.candidates.length ? err.candidates.map((c) => c.name) : 'none';
  }
}

test('getDatasetType gives ONE 3.4.2\'s answer for trailing slashes and Greek', () => {
  for (const [filename, one] of ONE_ANSWERS) assert.deepEqual(answer(filename, TYPES), one, JSON.stringify(filename));
});

test('getDatasetType casefolds as Python does (ß, ﬁ, µ, Kelvin sign, final sigma)', () => {
  for (const [filename, one] of UNICODE_ANSWERS) assert.deepEqual(answer(filename, UNICODE_TYPES), one, JSON.stringify(filename));
});

test('getDatasetType names the file as ONE does when nothing matches', () => {
  assert.throws(() => getDatasetType('alf/trials.choice/', TYPES), { message: 'No dataset type found for filename "trials.choice"' });
});

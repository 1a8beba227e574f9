import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addUuidString, getSessionPath, paddedSequence, removeUuidString } from '../../src/core/alf';

// Answers of ONE 3.4.2's one.alf.path functions, checked by running ONE itself (CPython 3.11.7
// on Linux). Backslash paths were checked by passing ONE a PureWindowsPath, since backslashes
// are separators here on every system (a deliberate difference, docs/alf-grammar.md).
const UUID = 'a976e418-c8b8-4d24-be47-d05120b18341';

const SESSION_PATHS: readonly (readonly [string | null, string | null])[] = [
  ['//server/share/subj/2020-01-01/001/alf/x.y.npy', '//server/share/subj/2020-01-01/001'],
  ['//subj/2020-01-01/001', '//subj/2020-01-01/001'],
  ['//a//subj/./2020-01-01/001', '//a/subj/2020-01-01/001'],
  ['///a/subj/2020-01-01/001/x', '/a/subj/2020-01-01/001'],
  ['////subj/2020-01-01/001', '/subj/2020-01-01/001'],
  ['/subj/2020-01-01/001', '/subj/2020-01-01/001'],
  ['subj/2020-01-01/001//x', 'subj/2020-01-01/001'],
  ['\\\\server\\share\\subj\\2020-01-01\\001\\alf\\x.y.npy', '//server/share/subj/2020-01-01/001'],
  ['\\\\server\\share\\2020-01-01\\001', '//server/share/2020-01-01/001'],
  ['\\\\?\\C:\\subj\\2020-01-01\\001\\x', '//?/C:/subj/2020-01-01/001'],
  ['\\\\\\server\\share\\subj\\2020-01-01\\001', '/server/share/subj/2020-01-01/001'],
  ['\\\\server\\share', null],
  ['', null],
  ['//', null],
  [null, null],
];

test('getSessionPath keeps a leading // (and UNC paths) and maps null to null, as ONE 3.4.2', () => {
  for (const [input, one] of SESSION_PATHS) assert.equal(getSessionPath(input), one, JSON.stringify(input));
});

test('paddedSequence keeps a leading // as ONE 3.4.2', () => {
  assert.equal(paddedSequence('//a/subj/2020-01-01/1/x.y.z'), '//a/subj/2020-01-01/001/x.y.z');
  assert.equal(paddedSequence('///a/subj/2020-01-01/1/x.y.z'), '/a/subj/2020-01-01/001/x.y.z');
});

const ADD_UUID: readonly (readonly [string, string])[] = [
  ['', `.${UUID}`],
  ['.', `.${UUID}`],
  ['a/', `a.${UUID}`],
  ['/', `/.${UUID}`],
  ['//', `//.${UUID}`],
  ['//x/b.c.npy', `//x/b.c.${UUID}.npy`],
  ['///x/b.c.npy', `/x/b.c.${UUID}.npy`],
  // Only v3/v4 ids in the name are replaced; a v1 id stays and the new one is added.
  ['/a/b.c.6d0ab6a0-9d40-11ec-b909-0242ac120002.npy', `/a/b.c.6d0ab6a0-9d40-11ec-b909-0242ac120002.${UUID}.npy`],
  ['/a/b.c.f6ffe258-2706-425a-aaf5-919f70025835.npy', `/a/b.c.${UUID}.npy`],
];

test('addUuidString gives ONE 3.4.2\'s paths', () => {
  for (const [input, one] of ADD_UUID) assert.equal(addUuidString(input, UUID), one, JSON.stringify(input));
  assert.equal(removeUuidString(`//x/b.c.${UUID}.npy`), '//x/b.c.npy');
});

test('addUuidString takes the uuid strings ONE takes: canonical v3, v4 or v5', () => {
  for (const ok of [UUID, 'a976e418-c8b8-5d24-be47-d05120b18341', 'a976e418-c8b8-3d24-be47-d05120b18341']) {
    assert.equal(addUuidString('/a/b.c.npy', ok), `/a/b.c.${ok}.npy`);
  }
  // ONE: "Should provide a valid UUID v4" (ValueError) for each of these strings.
  for (const bad of ['', 'fake', '6d0ab6a0-9d40-11ec-b909-0242ac120002', '00000000-0000-0000-0000-000000000000', 'a976e418-c8b8-4d24-ce47-d05120b18341', UUID.toUpperCase(), `{${UUID}}`, UUID.replace(/-/g, '')]) {
    assert.throws(() => addUuidString('/a/b.c.npy', bad), RangeError, JSON.stringify(bad));
  }
});

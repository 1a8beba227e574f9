// Issue 13, item 11: the name given to alf.renameToValid is checked by the core (a pure function
// of the names): one path component, and the name the core proposes or one it finds valid there.
// The extension's command calls this rule before asking the user (src/providers/renames.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRenameTarget } from '../../src/core/alf';

const SESSION = 'lab/Subjects/mouse/2020-01-01/001';
const FILE = `${SESSION}/alf/trials choice.npy`;
const FOLDER = `${SESSION}/alf probe`;
const file = { isFolder: false };
const folder = { isFolder: true };

const refused = (relPath: string, name: unknown, options: { isFolder: boolean }): string => {
  const v = checkRenameTarget(relPath, name, options);
  assert.equal(v.ok, false, `${JSON.stringify(name)} should be refused`);
  return (v as { reason: string }).reason;
};

test('names that leave the folder or are not one component are refused', () => {
  for (const name of ['../../x', '../trials.choice.npy', 'sub/trials.choice.npy', '/tmp/x.npy', '..', '.', 'a\\b.npy', 'alf\\trials.choice.npy']) {
    assert.match(refused(FILE, name, file), /is not a single name: a rename keeps the file in its folder/, name);
  }
  assert.match(refused(FOLDER, '../../elsewhere', folder), /keeps the folder in its folder/);
});

test('empty, non-string, control characters and the same name are refused', () => {
  assert.match(refused(FILE, '', file), /no new name/);
  assert.match(refused(FILE, undefined, file), /no new name/);
  assert.match(refused(FILE, { path: 'x' }, file), /no new name/);
  assert.match(refused(FILE, 'trials.choice\n.npy', file), /control characters/);
  assert.match(refused(FILE, 'trials.cho\u0000ice.npy', file), /control characters/);
  assert.match(refused(FILE, 'trials choice.npy', file), /already called/);
});

test("the core's proposal is accepted, and so is any other name valid at that place", () => {
  assert.deepEqual(checkRenameTarget(FILE, 'trials.choice.npy', file), { ok: true });
  assert.deepEqual(checkRenameTarget(FILE, '_ibl_trials.choice.npy', file), { ok: true });
  assert.deepEqual(checkRenameTarget(FOLDER, 'alf_probe', folder), { ok: true });
  assert.deepEqual(checkRenameTarget(FOLDER, 'probe00', folder), { ok: true });
});

test('a single name that is not valid ALF there is refused, with the suggestion', () => {
  assert.equal(refused(FILE, 'trials.npy', file), '"trials.npy" is not a valid ALF name for this file (the suggested name is "trials.choice.npy")');
  assert.equal(refused(FILE, 'my notes.txt', file), '"my notes.txt" is not a valid ALF name for this file (the suggested name is "trials.choice.npy")');
  assert.equal(refused(FOLDER, 'probe #1', folder), '"probe #1" is not a valid ALF name for this folder (the suggested name is "alf_probe")');
  // A valid file with no proposal: only other valid names.
  assert.equal(refused(`${SESSION}/alf/trials.choice.npy`, 'x.npy', file), '"x.npy" is not a valid ALF name for this file');
});

// The in-memory index the worker keeps per root (src/model/alfIndex.ts): pure data, tested in
// plain Node. Ported from the extension-host suite, which ran it inside VS Code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AlfIndex, IndexChanges } from '../../src/model/alfIndex';
import type { IndexedFile, Problem, SessionKey } from '../../src/model/types';

const SESSION: SessionKey = { path: 'lab/Subjects/s1/2020-01-01/001', lab: 'lab', subject: 's1', date: '2020-01-01', number: 1, strId: 'lab/s1/2020-01-01/001' };

function dataset(name: string, session = SESSION): IndexedFile {
  return { kind: 'dataset', path: `${session.path}/alf/${name}`, mtimeMs: 1, session, relPath: `alf/${name}`, collection: 'alf', revision: null, notes: [] };
}

function invalid(path: string, problem: Partial<Problem> & { at: string }): IndexedFile {
  return { kind: 'invalid', path, mtimeMs: 1, problem: { isFolder: false, code: 'whitespace', message: 'bad', level: 'error', category: 'invalid-file', ...problem } };
}

describe('AlfIndex (the model behind the Sessions view)', () => {
  test('a dataset creates its lab, subject and session, and reports them as changed', () => {
    const index = new AlfIndex();
    const changes = new IndexChanges();
    index.upsert(dataset('trials.choice.npy'), changes);
    assert.equal(index.sessions.size, 1);
    assert.deepEqual([...index.labs.keys()], ['lab']);
    assert.ok(changes.labListChanged);
    assert.ok(changes.sessions.has(SESSION.path));
  });

  test('a bad folder reported by many files is one problem, gone when its last file goes', () => {
    const index = new AlfIndex();
    const folder = 'lab/Subjects/s1/2020-01-01/0001';
    const files = ['a.b.npy', 'c.d.npy'].map((n) => invalid(`${folder}/alf/${n}`, { at: folder, isFolder: true, code: 'session-number-digits' }));
    const added = new IndexChanges();
    for (const f of files) index.upsert(f, added);
    assert.equal(index.problemCount, 1);
    assert.equal(added.problemsAdded.size, 1);
    const first = new IndexChanges();
    index.remove(files[0]!.path, first);
    assert.equal(index.problemCount, 1, 'still reported by the other file');
    assert.equal(first.problemsRemoved.size, 0);
    const last = new IndexChanges();
    index.remove(files[1]!.path, last);
    assert.equal(index.problemCount, 0);
    assert.equal(last.problemsRemoved.size, 1);
  });

  test('removeTree forgets a folder and everything below it, and empties sessions go', () => {
    const index = new AlfIndex();
    const changes = new IndexChanges();
    index.upsert(dataset('trials.choice.npy'), changes);
    index.upsert(invalid(`${SESSION.path}/alf/trials choice.npy`, { at: `${SESSION.path}/alf/trials choice.npy`, session: SESSION }), changes);
    const removal = new IndexChanges();
    assert.equal(index.removeTree(SESSION.path, removal), 2);
    assert.equal(index.sessions.size, 0);
    assert.equal(index.labs.size, 0);
    assert.ok(removal.labListChanged);
    assert.equal(removal.problemsRemoved.size, 1);
  });

  test('a problem removed and added again unchanged within one batch is not republished', () => {
    const index = new AlfIndex();
    const file = invalid('x/a b.npy', { at: 'x/a b.npy' });
    index.upsert(file, new IndexChanges());
    const changes = new IndexChanges();
    index.upsert(file, changes);
    assert.equal(changes.problemsAdded.size, 0);
    assert.equal(changes.problemsRemoved.size, 0);
  });

  test('session invalid counts count errors only, not warnings', () => {
    const index = new AlfIndex();
    const changes = new IndexChanges();
    const warned: IndexedFile = {
      ...(dataset('Trials.Choice.NPY') as Extract<IndexedFile, { kind: 'dataset' }>),
      notes: [{ at: `${SESSION.path}/alf/Trials.Choice.NPY`, isFolder: false, code: 'uppercase-extension', message: 'caps', level: 'warning', category: 'warning', session: SESSION }],
    };
    index.upsert(warned, changes);
    index.upsert(invalid(`${SESSION.path}/alf/a b.npy`, { at: `${SESSION.path}/alf/a b.npy`, session: SESSION }), changes);
    const session = index.sessions.get(SESSION.path)!;
    assert.equal(session.problems.size, 2);
    assert.equal(index.errorCount(session), 1);
  });
});

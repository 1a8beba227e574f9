// Which URIs an Alyx status change names to VS Code (src/providers/alyx/askedDecorations.ts):
// only those it asked decorations for at or below the changed sessions' folders, in events of
// at most 250 (VS Code's extension host drops the rest of a larger one). Driven by a real scan
// of a tree on disk, as the extension's roots are.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RootModel } from '../../src/model/rootModel';
import { dropRoot, scanRoot, sessionContents } from '../../src/model/worker/rootIndexes';
import { AskedDecorations, DECORATION_EVENT_MAX } from '../../src/providers/alyx/askedDecorations';
import { tempDir, writeTree } from '../helpers';

const S1 = 'lab/Subjects/s1/2020-01-01/001';
const S2 = 'lab/Subjects/s1/2020-01-02/001';
/** Enough files in one session for more than one event. */
const MANY = DECORATION_EVENT_MAX + 20;

interface Root {
  fsPath: string;
  model: RootModel;
}

/** A root with its tree written and its model empty; `scan` fills the model as the worker's scan does. */
function unscannedRoot(t: { after: (fn: () => void) => void }): { root: Root; scan: () => Promise<void> } {
  const fsPath = tempDir(t, 'alf-asked-');
  t.after(() => dropRoot(fsPath));
  const files: Record<string, string> = { [`${S2}/alf/trials.choice.npy`]: 'x', 'lab/notes.summary.txt': 'x' };
  for (let i = 0; i < MANY; i++) files[`${S1}/alf/obj${i}.times.npy`] = 'x';
  writeTree(fsPath, files);
  const model = new RootModel(async (sessionPath) => sessionContents({ root: fsPath, sessionPath }));
  const scan = () => scanRoot({ root: fsPath, exclude: [] }, async (delta) => void model.apply(delta), new AbortController().signal).then(() => undefined);
  return { root: { fsPath, model }, scan };
}

async function scannedRoot(t: { after: (fn: () => void) => void }): Promise<Root> {
  const { root, scan } = unscannedRoot(t);
  await scan();
  return root;
}

/** A URI as the store keeps it: anything with a string form. */
const uri = (root: Root, rel: string) => ({ toString: () => `file://${root.fsPath}/${rel}`, rel });

describe('AskedDecorations', () => {
  test('a change names only the URIs asked about at or below its sessions, in events of at most 250', async (t) => {
    const root = await scannedRoot(t);
    const asked = new AskedDecorations<Root, ReturnType<typeof uri>>();
    asked.note(root, S1, uri(root, S1));
    for (let i = 0; i < MANY; i++) asked.note(root, `${S1}/alf/obj${i}.times.npy`, uri(root, `${S1}/alf/obj${i}.times.npy`));
    asked.note(root, `${S1}/alf/obj0.times.npy`, uri(root, `${S1}/alf/obj0.times.npy`)); // asked twice, named once
    asked.note(root, `${S2}/alf/trials.choice.npy`, uri(root, `${S2}/alf/trials.choice.npy`));
    asked.note(root, 'lab/notes.summary.txt', uri(root, 'lab/notes.summary.txt')); // outside sessions: no status changes it

    const events = asked.eventsFor([{ root, sessionPaths: [S1] }], [root]);
    assert.deepEqual(events.map((e) => e.length), [DECORATION_EVENT_MAX, MANY + 1 - DECORATION_EVENT_MAX]);
    const named = events.flat().map((u) => u.rel);
    assert.equal(new Set(named).size, MANY + 1);
    assert.ok(named.every((rel) => rel === S1 || rel.startsWith(`${S1}/`)), 'only the changed session');

    assert.deepEqual(asked.eventsFor([{ root, sessionPaths: [S2] }], [root]).flat().map((u) => u.rel), [`${S2}/alf/trials.choice.npy`]);
    assert.deepEqual(asked.eventsFor([{ root, sessionPaths: ['lab/Subjects/s9/2020-01-01/001'] }], [root]), [], 'nothing asked there: no event');
  });

  test('a URI asked about before the scan knew its session is named once the session is known', async (t) => {
    const { root, scan } = unscannedRoot(t);
    const asked = new AskedDecorations<Root, ReturnType<typeof uri>>();
    asked.note(root, `${S2}/alf/trials.choice.npy`, uri(root, `${S2}/alf/trials.choice.npy`));
    await scan();
    assert.deepEqual(asked.eventsFor([{ root, sessionPaths: [S2] }], [root]).flat().map((u) => u.rel), [`${S2}/alf/trials.choice.npy`]);
    // A root closed since: its URIs are let go.
    asked.keepRoots([]);
    assert.equal(asked.size, 0);
  });
});

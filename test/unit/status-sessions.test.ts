import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { scanTree } from '../../src/core/cache/scan';
import { sessionsUnder } from '../../src/core/status';
import { tempDir, writeTree } from '../helpers';

/** `alf status` finds sessions walking folders only; it must find exactly the cache builder's sessions. */
test('sessionsUnder finds the sessions scanTree finds, on a messy tree and from a root that is a session', async (t) => {
  const root = tempDir(t, 'alf-status-sessions-');
  writeTree(root, {
    'cortexlab/Subjects/algernon/2024-01-01/001/alf/trials.choice.npy': 'x',
    'cortexlab/Subjects/algernon/2024-01-01/002/.keep': '',
    'cortexlab/Subjects/algernon/2024-01-01/002/raw_video_data/_iblrig_leftCamera.raw.mp4': 'x',
    'algernon/2024-01-03/001/alf/trials.choice.npy': 'x', // no lab folder
    'cortexlab/Subjects/KS005/2020-02-30/001/alf/trials.choice.npy': 'x', // impossible date
    'cortexlab/Subjects/KS005/2024-01-01/0001/alf/trials.choice.npy': 'x', // four digits
    'cortexlab/Subjects/KS005/2024-01-02/001/alf/KS005/2024-01-02/001/x.y.npy': 'x', // nested
    'cortexlab/Subjects/KS005/notes.txt': 'x',
    'mainenlab/Subjects/ZM_1085/2024-01-05/003/spikes.times.npy': 'x',
  });
  const key = (s: { path: string; lab: string | null; subject: string; date: string; number: number }) => JSON.stringify([s.path, s.lab, s.subject, s.date, s.number]);
  for (const r of [root, path.join(root, 'cortexlab'), path.join(root, 'cortexlab/Subjects/algernon/2024-01-01/001')]) {
    const ours = (await sessionsUnder([r])).map(key).sort();
    const theirs = (await scanTree(r)).sessions.map(key).sort();
    assert.deepEqual(ours, theirs, r);
    assert.ok(ours.length > 0, r);
  }
});

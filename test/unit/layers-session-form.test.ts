// What the Register Session and Weight/Water forms start from, from the core
// (src/core/registration/session-form.ts) instead of a folder walk of the panel's own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  alyxRecordFormDefaults, describeSessionFiles, listSessionFileRows, registerSessionFormDefaults, sessionScanOf,
} from '../../src/core/registration/session-form';
import { tempDir, writeTree } from '../helpers';

describe('the Register Session form from the core', () => {
  test('lists every file with its size, hidden ones and linked ones too, sorted; a link loop is a row that says why', async (t) => {
    const session = path.join(tempDir(t, 'alf-form-'), 'lab', 'Subjects', 's1', '2024-05-02', '001');
    writeTree(session, {
      'alf/trials.choice.npy': 'abc',
      'alf/.DS_Store': 'x',
      'raw_video_data/_iblrig_leftCamera.raw.mp4': '12345',
      'notes.txt': '',
    });
    fs.symlinkSync(path.join(session, 'alf', 'trials.choice.npy'), path.join(session, 'alf', 'trials.linked.npy'));
    fs.symlinkSync(session, path.join(session, 'alf', 'loop'));
    const rows = await listSessionFileRows(session);
    assert.deepEqual(
      rows.map((r) => [r.rel, r.size, r.skipped !== undefined]),
      [
        ['alf/.DS_Store', 1, false],
        ['alf/loop/', 0, true],
        ['alf/trials.choice.npy', 3, false],
        ['alf/trials.linked.npy', 3, false],
        ['notes.txt', 0, false],
        ['raw_video_data/_iblrig_leftCamera.raw.mp4', 5, false],
      ],
    );
    assert.match(rows[1]!.skipped!, /symbolic link loop/);
  });

  test('a missing session folder is a one-line error naming it', async (t) => {
    const missing = path.join(tempDir(t, 'alf-form-'), 's1', '2024-05-02', '001');
    await assert.rejects(listSessionFileRows(missing), (err: Error) => err.message === `folder not found: ${missing}`);
  });

  test('dataset types and reasons come from the registration scan; without the server no type is known', () => {
    const session = '/data/s1/2024-05-02/001';
    const rows = [
      { rel: 'alf/loop/', datasetType: null, size: 0, skipped: 'symbolic link loop' },
      { rel: 'alf/trials.choice.npy', datasetType: null, size: 3 },
      { rel: 'alf/trials.weird.xyz', datasetType: null, size: 1 },
      { rel: 'notes.txt', datasetType: null, size: 0 },
    ];
    const scan = sessionScanOf(
      session,
      {
        files: [`${session}/alf/trials.choice.npy`],
        skipped: [{ file: `${session}/alf/trials.weird.xyz`, reason: 'unknown-extension', message: `${session}/alf/trials.weird.xyz: no data format has the extension "xyz"` }],
      },
      (f) => (f.endsWith('trials.choice.npy') ? 'trials.choice' : 'none'),
    );
    assert.deepEqual(describeSessionFiles(rows, scan), [
      rows[0],
      { rel: 'alf/trials.choice.npy', datasetType: 'trials.choice', size: 3 },
      { rel: 'alf/trials.weird.xyz', datasetType: null, size: 1, skipped: 'no data format has the extension "xyz"' },
      { rel: 'notes.txt', datasetType: null, size: 0, skipped: 'not an ALF dataset name (object.attribute.extension)' },
    ]);
    const offline = describeSessionFiles(rows, null);
    assert.equal(offline[0]!.skipped, 'symbolic link loop');
    assert.ok(offline.slice(1).every((r) => r.skipped === 'dataset type unknown until the server answers' && r.datasetType === null));
    const values = registerSessionFormDefaults('alice', describeSessionFiles(rows, scan));
    assert.deepEqual(values.users, ['alice']);
    assert.deepEqual(values.files, ['alf/trials.choice.npy'], 'only files with a dataset type are ticked');
    assert.deepEqual(registerSessionFormDefaults('', offline).users, []);
  });

  test('the Weight/Water form starts at now, with the user and "Water" when the server has it', () => {
    const now = new Date(2024, 4, 2, 9, 5);
    assert.deepEqual(alyxRecordFormDefaults('water', { subject: 'SW_001', user: 'alice', waterTypes: ['Hydrogel', 'Water'], now }), {
      kind: 'water', subject: 'SW_001', amount: '', dateTime: '2024-05-02 09:05', user: 'alice', waterType: 'Water', session: '', adlib: false,
    });
    assert.equal(alyxRecordFormDefaults('water', { user: '', waterTypes: ['Hydrogel'], now }).waterType, 'Hydrogel');
    assert.equal(alyxRecordFormDefaults('weight', { user: '', waterTypes: null, now }).subject, '');
  });
});

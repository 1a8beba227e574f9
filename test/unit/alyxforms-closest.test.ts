import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PARAMS_DIR_ENV, saveToken } from '../../src/core/alyx/params';
import { RegistrationClient } from '../../src/core/registration/client';
import { addDatasetTypeHint, closestDatasetTypes, describeClosest, editDistance } from '../../src/core/registration/dataset-type-closest';
import { describeSessionFiles, listSessionFileRows, sessionScanOf } from '../../src/core/registration/session-form';
import { type AlyxTestServer, DEFAULT_DATASET_TYPES, startAlyxServer } from '../alyx-server';
import { loggedInClient, tempDir, writeFiles } from '../alyx-server/testing';
import { alf } from '../helpers';

const names = (file: string) => closestDatasetTypes(file, DEFAULT_DATASET_TYPES).map((c) => c.name);

describe('closest dataset types (a file that matches none)', () => {
  test('a typo in the object finds the type it meant', () => {
    assert.deepEqual(closestDatasetTypes('alf/_ibl_trails.choice.npy', DEFAULT_DATASET_TYPES)[0], {
      name: 'trials.choice', filename_pattern: '*trials.choice.*', distance: 2, sameObject: false,
    });
  });

  test('the same object comes first, nearest attribute first; case never counts', () => {
    assert.deepEqual(names('_ibl_trials.feedback_type.npy').slice(0, 2), ['trials.feedbackType', 'trials.choice']);
    assert.deepEqual(names('spikes.depths.npy'), ['spikes.times', 'spikes.clusters']);
    // wheel.position has an empty pattern: ONE compares object.attribute case-sensitively, so this is no match…
    assert.deepEqual(closestDatasetTypes('Wheel.Position.npy', DEFAULT_DATASET_TYPES)[0], { name: 'wheel.position', filename_pattern: '', distance: 0, sameObject: true });
  });

  test("a pattern's own object.attribute counts (namespace, wildcards and extension taken off)", () => {
    assert.equal(names('_iblrig_leftCamera.raw.mp4')[0], '_iblrig_Camera.raw');
    assert.equal(names('_iblrig_Camera.raww.mp4')[0], '_iblrig_Camera.raw');
  });

  test('nothing near: an empty list, not a list of unrelated types', () => {
    assert.deepEqual(names('zz.qq.npy'), []);
    assert.deepEqual(names('laserStimulation.intervals.npy'), []);
  });

  test('edit distance over code points', () => {
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('😀a', '😀b'), 1);
  });

  test('one line per file and where a lab adds a type', () => {
    assert.equal(describeClosest([{ name: 'trials.choice', filename_pattern: '*trials.choice.*' }, { name: 'wheel.position', filename_pattern: '' }]),
      'trials.choice (*trials.choice.*), wheel.position (matched on object.attribute)');
    assert.match(addDatasetTypeHint('https://alyx.example.org/'), /Alyx admin → Data → Dataset types → Add.* at https:\/\/alyx\.example\.org\/admin\/data\/datasettype\/add\//);
    assert.match(addDatasetTypeHint(), /at the Alyx admin site/);
  });
});

describe('closest dataset types where registration reports skipped files', () => {
  let server: AlyxTestServer;
  let dir: string;
  let session: string;
  before(async () => {
    server = await startAlyxServer();
    dir = await tempDir('alf-closest-');
    session = path.join(dir, 'cortexlab', 'Subjects', 'KS005', '2024-03-03', '001');
    await writeFiles(session, { 'alf/_ibl_trails.choice.npy': 'c', 'alf/spikes.times.npy': 't', 'alf/zz.qq.npy': 'z' });
  });
  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('the registration client: skipped[].closest, nearest first', async () => {
    const rc = await RegistrationClient.create(loggedInClient(server));
    const { skipped } = await rc.scanSession(session);
    const byName = Object.fromEntries(skipped.map((s) => [path.basename(s.file), s]));
    assert.equal(byName['_ibl_trails.choice.npy']?.reason, 'no-dataset-type');
    assert.deepEqual(byName['_ibl_trails.choice.npy']?.closest?.[0], { name: 'trials.choice', filename_pattern: '*trials.choice.*' });
    assert.deepEqual(byName['zz.qq.npy']?.closest, []);
    assert.match(byName['zz.qq.npy']!.message, /No dataset type found for filename "zz\.qq\.npy"/, "ONE's message stays as it was");
  });

  test('the Register Session form rows carry them', async () => {
    const rc = await RegistrationClient.create(loggedInClient(server));
    const rows = describeSessionFiles(await listSessionFileRows(session), sessionScanOf(session, await rc.scanSession(session), (f) => rc.getDatasetType(f).name));
    const row = rows.find((r) => r.rel === 'alf/_ibl_trails.choice.npy');
    assert.match(row?.skipped ?? '', /^No dataset type found/);
    assert.equal(row?.closest?.[0]?.name, 'trials.choice');
    assert.equal(rows.find((r) => r.rel === 'alf/spikes.times.npy')?.closest, undefined, 'a registrable file has none');
  });

  test('alf register-session: the text output names them and how to add a type; --json has skipped[].closest', async () => {
    const env = { [PARAMS_DIR_ENV]: path.join(dir, '.one'), HOME: dir, ALYX_URL: server.url };
    await saveToken(server.url, 'test_user', server.tokenFor('test_user'), env);
    const text = await alf(['register-session', session, '--dry-run'], { env });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /no-dataset-type: .*_ibl_trails\.choice\.npy: No dataset type found.*\n {4}closest dataset types: trials\.choice \(\*trials\.choice\.\*\)/);
    assert.match(text.stdout, /no-dataset-type: .*zz\.qq\.npy: No dataset type found.*\n {4}no dataset type comes close/);
    assert.match(text.stdout, /an Alyx admin of the lab adds a dataset type \(Alyx admin → Data → Dataset types → Add/);
    const json = await alf(['register-session', session, '--dry-run', '--json'], { env });
    const out = JSON.parse(json.stdout) as { files: { skipped: Array<{ file: string; reason: string; closest?: unknown[] }> } };
    const typo = out.files.skipped.find((s) => s.file.endsWith('_ibl_trails.choice.npy'));
    assert.deepEqual(typo?.closest?.[0], { name: 'trials.choice', filename_pattern: '*trials.choice.*' });
  });
});

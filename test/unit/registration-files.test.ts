import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ProgressEvent } from '../../src/core/progress';
import { CancelledError } from '../../src/core/progress';
import { RegistrationClient } from '../../src/core/registration';
import type { RegisterFileBody } from '../../src/core/registration';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { loggedInClient, md5Of, seedSession, tempDir, writeFiles } from '../alyx-server/testing';

describe('RegistrationClient.registerFiles over HTTP', () => {
  let server: AlyxTestServer;
  let rc: RegistrationClient;
  let root: string;
  before(async () => {
    server = await startAlyxServer();
    rc = await RegistrationClient.create(loggedInClient(server));
    root = await tempDir();
  });
  after(async () => {
    await server.close();
    await fs.rm(root, { recursive: true, force: true });
  });
  const posts = (n: number) => server.requests.slice(n).filter((r) => r.method === 'POST' && r.path === '/register-file');

  test('loads dataset types and data formats once', async () => {
    const n = server.requests.length;
    const client = await RegistrationClient.create(loggedInClient(server));
    assert.deepEqual(server.requests.slice(n).map((r) => r.path).sort(), ['/data-formats', '/dataset-types']);
    assert.equal(client.dtypes.length, server.state.datasetTypes.length);
    assert.ok(client.fileExtensions.includes('.npy'));
    assert.ok(client.registrationPatterns.includes('*trials.intervals*.*'));
  });

  test('one POST per session with ONE\'s body: md5s, sizes, path, labs, versions, flags', async () => {
    seedSession(server, 'algernon', '2024-01-15', 1);
    const session = path.join(root, 'cortexlab', 'Subjects', 'algernon', '2024-01-15', '001');
    const files = await writeFiles(session, {
      'alf/_ibl_trials.intervals.npy': 'intervals-bytes',
      'alf/_ibl_wheel.position.npy': 'position-bytes-longer',
      'raw_behavior_data/_iblrig_taskData.raw.jsonable': '{"trial": 1}\n',
    });
    const n = server.requests.length;
    const result = await rc.registerFiles(files, { versions: ['1.0', '2.0'] });
    const sent = posts(n);
    assert.equal(sent.length, 1);
    const expected: RegisterFileBody = {
      created_by: 'test_user',
      path: 'algernon/2024-01-15/001',
      filenames: ['alf/_ibl_trials.intervals.npy', 'alf/_ibl_wheel.position.npy', 'raw_behavior_data/_iblrig_taskData.raw.jsonable'],
      hashes: await Promise.all(files.map(md5Of)),
      filesizes: [15, 21, 13],
      name: null,
      exists: true,
      server_only: false,
      default: true,
      versions: ['1.0', '2.0', '1.0'],
      check_protected: true,
      labs: 'cortexlab',
    };
    assert.deepEqual(sent[0]?.body, expected);
    assert.deepEqual(Object.keys(sent[0]?.body as object), Object.keys(expected), 'same field order as ONE');
    assert.deepEqual(result.requests.map((r) => r.body), [expected]);
    assert.equal(result.records.length, 3);
    assert.deepEqual(result.records.map((r) => r?.name), ['_ibl_trials.intervals.npy', '_ibl_wheel.position.npy', '_iblrig_taskData.raw.jsonable']);
    assert.deepEqual(result.records.map((r) => r?.collection), ['alf', 'alf', 'raw_behavior_data']);
    assert.deepEqual(result.records.map((r) => r?.dataset_type), ['trials.intervals', 'wheel.position', '_iblrig_taskData.raw']);
    assert.equal(result.records[0]?.file_records.length, 2);
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.moves, []);

    // Registering the same files again gives the same dataset ids.
    const again = await rc.registerFiles(files);
    assert.deepEqual(again.records.map((r) => r?.id), result.records.map((r) => r?.id));
  });

  test('every file left out comes back with its reason, in input order', async () => {
    seedSession(server, 'KS005', '2024-02-01', 2);
    const session = path.join(root, 'KS005', '2024-02-01', '002');
    const ambiguousType = { id: 'x', name: 'ephysData.raw.ap2', filename_pattern: '*.ap.*bin', description: '', created_by: null };
    const client = new RegistrationClient(rc.alyx, { datasetTypes: [...rc.dtypes, ambiguousType], dataFormats: server.state.dataFormats.map((f) => ({ name: f.name, file_extension: f.file_extension })) });
    const files = await writeFiles(root, {
      'KS005/2024-02-01/002/wheel.position.xxx': 'a',
      'KS005/2024-02-01/002/foo.bar.npy': 'b',
      'KS005/2024-02-01/002/raw_ephys_data/_spikeglx_ephysData_g0_t0.imec0.ap.cbin': 'c',
      'KS005/not-a-session/spikes.times.npy': 'd',
      'KS005/2024-02-01/002/alf/spikes.times.npy': 'e',
    });
    const result = await client.registerFiles(files);
    assert.deepEqual(result.skipped.map((s) => [path.relative(root, s.file), s.reason]), [
      ['KS005/2024-02-01/002/wheel.position.xxx', 'unknown-extension'],
      ['KS005/2024-02-01/002/foo.bar.npy', 'no-dataset-type'],
      ['KS005/2024-02-01/002/raw_ephys_data/_spikeglx_ephysData_g0_t0.imec0.ap.cbin', 'several-dataset-types'],
      ['KS005/not-a-session/spikes.times.npy', 'no-session-path'],
    ]);
    assert.match(result.skipped[0]?.message ?? '', /extension "\.xxx"/);
    assert.match(result.skipped[2]?.message ?? '', /ephysData\.raw\.ap, ephysData\.raw\.ap2/);
    assert.deepEqual(result.records.map((r) => r?.name ?? null), [null, null, null, null, 'spikes.times.npy']);
    assert.equal(path.join(session, 'alf', 'spikes.times.npy'), files[4]);
  });

  test('files at or above maxMd5Size get a null hash; repository, exists, server_only and extra fields pass through', async () => {
    seedSession(server, 'ZM_1085', '2024-03-03', 1);
    const files = await writeFiles(root, {
      'ZM_1085/2024-03-03/001/alf/spikes.times.npy': Buffer.alloc(2000, 1),
      'ZM_1085/2024-03-03/001/alf/spikes.clusters.npy': Buffer.alloc(10, 2),
    });
    const n = server.requests.length;
    const result = await rc.registerFiles(files, { maxMd5Size: 1000, repository: 'flatiron_mainenlab', serverOnly: true, exists: false, default: false, extra: { labs: 'mainenlab', qc: 'PASS' } });
    const body = posts(n)[0]?.body as RegisterFileBody;
    assert.deepEqual(body.hashes, [null, await md5Of(files[1] as string)]);
    assert.equal(body.name, 'flatiron_mainenlab');
    assert.equal(body.server_only, true);
    assert.equal(body.exists, false);
    assert.equal(body.default, false);
    assert.equal(body.labs, 'mainenlab');
    assert.equal(body.qc, 'PASS');
    assert.deepEqual(result.records[0]?.file_records.map((f) => [f.data_repository, f.exists]), [['flatiron_mainenlab', false]]);
    assert.equal(result.records[0]?.qc, 10);
  });

  test('files of several sessions: one POST each, records in input order, hashing progress in bytes', async () => {
    seedSession(server, 'algernon', '2024-04-01', 1);
    seedSession(server, 'algernon', '2024-04-01', 2);
    const files = await writeFiles(root, {
      'algernon/2024-04-01/002/alf/wheel.position.npy': Buffer.alloc(3000, 7),
      'algernon/2024-04-01/001/alf/wheel.position.npy': Buffer.alloc(1000, 8),
      'algernon/2024-04-01/002/alf/wheel.timestamps.npy': Buffer.alloc(500, 9),
    });
    const events: ProgressEvent[] = [];
    const n = server.requests.length;
    const result = await rc.registerFiles(files, { onProgress: (e) => events.push(e) });
    assert.deepEqual(posts(n).map((r) => (r.body as RegisterFileBody).path), ['algernon/2024-04-01/002', 'algernon/2024-04-01/001']);
    assert.deepEqual(result.records.map((r) => `${r?.session_number}/${r?.name}`), ['2/wheel.position.npy', '1/wheel.position.npy', '2/wheel.timestamps.npy']);
    const hashing = events.filter((e) => e.phase === 'hash');
    assert.equal(hashing.at(-1)?.done, 4500);
    assert.equal(hashing.at(-1)?.total, 4500);
    assert.deepEqual(events.filter((e) => e.phase === 'post').map((e) => `${e.done}/${e.total}`), ['1/2', '2/2']);
  });

  test('a dry run posts nothing and returns the exact bodies', async () => {
    seedSession(server, 'algernon', '2024-04-02', 1);
    const files = await writeFiles(root, { 'algernon/2024-04-02/001/alf/wheel.position.npy': 'p' });
    const n = server.requests.length;
    const result = await rc.registerFiles(files, { dry: true });
    assert.equal(posts(n).length, 0);
    assert.equal(server.requests.slice(n).every((r) => r.method === 'GET'), true);
    assert.equal(result.dry, true);
    assert.deepEqual(result.records, [null]);
    assert.equal((result.requests[0]?.body as RegisterFileBody).check_protected, true);
    assert.deepEqual((result.requests[0]?.body as RegisterFileBody).hashes, [await md5Of(files[0] as string)]);
  });

  test('server errors come back as the server said them', async () => {
    const files = await writeFiles(root, { 'algernon/2030-01-01/001/alf/wheel.position.npy': 'p' });
    await assert.rejects(rc.registerFiles(files), /A base session for algernon on 2030-01-01 does not exist/);
    seedSession(server, 'algernon', '2030-01-02', 1);
    const wrongNumber = await writeFiles(root, { 'algernon/2030-01-02/005/alf/wheel.position.npy': 'p' });
    await assert.rejects(rc.registerFiles(wrongNumber), /A session for algernon\/5 on 2030-01-02 does not exist/);
    await assert.rejects(rc.registerFiles(wrongNumber, { repository: 'nowhere' }), /The specified repository does not exist\./);
  });

  test('bad input fails before any request', async () => {
    const n = server.requests.length;
    await assert.rejects(rc.registerFiles([path.join(root, 'algernon/2024-01-15/001/alf/wheel.velocity.npy')]), /File not found: .*wheel\.velocity\.npy/);
    await assert.rejects(rc.registerFiles([path.join(root, 'cortexlab/Subjects/algernon/2024-01-15/001/alf/_ibl_wheel.position.npy')], { maxMd5Size: -1 }), /maxMd5Size must be/);
    assert.equal(server.requests.length, n);
  });

  test('cancelling stops before the POST', async () => {
    const files = await writeFiles(root, { 'algernon/2024-04-02/001/alf/wheel.timestamps.npy': Buffer.alloc(100_000) });
    const controller = new AbortController();
    const n = server.requests.length;
    await assert.rejects(rc.registerFiles(files, { signal: controller.signal, onProgress: (e) => e.phase === 'hash' && controller.abort() }), CancelledError);
    assert.equal(posts(n).length, 0);
  });
});

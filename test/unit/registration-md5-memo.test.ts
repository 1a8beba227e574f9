import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Md5Memo, RegistrationClient } from '../../src/core/registration';
import type { PlannedRequest, RegisterFileBody } from '../../src/core/registration';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { loggedInClient, md5Of, seedSession, tempDir, writeFiles } from '../alyx-server/testing';

describe('Md5Memo: a Preview then Register hashes each unchanged file once', () => {
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

  test('dry run fills the memo; the real run reuses it; a changed file is hashed again', async () => {
    seedSession(server, 'algernon', '2024-02-01', 1);
    const session = path.join(root, 'cortexlab', 'Subjects', 'algernon', '2024-02-01', '001');
    const files = await writeFiles(session, {
      'alf/_ibl_trials.intervals.npy': 'intervals-bytes',
      'alf/_ibl_wheel.position.npy': 'position-bytes',
    });
    const memo = new Md5Memo();
    const dry = await rc.registerFiles(files, { dry: true, md5Memo: memo });
    assert.deepEqual([memo.hashed, memo.reused], [2, 0]);
    assert.deepEqual((dry.requests[0]?.body as RegisterFileBody).hashes, await Promise.all(files.map(md5Of)));

    // Same size, new content and a new mtime: must not reuse the stale md5.
    await fs.writeFile(files[1] as string, 'POSITION-BYTES');
    const later = new Date(Date.now() + 5000);
    await fs.utimes(files[1] as string, later, later);
    const sent: PlannedRequest[] = [];
    const real = await rc.registerFiles(files, { md5Memo: memo, onRequest: (r) => sent.push(r) });
    assert.deepEqual([memo.hashed, memo.reused], [3, 1], 'the unchanged file came from the memo, the changed one was hashed');
    const hashes = (real.requests[0]?.body as RegisterFileBody).hashes;
    assert.deepEqual(hashes, await Promise.all(files.map(md5Of)));
    assert.deepEqual(sent, real.requests, 'onRequest saw the request as sent');
    const stored = server.state.datasets.filter((d) => d.name === '_ibl_wheel.position.npy').map((d) => d.hash);
    assert.deepEqual(stored, [await md5Of(files[1] as string)]);
  });
});

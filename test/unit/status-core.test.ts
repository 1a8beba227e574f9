import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { alyxStatus } from '../../src/core/status';
import type { FileStatus, SessionStatus } from '../../src/core/status';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { md5Of, seedSession, tempDir } from '../alyx-server/testing';
import { client, register, sessionDir, writeSession } from './status-support';

const NOW = () => new Date(2026, 0, 15, 12);

function file(s: SessionStatus | undefined, rel: string): FileStatus | undefined {
  return s?.files.find((f) => f.relPath === rel);
}

describe('alyxStatus: every state, over real HTTP', () => {
  let server: AlyxTestServer;
  let root: string;
  const A = () => sessionDir(root, 'cortexlab', 'algernon', '2024-01-01');
  before(async () => {
    server = await startAlyxServer();
    root = await tempDir('alf-status-');
    // Session A: registered, then changed on disk in every way.
    const a = await writeSession(A(), {
      'alf/trials.intervals.npy': 'intervals-v1',
      'alf/wheel.position.npy': 'position-v1',
      'alf/wheel.timestamps.npy': 'stamps-v1',
      'alf/spikes.times.npy': 'spikes-v1',
      'alf/#2023-05-01#/clusters.amps.npy': 'amps-rev',
    });
    await register(server, A(), a);
    await fs.writeFile(path.join(A(), 'alf/wheel.position.npy'), 'position-v2-longer'); // other size
    await fs.writeFile(path.join(A(), 'alf/wheel.timestamps.npy'), 'STAMPS-v1'); // same size, other bytes
    await fs.rm(path.join(A(), 'alf/spikes.times.npy'));
    await writeSession(A(), {
      'alf/wheel.velocity.npy': 'new', // registrable, not on Alyx
      'alf/foo.bar.npy': 'x', // valid name, no dataset type
      'alf/notalf.npy': 'x', // not an ALF name
    });
    // Session B: never registered.
    await writeSession(sessionDir(root, 'cortexlab', 'algernon', '2024-01-02'), { 'alf/trials.intervals.npy': 'b', 'notes.txt': 'b' });
    // Session C: a protected dataset changed on disk.
    const c = sessionDir(root, 'cortexlab', 'algernon', '2024-01-03');
    await register(server, c, await writeSession(c, { 'alf/spikes.clusters.npy': 'clusters-v1', 'alf/spikes.times.npy': 'times-v1' }));
    server.protect((d) => d.name === 'spikes.clusters.npy' || d.name === 'spikes.times.npy');
    await fs.writeFile(path.join(c, 'alf/spikes.clusters.npy'), 'clusters-v2-changed');
    // Session D: on Alyx under another lab than its folder's.
    seedSession(server, 'KS005', '2024-02-01', 1, { lab: 'mainenlab' });
    await writeSession(sessionDir(root, 'cortexlab', 'KS005', '2024-02-01'), { 'alf/trials.choice.npy': 'd' });
  });
  after(async () => {
    await server.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  test('sessions and files get the state Alyx gives them, with reasons', async () => {
    const result = await alyxStatus({ roots: [root] }, client(server), { now: NOW });
    const byPath = new Map(result.sessions.map((s) => [s.path, s]));
    const a = byPath.get('cortexlab/Subjects/algernon/2024-01-01/001');
    assert.equal(a?.state, 'registered');
    assert.equal(a?.eid, server.state.sessions[0]?.id);
    assert.equal(file(a, 'alf/trials.intervals.npy')?.state, 'registered');
    assert.equal(file(a, 'alf/#2023-05-01#/clusters.amps.npy')?.state, 'registered');
    assert.equal(file(a, 'alf/wheel.position.npy')?.state, 'changed');
    assert.match(file(a, 'alf/wheel.position.npy')?.reason ?? '', /size 18 B here, 11 B on Alyx/);
    // Same size: registered without hashes.
    assert.equal(file(a, 'alf/wheel.timestamps.npy')?.state, 'registered');
    assert.equal(file(a, 'alf/spikes.times.npy')?.state, 'server-only');
    assert.equal(file(a, 'alf/wheel.velocity.npy')?.state, 'not-registered');
    assert.equal(file(a, 'alf/foo.bar.npy')?.state, 'not-registrable');
    assert.match(file(a, 'alf/foo.bar.npy')?.reason ?? '', /dataset type/);
    assert.equal(file(a, 'alf/notalf.npy')?.state, 'not-registrable');
    assert.match(file(a, 'alf/notalf.npy')?.reason ?? '', /not an ALF dataset name/);

    const b = byPath.get('cortexlab/Subjects/algernon/2024-01-02/001');
    assert.equal(b?.state, 'not-registered');
    assert.equal(b?.eid, null);
    assert.deepEqual(b?.files.map((f) => [f.relPath, f.state]), [['alf/trials.intervals.npy', 'not-registered'], ['notes.txt', 'not-registrable']]);

    const c = byPath.get('cortexlab/Subjects/algernon/2024-01-03/001');
    assert.equal(file(c, 'alf/spikes.times.npy')?.state, 'registered');
    const changed = file(c, 'alf/spikes.clusters.npy');
    assert.equal(changed?.state, 'changed');
    assert.equal(changed?.protected, true);
    // Where ONE's register_files would move it: today's revision.
    assert.match(changed?.reason ?? '', /protected on Alyx: registering it would move it to alf\/#2026-01-15#\/spikes\.clusters\.npy/);

    const d = byPath.get('cortexlab/Subjects/KS005/2024-02-01/001');
    assert.equal(d?.state, 'registered');
    assert.match(d?.reason ?? '', /registered under lab mainenlab \(the folder is in cortexlab\)/);
    assert.equal(file(d, 'alf/trials.choice.npy')?.state, 'not-registered');
    // dataset-types + data-formats, then per subject /sessions (+ /datasets when one is on Alyx).
    assert.equal(result.requests, 2 + 2 + 2);
  });

  test('with hashes, same size but other bytes is changed, and md5s are compared', async () => {
    const result = await alyxStatus({ roots: [root] }, client(server), { hash: true, now: NOW });
    const a = result.sessions.find((s) => s.path.endsWith('2024-01-01/001'));
    const f = file(a, 'alf/wheel.timestamps.npy');
    assert.equal(f?.state, 'changed');
    assert.equal(f?.localMd5, await md5Of(path.join(A(), 'alf/wheel.timestamps.npy')));
    assert.match(f?.reason ?? '', /^md5 [0-9a-f]{32} here, [0-9a-f]{32} on Alyx$/);
    assert.equal(file(a, 'alf/trials.intervals.npy')?.state, 'registered');
  });

  test('a subject folder spelt in another case: /sessions finds it (iexact), and /datasets is asked with the server\'s spelling', async () => {
    const dir = await tempDir('alf-status-case-');
    try {
      const s = sessionDir(dir, 'cortexlab', 'KS005', '2024-04-01');
      await register(server, s, await writeSession(s, { 'alf/trials.choice.npy': 'v1' }));
      await fs.rename(path.join(dir, 'cortexlab/Subjects/KS005'), path.join(dir, 'cortexlab/Subjects/ks005'));
      const result = await alyxStatus({ roots: [dir] }, client(server), { now: NOW });
      assert.equal(result.sessions[0]?.state, 'registered');
      assert.deepEqual(result.sessions[0]?.files.map((f) => [f.relPath, f.state]), [['alf/trials.choice.npy', 'registered']]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('a file registered into a revision after a protected move is registered as that revision', async () => {
    const dir = await tempDir('alf-status-moved-');
    try {
      const s = sessionDir(dir, 'cortexlab', 'algernon', '2024-03-01');
      const [f] = await writeSession(s, { 'alf/trials.choice.npy': 'v1' });
      await register(server, s, [f as string], NOW);
      server.protect((d) => d.name === 'trials.choice.npy');
      await fs.writeFile(f as string, 'v2!');
      // What ONE does next: the changed file moves into today's revision and is registered there.
      await register(server, s, [f as string], NOW);
      const result = await alyxStatus({ roots: [dir] }, client(server), { now: NOW });
      const files = result.sessions[0]?.files.map((x) => [x.relPath, x.state]);
      assert.deepEqual(files, [['alf/#2026-01-15#/trials.choice.npy', 'registered'], ['alf/trials.choice.npy', 'server-only']]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

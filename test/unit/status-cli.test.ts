import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PARAMS_DIR_ENV, saveToken } from '../../src/core/alyx';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { tempDir } from '../alyx-server/testing';
import { alf } from '../helpers';
import { register, sessionDir, writeSession } from './status-support';

describe('alf status', () => {
  let server: AlyxTestServer;
  let dir: string;
  let root: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startAlyxServer();
    dir = await tempDir('alf-status-cli-');
    root = path.join(dir, 'data');
    env = { [PARAMS_DIR_ENV]: path.join(dir, '.one'), HOME: dir, ALYX_URL: server.url };
    await saveToken(server.url, 'test_user', server.tokenFor('test_user'), env);
    const a = sessionDir(root, 'cortexlab', 'algernon', '2024-01-01');
    await register(server, a, await writeSession(a, { 'alf/trials.intervals.npy': 'a', 'alf/wheel.position.npy': 'b' }));
  });
  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('exit 0 when everything is registered; --json has exactly the documented shape', async () => {
    const r = await alf(['status', root, '--json'], { env });
    assert.equal(r.status, 0, r.stderr);
    const eid = server.state.sessions[0]?.id;
    assert.deepEqual(JSON.parse(r.stdout), {
      sessions: [{
        path: 'cortexlab/Subjects/algernon/2024-01-01/001', eid, state: 'registered',
        datasets: [{ rel_path: 'alf/trials.intervals.npy', state: 'registered' }, { rel_path: 'alf/wheel.position.npy', state: 'registered' }],
      }],
      requests: 4,
    });
  });

  test('exit 1 with a git-status-like listing when something is not registered', async () => {
    const b = sessionDir(root, 'cortexlab', 'algernon', '2024-01-02');
    await writeSession(b, { 'alf/trials.choice.npy': 'c', 'alf/notalf.npy': 'x' });
    await fs.writeFile(path.join(sessionDir(root, 'cortexlab', 'algernon', '2024-01-01'), 'alf/wheel.position.npy'), 'changed!');
    try {
      const r = await alf(['status', root], { env });
      assert.equal(r.status, 1, r.stderr);
      const eid = server.state.sessions[0]?.id as string;
      const lines = r.stdout.split('\n');
      assert.match(lines[0] ?? '', new RegExp(`^cortexlab/Subjects/algernon/2024-01-01/001  registered +${eid}  1 registered, 1 changed$`));
      assert.equal(lines[1], '  changed (1):');
      assert.equal(lines[2], '    alf/wheel.position.npy  (size 8 B here, 1 B on Alyx)');
      assert.match(lines[3] ?? '', /^cortexlab\/Subjects\/algernon\/2024-01-02\/001 {2}not-registered +- +1 not-registered, 1 not-registrable$/);
      assert.match(r.stdout, / {2}not-registrable \(1\):\n {4}alf\/notalf\.npy {2}\(not an ALF dataset name/);
      assert.match(r.stdout, /2 sessions: 1 registered, 1 not registered, 0 unknown; 4 requests\n$/);
      const json = JSON.parse((await alf(['status', root, '--json'], { env })).stdout) as { sessions: Array<{ state: string; reason?: string; datasets: Array<{ state: string; reason?: string }> }> };
      assert.equal(json.sessions[1]?.state, 'not-registered');
      assert.match(json.sessions[1]?.reason ?? '', /Alyx has no session algernon\/2024-01-02\/001/);
    } finally {
      await fs.rm(path.dirname(b), { recursive: true, force: true });
      await fs.writeFile(path.join(sessionDir(root, 'cortexlab', 'algernon', '2024-01-01'), 'alf/wheel.position.npy'), 'b');
    }
  });

  test('--hash compares md5s', async () => {
    const f = path.join(sessionDir(root, 'cortexlab', 'algernon', '2024-01-01'), 'alf/wheel.position.npy');
    await fs.writeFile(f, 'B');
    try {
      assert.equal((await alf(['status', root], { env })).status, 0);
      const r = await alf(['status', root, '--hash', '--json'], { env });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /"state": "changed",\n\s+"reason": "md5 [0-9a-f]{32} here, [0-9a-f]{32} on Alyx"/);
    } finally {
      await fs.writeFile(f, 'b');
    }
  });

  test('exit 4 when the server cannot be asked: logged out, unreachable, HTTP error', async () => {
    const loggedOut = await alf(['status', root, '--json'], { env: { ...env, [PARAMS_DIR_ENV]: path.join(dir, 'nowhere') } });
    assert.equal(loggedOut.status, 4);
    const json = JSON.parse(loggedOut.stdout) as { sessions: Array<{ state: string; reason: string; eid: null; datasets: unknown[] }>; requests: number };
    assert.deepEqual([json.sessions[0]?.state, json.sessions[0]?.eid, json.sessions[0]?.datasets, json.requests], ['unknown', null, [], 0]);
    assert.match(json.sessions[0]?.reason ?? '', /not logged in/);

    const down = await alf(['status', root, '--url', 'http://127.0.0.1:9'], { env });
    assert.equal(down.status, 4);
    assert.match(down.stderr, /Alyx status unknown: (not logged in|server unreachable)/);

    server.inject({ path: '/sessions', status: 500 });
    const failing = await alf(['status', root], { env });
    assert.equal(failing.status, 4);
    assert.match(failing.stdout, /unknown +- +HTTP error: Injected server error \(HTTP 500 from GET/);
  });

  test('usage errors: no root, a bad --url, a root that does not exist', async () => {
    assert.equal((await alf(['status'], { env })).status, 2);
    const bad = await alf(['status', root, '--url', 'alyx.example.org'], { env });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^alf: --url: /);
    const missing = await alf(['status', path.join(dir, 'absent')], { env });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^alf: .*absent/);
  });
});

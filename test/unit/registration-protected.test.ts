import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AlyxHttpError } from '../../src/core/alyx';
import { RegistrationClient, UnsafeMoveError } from '../../src/core/registration';
import type { RegisterFileBody } from '../../src/core/registration';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { loggedInClient, seedSession, tempDir, writeFiles } from '../alyx-server/testing';

const TODAY = '2024-05-02';
const now = () => new Date(2024, 4, 2, 12, 0, 0);

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

describe('protected datasets: ONE\'s revision flow, with every move reported', () => {
  let server: AlyxTestServer;
  let rc: RegistrationClient;
  let root: string;
  let lines: string[];
  before(async () => {
    server = await startAlyxServer();
    lines = [];
    rc = await RegistrationClient.create(loggedInClient(server), { now, log: (l) => lines.push(l) });
    root = await tempDir();
  });
  after(async () => {
    await server.close();
    await fs.rm(root, { recursive: true, force: true });
  });
  const posts = (n: number) => server.requests.slice(n).filter((r) => r.method === 'POST' && r.path === '/register-file');

  test('a protected original moves into #today#; an unprotected file stays; dry predicts the same without touching disk', async () => {
    seedSession(server, 'algernon', '2024-01-15', 1);
    const session = path.join(root, 'algernon', '2024-01-15', '001');
    const [choice, position] = await writeFiles(session, { 'alf/_ibl_trials.choice.npy': 'v1', 'alf/_ibl_wheel.position.npy': 'w1' }) as [string, string];
    const first = await rc.registerFiles([choice, position]);
    server.protect((d) => d.id === first.records[0]?.id);
    await fs.writeFile(choice, 'v2');

    const check = await rc.checkProtectedFiles([choice, position]);
    assert.equal(check.results.length, 1);
    assert.equal(check.results[0]?.response.status_code, 403);
    assert.deepEqual(check.results[0]?.response.details, [{ 'alf/_ibl_trials.choice.npy': [{ '': true }] }, { 'alf/_ibl_wheel.position.npy': [{ '': false }] }]);

    const target = path.join(session, 'alf', `#${TODAY}#`, '_ibl_trials.choice.npy');
    let n = server.requests.length;
    const dry = await rc.registerFiles([choice, position], { dry: true });
    assert.equal(posts(n).length, 0);
    assert.deepEqual(dry.moves, [{ from: choice, to: target }]);
    assert.ok(await exists(choice));
    assert.ok(!(await exists(target)));
    assert.deepEqual(dry.requests.map((r) => (r.body as RegisterFileBody).filenames), [
      ['alf/_ibl_trials.choice.npy', 'alf/_ibl_wheel.position.npy'],
      [`alf/#${TODAY}#/_ibl_trials.choice.npy`, 'alf/_ibl_wheel.position.npy'],
    ]);

    n = server.requests.length;
    const result = await rc.registerFiles([choice, position]);
    assert.deepEqual(result.moves, dry.moves);
    assert.ok(!(await exists(choice)));
    assert.equal(await fs.readFile(target, 'utf8'), 'v2');
    const sent = posts(n).map((r) => r.body as RegisterFileBody);
    assert.deepEqual(sent.map((b) => [b.filenames, b.check_protected]), [
      [['alf/_ibl_trials.choice.npy', 'alf/_ibl_wheel.position.npy'], true],
      [[`alf/#${TODAY}#/_ibl_trials.choice.npy`, 'alf/_ibl_wheel.position.npy'], false],
    ]);
    assert.deepEqual(sent[1]?.filesizes, [2, 2]);
    assert.deepEqual(result.requests.map((r) => r.body), sent);
    assert.equal(result.records[0]?.revision, TODAY);
    assert.equal(result.records[0]?.default, true);
    assert.equal(result.records[1]?.revision, '');
    assert.ok(lines.some((l) => l.includes('Moved') && l.includes(choice) && l.includes(target)));
  });

  test('same-day protected revision gives a, then b; an explicit protected revision gets the next letter', async () => {
    seedSession(server, 'KS005', '2024-01-15', 1);
    const session = path.join(root, 'KS005', '2024-01-15', '001');
    const [file] = await writeFiles(session, { 'alf/wheel.timestamps.npy': 'v1' }) as [string];
    const original = await rc.registerFiles([file]);
    server.protect((d) => d.id === original.records[0]?.id);
    await writeFiles(session, { 'alf/wheel.timestamps.npy': 'v2' });
    const second = await rc.registerFiles([file]);
    assert.equal(second.records[0]?.revision, TODAY);
    server.protect((d) => d.id === second.records[0]?.id);

    const inToday = path.join(session, 'alf', `#${TODAY}#`, 'wheel.timestamps.npy');
    assert.ok(await exists(inToday));
    const third = await rc.registerFiles([inToday]);
    assert.equal(third.records[0]?.revision, `${TODAY}a`);
    assert.deepEqual(third.moves, [{ from: inToday, to: path.join(session, 'alf', `#${TODAY}a#`, 'wheel.timestamps.npy') }]);
    server.protect((d) => d.id === third.records[0]?.id);

    await writeFiles(session, { 'alf/wheel.timestamps.npy': 'v4' });
    const fourth = await rc.registerFiles([file]);
    assert.equal(fourth.records[0]?.revision, `${TODAY}b`);
  });

  test('an unprotected explicit revision is registered where it is', async () => {
    seedSession(server, 'KS005', '2024-01-16', 1);
    const [file] = await writeFiles(root, { 'KS005/2024-01-16/001/alf/#v2.0#/wheel.velocity.npy': 'x' }) as [string];
    const result = await rc.registerFiles([file]);
    assert.deepEqual(result.moves, []);
    assert.equal(result.records[0]?.revision, 'v2.0');
    assert.equal(result.records[0]?.collection, 'alf');
  });

  test('a move that would overwrite a file is refused: nothing moves and nothing more is posted', async () => {
    seedSession(server, 'ZM_1085', '2024-01-15', 1);
    const session = path.join(root, 'ZM_1085', '2024-01-15', '001');
    const [file] = await writeFiles(session, { 'alf/spikes.times.npy': 'original' }) as [string];
    const first = await rc.registerFiles([file]);
    server.protect((d) => d.id === first.records[0]?.id);
    const [squatter] = await writeFiles(session, { [`alf/#${TODAY}#/spikes.times.npy`]: 'someone else' }) as [string];
    const n = server.requests.length;
    await assert.rejects(rc.registerFiles([file]), (err: unknown) => err instanceof UnsafeMoveError && err.message.includes(squatter));
    assert.equal(posts(n).length, 1);
    assert.equal(await fs.readFile(file, 'utf8'), 'original');
    assert.equal(await fs.readFile(squatter, 'utf8'), 'someone else');
  });

  test('when the server refuses the second POST, the files are moved back', async () => {
    seedSession(server, 'ZM_1085', '2024-01-17', 1);
    const session = path.join(root, 'ZM_1085', '2024-01-17', '001');
    const [file] = await writeFiles(session, { 'alf/spikes.clusters.npy': 'c' }) as [string];
    const first = await rc.registerFiles([file]);
    server.protect((d) => d.id === first.records[0]?.id);
    server.inject({ method: 'POST', path: '/register-file', after: 1, status: 500, body: { detail: 'database is down', status_code: 500 } });
    await assert.rejects(rc.registerFiles([file]), (err: unknown) => err instanceof AlyxHttpError && err.message === 'database is down');
    assert.ok(await exists(file));
    assert.ok(!(await exists(path.join(session, 'alf', `#${TODAY}#`))));
  });

  test('a protected dataset posted without check_protected is the server\'s plain 403', async () => {
    const ds = server.state.datasets.find((d) => d.protected);
    assert.ok(ds);
    const session = server.state.sessions.find((s) => s.id === ds.session);
    const body = { created_by: 'test_user', path: `${session?.subject}/${session?.start_time?.slice(0, 10)}/00${session?.number}`, filenames: [`${ds.collection}/${ds.revision ? `#${ds.revision}#/` : ''}${ds.name}`] };
    await assert.rejects(rc.alyx.post('/register-file', body), (err: unknown) => err instanceof AlyxHttpError && err.status === 403 && err.message === `Dataset ${ds.id} is protected, cannot patch`);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AlyxMemberNotFoundError, InvalidInputError, RegistrationClient } from '../../src/core/registration';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { loggedInClient, seedSession, tempDir, writeFiles } from '../alyx-server/testing';

describe('sessions: registerSession, createNewSession, createSessions', () => {
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
  const since = (n: number) => server.requests.slice(n);

  test('creates the session with ONE\'s body, then registers every registrable file in one POST', async () => {
    const session = path.join(root, 'cortexlab', 'Subjects', 'algernon', '2024-01-15', '001');
    await writeFiles(session, {
      'alf/_ibl_trials.intervals.npy': 'i',
      'alf/_ibl_trials.choice.npy': 'c',
      'alf/_ibl_trials.goCue_times.npy': 'no type for this one',
      'alf/notes.txt': 'not an ALF name: not a candidate',
      'alf/wheel.position.h5': 'unknown extension',
      'create_me.flag': '',
    });
    const n = server.requests.length;
    const result = await rc.registerSession(session, { procedures: 'Behavior training/tasks', endTime: '2024-01-15T11:00', nTrials: 400, taskProtocol: '_iblrig_tasks_trainingChoiceWorld6.4.2' });
    assert.equal(result.created, true);
    const post = since(n).find((r) => r.method === 'POST' && r.path === '/sessions');
    assert.deepEqual(post?.body, {
      subject: 'algernon', users: ['test_user'], type: 'Experiment', number: '001', end_time: '2024-01-15T11:00:00',
      procedures: ['Behavior training/tasks'], n_trials: 400, task_protocol: '_iblrig_tasks_trainingChoiceWorld6.4.2', lab: 'cortexlab',
      start_time: '2024-01-15T00:00:00',
    });
    assert.deepEqual(since(n).filter((r) => r.method === 'GET').map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`), [
      '/subjects/algernon?', '/sessions?subject=algernon&date_range=2024-01-15%2C2024-01-15&number=1', '/users/test_user?',
    ]);
    assert.ok(result.session?.url.endsWith(server.state.sessions.at(-1)?.id ?? 'none'));
    assert.equal(result.session?.lab, 'cortexlab');
    assert.equal(result.session?.end_time, '2024-01-15T11:00:00');
    const filePosts = since(n).filter((r) => r.path === '/register-file');
    assert.equal(filePosts.length, 1);
    assert.deepEqual((filePosts[0]?.body as { filenames: string[] }).filenames, ['alf/_ibl_trials.choice.npy', 'alf/_ibl_trials.intervals.npy']);
    assert.deepEqual(result.files?.skipped.map((s) => [path.basename(s.file), s.reason]), [
      ['_ibl_trials.goCue_times.npy', 'no-dataset-type'], ['wheel.position.h5', 'unknown-extension'],
    ]);
    assert.equal((result.session?.data_dataset_session_related as unknown[]).length, 2);
  });

  test('an existing session is updated with PUT, keeping ONE\'s body, and startTime is applied', async () => {
    // its own session on the server and on disk: the test does not rely on the one above
    const session = path.join(root, 'cortexlab', 'Subjects', 'algernon', '2024-01-16', '001');
    await fs.mkdir(session, { recursive: true });
    seedSession(server, 'algernon', '2024-01-16', 1);
    const count = server.state.sessions.length;
    const n = server.requests.length;
    const result = await rc.registerSession(session, { startTime: '2024-01-16T10:36:10', fileList: false });
    assert.equal(result.created, false);
    assert.equal(server.state.sessions.length, count);
    const put = since(n).find((r) => r.method === 'PUT');
    assert.match(put?.path ?? '', /^\/sessions\/[0-9a-f-]{36}$/);
    assert.equal((put?.body as { start_time: string }).start_time, '2024-01-16T10:36:10');
    assert.equal(result.session?.start_time, '2024-01-16T10:36:10');
    assert.equal(result.files, null);
  });

  test('bad input is refused before any request, naming the field', async () => {
    const session = path.join(root, 'cortexlab', 'Subjects', 'algernon', '2024-01-15', '001');
    await fs.mkdir(session, { recursive: true });
    const n = server.requests.length;
    const refuses = async (promise: Promise<unknown>, field: string, message: RegExp) =>
      assert.rejects(promise, (err: unknown) => err instanceof InvalidInputError && err.field === field && message.test(err.message));
    await refuses(rc.registerSession(session, { startTime: '2024-01-16T09:00' }), 'startTime', /not on the session's date 2024-01-15/);
    await refuses(rc.registerSession(session, { startTime: '15/01/2024' }), 'startTime', /not an ISO 8601 date/);
    await refuses(rc.registerSession(session, { endTime: '2024-13-01' }), 'endTime', /not a real calendar date/);
    await refuses(rc.registerSession(session, { lab: 'mainenlab' }), 'lab', /"mainenlab" does not match the lab folder "cortexlab"/);
    await refuses(rc.registerSession(path.join(session, 'alf'), {}), 'sessionPath', /is not a session folder/);
    await refuses(rc.registerSession(path.join(root, 'algernon', '2024-01-15'), {}), 'sessionPath', /subject\/yyyy-mm-dd\/NNN/);
    await refuses(rc.registerSession(session, { nTrials: 2.5 }), 'nTrials', /whole number/);
    assert.equal(server.requests.length, n);
  });

  test('unknown subject or user: the error names the server', async () => {
    // The folders exist: a missing one is refused before any request.
    await fs.mkdir(path.join(root, 'nobody', '2024-01-15', '001'), { recursive: true });
    await fs.mkdir(path.join(root, 'algernon', '2024-01-20', '001'), { recursive: true });
    const n = server.requests.length;
    await assert.rejects(rc.registerSession(path.join(root, 'nobody', '2024-01-15', '001')), (err: unknown) =>
      err instanceof AlyxMemberNotFoundError && err.message === `Subject "nobody" does not exist on ${server.url}`);
    assert.equal(since(n).length, 1);
    await assert.rejects(rc.registerSession(path.join(root, 'algernon', '2024-01-20', '001'), { users: ['test_user', 'ghost'] }), (err: unknown) =>
      err instanceof AlyxMemberNotFoundError && err.message === `User "ghost" does not exist on ${server.url}`);
    assert.ok(!since(n).some((r) => r.method !== 'GET'));
  });

  test('a dry run creates nothing and returns the session body and the file bodies', async () => {
    const session = path.join(root, 'KS005', '2024-06-01', '003');
    await writeFiles(session, { 'alf/spikes.times.npy': 's' });
    const count = server.state.sessions.length;
    const n = server.requests.length;
    const result = await rc.registerSession(session, { dry: true, projects: ['practice'] });
    assert.ok(since(n).every((r) => r.method === 'GET'));
    assert.equal(server.state.sessions.length, count);
    assert.equal(result.session, null);
    assert.deepEqual(result.request, {
      method: 'POST', path: '/sessions',
      body: { subject: 'KS005', users: ['test_user'], type: 'Experiment', number: '003', projects: ['practice'], start_time: '2024-06-01T00:00:00' },
    });
    assert.equal(result.files?.requests.length, 1);
    assert.match(result.files?.unchecked[0]?.reason ?? '', /A base session for KS005 on 2024-06-01 does not exist/);
  });

  test('createNewSession makes the next numbered folder and the session; register:false only the folder', async () => {
    const sessionRoot = path.join(root, 'new-root');
    await fs.mkdir(path.join(sessionRoot, 'ZM_1085', '2020-01-01', '001'), { recursive: true });
    await fs.mkdir(path.join(sessionRoot, 'ZM_1085', '2020-01-01', '.hidden7'), { recursive: true });
    const made = await rc.createNewSession('ZM_1085', { sessionRoot, date: '2020-01-01', projects: 'ibl_neuropixel_brainwide_01' });
    assert.equal(made.sessionPath, path.join(sessionRoot, 'ZM_1085', '2020-01-01', '002'));
    assert.ok((await fs.stat(made.sessionPath)).isDirectory());
    assert.match(made.eid ?? '', /^[0-9a-f-]{36}$/);
    const record = server.state.sessions.find((s) => s.id === made.eid);
    assert.deepEqual(record?.projects, ['ibl_neuropixel_brainwide_01']);
    assert.equal(record?.number, 2);
    assert.equal(record?.lab, 'mainenlab');
    const local = await rc.createNewSession('ZM_1085', { sessionRoot, date: '2020-01-01', register: false });
    assert.equal(local.sessionPath, path.join(sessionRoot, 'ZM_1085', '2020-01-01', '003'));
    assert.equal(local.eid, null);
    await assert.rejects(rc.createNewSession('ZM_1085', { sessionRoot, date: '01/01/2020' }), InvalidInputError);
    await assert.rejects(rc.createNewSession('ZM_1085', { sessionRoot, date: '2020-01-01', endTime: 'later' }), InvalidInputError);
    await assert.rejects(fs.stat(path.join(sessionRoot, 'ZM_1085', '2020-01-01', '004')), 'no empty folder is left behind');
    await assert.rejects(rc.createNewSession('nobody', { sessionRoot }), AlyxMemberNotFoundError);
  });

  test('createSessions registers each flagged folder and removes the flag; a dry run only lists them', async () => {
    const top = path.join(root, 'flags');
    await writeFiles(top, {
      'algernon/2024-07-01/001/create_me.flag': '',
      'algernon/2024-07-01/001/alf/wheel.position.npy': 'w',
      'KS005/2024-07-02/001/create_me.flag': '',
      'KS005/2024-07-02/001/alf/spikes.times.npy': 's',
    });
    const dry = await rc.createSessions(top, { dry: true });
    assert.deepEqual(dry.sessionPaths.map((p) => path.relative(top, p)), ['KS005/2024-07-02/001', 'algernon/2024-07-01/001']);
    assert.deepEqual(dry.records, [null, null]);
    assert.ok(await fs.stat(path.join(top, 'KS005/2024-07-02/001/create_me.flag')));

    const n = server.requests.length;
    const done = await rc.createSessions(top, { registerFiles: true });
    assert.equal(done.records.length, 2);
    assert.deepEqual(done.records.map((r) => r?.session?.number), [1, 1]);
    assert.equal(since(n).filter((r) => r.path === '/register-file').length, 2);
    await assert.rejects(fs.stat(path.join(top, 'KS005/2024-07-02/001/create_me.flag')));
    await assert.rejects(fs.stat(path.join(top, 'algernon/2024-07-01/001/create_me.flag')));
  });

  test('createSessions checks every flagged folder before creating any session', async () => {
    const top = path.join(root, 'bad-flags');
    await writeFiles(top, { 'algernon/2024-07-03/001/create_me.flag': '', 'algernon/misplaced/create_me.flag': '' });
    const n = server.requests.length;
    await assert.rejects(rc.createSessions(top), /misplaced is not a session folder/);
    assert.equal(server.requests.length, n);
    assert.ok(await fs.stat(path.join(top, 'algernon/2024-07-03/001/create_me.flag')));
  });
});

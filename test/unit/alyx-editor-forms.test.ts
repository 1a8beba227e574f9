import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AlyxClient } from '../../src/core/alyx/client';
import { AlyxConnectionError, AlyxHttpError } from '../../src/core/alyx/errors';
import { formFailure } from '../../src/webviews/alyxFailure';
import { checkAlyxUrl, normaliseAlyxUrl, serverLabel } from '../../src/core/alyx/url-policy';
import { RegistrationClient } from '../../src/core/registration/client';
import { AlyxMemberNotFoundError, InvalidInputError } from '../../src/core/registration/errors';
import {
  type AlyxRecordFormValues, type RegisterSessionFormValues, fieldErrorsOf, localDateTimeString, parseAlyxRecordForm, parseRegisterSessionForm,
} from '../../src/core/registration/forms';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { loggedInClient, tempDir, writeFiles } from '../alyx-server/testing';

describe('Alyx URL policy', () => {
  it('accepts https anywhere and http only on this machine', () => {
    assert.deepEqual(checkAlyxUrl('https://Alyx.Example.org/'), { ok: true, url: 'https://alyx.example.org', key: 'https://alyx.example.org' });
    for (const local of ['http://localhost:8000', 'http://127.0.0.1:5000/', 'http://[::1]:8000']) {
      const v = checkAlyxUrl(local);
      assert.equal(v.ok, true, local);
    }
    const refused = checkAlyxUrl('http://alyx.example.org');
    assert.equal(refused.ok, false);
    assert.match((refused as { message: string }).message, /Refusing http:\/\/alyx\.example\.org.*alf\.alyx\.allowInsecureHttp/);
    assert.equal(checkAlyxUrl('http://alyx.example.org', true).ok, true);
  });

  it('refuses empty, non-http, credentials in the URL and queries, each with what to do', () => {
    assert.match((checkAlyxUrl('  ') as { message: string }).message, /set alf\.alyx\.url/);
    assert.match((checkAlyxUrl('ftp://x.org') as { message: string }).message, /not an http\(s\) URL/);
    assert.match((checkAlyxUrl('alyx.org') as { message: string }).message, /is not a URL/);
    assert.match((checkAlyxUrl('https://me:pw@alyx.org') as { message: string }).message, /no user name or password/);
    assert.match((checkAlyxUrl('https://alyx.org/?x=1') as { message: string }).message, /query/);
  });

  it('normalises spellings of one server to one key, keeping a path prefix', () => {
    assert.equal(normaliseAlyxUrl('https://ALYX.org:443/'), 'https://alyx.org');
    assert.equal(normaliseAlyxUrl('https://alyx.org/api//'), 'https://alyx.org/api');
    assert.equal(normaliseAlyxUrl('http://127.0.0.1:8000'), 'http://127.0.0.1:8000');
    assert.equal(serverLabel('https://alyx.org/api'), 'alyx.org/api');
  });
});

const EMPTY: RegisterSessionFormValues = {
  users: ['test_user'], startTime: '', endTime: '', procedures: [], projects: [], taskProtocol: '', location: '', nTrials: '', nCorrectTrials: '',
  json: '', files: [], repository: '', serverOnly: false, maxHashMb: '',
};

describe('Register Session form', () => {
  const session = '/data/cortexlab/Subjects/algernon/2024-05-02/001';

  it('turns the fields into registerSession options', () => {
    const { options, errors } = parseRegisterSessionForm(
      {
        ...EMPTY, users: ['test_user', ' olivier '], startTime: '2024-05-02T09:30', endTime: '2024-05-02T10:45:10', procedures: ['Behavior training/tasks'],
        projects: ['practice'], taskProtocol: ' choiceWorld ', location: 'rig A', nTrials: '400', nCorrectTrials: '321', json: '{"rig": "A"}',
        files: ['alf/_ibl_trials.choice.npy'], repository: 'flatiron_cortexlab', serverOnly: true, maxHashMb: '1.5',
      },
      session,
      '2024-05-02',
    );
    assert.deepEqual(errors, {});
    assert.deepEqual(options, {
      users: ['test_user', 'olivier'],
      fileList: [`${session}/alf/_ibl_trials.choice.npy`],
      startTime: '2024-05-02T09:30:00',
      endTime: '2024-05-02T10:45:10',
      procedures: ['Behavior training/tasks'],
      projects: ['practice'],
      taskProtocol: 'choiceWorld',
      location: 'rig A',
      nTrials: 400,
      nCorrectTrials: 321,
      json: { rig: 'A' },
      files: { repository: 'flatiron_cortexlab', serverOnly: true, maxMd5Size: 1572864 },
    });
  });

  it('puts each problem under its field', () => {
    const { errors } = parseRegisterSessionForm(
      { ...EMPTY, users: [], startTime: '2024-05-03T09:00', endTime: 'tomorrow', nTrials: '-1', nCorrectTrials: '2.5', json: '[1]', maxHashMb: 'big' },
      session,
      '2024-05-02',
    );
    assert.deepEqual(Object.keys(errors).sort(), ['endTime', 'json', 'maxHashMb', 'nCorrectTrials', 'nTrials', 'startTime', 'users']);
    assert.match(errors.startTime!, /session's date, 2024-05-02/);
    assert.match(parseRegisterSessionForm({ ...EMPTY, json: '{bad' }, session, '2024-05-02').errors.json!, /^Not valid JSON/);
    assert.match(parseRegisterSessionForm({ ...EMPTY, nTrials: '10', nCorrectTrials: '11' }, session, '2024-05-02').errors.nCorrectTrials!, /More correct/);
    assert.match(parseRegisterSessionForm({ ...EMPTY, startTime: '2024-05-02T10:00', endTime: '2024-05-02T09:00' }, session, '2024-05-02').errors.endTime!, /before the start/);
    assert.match(parseRegisterSessionForm({ ...EMPTY, startTime: '2024-02-30T10:00' }, session, '2024-02-30').errors.startTime!, /date and time/);
  });
});

describe('Register Weight / Water form', () => {
  const base: AlyxRecordFormValues = { kind: 'weight', subject: 'algernon', amount: '23.4', dateTime: '2024-05-02T09:30', user: 'test_user', waterType: 'Water', session: '', adlib: false };

  it('accepts a positive number and adds seconds to the time', () => {
    assert.deepEqual(parseAlyxRecordForm(base), { amount: 23.4, dateTime: '2024-05-02T09:30:00', errors: {} });
    assert.equal(parseAlyxRecordForm({ ...base, amount: '.5' }).amount, 0.5);
  });

  it('refuses zero, negatives, words and empty amounts, naming the unit', () => {
    for (const amount of ['0', '-3', 'abc', '', '1,5', 'Infinity']) {
      const { errors } = parseAlyxRecordForm({ ...base, amount });
      assert.ok(errors.amount, amount);
    }
    assert.match(parseAlyxRecordForm({ ...base, kind: 'water', amount: '-1' }).errors.amount!, /millilitres/);
    assert.match(parseAlyxRecordForm({ ...base, amount: 'x' }).errors.amount!, /grams/);
  });

  it('needs a subject, user and date; a water session must be a UUID', () => {
    const { errors } = parseAlyxRecordForm({ ...base, kind: 'water', subject: ' ', user: '', dateTime: '', session: 'not-a-uuid' });
    assert.deepEqual(Object.keys(errors).sort(), ['dateTime', 'session', 'subject', 'user']);
    const ok = parseAlyxRecordForm({ ...base, kind: 'water', session: 'https://alyx.org/sessions/0a1b2c3d-0000-4000-8000-000000000001' });
    assert.deepEqual(ok.errors, {});
  });

  it('formats now as a datetime-local value', () => {
    assert.equal(localDateTimeString(new Date(2024, 0, 5, 7, 3, 59)), '2024-01-05T07:03');
  });
});

describe('server errors mapped onto form fields', () => {
  let server: AlyxTestServer;
  before(async () => {
    server = await startAlyxServer();
  });
  after(async () => server.close());

  it('maps client-side checks and missing members', () => {
    assert.deepEqual(fieldErrorsOf(new InvalidInputError('startTime', 'bad start')), { startTime: 'bad start' });
    assert.deepEqual(fieldErrorsOf(new InvalidInputError('maxMd5Size', 'bad')), { maxHashMb: 'bad' });
    assert.deepEqual(fieldErrorsOf(new InvalidInputError('weight', 'w')), { amount: 'w' });
    assert.deepEqual(fieldErrorsOf(new AlyxMemberNotFoundError('users', 'nobody', 'http://x')), { users: 'User "nobody" does not exist on http://x' });
    assert.deepEqual(fieldErrorsOf(new AlyxMemberNotFoundError('users', 'nobody', 'http://x'), 'user'), { user: 'User "nobody" does not exist on http://x' });
    assert.deepEqual(fieldErrorsOf(new Error('plain')), {});
    assert.deepEqual(fieldErrorsOf(new AlyxHttpError(500, 'POST', 'http://x/y', 'boom', { detail: 'boom' })), {});
  });

  it('a failure shows under its field, as "unreachable, entries kept", or as a message with a notification', () => {
    const invalid = formFailure(new AlyxMemberNotFoundError('users', 'nobody', 'http://x'), 'user');
    assert.deepEqual(invalid.message, { type: 'invalid', errors: { user: 'User "nobody" does not exist on http://x' } });
    assert.equal(invalid.outcome.kind, 'invalid');
    assert.equal(invalid.notify, false);
    const down = formFailure(new AlyxConnectionError('http://127.0.0.1:9', 'connection refused'));
    assert.deepEqual(down.message, { type: 'failed', unreachable: true, message: 'Cannot reach Alyx at http://127.0.0.1:9: connection refused. Your entries are kept: try again when the server is back.' });
    assert.equal(down.notify, false);
    const boom = formFailure(new AlyxHttpError(500, 'POST', 'http://x/register-file', 'Storage backend unavailable', { detail: 'Storage backend unavailable' }));
    assert.equal(boom.message.type, 'failed');
    assert.equal(boom.notify, true);
    assert.equal(boom.outcome.kind, 'failed');
    assert.match(boom.outcome.message, /Storage backend unavailable/);
  });

  it('maps a real 400 from the test server (unknown project) onto Projects', async () => {
    const root = await tempDir();
    const [file] = await writeFiles(root, { 'cortexlab/Subjects/algernon/2024-05-02/001/alf/_ibl_trials.choice.npy': 'x' });
    const reg = await RegistrationClient.create(loggedInClient(server));
    const session = file!.split('/alf/')[0]!;
    const err = await reg.registerSession(session, { projects: ['no_such_project'], fileList: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AlyxHttpError, String(err));
    const fields = fieldErrorsOf(err);
    assert.deepEqual(Object.keys(fields), ['projects']);
    assert.match(fields.projects!, /no_such_project/);
  });

  it('a wrong password is a 400 naming the user, and maps to no field', async () => {
    const client = new AlyxClient({ baseUrl: server.url });
    const err = await client.login('test_user', 'wrong').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AlyxHttpError);
    assert.match(err.message, /Alyx login failed for user "test_user"/);
    assert.deepEqual(fieldErrorsOf(err), {});
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { inspect } from 'node:util';
import { AlyxAuthError, AlyxClient, AlyxConnectionError, AlyxFilterError, AlyxHttpError } from '../../src/core/alyx';
import { CancelledError } from '../../src/core/progress';
import { type AlyxTestServer, DEFAULT_USERS, startAlyxServer } from '../alyx-server';

const [USER] = DEFAULT_USERS as [{ username: string; password: string }];
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 2000 };

describe('AlyxClient against the test server', () => {
  let server: AlyxTestServer;
  before(async () => {
    server = await startAlyxServer({ pageSize: 4 });
  });
  after(() => server.close());

  const client = (extra: Partial<ConstructorParameters<typeof AlyxClient>[0]> = {}) =>
    new AlyxClient({ baseUrl: server.url, retry: FAST_RETRY, ...extra });
  const since = (n: number) => server.requests.slice(n);

  test('login posts to /auth-token and sends "Authorization: Token …" afterwards', async () => {
    const c = client();
    const token = await c.login(USER.username, USER.password);
    assert.match(token, /^[0-9a-f]{40}$/);
    assert.equal(c.username, USER.username);
    const n = server.requests.length;
    const subject = await c.get<{ nickname: string }>('/subjects/algernon');
    assert.equal(subject.nickname, 'algernon');
    assert.equal(since(n)[0]?.user, USER.username);
  });

  test('a wrong password is a 400 naming the user, never the password', async () => {
    const c = client();
    await assert.rejects(c.login(USER.username, 'not-the-password'), (err: unknown) => {
      assert.ok(err instanceof AlyxHttpError);
      assert.equal(err.status, 400);
      assert.match(err.message, /test_user.*Unable to log in with provided credentials\./);
      assert.doesNotMatch(err.message + inspect(err), /not-the-password/);
      return true;
    });
  });

  test('without a token the 403 carries the server sentence', async () => {
    await assert.rejects(client().get('/subjects'), (err: unknown) => {
      assert.ok(err instanceof AlyxHttpError);
      assert.equal(err.status, 403);
      assert.equal(err.message, 'Authentication credentials were not provided.');
      assert.equal(err.method, 'GET');
      assert.equal(err.url, `${server.url}/subjects`);
      return true;
    });
  });

  test('an "Invalid token." 403 re-authenticates once and retries', async () => {
    const c = client();
    await c.login(USER.username, USER.password);
    server.revokeTokens();
    const n = server.requests.length;
    const users = await c.listAll<{ username: string }>('users');
    assert.deepEqual(users.map((u) => u.username), DEFAULT_USERS.map((u) => u.username));
    assert.deepEqual(since(n).map((r) => `${r.method} ${r.path} ${r.status}`), ['GET /users 403', 'POST /auth-token 200', 'GET /users 200']);
  });

  test('a rejected cached token with no password to re-authenticate is an AlyxAuthError', async () => {
    const c = client({ username: USER.username, token: 'f'.repeat(40) });
    await assert.rejects(c.get('/users'), (err: unknown) => err instanceof AlyxAuthError && /log in again/.test(err.message));
  });

  test('requestPassword is asked when the cached token is rejected', async () => {
    let asked = 0;
    const c = client({ username: USER.username, token: 'e'.repeat(40), requestPassword: async () => (asked++, USER.password) });
    assert.equal((await c.listAll('users')).length, DEFAULT_USERS.length);
    assert.equal(asked, 1);
  });

  test('list follows every page; rest(list) collects them', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    const n = server.requests.length;
    const types = await c.rest<{ name: string }>('dataset-types', 'list');
    assert.equal(types.length, server.state.datasetTypes.length);
    assert.equal(since(n).length, Math.ceil(server.state.datasetTypes.length / 4));
    const small = await c.listAll('dataset-types', {}, { pageSize: 10 });
    assert.equal(small.length, server.state.datasetTypes.length);
  });

  test('unknown filters are refused before any request; known ones are sent comma-joined', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    const n = server.requests.length;
    await assert.rejects(c.listAll('sessions', { subjcet: 'algernon' }), (err: unknown) => {
      assert.ok(err instanceof AlyxFilterError);
      assert.deepEqual(err.unknown, ['subjcet']);
      assert.match(err.message, /"subjcet".*\/sessions.*ignore/);
      return true;
    });
    assert.equal(server.requests.length, n);
    await c.listAll('sessions', { users: ['test_user', 'olivier'], date_range: '2024-01-01,2024-01-31' });
    assert.deepEqual(server.requests.at(-1)?.query, { users: 'test_user,olivier', date_range: '2024-01-01,2024-01-31' });
  });

  test('filters of endpoints outside the built-in table are checked against /api/schema', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    await assert.rejects(c.listAll('projects', { nmae: 'practice' }), AlyxFilterError);
    assert.deepEqual(await c.listAll('projects', { name: 'practice' }), [{ name: 'practice' }]);
    await assert.rejects(c.listAll('tags', { name: 'x' }), /Cannot check filter "name" for \/tags: the server's \/api\/schema does not describe that endpoint/);
  });

  test('field errors are flattened into one sentence', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    await assert.rejects(c.post('/sessions', { subject: 'nobody', users: ['ghost'], number: 'x' }), (err: unknown) => {
      assert.ok(err instanceof AlyxHttpError);
      assert.equal(err.status, 400);
      assert.equal(err.message, 'subject: Object with nickname=nobody does not exist.; users: Object with username=ghost does not exist.; number: A valid integer is required.');
      assert.deepEqual(Object.keys(err.body as object).sort(), ['number', 'subject', 'users']);
      return true;
    });
  });

  test('an HTML 404 becomes a readable message', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    await assert.rejects(c.get('/no-such-endpoint'), (err: unknown) => {
      assert.ok(err instanceof AlyxHttpError);
      assert.equal(err.status, 404);
      assert.match(err.message, /Not found .*trailing slash/);
      assert.match(String(err.body), /<title>Not Found<\/title>/);
      return true;
    });
  });

  test('trailing slashes are never sent', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    const subject = await c.get<{ nickname: string }>('/subjects/algernon/');
    assert.equal(subject.nickname, 'algernon');
    assert.equal(server.requests.at(-1)?.path, '/subjects/algernon');
    assert.equal(c.urlFor('sessions/'), `${server.url}/sessions`);
  });

  test('rest covers read, create, update, partial_update and delete', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    const body = { subject: 'KS005', users: ['test_user'], type: 'Experiment', number: 7, start_time: '2024-03-01T10:00:00' };
    const created = await c.rest<{ url: string; id: string; number: number }>('sessions', 'create', { data: body });
    assert.equal(created.number, 7);
    assert.equal((await c.rest<{ id: string }>('sessions', 'read', { id: created.url })).id, created.id);
    assert.equal((await c.rest<{ task_protocol: string }>('sessions', 'partial_update', { id: created.id, data: { task_protocol: 'x' } })).task_protocol, 'x');
    assert.equal((await c.rest<{ number: number }>('sessions', 'update', { id: created.id, data: { ...body, number: 8 } })).number, 8);
    await c.rest('sessions', 'delete', { id: created.id });
    await assert.rejects(c.rest('sessions', 'read', { id: created.id }), (err: unknown) => err instanceof AlyxHttpError && err.status === 404);
  });

  test('429 with Retry-After is retried for GET', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    server.inject({ path: '/users', status: 429, retryAfter: 0, times: 2 });
    const n = server.requests.length;
    assert.equal((await c.listAll('users')).length, DEFAULT_USERS.length);
    assert.deepEqual(since(n).map((r) => r.status), [429, 429, 200]);
  });

  test('a Retry-After longer than the policy allows is reported, not waited for', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    server.inject({ path: '/users', status: 429, retryAfter: 60 });
    await assert.rejects(c.listAll('users'), (err: unknown) => err instanceof AlyxHttpError && err.status === 429 && /throttled/.test(err.message));
  });

  test('502/503/504 and dropped connections are retried for GET and register-file only', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    server.inject({ path: '/subjects/algernon', status: 503 });
    server.inject({ path: '/subjects/algernon', drop: true });
    server.inject({ path: '/subjects/algernon', status: 504 });
    assert.equal((await c.get<{ nickname: string }>('/subjects/algernon')).nickname, 'algernon');

    server.inject({ method: 'POST', path: '/register-file', status: 502 });
    server.inject({ method: 'POST', path: '/register-file', drop: true });
    const n = server.requests.length;
    // The third attempt reaches the real handler, which answers 400 (no such session): not retried.
    await assert.rejects(c.post('/register-file', { path: 'algernon/2024-01-01/001', filenames: ['a.b.npy'] }), (err: unknown) => err instanceof AlyxHttpError && err.status === 400);
    assert.equal(since(n).length, 3);

    server.inject({ method: 'POST', path: '/sessions', status: 503 });
    await assert.rejects(c.post('/sessions', {}), (err: unknown) => err instanceof AlyxHttpError && err.status === 503);
    server.inject({ method: 'POST', path: '/sessions', drop: true });
    await assert.rejects(c.post('/sessions', {}), (err: unknown) => {
      assert.ok(err instanceof AlyxConnectionError);
      assert.match(err.message, new RegExp(`${server.url}/sessions.*connection reset`));
      return true;
    });
  });

  test('other 4xx and 500 are never retried', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username });
    server.inject({ path: '/users', status: 500 });
    const n = server.requests.length;
    await assert.rejects(c.listAll('users'), (err: unknown) => err instanceof AlyxHttpError && err.status === 500 && err.message === 'Injected server error');
    assert.equal(since(n).length, 1);
  });

  test('a request taking longer than the timeout is an AlyxConnectionError', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username, timeoutMs: 150 });
    server.inject({ method: 'POST', path: '/weighings', delayMs: 600, status: 201, body: {} });
    await assert.rejects(c.post('/weighings', {}), (err: unknown) => err instanceof AlyxConnectionError && /timed out after 0\.2 s|timed out after 0\.1 s|timed out/.test(err.message));
  });

  test('an AbortSignal cancels a request and a backoff wait', async () => {
    const c = client({ token: server.tokenFor(), username: USER.username, retry: { baseDelayMs: 5000 } });
    const controller = new AbortController();
    server.inject({ path: '/users', status: 503 });
    const pending = c.listAll('users', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await assert.rejects(pending, CancelledError);
    assert.ok(Date.now() - started < 2000);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(c.get('/users', { signal: aborted.signal }), CancelledError);
  });

  test('secrets stay out of inspection, JSON and logs', async () => {
    const lines: string[] = [];
    const c = client({ log: (l) => lines.push(l) });
    const token = await c.login(USER.username, USER.password);
    await c.get('/subjects/algernon');
    const dumped = `${inspect(c, { depth: 5 })}${JSON.stringify(c)}${lines.join('\n')}`;
    assert.ok(!dumped.includes(token));
    assert.ok(!dumped.includes(USER.password));
    assert.ok(lines.some((l) => l.includes('GET') && l.includes('/subjects/algernon') && l.includes('200')));
  });
});

describe('AlyxClient without a server', () => {
  test('a refused connection names the URL and the cause', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    const c = new AlyxClient({ baseUrl: `http://127.0.0.1:${port}/` });
    assert.equal(c.baseUrl, `http://127.0.0.1:${port}`);
    await assert.rejects(c.get('/subjects'), (err: unknown) => {
      assert.ok(err instanceof AlyxConnectionError);
      assert.equal(err.url, `http://127.0.0.1:${port}/subjects`);
      assert.match(err.message, /Cannot reach Alyx at .*connection refused/);
      return true;
    });
  });

  test('a malformed base URL is refused at construction', () => {
    assert.throws(() => new AlyxClient({ baseUrl: 'alyx.example.org' }), /Not a valid Alyx URL/);
    assert.throws(() => new AlyxClient({ baseUrl: 'https://me:pw@alyx.example.org' }), /no credentials/);
  });
});

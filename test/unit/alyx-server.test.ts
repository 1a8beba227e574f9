/** The test server answers as docs/alyx-protocol.md says a real Alyx does (raw HTTP, no client). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { seedSession } from '../alyx-server/testing';

describe('test Alyx server protocol', () => {
  let server: AlyxTestServer;
  let token: string;
  before(async () => {
    server = await startAlyxServer({ pageSize: 2 });
    token = server.tokenFor();
    seedSession(server, 'algernon', '2024-01-15', 1);
  });
  after(() => server.close());

  async function call(method: string, path: string, body?: unknown, auth: string | null = token): Promise<{ status: number; body: unknown; type: string }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (auth) headers.Authorization = `Token ${auth}`;
    const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, body: type.includes('json') ? JSON.parse(text) : text };
  }

  test('auth: tokens from /auth-token (JSON or form); 403 for none or bad ones', async () => {
    const ok = await call('POST', '/auth-token', { username: 'test_user', password: 'test-password-1' }, null);
    assert.equal(ok.status, 200);
    assert.match((ok.body as { token: string }).token, /^[0-9a-f]{40}$/);
    const form = await fetch(`${server.url}/auth-token`, { method: 'POST', body: new URLSearchParams({ username: 'test_user', password: 'test-password-1' }) });
    assert.equal(form.status, 200);
    assert.deepEqual((await call('POST', '/auth-token', { username: 'test_user', password: 'x' }, null)).body, { non_field_errors: ['Unable to log in with provided credentials.'], status_code: 400 });
    assert.deepEqual(await call('GET', '/subjects', undefined, null), { status: 403, type: 'application/json', body: { detail: 'Authentication credentials were not provided.', status_code: 403 } });
    assert.deepEqual((await call('GET', '/subjects', undefined, 'bad')).body, { detail: 'Invalid token.', status_code: 403 });
  });

  test('trailing slashes and unknown routes are HTML 404 pages; unknown records JSON 404', async () => {
    const slash = await call('GET', '/subjects/algernon/');
    assert.equal(slash.status, 404);
    assert.match(slash.type, /text\/html/);
    assert.equal((await call('GET', '/sessions/not-a-uuid')).type.includes('html'), true);
    assert.deepEqual((await call('GET', '/subjects/nobody')).body, { detail: 'Not found.', status_code: 404 });
  });

  test('pagination: count/next/previous/results, absolute next, limit capped at 1000, unknown filters ignored', async () => {
    const page = (await call('GET', '/dataset-types')).body as { count: number; next: string; previous: null; results: unknown[] };
    assert.equal(page.results.length, 2);
    assert.equal(page.count, server.state.datasetTypes.length);
    assert.ok(page.next.startsWith(`${server.url}/dataset-types?`));
    assert.equal(page.previous, null);
    const all = (await call('GET', '/dataset-types?limit=5000')).body as { results: unknown[]; next: null };
    assert.equal(all.results.length, server.state.datasetTypes.length);
    assert.equal(all.next, null);
    const ignored = (await call('GET', '/sessions?subjcet=nobody')).body as { count: number };
    assert.equal(ignored.count, server.state.sessions.length);
  });

  test('register-file: the real error bodies and statuses', async () => {
    const post = (body: Record<string, unknown>) => call('POST', '/register-file', { created_by: 'test_user', path: 'algernon/2024-01-15/001', ...body });
    assert.deepEqual(await post({ filenames: ['foo.bar.npy'] }), { status: 500, type: 'application/json', body: { detail: 'No dataset type found for filename "foo.bar.npy"', status_code: 500 } });
    assert.deepEqual((await post({ filenames: ['wheel.position.h5'] })).body, { detail: 'DataFormat matching query does not exist.', status_code: 500 });
    assert.deepEqual((await post({ path: 'algernon/2024-01-16/001', filenames: ['wheel.position.npy'] })).body, { error: 'A base session for algernon on 2024-01-16 does not exist', status_code: 400 });
    assert.deepEqual((await post({ path: 'algernon/2024-01-15/002', filenames: ['wheel.position.npy'] })).body, { error: 'A session for algernon/2 on 2024-01-15 does not exist', status_code: 400 });
    assert.deepEqual((await post({ path: 'nobody/2024-01-15/001', filenames: ['wheel.position.npy'] })).body, { error: 'A subject with nickname "nobody" does not exist.', status_code: 400 });
    assert.equal((await post({ path: 'cortexlab/Subjects/algernon/2024-01-15/001', filenames: ['wheel.position.npy'] })).status, 400);
    assert.deepEqual((await post({ name: 'nowhere', filenames: ['wheel.position.npy'] })).body, { detail: 'The specified repository does not exist.', status_code: 400 });
    assert.deepEqual(await post({ created_by: 'ghost', filenames: ['wheel.position.npy'] }), { status: 500, type: 'application/json', body: { detail: 'LabMember matching query does not exist.', status_code: 500 } });
  });

  test('register-file is idempotent; a new hash marks file records as not existing elsewhere', async () => {
    const body = { created_by: 'test_user', path: 'algernon/2024-01-15/001', filenames: ['alf/wheel.timestamps.npy'], hashes: ['a'.repeat(32)], filesizes: [10], name: 'cortexlab_SR' };
    const first = await call('POST', '/register-file', body);
    const second = await call('POST', '/register-file', body);
    assert.equal(first.status, 201);
    type Rec = Array<{ id: string; file_records: Array<{ data_repository: string; exists: boolean; relative_path: string }> }>;
    assert.equal((second.body as Rec)[0]?.id, (first.body as Rec)[0]?.id);
    assert.deepEqual((first.body as Rec)[0]?.file_records.map((r) => [r.data_repository, r.exists, r.relative_path]).sort(), [
      ['cortexlab_SR', true, 'algernon/2024-01-15/001/alf/wheel.timestamps.npy'], ['flatiron_cortexlab', false, 'algernon/2024-01-15/001/alf/wheel.timestamps.npy'],
    ]);
    const patched = await call('POST', '/register-file', { ...body, hashes: ['b'.repeat(32)], name: null });
    assert.deepEqual((patched.body as Rec)[0]?.file_records.map((r) => r.exists), [false, false]);
  });

  test('check-protected: always HTTP 200, verdict in the body; the last repeated filenames wins; 500 for unknown sessions', async () => {
    const created = await call('POST', '/register-file', { created_by: 'test_user', path: 'algernon/2024-01-15/001', filenames: ['alf/spikes.times.npy'] });
    server.protect((d) => d.id === (created.body as Array<{ id: string }>)[0]?.id);
    const q = (s: string) => call('GET', `/check-protected?created_by=test_user&path=algernon/2024-01-15/001&${s}`);
    assert.deepEqual((await q('filenames=alf/wheel.timestamps.npy')), { status: 200, type: 'application/json', body: { status_code: 200, details: 'None of the datasets are protected' } });
    assert.deepEqual((await q('filenames=alf/spikes.times.npy,alf/spikes.clusters.npy')).body, {
      status_code: 403, error: 'One or more datasets is protected', details: [{ 'alf/spikes.times.npy': [{ '': true }] }, { 'alf/spikes.clusters.npy': [] }],
    });
    assert.equal(((await q('filenames=alf/spikes.times.npy&filenames=alf/wheel.timestamps.npy')).body as { status_code: number }).status_code, 200);
    assert.equal((await call('GET', '/check-protected?path=algernon/2024-09-09/001&filenames=a.b.npy')).status, 500);
    assert.equal((await call('GET', '/check-protected?filenames=a.b.npy')).status, 500);
  });

  test('weighings and water administrations validate like DRF', async () => {
    assert.deepEqual((await call('POST', '/weighings', { subject: 'algernon', date_time: '2024-01-15', weight: 20, user: 'test_user' })).body, {
      date_time: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'],
    });
    const w = await call('POST', '/weighings', { subject: 'algernon', date_time: '2024-01-15T09:30:00.000000', weight: 20, user: 'test_user' });
    assert.equal(w.status, 201);
    assert.equal((w.body as { date_time: string }).date_time, '2024-01-15T09:30:00');
    assert.deepEqual((await call('POST', '/water-administrations', { subject: 'algernon', water_administered: 1, session: 'NaN' })).body, { session: ['“NaN” is not a valid UUID.'] });
  });

  test('procedure types are listed, and a session may only name those', async () => {
    const list = (await call('GET', '/procedures?limit=10')).body as { results: Array<{ name: string }> };
    assert.ok(list.results.some((p) => p.name === 'Behavior training/tasks'));
    const base = { subject: 'algernon', users: ['test_user'], type: 'Experiment', number: 7, start_time: '2024-01-20T10:00:00' };
    const bad = await call('POST', '/sessions', { ...base, procedures: ['Behavior training/tasks', 'Juggling'] });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { procedures: ['Object with name=Juggling does not exist.'] });
    const good = await call('POST', '/sessions', { ...base, procedures: ['Behavior training/tasks'] });
    assert.equal(good.status, 201);
    assert.deepEqual((good.body as { procedures: string[] }).procedures, ['Behavior training/tasks']);
  });
});

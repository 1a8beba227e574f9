import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AlyxClient } from '../../src/core/alyx/client';
import { alyxStatus } from '../../src/core/status';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { seedSession, tempDir } from '../alyx-server/testing';
import { client, sessionDir, writeSession } from './status-support';

const SUBJECTS = ['s01', 's02', 's03', 's04', 's05', 's06', 's07', 's08'];

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(options: Parameters<typeof startAlyxServer>[0] = {}): Promise<{ server: AlyxTestServer; root: string }> {
  const server = await startAlyxServer({ subjects: SUBJECTS.map((nickname) => ({ nickname, lab: 'cortexlab' })), ...options });
  const root = await tempDir('alf-status-req-');
  cleanup.push(() => server.close(), () => fs.rm(root, { recursive: true, force: true }));
  return { server, root };
}

/** `perSubject` sessions for each subject, each with `files` datasets, all registered (seeded with datasets). */
async function tree(server: AlyxTestServer, root: string, subjects: readonly string[], perSubject: number, files = 2): Promise<void> {
  for (const subject of subjects) {
    for (let i = 0; i < perSubject; i++) {
      const date = `2024-01-${String(i + 1).padStart(2, '0')}`;
      const content: Record<string, string> = {};
      for (let f = 0; f < files; f++) content[`alf/wheel.position${f ? `_${f}` : ''}.npy`.replace(/position_(\d+)/, 'position.extra$1')] = 'x'.repeat(f + 1);
      await writeSession(sessionDir(root, 'cortexlab', subject, date), content);
      const eid = seedSession(server, subject, date, 1);
      for (const [rel, text] of Object.entries(content)) {
        server.state.datasets.push({
          id: crypto.randomUUID(), session: eid, name: path.posix.basename(rel), collection: 'alf', revision: '', dataset_type: 'wheel.position', data_format: 'npy',
          hash: '', file_size: text.length, version: '', default_dataset: true, qc: 0, protected: false, created_by: 'test_user', created_datetime: '2024-01-01T00:00:00',
          file_records: [{ id: crypto.randomUUID(), data_repository: 'flatiron_cortexlab', relative_path: `${subject}/${date}/001/${rel}`, exists: true }],
        });
      }
    }
  }
}

describe('alyxStatus requests', () => {
  test('grow with subjects (and pages), not with sessions or files', async () => {
    const counts: number[] = [];
    for (const [subjects, sessions, files] of [[2, 2, 1], [2, 10, 5], [4, 10, 5]] as const) {
      const { server, root } = await setup();
      await tree(server, root, SUBJECTS.slice(0, subjects), sessions, files);
      const result = await alyxStatus({ roots: [root] }, client(server));
      assert.equal(result.sessions.length, subjects * sessions);
      assert.ok(result.sessions.every((s) => s.state === 'registered' && s.files.every((f) => f.state === 'registered')), JSON.stringify(result.sessions[0]));
      assert.equal(result.requests, server.requests.length);
      counts.push(result.requests);
      // Asked with Alyx's list filters, one subject at a time.
      const lists = server.requests.filter((r) => r.path === '/sessions' || r.path === '/datasets');
      assert.ok(lists.every((r) => SUBJECTS.includes(r.query.subject ?? '')), JSON.stringify(lists.map((r) => r.query)));
    }
    // 2 catalogue requests, then /sessions and /datasets per subject.
    assert.deepEqual(counts, [2 + 2 * 2, 2 + 2 * 2, 2 + 4 * 2]);
  });

  test('follow pages when the server caps the page size', async () => {
    const { server, root } = await setup({ maxLimit: 4 });
    await tree(server, root, ['s01'], 10, 1);
    const result = await alyxStatus({ roots: [root] }, client(server));
    assert.ok(result.sessions.every((s) => s.state === 'registered'));
    const sessionPages = server.requests.filter((r) => r.path === '/sessions').length;
    const datasetPages = server.requests.filter((r) => r.path === '/datasets').length;
    assert.deepEqual([sessionPages, datasetPages], [3, 3]);
  });

  test('at most 4 in flight, and more than one at a time', async () => {
    const { server, root } = await setup();
    await tree(server, root, SUBJECTS, 1, 1);
    const slow = await alyxStatusWithDelay(server, root, 150);
    assert.ok(slow.sessions.every((s) => s.state === 'registered'));
    assert.ok(server.maxInFlight <= 4, `max in flight ${server.maxInFlight}`);
    assert.ok(server.maxInFlight >= 2, `max in flight ${server.maxInFlight}`);
  });

  test('a 429 waits for Retry-After, then goes on', async () => {
    const { server, root } = await setup();
    await tree(server, root, ['s01'], 2, 1);
    server.inject({ path: '/sessions', status: 429, retryAfter: 1 });
    const started = Date.now();
    const result = await alyxStatus({ roots: [root] }, client(server));
    assert.ok(Date.now() - started >= 1000, `waited ${Date.now() - started} ms`);
    assert.ok(result.sessions.every((s) => s.state === 'registered'));
    assert.deepEqual(server.requests.filter((r) => r.path === '/sessions').map((r) => r.status), [429, 200]);
  });

  test('a 500 mid-run makes that subject unknown, never not-registered', async () => {
    const { server, root } = await setup();
    await tree(server, root, ['s01', 's02', 's03'], 2, 1);
    server.inject({ path: '/datasets', status: 500, after: 1 });
    const result = await alyxStatus({ roots: [root] }, client(server));
    const unknown = result.sessions.filter((s) => s.state === 'unknown');
    assert.equal(unknown.length, 2);
    assert.equal(new Set(unknown.map((s) => s.subject)).size, 1);
    assert.ok(unknown.every((s) => s.unknownKind === 'http-error' && /HTTP error: .*HTTP 500 from GET/.test(s.reason ?? '') && s.files.length === 0));
    assert.equal(result.sessions.filter((s) => s.state === 'registered').length, 4);
    assert.ok(!result.sessions.some((s) => s.state === 'not-registered'));
    assert.equal(result.unknown, undefined);
  });

  test('an expired token: every session unknown, logged out, with the reason', async () => {
    const { server, root } = await setup();
    await tree(server, root, ['s01', 's02'], 2, 1);
    const c = client(server);
    server.revokeTokens();
    const result = await alyxStatus({ roots: [root] }, c);
    assert.ok(result.sessions.every((s) => s.state === 'unknown' && s.unknownKind === 'logged-out'));
    assert.equal(result.unknown?.kind, 'logged-out');
    assert.match(result.unknown?.reason ?? '', /logged out of http:\/\/127\.0\.0\.1:\d+: .*no longer valid/);
  });

  test('logged out: unknown without a request', async () => {
    const { server, root } = await setup();
    await tree(server, root, ['s01'], 1, 1);
    const result = await alyxStatus({ roots: [root] }, new AlyxClient({ baseUrl: server.url }));
    assert.equal(result.requests, 0);
    assert.equal(server.requests.length, 0);
    assert.equal(result.sessions[0]?.state, 'unknown');
    assert.match(result.unknown?.reason ?? '', /not logged in to http/);
  });

  test('Cancel stops the run with CancelledError, not a status', async () => {
    const { server, root } = await setup();
    await tree(server, root, ['s01', 's02'], 2, 1);
    server.inject({ path: /^\/(sessions|datasets)$/, delayMs: 300, passThrough: true, times: 100 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(alyxStatus({ roots: [root] }, client(server), { signal: controller.signal }), { name: 'CancelledError' });
  });

  test('server down: unknown, unreachable', async () => {
    const { server, root } = await setup();
    await tree(server, root, ['s01'], 1, 1);
    const url = server.url;
    const token = server.tokenFor();
    await server.close();
    cleanup = cleanup.slice(1);
    const result = await alyxStatus({ roots: [root] }, new AlyxClient({ baseUrl: url, token, username: 'test_user', retry: { retries: 0 } }));
    assert.equal(result.sessions[0]?.state, 'unknown');
    assert.equal(result.unknown?.kind, 'unreachable');
    assert.match(result.unknown?.reason ?? '', /server unreachable: Cannot reach Alyx at/);
  });
});

/** Runs alyxStatus while every list answer is held back `ms`, so that the requests overlap. */
async function alyxStatusWithDelay(server: AlyxTestServer, root: string, ms: number) {
  server.resetStats();
  server.inject({ path: /^\/(sessions|datasets)$/, delayMs: ms, passThrough: true, times: 1000 });
  return alyxStatus({ roots: [root] }, client(server));
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RegistrationClient } from '../../src/core/registration/client';
import { Md5Memo } from '../../src/core/registration/md5';
import type { FileMove } from '../../src/core/registration/moves';
import { alyxStatus, previewUnregistered, registerUnregistered, unregisteredOf } from '../../src/core/status';
import type { MovesAnswer, RegisterUnregisteredOptions } from '../../src/core/status';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { md5Of, tempDir } from '../alyx-server/testing';
import { client, register, sessionDir, writeSession } from './status-support';

/** Writes: every request that changes the server (or would). */
function writes(server: AlyxTestServer) {
  return server.requests.filter((r) => r.method !== 'GET');
}

async function setUp(t: { after: (fn: () => Promise<void>) => void }) {
  const server = await startAlyxServer();
  const root = await tempDir('alf-regall-');
  t.after(async () => {
    await server.close();
    await fs.rm(root, { recursive: true, force: true });
  });
  const reg = await RegistrationClient.create(client(server));
  return { server, root, reg };
}

async function statusOf(server: AlyxTestServer, root: string) {
  return (await alyxStatus({ roots: [root] }, client(server))).sessions;
}

const answer = (a: MovesAnswer): RegisterUnregisteredOptions['confirmMoves'] => () => a;
const yes = { confirmCount: () => true, confirmMoves: answer('move') } satisfies RegisterUnregisteredOptions;

/**
 * A registered session whose `alf/spikes.times.npy` Alyx has only in a protected revision: the
 * local original is not registered, and registering it moves it into today's revision first.
 */
async function protectedSession(server: AlyxTestServer, dir: string): Promise<void> {
  const [rev] = await writeSession(dir, { 'alf/#2024-01-01#/spikes.times.npy': 'times-rev' });
  await register(server, dir, [rev as string]);
  server.protect((d) => d.name === 'spikes.times.npy');
  await fs.rm(path.join(dir, 'alf/#2024-01-01#'), { recursive: true });
  await writeSession(dir, { 'alf/spikes.times.npy': 'times-new-and-longer' });
}

test('new sessions are created with their files, existing ones only get their unregistered files (never a PUT); the preview writes nothing', async (t) => {
  const { server, root, reg } = await setUp(t);
  const a = sessionDir(root, 'cortexlab', 'algernon', '2024-01-01');
  await register(server, a, await writeSession(a, { 'alf/trials.intervals.npy': 'intervals' }));
  await writeSession(a, { 'alf/wheel.position.npy': 'position', 'alf/foo.bar.npy': 'no type' });
  const b = sessionDir(root, 'cortexlab', 'algernon', '2024-01-02');
  await writeSession(b, { 'alf/trials.intervals.npy': 'b-intervals', 'notes.txt': 'not ALF' });
  const c = sessionDir(root, 'cortexlab', 'KS005', '2024-01-03');
  await writeSession(c, { 'alf/wheel.timestamps.npy': 'c-stamps' });
  const sessionsBefore = server.state.sessions.length;

  const targets = unregisteredOf(await statusOf(server, root));
  assert.deepEqual(targets.map((s) => [s.path, s.create, s.files]), [
    ['cortexlab/Subjects/KS005/2024-01-03/001', true, ['alf/wheel.timestamps.npy']],
    ['cortexlab/Subjects/algernon/2024-01-01/001', false, ['alf/wheel.position.npy']],
    ['cortexlab/Subjects/algernon/2024-01-02/001', true, ['alf/trials.intervals.npy']],
  ]);

  server.resetStats();
  const md5Memo = new Md5Memo();
  const preview = await previewUnregistered(reg, targets, { md5Memo });
  assert.deepEqual(writes(server), [], 'a preview sends no write');
  assert.equal(preview.needsCountConfirmation, false);
  const [pc, pa, pb] = preview.sessions;
  // The bodies Register Session would send: POST /sessions for new ones, then /register-file with md5s.
  assert.deepEqual(pc?.requests.map((r) => `${r.method} ${r.path}`), ['POST /sessions', 'POST /register-file']);
  assert.deepEqual(pa?.requests.map((r) => `${r.method} ${r.path}`), ['POST /register-file']);
  const body = pa?.requests[0]?.body as { filenames: string[]; hashes: string[]; path: string; labs: string };
  assert.deepEqual(body.filenames, ['alf/wheel.position.npy']);
  assert.deepEqual(body.hashes, [await md5Of(path.join(a, 'alf/wheel.position.npy'))]);
  assert.equal(body.path, 'algernon/2024-01-01/001');
  assert.equal(body.labs, 'cortexlab');
  assert.equal((pb?.requests[0]?.body as { subject: string }).subject, 'algernon');

  server.resetStats();
  const seen: string[] = [];
  const result = await registerUnregistered(reg, preview, { ...yes, md5Memo, onSession: (s) => void seen.push(`${s.path} ${s.outcome}`) });
  assert.equal(result.cancelled, false);
  assert.deepEqual(seen, targets.map((s) => `${s.path} registered`));
  assert.deepEqual(result.sessions.map((s) => [s.outcome, s.created, s.files.map((f) => f.rel)]), [
    ['registered', true, ['alf/wheel.timestamps.npy']],
    ['registered', false, ['alf/wheel.position.npy']],
    ['registered', true, ['alf/trials.intervals.npy']],
  ]);
  assert.ok(!server.requests.some((r) => r.method === 'PUT' || r.method === 'PATCH'), 'an existing session is never updated');
  assert.equal(server.requests.filter((r) => r.method === 'POST' && r.path === '/sessions').length, 2);
  assert.equal(server.state.sessions.length, sessionsBefore + 2);
  assert.equal(result.sessions[1]?.eid, server.state.sessions[0]?.id);

  // Alyx now has everything registrable: the status says so.
  const after = await statusOf(server, root);
  assert.deepEqual(unregisteredOf(after), []);
  assert.ok(after.every((s) => s.state === 'registered'));
});

test('a protected file moves only after a yes; "skip" and "cancel" leave the folder and the server as they were', async (t) => {
  const { server, root, reg } = await setUp(t);
  const d = sessionDir(root, 'cortexlab', 'algernon', '2024-02-01');
  await protectedSession(server, d);
  const e = sessionDir(root, 'cortexlab', 'algernon', '2024-02-02');
  await writeSession(e, { 'alf/trials.intervals.npy': 'e' });
  const targets = unregisteredOf(await statusOf(server, root));
  assert.deepEqual(targets.map((s) => [s.create, s.files]), [[false, ['alf/spikes.times.npy']], [true, ['alf/trials.intervals.npy']]]);
  const preview = await previewUnregistered(reg, targets);
  assert.equal(preview.moves.length, 1);
  assert.equal(path.relative(d, preview.moves[0]?.from ?? ''), path.join('alf', 'spikes.times.npy'));
  assert.match(path.relative(d, preview.moves[0]?.to ?? ''), /^alf[/\\]#\d{4}-\d{2}-\d{2}#[/\\]spikes\.times\.npy$/);

  server.resetStats();
  const cancelled = await registerUnregistered(reg, preview, { ...yes, confirmMoves: answer('cancel') });
  assert.equal(cancelled.declined, 'moves');
  assert.deepEqual(writes(server), []);
  assert.ok(existsSync(path.join(d, 'alf/spikes.times.npy')));

  let asked: readonly FileMove[] = [];
  const skipped = await registerUnregistered(reg, preview, { ...yes, confirmMoves: (moves) => ((asked = moves), 'skip-sessions') });
  assert.deepEqual(asked, preview.moves);
  assert.deepEqual(skipped.sessions.map((s) => s.outcome), ['skipped', 'registered']);
  assert.match(skipped.sessions[0]?.error ?? '', /1 protected file\(s\) would have moved/);
  assert.ok(existsSync(path.join(d, 'alf/spikes.times.npy')), 'nothing moved');
  assert.ok(!writes(server).some((r) => (r.body as { path?: string } | undefined)?.path === 'algernon/2024-02-01/001'));

  const moved = await registerUnregistered(reg, await previewUnregistered(reg, unregisteredOf(await statusOf(server, root))), yes);
  assert.deepEqual(moved.sessions.map((s) => s.outcome), ['registered']);
  assert.equal(moved.sessions[0]?.moves.length, 1);
  assert.match(moved.sessions[0]?.files[0]?.registeredAs ?? '', /^alf\/#\d{4}-\d{2}-\d{2}#\/spikes\.times\.npy$/);
  assert.ok(existsSync(moved.sessions[0]?.moves[0]?.to ?? ''));
});

test('a move the preview did not predict is asked about again, and a no moves nothing', async (t) => {
  const { server, root, reg } = await setUp(t);
  const d = sessionDir(root, 'cortexlab', 'algernon', '2024-02-01');
  await protectedSession(server, d);
  const preview = await previewUnregistered(reg, unregisteredOf(await statusOf(server, root)));
  // Unprotected since the preview… and protected again before the run.
  server.state.datasets.forEach((ds) => (ds.protected = false));
  const unpredicted = await previewUnregistered(reg, unregisteredOf(await statusOf(server, root)));
  assert.equal(unpredicted.moves.length, 0);
  server.protect((ds) => ds.name === 'spikes.times.npy');
  const asked: Array<string | undefined> = [];
  const result = await registerUnregistered(reg, unpredicted, { ...yes, confirmMoves: (_moves, session) => (asked.push(session), 'cancel') });
  assert.deepEqual(asked, ['cortexlab/Subjects/algernon/2024-02-01/001']);
  assert.equal(result.sessions[0]?.outcome, 'failed');
  assert.match(result.sessions[0]?.error ?? '', /not confirmed, so nothing was moved or registered/);
  assert.ok(existsSync(path.join(d, 'alf/spikes.times.npy')));
  assert.equal(preview.moves.length, 1);
});

test('a 500 mid-run fails that session only; the run goes on and reports the moves made before it', async (t) => {
  const { server, root, reg } = await setUp(t);
  const d = sessionDir(root, 'cortexlab', 'algernon', '2024-02-01');
  await protectedSession(server, d);
  await writeSession(sessionDir(root, 'cortexlab', 'algernon', '2024-02-02'), { 'alf/trials.intervals.npy': 'e' });
  await writeSession(sessionDir(root, 'cortexlab', 'algernon', '2024-02-03'), { 'alf/trials.intervals.npy': 'f' });
  const preview = await previewUnregistered(reg, unregisteredOf(await statusOf(server, root)));
  // D: 403 protected, then the retry after the move; E's /register-file is the third and fails.
  server.inject({ method: 'POST', path: '/register-file', after: 2, status: 500 });
  const result = await registerUnregistered(reg, preview, yes);
  assert.deepEqual(result.sessions.map((s) => [s.outcome, s.created]), [['registered', false], ['failed', true], ['registered', true]]);
  assert.equal(result.sessions[0]?.moves.length, 1, 'the move of the first session is reported');
  assert.ok(existsSync(result.sessions[0]?.moves[0]?.to ?? ''));
  assert.match(result.sessions[1]?.error ?? '', /500|Injected server error/);
  assert.ok(result.sessions[1]?.eid, 'the session created before its files failed is named');
  assert.deepEqual(result.sessions[1]?.files, []);

  // A 500 on the retry after a move: the file is put back, and the move reported as undone.
  const g = sessionDir(root, 'cortexlab', 'KS005', '2024-02-04');
  await protectedSession(server, g);
  const again = await previewUnregistered(reg, unregisteredOf(await statusOf(server, root)).filter((s) => s.absPath === g));
  server.inject({ method: 'POST', path: '/register-file', after: 1, status: 500 });
  const failed = await registerUnregistered(reg, again, yes);
  assert.equal(failed.sessions[0]?.outcome, 'failed');
  assert.equal(failed.sessions[0]?.movedBack.length, 1);
  assert.deepEqual(failed.sessions[0]?.moves, []);
  assert.ok(existsSync(path.join(g, 'alf/spikes.times.npy')));
});

test('Cancel stops before the next session; what was registered stands and the rest are reported cancelled', async (t) => {
  const { server, root, reg } = await setUp(t);
  for (const day of ['01', '02', '03']) await writeSession(sessionDir(root, 'cortexlab', 'algernon', `2024-03-${day}`), { 'alf/trials.intervals.npy': day });
  const preview = await previewUnregistered(reg, unregisteredOf(await statusOf(server, root)));
  const controller = new AbortController();
  const result = await registerUnregistered(reg, preview, { ...yes, signal: controller.signal, onSession: () => controller.abort() });
  assert.equal(result.cancelled, true);
  assert.deepEqual(result.sessions.map((s) => s.outcome), ['registered', 'cancelled', 'cancelled']);
  assert.equal(server.state.sessions.length, 1);
});

test('more than 50 sessions need the count confirmed: no, and nothing is sent', async (t) => {
  const { server, root, reg } = await setUp(t);
  for (let n = 1; n <= 51; n++) await fs.mkdir(sessionDir(root, 'cortexlab', 'algernon', '2024-04-01', String(n).padStart(3, '0')), { recursive: true });
  const targets = unregisteredOf(await statusOf(server, root));
  assert.equal(targets.length, 51);
  const preview = await previewUnregistered(reg, targets);
  assert.equal(preview.needsCountConfirmation, true);
  const fifty = await previewUnregistered(reg, targets.slice(0, 50));
  assert.equal(fifty.needsCountConfirmation, false);
  server.resetStats();
  let asked = 0;
  const result = await registerUnregistered(reg, preview, { ...yes, confirmCount: (n) => ((asked = n), false) });
  assert.equal(asked, 51);
  assert.equal(result.declined, 'count');
  assert.deepEqual(writes(server), []);
  assert.equal(server.state.sessions.length, 0);
});

test('logged out or unreachable mid-run stops the run: the sessions after it are not reached, and say why', async (t) => {
  const { server, root, reg } = await setUp(t);
  for (const day of ['01', '02', '03']) await writeSession(sessionDir(root, 'cortexlab', 'algernon', `2024-05-${day}`), { 'alf/trials.intervals.npy': day });
  const preview = await previewUnregistered(reg, unregisteredOf(await statusOf(server, root)));
  server.resetStats();
  server.inject({ method: 'POST', path: '/sessions', after: 1, drop: true });
  const result = await registerUnregistered(reg, preview, yes);
  assert.deepEqual(result.sessions.map((s) => s.outcome), ['registered', 'failed', 'cancelled']);
  assert.match(result.stopped ?? '', /^server unreachable: /);
  assert.match(result.sessions[2]?.error ?? '', /^not reached: server unreachable/);
  assert.equal(server.requests.filter((r) => r.method === 'POST' && r.path === '/sessions').length, 2, 'nothing is sent after the failure');
  assert.equal(result.cancelled, false);
});

test('unregisteredOf: unknown sessions and sessions with nothing but changed, unregistrable or server-only files are left out', () => {
  const base = { lab: 'cortexlab', subject: 'algernon', date: '2024-06-01', number: 1, eid: null };
  const sessions = [
    { ...base, path: 'a', absPath: '/d/a', state: 'unknown' as const, reason: 'server unreachable', files: [] },
    {
      ...base, path: 'b', absPath: '/d/b', state: 'registered' as const, eid: 'e',
      files: [
        { relPath: 'alf/x.y.npy', state: 'changed' as const },
        { relPath: 'alf/foo.bar.npy', state: 'not-registrable' as const },
        { relPath: 'alf/z.w.npy', state: 'server-only' as const },
      ],
    },
    { ...base, path: 'c', absPath: '/d/c', state: 'registered' as const, eid: 'e2', files: [{ relPath: 'alf/x.y.npy', state: 'changed' as const }, { relPath: 'alf/new.one.npy', state: 'not-registered' as const }] },
    { ...base, path: 'd', absPath: '/d/d', state: 'not-registered' as const, files: [{ relPath: 'notes.txt', state: 'not-registrable' as const }] },
  ];
  assert.deepEqual(unregisteredOf(sessions).map((s) => [s.path, s.create, s.files]), [['c', false, ['alf/new.one.npy']], ['d', true, []]]);
});

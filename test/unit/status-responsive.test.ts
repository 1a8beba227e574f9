import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alyxStatus } from '../../src/core/status';
import type { AlyxTestServer } from '../alyx-server';
import { loggedInClient, startServerForTree } from '../alyx-server/testing';
import { describeTurns, measureTurns } from '../event-loop';

/** Two subjects of many sessions: without slices, each subject's sessions would be read and compared in one turn once its answer is in. */
const SUBJECTS = ['KS001', 'KS002'];
const PER_SUBJECT = 300;
const SESSIONS = SUBJECTS.length * PER_SUBJECT;
const ATTRIBUTES = ['intervals', 'choice', 'feedbackType', 'stimOn_times'];
/**
 * The bound asserted on the longest turn, in CPU time, which a busy machine does not stretch
 * (waiting for a core is not CPU time; the in-process server's answers and, on Node 20, GC
 * threads do add to it): ten 10 ms slices' worth. Measured here in slices: 26–46 ms of CPU.
 * Without slices a subject's 300 sessions are read and compared in one turn once its answer is
 * in: 22–146 ms of CPU here, depending on the machine's load and caches, so this size does not
 * always tell the two apart; both figures, and the wall times, are printed.
 */
const BOUND_MS = 100;

describe('alyxStatus keeps the event loop responsive', () => {
  let dir: string;
  let server: AlyxTestServer;
  let files = 0;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'alf-status-turns-'));
    for (const subject of SUBJECTS) {
      for (let i = 0; i < PER_SUBJECT; i++) {
        const date = new Date(Date.UTC(2023, 0, 1 + i)).toISOString().slice(0, 10);
        const alf = path.join(dir, 'data', 'cortexlab', 'Subjects', subject, date, '001', 'alf');
        await fs.mkdir(alf, { recursive: true });
        await Promise.all(ATTRIBUTES.map((a, n) => fs.writeFile(path.join(alf, `_ibl_trials.${a}.npy`), Buffer.alloc(n))));
      }
    }
    const started = await startServerForTree(path.join(dir, 'data'));
    server = started.server;
    files = started.files;
  });

  after(async () => {
    await server?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test(`over ${SESSIONS} sessions of two subjects against the test server, no turn holds the thread for more than ${BOUND_MS} ms of CPU`, async () => {
    const root = path.join(dir, 'data');
    // Once first, unmeasured: a process's first fetch loads undici, and the code is not yet compiled.
    await alyxStatus({ roots: [root] }, loggedInClient(server));
    const seen: string[] = [];
    const turns = measureTurns();
    const result = await alyxStatus({ roots: [root] }, loggedInClient(server), { onSession: (s) => seen.push(s.path) });
    const sliced = turns.stop();

    const unsliced = measureTurns();
    const again = await alyxStatus({ roots: [root] }, loggedInClient(server), { sliceMs: Infinity });
    const without = unsliced.stop();
    console.log(`  ${SESSIONS} sessions of ${SUBJECTS.length} subjects, ${files} files, ${result.requests} requests; in 10 ms slices: ${describeTurns(sliced)}; without slices: ${describeTurns(without)}; load ${os.loadavg()[0]?.toFixed(2)}`);

    assert.equal(result.sessions.length, SESSIONS);
    assert.ok(result.sessions.every((s) => s.state === 'registered' && s.files.length > 0 && s.files.every((f) => f.state === 'registered')));
    assert.deepEqual(seen, result.sessions.map((s) => s.path), 'every session reported once, in order, as it was known');
    assert.deepEqual(again.sessions, result.sessions, 'the slices change when the work is done, not what it finds');
    assert.ok(sliced.cpuMaxMs < BOUND_MS, `longest turn ${sliced.cpuMaxMs.toFixed(0)} ms of CPU`);
  });
});

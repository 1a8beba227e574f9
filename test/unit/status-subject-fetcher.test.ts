// What the status run keeps of a subject's answer (src/core/status/server-index.ts), against the
// test server over real HTTP: the datasets sorted into sessions in the run's time slices, with
// only the fields the comparison reads, reused until the run lets the subject go.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SubjectFetcher } from '../../src/core/status/server-index';
import { Slicer } from '../../src/core/status/slices';
import type { AlyxTestServer } from '../alyx-server';
import { loggedInClient, startServerForTree } from '../alyx-server/testing';

const SUBJECT = 'KS001';
const SESSIONS = 3;
const ATTRIBUTES = ['intervals', 'choice', 'feedbackType'];
/** What compareSessionFiles reads of a listed dataset (and `session`, to sort it into its session). */
const COMPARED = new Set(['id', 'name', 'collection', 'revision', 'hash', 'file_size', 'protected', 'created_datetime', 'session', 'file_records']);

describe('SubjectFetcher', () => {
  let dir: string;
  let server: AlyxTestServer;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'alf-subject-fetcher-'));
    for (let i = 0; i < SESSIONS; i++) {
      const alf = path.join(dir, 'data', 'cortexlab', 'Subjects', SUBJECT, `2023-01-0${i + 1}`, '001', 'alf');
      await fs.mkdir(alf, { recursive: true });
      await Promise.all(ATTRIBUTES.map((a, n) => fs.writeFile(path.join(alf, `_ibl_trials.${a}.npy`), Buffer.alloc(n))));
    }
    server = (await startServerForTree(path.join(dir, 'data'))).server;
  });

  after(async () => {
    await server?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('sorts the datasets into sessions between slices, keeps the compared fields only, and asks again once forgotten', async () => {
    const client = loggedInClient(server);
    // A budget of 0 yields before every item: each dataset is sorted in a turn of its own.
    const slicer = new Slicer({ budgetMs: 0 });
    const fetcher = new SubjectFetcher(client, 4, undefined, slicer);
    const answer = await fetcher.subject(SUBJECT, '2023-01-01', '2023-01-03', () => true);

    const datasets = [...answer.datasets.values()].flat();
    assert.equal(answer.sessions.length, SESSIONS);
    assert.equal(datasets.length, SESSIONS * ATTRIBUTES.length);
    assert.ok(slicer.yields >= datasets.length, `${slicer.yields} yields for ${datasets.length} datasets`);
    for (const d of datasets) {
      const extra = Object.keys(d).filter((k) => !COMPARED.has(k));
      assert.deepEqual(extra, [], `fields kept beyond those compared: ${extra.join(', ')}`);
      assert.ok(d.id && d.name && d.file_records?.length, JSON.stringify(d));
    }

    const requests = client.requestCount;
    assert.equal(await fetcher.subject(SUBJECT, '2023-01-01', '2023-01-03', () => true), answer, 'reused within the run');
    assert.equal(client.requestCount, requests);
    fetcher.forget(SUBJECT);
    const again = await fetcher.subject(SUBJECT, '2023-01-01', '2023-01-03', () => true);
    assert.notEqual(again, answer);
    assert.ok(client.requestCount > requests, 'asked again once forgotten');
    assert.deepEqual(again.datasets, answer.datasets);
  });
});

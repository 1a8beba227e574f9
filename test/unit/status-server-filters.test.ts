import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { seedSession, tempDir } from '../alyx-server/testing';
import { register, sessionDir, writeSession } from './status-support';

/** The test server's `/sessions` and `/datasets` filters answer with Alyx's names and semantics. */
describe('test Alyx server: list filters of /sessions and /datasets', () => {
  let server: AlyxTestServer;
  let root: string;
  let other: string;
  const get = async (p: string): Promise<{ status: number; body: { count: number; next: string | null; results: Array<Record<string, unknown>> } }> => {
    const r = await fetch(`${server.url}${p}`, { headers: { Authorization: `Token ${server.tokenFor()}` } });
    return { status: r.status, body: (await r.json()) as never };
  };
  before(async () => {
    server = await startAlyxServer({ maxLimit: 2 });
    root = await tempDir('alf-status-filters-');
    const a = sessionDir(root, 'cortexlab', 'algernon', '2024-01-01');
    await register(server, a, await writeSession(a, { 'alf/trials.intervals.npy': 'a', 'alf/#2024-02-02#/wheel.position.npy': 'bb' }));
    const b = sessionDir(root, 'cortexlab', 'algernon', '2024-01-05', '002');
    await register(server, b, await writeSession(b, { 'alf/trials.choice.npy': 'c' }));
    other = seedSession(server, 'ZM_1085', '2024-01-01', 1);
    server.protect((d) => d.name === 'trials.choice.npy');
  });
  after(async () => {
    await server.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  test('/sessions: subject and lab are case-insensitive, date_range takes two dates, number is exact', async () => {
    assert.equal((await get('/sessions?subject=ALGERNON')).body.count, 2);
    assert.equal((await get('/sessions?nickname=algernon&lab=CortexLab')).body.count, 2);
    assert.equal((await get('/sessions?subject=algernon&date_range=2024-01-02,2024-01-31')).body.count, 1);
    assert.equal((await get('/sessions?subject=algernon&number=2')).body.count, 1);
    // Alyx indexes the second date: one date alone is a server error there.
    assert.equal((await get('/sessions?date_range=2024-01-01')).status, 500);
    // An unknown filter, or an empty value, is ignored: everything comes back.
    assert.equal((await get('/sessions?colour=blue')).body.count, 3);
    assert.equal((await get('/sessions?subject=')).body.count, 3);
  });

  test('/datasets: subject, lab, date, experiment_number, collection, revision, name are exact', async () => {
    assert.equal((await get('/datasets?subject=algernon')).body.count, 3);
    assert.equal((await get('/datasets?subject=ALGERNON')).body.count, 0);
    assert.equal((await get('/datasets?lab=cortexlab&date=2024-01-05')).body.count, 1);
    assert.equal((await get('/datasets?experiment_number=1&subject=algernon')).body.count, 2);
    assert.equal((await get('/datasets?revision=2024-02-02')).body.count, 1);
    assert.equal((await get('/datasets?collection=alf&name=trials.intervals.npy')).body.count, 1);
    assert.equal((await get(`/datasets?session=${other}`)).body.count, 0);
    assert.equal((await get('/datasets?protected=True')).body.count, 1);
    assert.equal((await get('/datasets?protected=False')).body.count, 2);
    assert.equal((await get('/datasets?exists=True')).body.count, 0); // registered without a repository: no file record exists yet
    assert.equal((await get('/datasets?qc=not_set')).body.count, 3);
    assert.equal((await get('/datasets?qc=nonsense')).status, 500);
  });

  test('pages: limit capped at max_limit, absolute next links carrying the filters', async () => {
    const first = await get('/datasets?subject=algernon&limit=1000');
    assert.equal(first.body.results.length, 2);
    assert.match(first.body.next ?? '', /^http:\/\/127\.0\.0\.1:\d+\/datasets\?subject=algernon&limit=2&offset=2$/);
    const second = await get(new URL(first.body.next as string).pathname + new URL(first.body.next as string).search);
    assert.equal(second.body.results.length, 1);
    assert.equal(second.body.next, null);
  });
});

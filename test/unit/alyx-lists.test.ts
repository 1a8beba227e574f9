/** The pick-lists of the Alyx forms (users, procedures, projects, …) read from a real test server over HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AlyxConnectionError } from '../../src/core/alyx';
import { loadLists } from '../../src/providers/alyx/lists';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { loggedInClient } from '../alyx-server/testing';

describe('Alyx form pick-lists', () => {
  let server: AlyxTestServer;
  before(async () => {
    server = await startAlyxServer({ pageSize: 2 });
  });
  after(() => server.close());

  test('every list comes from its endpoint, de-duplicated and sorted, across pages', async () => {
    const lists = await loadLists(loggedInClient(server), ['users', 'procedures', 'projects', 'waterTypes', 'subjects', 'repositories']);
    assert.deepEqual(lists.users, ['olivier', 'test_user']);
    assert.deepEqual(lists.procedures, ['Behavior training/tasks', 'Ephys recording with acute probe(s)', 'Handling/habituation', 'Imaging']);
    assert.deepEqual(lists.projects, ['ibl_neuropixel_brainwide_01', 'practice']);
    assert.deepEqual(lists.waterTypes, ['Hydrogel', 'Water', 'Water 10% Sucrose']);
    assert.deepEqual(lists.subjects, ['algernon', 'KS005', 'ZM_1085']);
    assert.ok(lists.repositories && lists.repositories.length >= 4, String(lists.repositories));
  });

  test('a list the server lacks (an HTML 404) falls back to free text; an unreachable server is an error', async () => {
    server.inject({ method: 'GET', path: '/procedures', status: 404, body: '<h1>Not Found</h1>', headers: { 'Content-Type': 'text/html' } });
    const lists = await loadLists(loggedInClient(server), ['users', 'procedures']);
    assert.equal(lists.procedures, null);
    assert.deepEqual(lists.users, ['olivier', 'test_user']);
    server.inject({ method: 'GET', path: '/users', drop: true, times: 10 });
    await assert.rejects(loadLists(loggedInClient(server), ['users']), AlyxConnectionError);
  });
});

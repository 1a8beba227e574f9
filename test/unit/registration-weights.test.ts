import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AlyxHttpError } from '../../src/core/alyx';
import { AlyxMemberNotFoundError, InvalidInputError, RegistrationClient } from '../../src/core/registration';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { loggedInClient, seedSession } from '../alyx-server/testing';

describe('weighings and water administrations', () => {
  let server: AlyxTestServer;
  let rc: RegistrationClient;
  before(async () => {
    server = await startAlyxServer();
    rc = await RegistrationClient.create(loggedInClient(server));
  });
  after(() => server.close());
  const lastPost = () => server.requests.filter((r) => r.method === 'POST').at(-1);

  test('registerWeight posts ONE\'s body, rounded to 4 significant figures', async () => {
    const record = await rc.registerWeight('algernon', 35.10000000235, { dateTime: '2024-01-15T09:30' });
    assert.deepEqual(lastPost()?.body, { subject: 'algernon', date_time: '2024-01-15T09:30:00', weight: 35.1, user: 'test_user' });
    assert.equal(record.weight, 35.1);
    assert.equal(record.user, 'test_user');
    assert.match(record.url, /\/weighings\/[0-9a-f-]{36}$/);
    await rc.registerWeight('algernon', 20.125, { user: 'olivier' });
    assert.equal((lastPost()?.body as { weight: number }).weight, 20.12);
    assert.equal(server.state.weighings.at(-1)?.user, 'olivier');
    assert.match(server.state.weighings.at(-1)?.date_time ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  });

  test('registerWaterAdministration posts ONE\'s body, with session, water type and adlib', async () => {
    const eid = seedSession(server, 'KS005', '2024-01-15', 1);
    const record = await rc.registerWaterAdministration('KS005', 0.123456, {
      dateTime: '2024-01-15T09:30:00+01:00', session: `${server.url}/sessions/${eid}`, waterType: 'Water 10% Sucrose', adlib: true,
    });
    assert.deepEqual(lastPost()?.body, {
      subject: 'KS005', date_time: '2024-01-15T09:30:00+01:00', water_administered: 0.1235, water_type: 'Water 10% Sucrose', user: 'test_user', adlib: true, session: eid,
    });
    assert.equal(record.session, eid);
    assert.equal(record.date_time, '2024-01-15T08:30:00', 'the server stores UTC without the offset');
    await rc.registerWaterAdministration('KS005', 1);
    assert.deepEqual(Object.keys(lastPost()?.body as object), ['subject', 'date_time', 'water_administered', 'water_type', 'user', 'adlib']);
    assert.equal((lastPost()?.body as { water_type: string }).water_type, 'Water');
  });

  test('amounts ≤ 0 or not numbers, bad dates and bad session ids fail before any request', async () => {
    const n = server.requests.length;
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(rc.registerWeight('algernon', bad), (err: unknown) => err instanceof InvalidInputError && err.field === 'weight' && /greater than 0/.test(err.message));
      await assert.rejects(rc.registerWaterAdministration('algernon', bad), (err: unknown) => err instanceof InvalidInputError && err.field === 'volume');
    }
    await assert.rejects(rc.registerWeight('algernon', '20' as unknown as number), InvalidInputError);
    await assert.rejects(rc.registerWeight('algernon', 20, { dateTime: '15/01/2024' }), (err: unknown) => err instanceof InvalidInputError && err.field === 'dateTime');
    await assert.rejects(rc.registerWaterAdministration('algernon', 1, { session: 'NaN' }), /Failed to parse session ID from "NaN"/);
    assert.equal(server.requests.length, n);
  });

  test('unknown subject, user or water type', async () => {
    await assert.rejects(rc.registerWeight('nobody', 20), (err: unknown) => err instanceof AlyxMemberNotFoundError && err.message === `Subject "nobody" does not exist on ${server.url}`);
    await assert.rejects(rc.registerWeight('algernon', 20, { user: 'ghost' }), (err: unknown) => err instanceof AlyxMemberNotFoundError && /User "ghost"/.test(err.message));
    await assert.rejects(rc.registerWaterAdministration('algernon', 1, { waterType: 'Milk' }), (err: unknown) => err instanceof AlyxHttpError && err.message === 'water_type: Object with name=Milk does not exist.');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AlyxHttpError } from '../../src/core/alyx/errors';
import { isRecordMessage } from '../../src/protocol/alyx';
import { subjectWaterStatus, waterStatusOf } from '../../src/core/registration/water-status';
import { type AlyxTestServer, startAlyxServer } from '../alyx-server';
import { loggedInClient } from '../alyx-server/testing';
import { WaterControl } from '../alyx-server/water-control';

/** `yyyy-mm-dd` n days from the server's today. */
const dayOffset = (n: number) => new Date(Date.parse(`${WaterControl.today()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const close = (actual: number | null | undefined, expected: number, what: string) => assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

describe("the test server's water control (Alyx's water_control.py)", () => {
  let server: AlyxTestServer;
  const today = WaterControl.today();
  before(async () => {
    server = await startAlyxServer();
    const st = server.state;
    // algernon: restricted 3 days ago with a reference weight of 25 g; weighed yesterday and today; water today in and out of a session.
    st.waterRestrictions.push({ id: 'wr1', subject: 'algernon', start_time: `${dayOffset(-3)}T08:00:00`, end_time: null, reference_weight: 25 });
    st.weighings.push(
      { id: 'w1', subject: 'algernon', date_time: `${dayOffset(-1)}T09:00:00`, weight: 24, user: 'test_user' },
      { id: 'w2', subject: 'algernon', date_time: `${today}T08:30:00`, weight: 21.5, user: 'test_user' },
    );
    st.waterAdministrations.push(
      { id: 'a1', subject: 'algernon', date_time: `${today}T10:00:00`, water_administered: 0.3, water_type: 'Water', user: 'test_user', adlib: false, session: '5d1e8b4c-9b1a-4f8e-8c9e-0a6f7d2b3c4d' },
      { id: 'a2', subject: 'algernon', date_time: `${today}T17:00:00`, water_administered: 0.2, water_type: 'Water', user: 'test_user', adlib: false, session: null },
      { id: 'a3', subject: 'algernon', date_time: `${dayOffset(-1)}T17:00:00`, water_administered: 1, water_type: 'Water', user: 'test_user', adlib: false, session: null },
    );
    // KS005: a 1.5 g implant, then a restriction with no reference weight (the last weighing before it counts); light today.
    st.surgeries.push({ id: 's1', subject: 'KS005', start_time: `${dayOffset(-10)}T12:00:00`, implant_weight: 1.5 });
    st.weighings.push(
      { id: 'w3', subject: 'KS005', date_time: `${dayOffset(-5)}T09:00:00`, weight: 26, user: 'test_user' },
      { id: 'w4', subject: 'KS005', date_time: `${today}T09:00:00`, weight: 20.5, user: 'test_user' },
    );
    st.waterRestrictions.push({ id: 'wr2', subject: 'KS005', start_time: `${dayOffset(-4)}T08:00:00`, end_time: null, reference_weight: 0 });
  });
  after(() => server.close());

  test('subject record: reference weight, last restriction, expected and remaining water for today; detail lists weighings and water', async () => {
    const alyx = loggedInClient(server);
    const s = await alyx.get<Record<string, unknown>>('/subjects/algernon');
    assert.equal(s.reference_weight, 25);
    assert.equal(s.last_water_restriction, `${dayOffset(-3)}T08:00:00`);
    close(s.expected_water as number, 0.04 * 21.5, 'expected water (4 % of the weight: above 80 % of the reference)');
    close(s.remaining_water as number, 0.04 * 21.5 - 0.5, 'remaining water');
    assert.equal((s.weighings as unknown[]).length, 2);
    assert.equal((s.water_administrations as unknown[]).length, 3);
    const list = await alyx.get<{ results: Array<Record<string, unknown>> }>('/subjects', { query: { nickname: 'ZM_1085' } });
    assert.deepEqual([list.results[0]?.reference_weight, list.results[0]?.last_water_restriction, list.results[0]?.expected_water], [0, null, 0], 'no restriction, no weighing');
    assert.equal(list.results[0]?.weighings, undefined, 'the list serializer has no weighings');
  });

  test('water-requirement: one record per day with the percentage, water given in and out of sessions; implant weight taken off', async () => {
    const alyx = loggedInClient(server);
    const r = await alyx.get<{ subject: string; reference_weight_pct: number; records: Array<Record<string, number | string | boolean | null>> }>('/water-requirement/algernon', {
      query: { start_date: dayOffset(-1), end_date: today },
    });
    assert.equal(r.reference_weight_pct, 0.8);
    assert.deepEqual(r.records.map((x) => x.date), [dayOffset(-1), today]);
    const [yesterday, now] = r.records as [Record<string, number>, Record<string, number>];
    close(yesterday.percentage_weight!, 96, "yesterday's 24 g of 25");
    close(now.percentage_weight!, 86, "today's 21.5 g of 25");
    close(now.given_water_reward!, 0.3, 'in a session');
    close(now.given_water_supplement!, 0.2, 'outside sessions');
    close(now.excess_water!, 0.5 - 0.86, 'excess = given - expected');
    const ks = await alyx.get<{ records: Array<Record<string, number>> }>('/water-requirement/KS005', { query: { start_date: today, end_date: today } });
    const k = ks.records[0]!;
    close(k.reference_weight!, 26 - 1.5, 'the weighing before the restriction, less the implant');
    close(k.percentage_weight!, (100 * (20.5 - 1.5)) / (26 - 1.5), 'of the expected weight, implant off both');
    close(k.expected_water!, 0.05 * (20.5 - 1.5), '5 % below the 80 % threshold');
    await assert.rejects(alyx.get('/water-requirement/nobody'), (err: unknown) => err instanceof AlyxHttpError && err.status === 500);
  });

  test("the form's status: last weight and date, reference weight and the % of it, water required / given / remaining", async () => {
    const status = await subjectWaterStatus(loggedInClient(server), 'algernon', { today });
    assert.deepEqual(status.lastWeighing, { weight: 21.5, dateTime: `${today}T08:30:00` });
    assert.equal(status.referenceWeight, 25);
    close(status.percentOfExpected, 86, 'percent');
    assert.equal(status.waterRestrictionSince, `${dayOffset(-3)}T08:00:00`);
    close(status.expectedWater, 0.86, 'expected');
    close(status.givenWater, 0.5, 'given today');
    close(status.remainingWater, 0.36, 'remaining');
  });

  test('a subject Alyx knows little about: unknowns stay null, not 0', async () => {
    const status = await subjectWaterStatus(loggedInClient(server), 'ZM_1085', { today });
    assert.deepEqual(
      { ...status, expectedWater: null },
      { subject: 'ZM_1085', date: today, lastWeighing: null, referenceWeight: null, percentOfExpected: null, waterRestrictionSince: null, expectedWater: null, givenWater: 0, remainingWater: 0 },
    );
  });

  test('a server without /water-requirement: the subject record still gives the rest; water given is summed from its list', async () => {
    server.inject({ path: /^\/water-requirement\//, status: 404, body: { detail: 'Not found.' } });
    const status = await subjectWaterStatus(loggedInClient(server), 'algernon', { today });
    assert.equal(status.percentOfExpected, null);
    close(status.givenWater, 0.5, 'given today, from the list');
    assert.equal(status.referenceWeight, 25);
  });

  test('an unknown subject is an error the form can show', async () => {
    await assert.rejects(subjectWaterStatus(loggedInClient(server), 'nobody', { today }), (err: unknown) => err instanceof AlyxHttpError && err.status === 404);
  });

  test('odd answers: non-numbers are unknown', () => {
    const s = waterStatusOf({ nickname: 'x', reference_weight: 'n/a', weighings: [{ date_time: 3, weight: 2 }, { date_time: '2024-01-01T00:00:00', weight: 'heavy' }] }, { percentage_weight: Number.NaN }, '2024-01-01');
    assert.deepEqual([s.lastWeighing, s.referenceWeight, s.percentOfExpected, s.givenWater, s.waterRestrictionSince], [null, null, null, null, undefined]);
  });

  test("the form's messages: a chosen subject asks for its status", () => {
    assert.equal(isRecordMessage({ type: 'subject', subject: 'algernon' }), true);
    assert.equal(isRecordMessage({ type: 'subject' }), false);
    assert.equal(isRecordMessage({ type: 'subject', subject: 3 }), false);
  });
});

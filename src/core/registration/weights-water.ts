/** ONE's `register_weight` and `register_water_administration`: one record each, checked first. */
import type { AlyxClient } from '../alyx/client';
import type { WaterAdministrationRecord, WeighingRecord } from '../alyx/records';
import { uuidFromUrl } from '../alyx/records';
import { InvalidInputError } from './errors';
import { ensureIso8601 } from './iso8601';
import { assertExists, createdBy } from './members';
import { roundSignificant } from './significant';
import type { WaterAdministrationOptions, WeightOptions } from './types';

/** ONE's `register_water_administration`; the volume (ml) is rounded to 4 significant figures. */
export async function registerWaterAdministration(alyx: AlyxClient, subject: string, volume: number, options: WaterAdministrationOptions = {}): Promise<WaterAdministrationRecord> {
  requirePositive('volume', volume, 'ml');
  const dateTime = ensureIso8601(options.dateTime, 'dateTime');
  const session = options.session === undefined ? undefined : parseEid(options.session);
  const user = createdBy(alyx, options.user, 'user');
  await assertExists(alyx, subject, 'subjects', { signal: options.signal });
  await assertExists(alyx, user, 'users', { signal: options.signal });
  const body: Record<string, unknown> = {
    subject,
    date_time: dateTime,
    water_administered: roundSignificant(volume, 4),
    water_type: options.waterType ?? 'Water',
    user,
    adlib: options.adlib ?? false,
  };
  if (session) body.session = session;
  return alyx.post<WaterAdministrationRecord>('/water-administrations', body, { signal: options.signal });
}

/** ONE's `register_weight`; the weight (g) is rounded to 4 significant figures. */
export async function registerWeight(alyx: AlyxClient, subject: string, weight: number, options: WeightOptions = {}): Promise<WeighingRecord> {
  requirePositive('weight', weight, 'g');
  const dateTime = ensureIso8601(options.dateTime, 'dateTime');
  const user = createdBy(alyx, options.user, 'user');
  await assertExists(alyx, subject, 'subjects', { signal: options.signal });
  await assertExists(alyx, user, 'users', { signal: options.signal });
  const body = { subject, date_time: dateTime, weight: roundSignificant(weight, 4), user };
  return alyx.post<WeighingRecord>('/weighings', body, { signal: options.signal });
}

function requirePositive(field: string, value: number, unit: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(field, `${field} must be a number of ${unit} greater than 0, not ${String(value)}`);
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseEid(session: string | { url: string }): string {
  const raw = typeof session === 'string' ? session : session.url;
  const id = uuidFromUrl(raw ?? '');
  if (!UUID_RE.test(id)) throw new InvalidInputError('session', `Failed to parse session ID from "${raw}": expected a session UUID or a URL ending with one`);
  return id.toLowerCase();
}

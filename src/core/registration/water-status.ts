/**
 * What someone weighing a subject or giving it water checks first, as Alyx computes it
 * (alyx/actions/water_control.py): the last weight and when, the reference weight and the
 * weight as a percentage of the expected weight, and today's water: required, given, remaining.
 * Read from the subject record (`GET /subjects/<nickname>`: reference_weight, expected_water,
 * remaining_water, last_water_restriction, weighings, water_administrations) and today's row of
 * `GET /water-requirement/<nickname>` (percentage_weight, given_water_total). Whatever the
 * server does not give stays null; the form leaves it out.
 */
import type { AlyxClient } from '../alyx/client';
import { AlyxHttpError } from '../alyx/errors';

export interface SubjectWaterStatus {
  subject: string;
  /** The local day the water figures are for (`yyyy-mm-dd`). */
  date: string;
  lastWeighing: { weight: number; dateTime: string } | null;
  /** Grams, implant weight taken off (Alyx's `reference_weight`); null when Alyx has none (0). */
  referenceWeight: number | null;
  /** The last weight as a percentage of the expected weight (Alyx's `percentage_weight`); null when Alyx cannot say (0). */
  percentOfExpected: number | null;
  /** The start of the water restriction in force, or null when not restricted; undefined when the server does not say. */
  waterRestrictionSince: string | null | undefined;
  /** Millilitres. */
  expectedWater: number | null;
  givenWater: number | null;
  remainingWater: number | null;
}

interface SubjectDetail {
  nickname?: unknown;
  reference_weight?: unknown;
  expected_water?: unknown;
  remaining_water?: unknown;
  last_water_restriction?: unknown;
  weighings?: unknown;
  water_administrations?: unknown;
}

interface RequirementRecord {
  date?: unknown;
  percentage_weight?: unknown;
  given_water_total?: unknown;
}

/**
 * The water status of `nickname` on `today` (the local date, default now). Alyx servers without
 * `/water-requirement` (or that fail on it) still give the subject record's fields.
 */
export async function subjectWaterStatus(alyx: AlyxClient, nickname: string, options: { today?: string; signal?: AbortSignal } = {}): Promise<SubjectWaterStatus> {
  const today = options.today ?? localDate(new Date());
  const subject = await alyx.get<SubjectDetail>(`/subjects/${encodeURIComponent(nickname)}`, { signal: options.signal });
  let row: RequirementRecord | undefined;
  try {
    const requirement = await alyx.get<{ records?: unknown }>(`/water-requirement/${encodeURIComponent(nickname)}`, {
      query: { start_date: today, end_date: today },
      signal: options.signal,
    });
    row = Array.isArray(requirement.records) ? (requirement.records as RequirementRecord[]).find((r) => r.date === today) : undefined;
  } catch (err) {
    if (!(err instanceof AlyxHttpError)) throw err;
  }
  return waterStatusOf(subject, row, today);
}

/** The status from the server's answers (exported for tests of odd answers). */
export function waterStatusOf(subject: SubjectDetail, row: RequirementRecord | undefined, today: string): SubjectWaterStatus {
  const weighings = Array.isArray(subject.weighings) ? (subject.weighings as Array<{ date_time?: unknown; weight?: unknown }>) : [];
  let last: SubjectWaterStatus['lastWeighing'] = null;
  for (const w of weighings) {
    if (typeof w.date_time !== 'string' || !isNumber(w.weight)) continue;
    if (!last || w.date_time > last.dateTime) last = { weight: w.weight, dateTime: w.date_time };
  }
  const waters = Array.isArray(subject.water_administrations) ? (subject.water_administrations as Array<{ date_time?: unknown; water_administered?: unknown }>) : undefined;
  const givenFromList = waters?.filter((w) => typeof w.date_time === 'string' && w.date_time.startsWith(today) && isNumber(w.water_administered)).reduce((sum, w) => sum + (w.water_administered as number), 0);
  const restriction = subject.last_water_restriction;
  return {
    subject: typeof subject.nickname === 'string' ? subject.nickname : '',
    date: today,
    lastWeighing: last,
    referenceWeight: positive(subject.reference_weight),
    percentOfExpected: positive(row?.percentage_weight),
    waterRestrictionSince: restriction === undefined ? undefined : typeof restriction === 'string' ? restriction : null,
    expectedWater: isNumber(subject.expected_water) ? subject.expected_water : null,
    givenWater: isNumber(row?.given_water_total) ? (row.given_water_total as number) : (givenFromList ?? null),
    remainingWater: isNumber(subject.remaining_water) ? subject.remaining_water : null,
  };
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Alyx says "unknown" with 0 for reference weight and percentage. */
function positive(v: unknown): number | null {
  return isNumber(v) && v > 0 ? v : null;
}

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * Alyx's water control (alyx/actions/water_control.py, `WaterControl` and `water_control()`),
 * for the subject fields and `GET /water-requirement/<nickname>`: reference weight, expected
 * weight and water, water given and remaining, per day. Dates are the naive UTC strings the
 * server stores; a day is `yyyy-mm-dd`. The z-score weight (expected weights by age and sex
 * from Alyx's tables) is not modelled: labs here have `zscore_weight_pct` 0, so it never counts.
 */
import { nowNaive } from './datetime';
import type { ServerState, ServerSubject } from './state';

type Dated = { date_time: string };

const day = (dt: string) => dt.slice(0, 10);
const sortByTime = <T extends Dated>(items: T[]) => [...items].sort((a, b) => (a.date_time < b.date_time ? -1 : a.date_time > b.date_time ? 1 : 0));

export class WaterControl {
  private readonly restrictions;
  private readonly weighings;
  private readonly implants;
  private readonly water;
  readonly referenceWeightPct: number;
  readonly zscoreWeightPct: number;

  constructor(state: ServerState, readonly subject: ServerSubject) {
    const lab = state.labs.find((l) => l.name === subject.lab);
    this.referenceWeightPct = lab?.reference_weight_pct ?? 0;
    this.zscoreWeightPct = lab?.zscore_weight_pct ?? 0;
    this.restrictions = [...state.waterRestrictions.filter((r) => r.subject === subject.nickname)].sort((a, b) => (a.start_time < b.start_time ? -1 : 1));
    this.weighings = sortByTime(state.weighings.filter((w) => w.subject === subject.nickname));
    this.implants = sortByTime(state.surgeries.filter((s) => s.subject === subject.nickname && s.implant_weight).map((s) => ({ date_time: s.start_time, weight: s.implant_weight as number })));
    this.water = sortByTime(state.waterAdministrations.filter((w) => w.subject === subject.nickname));
  }

  static today(): string {
    return day(nowNaive());
  }

  /** The start of the restriction the subject was under on `d`, or null (`water_restriction_at`). */
  waterRestrictionAt(d: string): string | null {
    const before = this.restrictions.filter((r) => day(r.start_time) <= d);
    const last = before[before.length - 1];
    if (!last) return null;
    if (last.end_time !== null && d > day(last.end_time)) return null;
    return last.start_time;
  }

  lastWeighingBefore(d: string): { date_time: string; weight: number } | null {
    const before = this.weighings.filter((w) => day(w.date_time) <= d);
    return before[before.length - 1] ?? null;
  }

  weighingAt(d: string): number | null {
    const at = this.weighings.filter((w) => day(w.date_time) === d);
    return at[at.length - 1]?.weight ?? null;
  }

  lastImplantWeightBefore(d: string): number {
    const before = this.implants.filter((i) => day(i.date_time) <= d);
    return before[before.length - 1]?.weight ?? 0;
  }

  referenceImplantWeightAt(d: string): number {
    const wr = this.waterRestrictionAt(d);
    return this.lastImplantWeightBefore(wr ? day(wr) : d);
  }

  /**
   * `reference_weighing_at`: the last restriction's own reference weight once it started (for no
   * date, always: the subject record's `reference_weight` asks so), else the reference weight of
   * the restriction in force, else the last weighing before that restriction.
   */
  referenceWeighingAt(date: string | null): { date_time: string; weight: number } | null {
    const last = this.restrictions[this.restrictions.length - 1];
    if (last?.reference_weight && (date === null || date >= day(last.start_time))) return { date_time: last.start_time, weight: last.reference_weight };
    const d = date ?? WaterControl.today();
    const wr = this.waterRestrictionAt(d);
    if (!wr) return null;
    const restriction = this.restrictions.find((r) => r.start_time === wr);
    if (!restriction?.reference_weight) return this.lastWeighingBefore(day(wr));
    return { date_time: wr, weight: restriction.reference_weight };
  }

  /** `reference_weight`: the reference weighing less the implant weight; no date: as the subject record gives it. */
  referenceWeight(date: string | null): number {
    const rw = this.referenceWeighingAt(date);
    return rw ? rw.weight - this.referenceImplantWeightAt(date ?? WaterControl.today()) : 0;
  }

  weight(d: string): number {
    return this.lastWeighingBefore(d)?.weight ?? 0;
  }

  expectedWeight(d: string): number {
    const sum = this.referenceWeightPct + this.zscoreWeightPct;
    if (sum === 0) return 0;
    return (this.referenceWeightPct / sum) * this.referenceWeight(d) + this.lastImplantWeightBefore(d);
  }

  minWeight(d: string): number {
    return this.referenceWeight(d) * this.referenceWeightPct + this.lastImplantWeightBefore(d);
  }

  percentageWeight(d: string): number {
    const iw = this.lastImplantWeightBefore(d);
    const e = this.expectedWeight(d);
    return e - iw > 0 ? (100 * (this.weight(d) - iw)) / (e - iw) : 0;
  }

  /** 4 % of the weight (less implant) a day, 5 % when below the lab's threshold of the expected weight. */
  expectedWater(d: string): number {
    const iw = this.lastImplantWeightBefore(d);
    const weight = this.weight(d);
    const threshold = (this.referenceWeightPct + this.zscoreWeightPct) * (this.expectedWeight(d) - iw) + iw;
    return weight < threshold ? 0.05 * (weight - iw) : 0.04 * (weight - iw);
  }

  givenWater(d: string, hasSession?: boolean): number {
    return this.water
      .filter((w) => day(w.date_time) === d && (hasSession === undefined || !!w.session === hasSession))
      .reduce((sum, w) => sum + w.water_administered, 0);
  }

  remainingWater(d: string): number {
    return this.expectedWater(d) - this.givenWater(d);
  }

  /** One row of `to_jsonable`. */
  record(d: string): Record<string, unknown> {
    return {
      date: d, weight: this.weight(d), weighing_at: this.weighingAt(d), reference_weight: this.referenceWeight(d), expected_weight: this.expectedWeight(d),
      min_weight: this.minWeight(d), percentage_weight: this.percentageWeight(d), given_water_reward: this.givenWater(d, true),
      given_water_supplement: this.givenWater(d, false), given_water_total: this.givenWater(d), expected_water: this.expectedWater(d),
      excess_water: -this.remainingWater(d), is_water_restricted: this.waterRestrictionAt(d) !== null, implant_weight: this.lastImplantWeightBefore(d),
    };
  }

  /** The first day anything happened (`first_date`), else today. */
  firstDate(): string {
    const days = [...this.water, ...this.weighings].map((x) => day(x.date_time)).sort();
    return days[0] ?? WaterControl.today();
  }
}

/** The days from `start` to `end`, inclusive. */
export function daysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

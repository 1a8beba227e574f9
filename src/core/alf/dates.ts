/**
 * Session dates. ONE checks dates in two different ways, and both matter:
 * - the session regex only asks for `\d{4}-\d{2}-\d{2}` (so '2020-02-30' is a session folder),
 * - `get_session_path` asks `datetime.strptime(s, '%Y-%m-%d')`, which also accepts '2020-1-1'
 *   and rejects impossible days,
 * and the cache builder later converts the date with pandas, which fails on impossible days.
 */
import { decimalValue } from './unicode';

/**
 * Python's `%Y-%m-%d` strptime pattern. Alternatives are tried in Python's order and, as in
 * `_strptime`, the first match must then cover the whole string (no backtracking for length).
 */
const STRPTIME_YMD = /^(\p{Nd}{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\p{Nd}|0[1-9]|[1-9]| [1-9])/u;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether year/month/day is a real day of the (proleptic Gregorian) calendar, years 1..9999. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** ONE's `_isdatetime`: `datetime.strptime(s, '%Y-%m-%d')` succeeds. */
export function isPyDatetime(s: string): boolean {
  const m = STRPTIME_YMD.exec(s);
  if (!m || m[0].length !== s.length) return false;
  return isCalendarDate(decimalValue(m[1] as string), Number(m[2]), decimalValue((m[3] as string).trim()));
}

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/**
 * Whether a session date folder is one the whole ONE pipeline accepts: the session pattern,
 * ASCII digits (pandas parses nothing else) and a real calendar day.
 */
export function isValidSessionDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * A folder name that someone meant as a session date but did not write as yyyy-mm-dd
 * ('2020-1-5', '2020_01_05', '20200105'). Used to explain why a folder is not a session.
 */
const LOOSE_DATE = /^(\p{Nd}{4})[-_.]?(\p{Nd}{1,2})[-_.]?(\p{Nd}{1,2})$/u;

export interface LooseDate {
  year: number;
  month: number;
  day: number;
  /** The date rewritten yyyy-mm-dd, when it is a real day. */
  iso: string | null;
}

export function parseLooseDate(s: string): LooseDate | null {
  const m = LOOSE_DATE.exec(s);
  if (!m) return null;
  const year = decimalValue(m[1] as string);
  const month = decimalValue(m[2] as string);
  const day = decimalValue(m[3] as string);
  const iso = isCalendarDate(year, month, day)
    ? `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
    : null;
  return { year, month, day, iso };
}

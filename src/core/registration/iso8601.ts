import { InvalidInputError } from './errors';

/**
 * ONE's `ensure_ISO8601`: validates a date or date-time and returns Python's `isoformat()` of
 * it, e.g. `2024-01-15` → `2024-01-15T00:00:00`; microseconds only when non-zero; an offset is
 * kept, and an offset of zero is written `+00:00`. No date means now, in local time, as
 * Python's naive `now()`. `field` names the option in the error message.
 *
 * Strings are read exactly as `datetime.fromisoformat` reads them in CPython 3.11 (the version
 * ONE 3.4.2 was checked with; 3.10 accepts only the extended forms): basic forms
 * (`20210714T155315`), week dates (`2021-W28-3`), any one character between date and time,
 * and no surrounding spaces.
 */
export function ensureIso8601(date?: string | Date | null, field = 'date'): string {
  if (date === undefined || date === null || date === '') return formatLocal(new Date());
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new InvalidInputError(field, `${field} is an invalid Date`);
    return formatLocal(date);
  }
  const parsed = parsePyIsoformat(date);
  if (typeof parsed === 'string') throw new InvalidInputError(field, `${field} ${JSON.stringify(date)} ${REASONS[parsed]}`);
  return formatIsoformat(parsed);
}

type Failure = 'syntax' | 'spaces' | 'date' | 'time' | 'offset';

const REASONS: Record<Failure, string> = {
  syntax: 'is not an ISO 8601 date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.ffffff]][+HH:MM]',
  spaces: 'starts or ends with a space: remove it (ONE refuses it too)',
  date: 'is not a real calendar date',
  time: 'has an impossible time of day',
  offset: 'has an impossible UTC offset (it must be less than 24 hours)',
};

/** The fields of a Python `datetime`; `offsetMicros` null for a naive one. */
export interface PyDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  offsetMicros: number | null;
}

const utf8 = new TextEncoder();
const DASH = 0x2d;
const COLON = 0x3a;
const W = 0x57;

/**
 * A string read as CPython 3.11's `datetime.fromisoformat` reads it, or why it is refused.
 * CPython parses the UTF-8 bytes of the string and relies on the terminating NUL, so this
 * does the same: `at` gives 0 past the end, and the quirks that follow from it (one stray
 * character before an offset, `+05:75` read as 6 h 15 min, an offset of zero with
 * microseconds read as UTC) are Python's too.
 */
export function parsePyIsoformat(s: string): PyDateTime | Failure {
  if (s !== s.trim()) return 'spaces';
  // Lone surrogates cannot be encoded to UTF-8, which Python refuses as well.
  if ([...s].length < 7 || /\p{Cs}/u.test(s)) return 'syntax';
  const b = utf8.encode(s);
  const at = (i: number): number => (i < b.length ? (b[i] as number) : 0);
  const sep = separatorIndex(at, b.length);
  if (sep < 0) return 'syntax';
  const date = parseDate(at, sep);
  if (typeof date === 'string') return date;
  let time: TimeFields = { hour: 0, minute: 0, second: 0, microsecond: 0, offsetMicros: null };
  if (b.length > sep) {
    // Skip the separator, whatever character it is (any one character is allowed).
    const lead = at(sep);
    const width = lead < 0x80 ? 1 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf0) === 0xf0 ? 4 : 2;
    const parsed = parseTime(at, sep + width, b.length);
    if (typeof parsed === 'string') return parsed;
    time = parsed;
  }
  if (time.offsetMicros !== null && Math.abs(time.offsetMicros) >= DAY_MICROS) return 'offset';
  const [year, month, day] = date;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'date';
  if (time.hour > 23 || time.minute > 59 || time.second > 59) return 'time';
  return { year, month, day, ...time };
}

type At = (i: number) => number;
type TimeFields = Omit<PyDateTime, 'year' | 'month' | 'day'>;

const DAY_MICROS = 86_400_000_000;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** `n` ASCII digits from `i` as a number, or -1. */
function digits(at: At, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = at(i + k);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/**
 * Where the date ends (CPython's `_find_isoformat_datetime_separator`): the date forms are
 * YYYY-MM-DD, YYYYMMDD, YYYY-Www[-D] and YYYYWww[D], and a digit after them is ambiguous.
 */
function separatorIndex(at: At, len: number): number {
  if (len === 7) return 7;
  if (at(4) === DASH) {
    if (at(5) !== W) return 10;
    if (len < 8) return -1;
    if (len > 8 && at(8) === DASH) {
      if (len === 9) return -1;
      return len > 10 && isDigit(at(10)) ? 8 : 10;
    }
    return 8;
  }
  if (at(4) !== W) return 8;
  let i = 7;
  while (i < len && isDigit(at(i))) i++;
  if (i < 9) return i;
  return i % 2 === 0 ? 7 : 8;
}

function parseDate(at: At, len: number): [number, number, number] | Failure {
  const year = digits(at, 0, 4);
  if (year < 0) return 'syntax';
  const dashed = at(4) === DASH;
  let i = dashed ? 5 : 4;
  if (at(i) === W) {
    const week = digits(at, i + 1, 2);
    if (week < 0) return 'syntax';
    i += 3;
    let weekday = 1;
    if (i < len) {
      if (dashed && at(i++) !== DASH) return 'syntax';
      weekday = digits(at, i, 1);
      if (weekday < 0) return 'syntax';
    }
    return isoWeekDate(year, week, weekday) ?? 'date';
  }
  const month = digits(at, i, 2);
  if (month < 0) return 'syntax';
  i += 2;
  if (dashed && at(i++) !== DASH) return 'syntax';
  const day = digits(at, i, 2);
  return day < 0 ? 'syntax' : [year, month, day];
}

/** The calendar date of an ISO week date, or null when the week or weekday does not exist. */
function isoWeekDate(year: number, week: number, weekday: number): [number, number, number] | null {
  if (year < 1 || year > 9999) return null;
  if (week < 1 || week > 53) return null;
  // Monday = 0. A year has a week 53 when it starts on a Thursday, or on a Wednesday in a leap year.
  const jan1 = (utcDate(year, 1, 1).getUTCDay() + 6) % 7;
  if (week === 53 && !(jan1 === 3 || (jan1 === 2 && isLeap(year)))) return null;
  if (weekday < 1 || weekday > 7) return null;
  // Week 1 is the week with the year's first Thursday, i.e. the one holding 4 January.
  const jan4 = utcDate(year, 1, 4);
  const monday = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000;
  const d = new Date(monday + ((week - 1) * 7 + (weekday - 1)) * 86_400_000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

function utcDate(year: number, month: number, day: number): Date {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  d.setUTCFullYear(year, month - 1, day);
  return d;
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return utcDate(year, month + 1, 0).getUTCDate();
}

interface Clock {
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  /** CPython's return value: true when the text did not end where the clock did. */
  trailing: boolean;
}

const FRACTION_SCALE = [100000, 10000, 1000, 100, 10];

/** HH[:?MM[:?SS[{.,}f+]]] from `start` up to `end` (CPython's `parse_hh_mm_ss_ff`). */
function parseClock(at: At, start: number, end: number): Clock | Failure {
  const v = [0, 0, 0];
  let p = start;
  let colons = true;
  for (let k = 0; k < 3; k++) {
    const n = digits(at, p, 2);
    if (n < 0) return 'syntax';
    v[k] = n;
    p += 2;
    const c = at(p++);
    if (k === 0) colons = c === COLON;
    if (p >= end) return { hour: v[0] as number, minute: v[1] as number, second: v[2] as number, microsecond: 0, trailing: c !== 0 };
    if (colons && c === COLON) continue;
    if (c === 0x2e || c === 0x2c) break;
    if (colons) return 'syntax';
    p--;
  }
  const take = Math.min(end - p, 6);
  let us = digits(at, p, take);
  if (us < 0) return 'syntax';
  if (take < 6) us *= FRACTION_SCALE[take - 1] as number;
  p += take;
  while (isDigit(at(p))) p++;
  return { hour: v[0] as number, minute: v[1] as number, second: v[2] as number, microsecond: us, trailing: at(p) !== 0 };
}

/** The time and offset after the separator (CPython's `parse_isoformat_time`). */
function parseTime(at: At, start: number, end: number): TimeFields | Failure {
  let tz = start;
  do {
    const c = at(tz);
    if (c === 0x5a /* Z */ || c === 0x2b || c === DASH) break;
  } while (++tz < end);
  const clock = parseClock(at, start, tz);
  if (typeof clock === 'string') return clock;
  const time = { hour: clock.hour, minute: clock.minute, second: clock.second, microsecond: clock.microsecond };
  if (tz === end) return clock.trailing ? 'syntax' : { ...time, offsetMicros: null };
  if (at(tz) === 0x5a) return at(tz + 1) !== 0 ? 'syntax' : { ...time, offsetMicros: 0 };
  const sign = at(tz) === DASH ? -1 : 1;
  const off = parseClock(at, tz + 1, end);
  if (typeof off === 'string' || off.trailing) return 'syntax';
  const seconds = off.hour * 3600 + off.minute * 60 + off.second;
  // CPython reads a zero offset as UTC even when it has microseconds.
  const offsetMicros = seconds === 0 ? 0 : sign * (seconds * 1_000_000 + off.microsecond);
  return { ...time, offsetMicros };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Python's `datetime.isoformat()`. */
export function formatIsoformat(d: PyDateTime): string {
  let out = `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}`;
  if (d.microsecond) out += `.${pad(d.microsecond, 6)}`;
  if (d.offsetMicros !== null) {
    const abs = Math.abs(d.offsetMicros);
    const us = abs % 1_000_000;
    const total = (abs - us) / 1_000_000;
    out += `${d.offsetMicros < 0 ? '-' : '+'}${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}`;
    if (total % 60 || us) out += `:${pad(total % 60)}`;
    if (us) out += `.${pad(us, 6)}`;
  }
  return out;
}

/** Python's `datetime.isoformat()` of a naive local datetime. */
function formatLocal(d: Date): string {
  const base = `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const ms = d.getMilliseconds();
  return ms ? `${base}.${pad(ms * 1000, 6)}` : base;
}

/** The local calendar date as `YYYY-MM-DD` (Python's `datetime.today().strftime('%Y-%m-%d')`). */
export function localDateString(d: Date): string {
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Search values parsed the way ONE parses them: `date_range` like `util.validate_date_range`
 * with pandas Timestamps, `number` like Python's int(), `dataset_qc_lte` like `QC.validate`.
 * Dates are naive (no time zone), as in ONE: they are handled as UTC milliseconds throughout.
 */
import { validateQc, type QcValue } from '../alf';
import { decimalValue } from '../alf/unicode';
import { OneError } from './errors';

const DAY_MS = 86_400_000;

export interface DateBounds {
  /** Inclusive bounds in ms since 1970 (naive, i.e. as UTC); ±Infinity when open. */
  start: number;
  end: number;
}

function invalid(field: string, message: string): OneError {
  return new OneError('invalid-value', `${field}: ${message}`, field);
}

/**
 * A single date means that whole day from the given instant ([t, t + 1 day − 1 ms]); [start, end]
 * is inclusive; [start] or [start, null] is open-ended, and so is [null, end]; a reversed range
 * is empty. Like ONE, an empty string counts as no bound.
 */
export function parseDateRange(value: unknown, field = 'date_range'): DateBounds {
  if (typeof value === 'string' || value instanceof Date) {
    const t = parseDate(value, field);
    return { start: t, end: t + DAY_MS - 1 };
  }
  if (!Array.isArray(value)) {
    throw invalid(field, `expected a date ('2020-01-31'), or [start, end] with null for an open end; got ${describe(value)}`);
  }
  if (value.length === 0 || value.length > 2) {
    throw invalid(field, `expected one date or [start, end]; got ${value.length} elements`);
  }
  const [a, b] = value as unknown[];
  const bound = (v: unknown, open: number): number => (v === null || v === undefined || v === '' ? open : parseDate(v, field));
  return { start: bound(a, -Infinity), end: value.length === 1 ? Infinity : bound(b, Infinity) };
}

const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?)?$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})$/;

/** A date or date-time as naive ms. ISO forms only ('2020-01-31', '2020-01-31T12:00:00', '20200131'). */
export function parseDate(value: unknown, field = 'date_range'): number {
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw invalid(field, 'the Date is invalid');
    return t;
  }
  if (typeof value !== 'string') throw invalid(field, `expected a date string or Date, got ${describe(value)}`);
  const s = value.trim();
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(s) && /T|\d \d/.test(s)) {
    throw invalid(field, `"${value}" has a time zone; session dates have none, so give a plain date or date-time`);
  }
  const m = ISO.exec(s) ?? BASIC.exec(s);
  if (!m) throw invalid(field, `"${value}" is not a date; write yyyy-mm-dd, optionally with a time (yyyy-mm-ddThh:mm:ss)`);
  const [y, mo, d, h, mi, sec] = [m[1], m[2] ?? '1', m[3] ?? '1', m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as number[];
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const t = Date.UTC(y as number, (mo as number) - 1, d, h, mi, sec) + Math.floor(frac);
  const back = new Date(t);
  if (back.getUTCMonth() !== (mo as number) - 1 || back.getUTCDate() !== d || (h as number) > 23 || (mi as number) > 59 || (sec as number) > 59) {
    throw invalid(field, `"${value}" is not a real date or time`);
  }
  return t;
}

/** A session's 'yyyy-mm-dd' as naive ms; NaN when it is not a date (then no range matches it). */
export function sessionDateMs(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
}

const PY_INT = /^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u;

/** Python's int() of a search `number`: integers, or strings such as '002' or ' 2 '. */
export function parseSessionNumber(value: unknown, field = 'number'): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    throw invalid(field, `${value} is not a whole number`);
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (PY_INT.test(s)) {
      const sign = s.startsWith('-') ? -1 : 1;
      const n = decimalValue(s.replace(/^[+-]/, '').replace(/_/g, ''));
      if (Number.isSafeInteger(n)) return sign * n || 0;
    }
    throw invalid(field, `"${value}" is not a whole number (write it in digits, e.g. 2 or '002')`);
  }
  throw invalid(field, `expected a number or a string of digits, got ${describe(value)}`);
}

/** ONE's `QC.validate`: a name in any case, a QC number, or a numeric string. */
export function parseQc(value: unknown, field = 'dataset_qc_lte'): QcValue {
  try {
    return validateQc(value);
  } catch {
    throw invalid(field, `${describe(value)} is not a QC level; use NOT_SET, PASS, WARNING, FAIL or CRITICAL (any case), or 0, 10, 30, 40, 50`);
  }
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString()})`;
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}

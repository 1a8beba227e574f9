import { InvalidInputError } from './errors';

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * ONE's `ensure_ISO8601`: validates a date or date-time and returns Python's `isoformat()` of
 * it, e.g. `2024-01-15` → `2024-01-15T00:00:00`; microseconds only when non-zero; an offset is
 * kept (`Z` becomes `+00:00`). No date means now, in local time, as Python's naive `now()`.
 * `field` names the option in the error message.
 */
export function ensureIso8601(date?: string | Date | null, field = 'date'): string {
  if (date === undefined || date === null || date === '') return formatLocal(new Date());
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new InvalidInputError(field, `${field} is an invalid Date`);
    return formatLocal(date);
  }
  const m = ISO_RE.exec(date.trim());
  if (!m) {
    throw new InvalidInputError(
      field,
      `${field} "${date}" is not an ISO 8601 date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.ffffff]][+HH:MM]`,
    );
  }
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac, tz] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || year < 1) {
    throw new InvalidInputError(field, `${field} "${date}" is not a real calendar date`);
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new InvalidInputError(field, `${field} "${date}" has an impossible time of day`);
  }
  const micro = frac ? frac.slice(0, 6).padEnd(6, '0') : '000000';
  let out = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  if (micro !== '000000') out += `.${micro}`;
  if (tz) out += formatOffset(tz, date, field);
  return out;
}

function formatOffset(tz: string, input: string, field: string): string {
  if (tz === 'Z') return '+00:00';
  const sign = tz[0];
  const digits = tz.slice(1).replace(':', '');
  const hh = digits.slice(0, 2);
  const mm = digits.slice(2, 4) || '00';
  if (Number(hh) > 23 || Number(mm) > 59) throw new InvalidInputError(field, `${field} "${input}" has an impossible UTC offset`);
  return `${sign}${hh}:${mm}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
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

/**
 * Datetimes as Django REST framework takes and gives them on Alyx: ISO input, offsets converted
 * to UTC and dropped, naive output with microseconds only when non-zero. Bare dates are refused.
 */
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export const DATETIME_FORMAT_ERROR = 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';

/** The stored (naive, UTC-converted) form, or undefined when the input is not a datetime. */
export function parseDrfDatetime(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const m = DATETIME_RE.exec(input.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', tz] = m;
  const micro = Number(frac.padEnd(6, '0') || '0');
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  const t = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${p(t.getUTCFullYear(), 4)}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`;
  return micro ? `${base}.${p(micro, 6)}` : base;
}

/** Now, as the server stores it. */
export function nowNaive(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, '').replace('Z', '');
}

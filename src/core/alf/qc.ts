/**
 * Dataset QC outcomes as Alyx stores them (ONE's `one.alf.spec.QC`). The cache tables store
 * the names; Alyx and the REST API use the numbers.
 */
import { decimalValue } from './unicode';

export const QC = Object.freeze({
  NOT_SET: 0,
  PASS: 10,
  WARNING: 30,
  FAIL: 40,
  CRITICAL: 50,
} as const);

export type QcName = keyof typeof QC;
export type QcValue = (typeof QC)[QcName];

const BY_VALUE = new Map<number, QcName>(Object.entries(QC).map(([k, v]) => [v, k as QcName]));
/** Python's str.isnumeric() is wider than this, but int() then only accepts decimal digits. */
const NUMERIC = /^\p{Nd}+$/u;

/** The name of a QC value ('FAIL' for 40); undefined when it is not one. */
export function qcName(value: number): QcName | undefined {
  return BY_VALUE.get(value);
}

/**
 * The numeric QC value for a name in any case ('fail', 'FAIL'), a number (40) or a numeric
 * string ('40'), like ONE's `QC.validate`. Throws RangeError for anything else.
 */
export function validateQc(v: unknown): QcValue {
  if (typeof v === 'number') {
    if (BY_VALUE.has(v)) return v as QcValue;
  } else if (typeof v === 'string') {
    if (NUMERIC.test(v)) {
      const n = decimalValue(v);
      if (BY_VALUE.has(n)) return n as QcValue;
    } else {
      const name = v.toUpperCase();
      if (Object.prototype.hasOwnProperty.call(QC, name)) return QC[name as QcName];
    }
  }
  throw new RangeError(`${String(v)} is not a valid QC`);
}

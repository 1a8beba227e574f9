/**
 * Python's `float(f'{x:.{digits}g}')`: rounds to `digits` significant figures using the exact
 * binary value of `x` with ties to even. JS's `toPrecision` rounds exact ties away from zero
 * (20.125 → "20.13" where Python gives 20.12), so the decimal expansion is done here with BigInt.
 */
export function roundSignificant(x: number, digits = 4): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const negative = x < 0;
  const { digitsStr, pointPos } = exactDecimal(Math.abs(x));
  // digitsStr has no leading zeros; value = 0.digitsStr × 10^pointPos
  if (digitsStr.length <= digits) return x;
  const kept = digitsStr.slice(0, digits);
  const rest = digitsStr.slice(digits);
  const first = rest.charCodeAt(0) - 48;
  let roundUp: boolean;
  if (first > 5) roundUp = true;
  else if (first < 5) roundUp = false;
  else if (/[1-9]/.test(rest.slice(1))) roundUp = true;
  else roundUp = (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1; // exact tie: to even
  let mantissa = BigInt(kept);
  if (roundUp) mantissa += 1n;
  const value = Number(`${mantissa}e${pointPos - digits}`);
  return negative ? -value : value;
}

/** Exact decimal digits of a positive finite double, as `0.DIGITS × 10^pointPos`. */
function exactDecimal(x: number): { digitsStr: string; pointPos: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) {
    exp = -1074; // subnormal
  } else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  // x = mant × 2^exp
  let intDigits: string;
  let scale: number; // x = intDigits × 10^-scale
  if (exp >= 0) {
    intDigits = (mant << BigInt(exp)).toString();
    scale = 0;
  } else {
    intDigits = (mant * 5n ** BigInt(-exp)).toString();
    scale = -exp;
  }
  const stripped = intDigits.replace(/^0+/, '');
  return { digitsStr: stripped.replace(/0+$/, '') || '0', pointPos: stripped.length - scale };
}

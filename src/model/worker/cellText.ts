/** Table cells as text: exact for 64-bit integers, ISO for times, hex for binary. */

/** Longest cell sent to the page; CSV export writes cells whole. */
export const MAX_CELL = 500;

export function cellText(value: unknown, max = Number.POSITIVE_INFINITY): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value.length > max ? `${value.slice(0, max)}…` : value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      break;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid date' : value.toISOString();
  if (value instanceof Uint8Array) {
    const shown = Number.isFinite(max) ? value.subarray(0, 64) : value;
    const hex = Buffer.from(shown).toString('hex');
    return shown.length < value.length ? `0x${hex}… (${value.length} bytes)` : `0x${hex}`;
  }
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? `<${v.length} bytes>` : v));
  return json.length > max ? `${json.slice(0, max)}…` : json;
}

/** A cell as the page shows it (long values cut short). */
export const shownCell = (value: unknown): string | null => cellText(value, MAX_CELL);

/** A non-null object (arrays included): a value whose fields can be read. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * JSON text exactly as Python's `json.dumps(obj)` writes it with default arguments: `", "` and
 * `": "` separators and `ensure_ascii=True` (everything outside printable ASCII as `\uXXXX`).
 * pyarrow and ONE write their Parquet key-value metadata this way; writing the same bytes keeps
 * our tables byte-comparable with theirs.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
      return String(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return pythonJsonString(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
      if (value instanceof Set) return pythonJsonDumps([...value]);
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      return `{${entries.map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
    }
    default:
      throw new TypeError(`cannot encode a ${typeof value} as JSON`);
  }
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function pythonJsonString(s: string): string {
  // Python's ensure_ascii escapes everything but the printable ASCII range ' '..'~'.
  return `"${s.replace(/["\\]|[^ -~]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

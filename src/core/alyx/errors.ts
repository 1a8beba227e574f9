/** Errors raised by the Alyx client. Messages are written for the person at the keyboard. */

/** The server answered with an HTTP error status. */
export class AlyxHttpError extends Error {
  override readonly name = 'AlyxHttpError';
  constructor(
    readonly status: number,
    readonly method: string,
    /** The full request URL (never carries credentials: the token travels in a header). */
    readonly url: string,
    /** The server's `detail`, `error` or field errors, flattened into one sentence. */
    message: string,
    /** The parsed JSON body, or the raw text when the body is not JSON (e.g. an HTML 404 page). */
    readonly body: unknown,
  ) {
    super(message);
  }

  /** `message` plus where it came from, for one-line reports. */
  describe(): string {
    return `${this.message} (HTTP ${this.status} from ${this.method} ${this.url})`;
  }
}

/** The server could not be reached, the connection dropped, or the request timed out. */
export class AlyxConnectionError extends Error {
  override readonly name = 'AlyxConnectionError';
  constructor(
    readonly url: string,
    /** A short description of the cause, e.g. `connection refused`, `timed out after 30 s`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot reach Alyx at ${url}: ${reason}`, options);
  }
}

/** A list query used a filter the endpoint does not have (the server would silently ignore it). */
export class AlyxFilterError extends Error {
  override readonly name = 'AlyxFilterError';
  constructor(
    readonly endpoint: string,
    readonly unknown: string[],
    readonly known: readonly string[],
  ) {
    const plural = unknown.length > 1 ? 's' : '';
    const names = unknown.map((f) => `"${f}"`).join(', ');
    super(
      known.length
        ? `Unknown filter${plural} ${names} for /${endpoint}; the server would ignore ${unknown.length > 1 ? 'them' : 'it'} and return every record. Known filters: ${known.join(', ')}`
        : `Cannot check filter${plural} ${names} for /${endpoint}: the server's /api/schema does not describe that endpoint, and unknown filters are ignored silently`,
    );
  }
}

/** No credentials are available to (re-)authenticate. */
export class AlyxAuthError extends Error {
  override readonly name = 'AlyxAuthError';
}

/**
 * Turns a DRF error body into one readable sentence: `detail` or `error` when present, else
 * field-keyed lists (`{"subject": ["..."]}` → `subject: ...`), else the raw text.
 */
export function errorMessageFromBody(body: unknown, status: number): string {
  if (typeof body === 'string') {
    const text = body.trim();
    if (!text) return `HTTP ${status} with an empty body`;
    if (/^\s*<(!doctype|html)/i.test(text)) {
      const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
      return status === 404
        ? 'Not found (the server returned an HTML page: check the URL, the endpoint name and that the path has no trailing slash)'
        : `HTTP ${status}${title ? `: ${title}` : ''} (the server returned an HTML page)`;
    }
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  }
  if (Array.isArray(body)) return body.map((x) => flattenValue(x)).join(' ');
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['detail', 'error']) {
      const value = record[key];
      if (typeof value === 'string' && value) return value;
    }
    const parts: string[] = [];
    for (const [key, value] of Object.entries(record)) {
      if (key === 'status_code' || key === 'details') continue;
      const text = flattenValue(value);
      if (!text) continue;
      parts.push(key === 'non_field_errors' || key === 'detail' || key === 'error' ? text : `${key}: ${text}`);
    }
    if (parts.length) return parts.join('; ');
  }
  return `HTTP ${status}`;
}

function flattenValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flattenValue).filter(Boolean).join(' ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${flattenValue(v)}`)
      .join('; ');
  }
  return String(value);
}

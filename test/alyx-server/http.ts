import type { ServerState } from './state';

/** What a handler sees of a request. */
export interface RequestContext {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON (or form) body; undefined when none. */
  body: unknown;
  /** The authenticated username. */
  user: string;
  /** `http://127.0.0.1:PORT`, for absolute `url` and `next` fields. */
  origin: string;
  state: ServerState;
  pageSize: number;
  /** DRF's `max_limit`: a larger `limit` is capped silently. */
  maxLimit?: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Sent as text/html instead of JSON (Django's 404 pages). */
  html?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext, params: string[]) => Reply;

export const NOT_FOUND_HTML =
  '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n';

export function json(status: number, body: unknown): Reply {
  return { status, body };
}

/** A DRF error: the message under `detail` (or `error`) and the status repeated in the body. */
export function drfError(status: number, message: string, key: 'detail' | 'error' = 'detail'): Reply {
  return { status, body: { [key]: message, status_code: status } };
}

/** DRF serializer validation errors: `{"field": ["message"]}`. */
export function fieldErrors(errors: Record<string, string[]>): Reply {
  return { status: 400, body: errors };
}

export function htmlNotFound(): Reply {
  return { status: 404, html: NOT_FOUND_HTML };
}

export function notFound(): Reply {
  return drfError(404, 'Not found.');
}

/** DRF limit/offset pagination, capping `limit` at `max_limit` (1000) silently, with an absolute `next`. */
export function paginate<T>(ctx: RequestContext, items: readonly T[]): Reply {
  const limit = Math.min(ctx.maxLimit ?? 1000, Math.max(1, Number(ctx.query.get('limit')) || ctx.pageSize));
  const offset = Math.max(0, Number(ctx.query.get('offset')) || 0);
  const link = (o: number) => {
    const q = new URLSearchParams(ctx.query);
    q.set('limit', String(limit));
    q.set('offset', String(o));
    return `${ctx.origin}${ctx.path}?${q.toString()}`;
  };
  return json(200, {
    count: items.length,
    next: offset + limit < items.length ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results: items.slice(offset, offset + limit),
  });
}

/** Bodies may be JSON or form-encoded (`POST /auth-token` takes both). */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function record(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** A Django-ish truthiness for booleans that may arrive as `"True"`/`"False"`. */
export function bool(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value === 'True' || value === 'true';
  return Boolean(value);
}

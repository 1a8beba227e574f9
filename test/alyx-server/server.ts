import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RequestContext, type Reply, drfError, parseBody, record } from './http';
import { dispatch } from './routes';
import { type SeedOptions, type ServerState, createState } from './state';

export interface AlyxServerOptions extends SeedOptions {
  /** Default page size of list endpoints (a real server uses 250). */
  pageSize?: number;
  /** The most a `limit` may ask for (DRF's `max_limit`; 1000 here by default). */
  maxLimit?: number;
}

/** One request as the server received it. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The authenticated user, if the token was valid. */
  user?: string;
  /** Whether an Authorization header was sent (its value is not kept). */
  authorization: boolean;
  status?: number;
}

/** A canned answer for the next matching request(s). */
export interface Injection {
  method?: string;
  /** Exact path or a RegExp tested against the path (no query string). */
  path?: string | RegExp;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Seconds for `Retry-After` (429 and 503 answers). */
  retryAfter?: number;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
  /** Wait this long before answering (or dropping). */
  delayMs?: number;
  /** After the delay, answer as usual (a slow server rather than a canned answer). */
  passThrough?: boolean;
  /** How many matching requests get it (default 1). */
  times?: number;
  /** Let this many matching requests through untouched first (default 0). */
  after?: number;
}

export interface AlyxTestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  state: ServerState;
  requests: LoggedRequest[];
  inject(injection: Injection): void;
  /** Drops every injection not used up yet. */
  clearInjections(): void;
  /** A valid token for `username` (default: the first user), as `POST /auth-token` would give. */
  tokenFor(username?: string): string;
  /** Revokes every token: the next authenticated request gets `Invalid token.` */
  revokeTokens(): void;
  /** Requests being answered now, and the most at once since the start (or `resetStats`). */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Forgets the logged requests and the in-flight high-water mark. */
  resetStats(): void;
  /** Marks datasets as protected (as a protected tag would). */
  protect(predicate: (d: ServerState['datasets'][number]) => boolean): number;
  close(): Promise<void>;
}

const THROTTLED = (s: number) => `Request was throttled. Expected available in ${s} seconds.`;

/**
 * A small stand-in for an Alyx server on 127.0.0.1 that answers as a real Alyx 3.6 does (see
 * README.md beside this file). Plain Node: usable from node:test, from esbuild bundles, and
 * from the VS Code end-to-end tests.
 */
export async function startAlyxServer(options: AlyxServerOptions = {}): Promise<AlyxTestServer> {
  const state = createState(options);
  const requests: LoggedRequest[] = [];
  const injections: Array<Injection & { left: number; passed: number }> = [];
  const sockets = new Set<import('node:net').Socket>();
  const pageSize = options.pageSize ?? 250;
  const maxLimit = options.maxLimit ?? 1000;

  let inFlight = 0;
  let maxInFlight = 0;

  const server = http.createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        if (!res.headersSent) send(res, drfError(500, err instanceof Error ? err.message : String(err)));
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 1000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = parseBody(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = /^Token\s+(\S+)$/.exec(auth ?? '')?.[1];
    const user = token ? state.tokens.get(token) : undefined;
    const logged: LoggedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams.entries()), body, authorization: !!auth };
    if (user) logged.user = user;
    requests.push(logged);

    const injection = takeInjection(method, url.pathname);
    if (injection) {
      if (injection.delayMs) await new Promise((r) => setTimeout(r, injection.delayMs));
      if (injection.drop) {
        req.socket.destroy();
        return;
      }
      if (injection.passThrough) {
        const reply = route(method, url, body, auth, user, req.headers.host);
        logged.status = reply.status;
        send(res, reply);
        return;
      }
      const status = injection.status ?? 500;
      const headers = { ...injection.headers };
      if (injection.retryAfter !== undefined) headers['Retry-After'] = String(injection.retryAfter);
      const fallback = status === 429 ? { detail: THROTTLED(injection.retryAfter ?? 60), status_code: 429 } : { detail: 'Injected server error', status_code: status };
      logged.status = status;
      send(res, { status, body: injection.body ?? fallback, headers });
      return;
    }

    const reply = route(method, url, body, auth, user, req.headers.host);
    logged.status = reply.status;
    send(res, reply);
  }

  function route(method: string, url: URL, body: unknown, auth: string | undefined, user: string | undefined, host: string | undefined): Reply {
    if (url.pathname === '/auth-token' && method === 'POST') return login(body);
    if (!auth) return drfError(403, 'Authentication credentials were not provided.');
    if (!user) return drfError(403, 'Invalid token.');
    const ctx: RequestContext = { method, path: url.pathname, query: url.searchParams, body, user, origin: `http://${host ?? '127.0.0.1'}`, state, pageSize, maxLimit };
    return dispatch(ctx);
  }

  function login(body: unknown): Reply {
    const { username, password } = record(body);
    const errors: Record<string, string[]> = {};
    if (!username) errors.username = ['This field is required.'];
    if (!password) errors.password = ['This field is required.'];
    if (Object.keys(errors).length) return { status: 400, body: errors };
    const known = state.users.find((u) => u.username === username && u.password === password);
    if (!known) return { status: 400, body: { non_field_errors: ['Unable to log in with provided credentials.'], status_code: 400 } };
    return { status: 200, body: { token: issueToken(known.username) } };
  }

  function issueToken(username: string): string {
    // DRF keeps one token per user.
    for (const [t, u] of state.tokens) if (u === username) return t;
    const token = randomBytes(20).toString('hex');
    state.tokens.set(token, username);
    return token;
  }

  function takeInjection(method: string, path: string): Injection | undefined {
    const i = injections.findIndex((inj) =>
      (!inj.method || inj.method.toUpperCase() === method) &&
      (inj.path === undefined || (typeof inj.path === 'string' ? inj.path === path : inj.path.test(path))));
    if (i < 0) return undefined;
    const inj = injections[i] as Injection & { left: number; passed: number };
    if (inj.passed < (inj.after ?? 0)) {
      inj.passed++;
      return undefined;
    }
    if (--inj.left <= 0) injections.splice(i, 1);
    return inj;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    inject(injection) {
      injections.push({ ...injection, left: injection.times ?? 1, passed: 0 });
    },
    clearInjections() {
      injections.length = 0;
    },
    tokenFor(username) {
      const name = username ?? state.users[0]?.username;
      if (!name || !state.users.some((u) => u.username === name)) throw new Error(`No such user on the test server: ${String(name)}`);
      return issueToken(name);
    },
    revokeTokens() {
      state.tokens.clear();
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    resetStats() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    protect(predicate) {
      let n = 0;
      for (const d of state.datasets) if (predicate(d)) {
        d.protected = true;
        n++;
      }
      return n;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const s of sockets) s.destroy();
      });
    },
  };
}

function send(res: http.ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.html !== undefined) {
    headers['Content-Type'] = 'text/html; charset=utf-8';
    payload = reply.html;
  } else if (reply.body !== undefined && reply.status !== 204) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(reply.body);
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

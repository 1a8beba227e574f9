import { CancelledError } from '../progress';
import { AlyxAuthError, AlyxConnectionError, AlyxHttpError, errorMessageFromBody } from './errors';
import { type Filters, filtersToQuery, validateFilters } from './filters';
import { uuidFromUrl } from './records';
import { DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, type RetryPolicy, retryDelayMs, sleep } from './retry';
import { errorMessage } from '../util/errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RestAction = 'list' | 'read' | 'create' | 'update' | 'partial_update' | 'delete';

export interface AlyxClientOptions {
  /** e.g. `https://alyx.example.org` (a trailing slash is dropped). */
  baseUrl: string;
  username?: string;
  token?: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Called after every successful login or re-authentication, e.g. to cache the token as ONE does. */
  onToken?: (username: string, token: string) => void | Promise<void>;
  /** Asked for the password when the server rejects the token and no password is held. */
  requestPassword?: (username: string) => Promise<string | undefined>;
  /** Debug lines: method, URL, status, time. Never headers nor bodies, so no secret reaches a log. */
  log?: (line: string) => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  query?: Filters | URLSearchParams;
}

export interface ListOptions {
  signal?: AbortSignal;
  /** Page size to ask for (the server caps it at 1000). Default: the server's (250). */
  pageSize?: number;
}

export interface RestOptions {
  id?: string;
  data?: unknown;
  filters?: Filters;
  signal?: AbortSignal;
}

/** A DRF page. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** POSTs that the server treats idempotently, so they may be retried like GETs. */
const IDEMPOTENT_POSTS: ReadonlySet<string> = new Set(['/register-file']);
const RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/**
 * A small client for Alyx's REST API, following how a real Alyx server answers
 * (see docs/alyx.md): token auth with 403s, DRF pagination, JSON errors, no trailing slashes.
 */
export class AlyxClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retryPolicy: RetryPolicy;
  #username: string | undefined;
  // Private fields so that logging or serialising the client never prints credentials.
  #token: string | undefined;
  #password: string | undefined;
  readonly #onToken: AlyxClientOptions['onToken'];
  readonly #requestPassword: AlyxClientOptions['requestPassword'];
  readonly #log: AlyxClientOptions['log'];
  #schemaFilters: Promise<Map<string, string[]> | undefined> | undefined;
  #requestCount = 0;

  constructor(options: AlyxClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    this.#username = options.username;
    this.#token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#onToken = options.onToken;
    this.#requestPassword = options.requestPassword;
    this.#log = options.log;
  }

  /** The Alyx username requests are made as (set by the options or by `login`). */
  get username(): string | undefined {
    return this.#username;
  }

  /** HTTP requests sent so far (retries included), so a caller can report what a run cost. */
  get requestCount(): number {
    return this.#requestCount;
  }

  get isLoggedIn(): boolean {
    return this.#token !== undefined;
  }

  /** `POST /auth-token`; keeps the token (and, in memory only, the password for re-authentication). */
  async login(username: string, password: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    let body: unknown;
    try {
      body = await this.#send('POST', '/auth-token', { username, password }, undefined, options.signal, false);
    } catch (err) {
      if (err instanceof AlyxHttpError && err.status === 400) {
        // The server's sentence names no user; say which one, never the password.
        throw new AlyxHttpError(err.status, err.method, err.url, `Alyx login failed for user "${username}": ${err.message}`, err.body);
      }
      throw err;
    }
    const token = (body as { token?: unknown } | null)?.token;
    if (typeof token !== 'string' || !token) {
      throw new AlyxHttpError(200, 'POST', this.urlFor('/auth-token'), 'The server answered the login without a token', body);
    }
    this.#username = username;
    this.#token = token;
    this.#password = password;
    await this.#onToken?.(username, token);
    return token;
  }

  /** Forgets the token and password held in memory. */
  logout(): void {
    this.#token = undefined;
    this.#password = undefined;
  }

  get<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, options);
  }

  post<T = unknown>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, body, options);
  }

  put<T = unknown>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, body, options);
  }

  patch<T = unknown>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, body, options);
  }

  delete<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, undefined, options);
  }

  /**
   * Every record of a list endpoint, page after page. Filters are checked first: Alyx ignores
   * unknown filters and would return everything.
   */
  async *list<T = unknown>(endpoint: string, filters: Filters = {}, options: ListOptions = {}): AsyncGenerator<T, void, undefined> {
    const name = endpointName(endpoint);
    await this.validateFilters(name, filters, options.signal);
    const query = filtersToQuery(filters);
    if (options.pageSize !== undefined) query.set('limit', String(options.pageSize));
    let path: string | null = `/${name}`;
    let params: URLSearchParams | undefined = query;
    while (path) {
      const page: unknown = await this.request('GET', path, undefined, { query: params, signal: options.signal });
      if (Array.isArray(page)) {
        yield* page as T[]; // some endpoints are not paginated
        return;
      }
      if (!isPage<T>(page)) throw new AlyxHttpError(200, 'GET', this.urlFor(path), `/${name} did not answer with a list`, page);
      yield* page.results;
      path = page.next ? this.relativePath(page.next) : null;
      params = undefined; // `next` carries the query
    }
  }

  /** Collects `list` into an array. */
  async listAll<T = unknown>(endpoint: string, filters: Filters = {}, options: ListOptions = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const record of this.list<T>(endpoint, filters, options)) out.push(record);
    return out;
  }

  /** ONE's `AlyxClient.rest`: list / read / create / update / partial_update / delete. */
  rest<T = unknown>(endpoint: string, action: 'list', options?: RestOptions): Promise<T[]>;
  rest<T = unknown>(endpoint: string, action: Exclude<RestAction, 'list'>, options: RestOptions): Promise<T>;
  async rest<T = unknown>(endpoint: string, action: RestAction, options: RestOptions = {}): Promise<T | T[]> {
    const name = endpointName(endpoint);
    const signal = options.signal;
    if (action === 'list') return this.listAll<T>(name, options.filters ?? {}, { signal });
    if (action === 'create') return this.post<T>(`/${name}`, requireData(options, action), { signal });
    const id = options.id;
    if (!id) throw new TypeError(`rest('${name}', '${action}') needs an id`);
    // Like ONE, accept a full record URL as the id.
    const path = `/${name}/${encodeURIComponent(uuidFromUrl(id))}`;
    switch (action) {
      case 'read':
        return this.get<T>(path, { signal });
      case 'update':
        return this.put<T>(path, requireData(options, action), { signal });
      case 'partial_update':
        return this.patch<T>(path, requireData(options, action), { signal });
      case 'delete':
        return this.delete<T>(path, { signal });
    }
  }

  /** The absolute URL for an API path, without trailing slash. */
  urlFor(path: string, query?: URLSearchParams): string {
    const clean = this.relativePath(path);
    const qs = query && [...query.keys()].length ? `${clean.includes('?') ? '&' : '?'}${query.toString()}` : '';
    return `${this.baseUrl}${clean}${qs}`;
  }

  /** Validates list filters, reading the server's OpenAPI schema for endpoints the built-in table lacks. */
  async validateFilters(endpoint: string, filters: Filters, signal?: AbortSignal): Promise<void> {
    if (!Object.keys(filters).some((k) => filters[k] !== undefined)) return;
    if (validateFilters(endpoint, filters)) return;
    const schema = await this.#loadSchemaFilters(signal);
    const known = schema?.get(endpoint);
    // Unknown endpoint: refuse rather than risk a filter the server would silently ignore.
    validateFilters(endpoint, filters, known ?? []);
  }

  /** One request with auth, timeout, retries and re-authentication. */
  async request<T = unknown>(method: HttpMethod, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const query = options.query instanceof URLSearchParams ? options.query : options.query ? filtersToQuery(options.query) : undefined;
    try {
      return (await this.#send(method, path, body, query, options.signal, true)) as T;
    } catch (err) {
      if (!(err instanceof AlyxHttpError) || err.status !== 403 || !isInvalidToken(err.body)) throw err;
      // The cached token was revoked: log in again once, as ONE does, then retry.
      await this.#reauthenticate(options.signal);
      return (await this.#send(method, path, body, query, options.signal, true)) as T;
    }
  }

  /** Turns an absolute URL from the server (e.g. a page's `next`) into a path under `baseUrl`. */
  relativePath(pathOrUrl: string): string {
    let path = pathOrUrl;
    if (/^https?:\/\//i.test(path)) {
      if (path.startsWith(this.baseUrl)) {
        path = path.slice(this.baseUrl.length);
      } else {
        // Servers behind proxies may report another scheme or host in `next`: keep the path only.
        const url = new URL(path);
        const basePath = new URL(this.baseUrl).pathname.replace(/\/$/, '');
        path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
        path += url.search;
      }
    }
    if (!path.startsWith('/')) path = `/${path}`;
    // Alyx routes have no trailing slash; `/subjects/x/` is an HTML 404.
    const [p, q] = splitQuery(path);
    return p.replace(/(.)\/+$/, '$1') + q;
  }

  async #reauthenticate(signal?: AbortSignal): Promise<void> {
    const username = this.#username;
    if (!username) throw new AlyxAuthError(`The Alyx token for ${this.baseUrl} is no longer valid and no username is known; log in again`);
    const password = this.#password ?? (await this.#requestPassword?.(username));
    if (password === undefined) {
      this.#token = undefined;
      throw new AlyxAuthError(`The Alyx token of "${username}" for ${this.baseUrl} is no longer valid; log in again`);
    }
    this.#token = undefined;
    await this.login(username, password, { signal });
  }

  async #send(method: HttpMethod, path: string, body: unknown, query: URLSearchParams | undefined, signal: AbortSignal | undefined, withAuth: boolean): Promise<unknown> {
    const relative = this.relativePath(path);
    const url = this.urlFor(relative, query);
    const retryable = method === 'GET' || (method === 'POST' && IDEMPOTENT_POSTS.has(splitQuery(relative)[0]));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new CancelledError();
      if (withAuth && this.#token) headers.Authorization = `Token ${this.#token}`;
      const started = Date.now();
      let status: number;
      let retryAfter: string | null = null;
      let parsed: unknown;
      try {
        this.#requestCount += 1;
        const response = await this.#fetch(url, { method, headers, body: payload }, signal);
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        parsed = parseBody(await readText(response, url, this.timeoutMs, signal));
      } catch (err) {
        if (!(err instanceof AlyxConnectionError) || !retryable || !isReset(err) || attempt >= this.retryPolicy.retries) throw err;
        const wait = retryDelayMs(attempt, null, this.retryPolicy) ?? 0;
        this.#log?.(`${method} ${url} → ${err.reason}; retrying in ${Math.round(wait)} ms`);
        await sleep(wait, signal);
        continue;
      }
      this.#log?.(`${method} ${url} → ${status} in ${Date.now() - started} ms`);
      if (status >= 200 && status < 300) return parsed;
      if (retryable && RETRYABLE_STATUSES.has(status) && attempt < this.retryPolicy.retries) {
        const wait = retryDelayMs(attempt, retryAfter, this.retryPolicy);
        if (wait !== undefined) {
          this.#log?.(`${method} ${url} → ${status}; retrying in ${Math.round(wait)} ms`);
          await sleep(wait, signal);
          continue;
        }
      }
      throw new AlyxHttpError(status, method, url, errorMessageFromBody(parsed, status), parsed);
    }
  }

  async #fetch(url: string, init: { method: string; headers: Record<string, string>; body: string | undefined }, signal: AbortSignal | undefined): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await fetch(url, { ...init, signal: combined, redirect: 'follow' });
    } catch (err) {
      throw connectionError(err, url, this.timeoutMs, signal);
    }
  }

  async #loadSchemaFilters(signal?: AbortSignal): Promise<Map<string, string[]> | undefined> {
    this.#schemaFilters ??= this.#fetchSchemaFilters(signal).catch(() => undefined);
    return this.#schemaFilters;
  }

  async #fetchSchemaFilters(signal?: AbortSignal): Promise<Map<string, string[]> | undefined> {
    const response = await this.#fetch(this.urlFor('/api/schema'), {
      method: 'GET',
      headers: { Accept: 'application/vnd.oai.openapi+json', ...(this.#token ? { Authorization: `Token ${this.#token}` } : {}) },
      body: undefined,
    }, signal);
    if (!response.ok) return undefined;
    const schema = (await response.json()) as { paths?: Record<string, { get?: { parameters?: Array<{ name?: string; in?: string }> } }> };
    const out = new Map<string, string[]>();
    for (const [route, ops] of Object.entries(schema.paths ?? {})) {
      const name = route.replace(/^\/+|\/+$/g, '');
      if (name.includes('/') || !ops.get) continue;
      out.set(name, (ops.get.parameters ?? []).filter((p) => p.in === 'query' && p.name).map((p) => p.name as string));
    }
    return out;
  }
}

/**
 * What is wrong with `url` as an Alyx server address, or undefined when it will do: an http(s)
 * URL without credentials in it.
 */
export function alyxUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return `"${url}" is not a URL (expected e.g. https://alyx.example.org)`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `"${url}" is not an http:// or https:// URL`;
  if (parsed.username || parsed.password) return 'put no credentials in the Alyx URL; use `alf login`';
  return undefined;
}

function normaliseBaseUrl(url: string): string {
  const problem = alyxUrlProblem(url);
  if (problem !== undefined) throw new TypeError(`Not a valid Alyx URL: ${problem}`);
  return url.trim().replace(/\/+$/, '');
}

/** `'/sessions?x=1'` → `'sessions'`; `'sessions/'` → `'sessions'`. */
function endpointName(endpoint: string): string {
  return endpoint.replace(/^\/+/, '').split(/[/?]/)[0] ?? endpoint;
}

function splitQuery(path: string): [string, string] {
  const i = path.indexOf('?');
  return i < 0 ? [path, ''] : [path.slice(0, i), path.slice(i)];
}

function requireData(options: RestOptions, action: RestAction): unknown {
  if (options.data === undefined) throw new TypeError(`rest action '${action}' needs data`);
  return options.data;
}

function isPage<T>(value: unknown): value is Page<T> {
  return !!value && typeof value === 'object' && Array.isArray((value as Page<T>).results) && 'next' in (value as object);
}

function isInvalidToken(body: unknown): boolean {
  return !!body && typeof body === 'object' && (body as { detail?: unknown }).detail === 'Invalid token.';
}

function isReset(err: AlyxConnectionError): boolean {
  return err.reason === 'connection reset';
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function readText(response: Response, url: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await response.text();
  } catch (err) {
    throw connectionError(err, url, timeoutMs, signal);
  }
}

/** Maps fetch's TypeError/AbortError into CancelledError or an AlyxConnectionError with a plain reason. */
function connectionError(err: unknown, url: string, timeoutMs: number, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return new CancelledError();
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new AlyxConnectionError(url, `timed out after ${formatSeconds(timeoutMs)}`, { cause: err });
  }
  const code = e?.cause?.code ?? e?.code;
  let reason: string;
  if (code && RESET_CODES.has(code)) reason = 'connection reset';
  else if (code === 'ECONNREFUSED') reason = 'connection refused (is the server running, and is the URL right?)';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reason = 'host not found (check the URL and your network)';
  else if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') reason = 'connection timed out';
  else if (code && /CERT|SSL|TLS/.test(code)) reason = `TLS error (${code})`;
  else reason = e?.cause?.message ?? (errorMessage(err));
  return new AlyxConnectionError(url, reason, { cause: err });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

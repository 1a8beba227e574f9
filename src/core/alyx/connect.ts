import { AlyxClient, type AlyxClientOptions } from './client';
import { cachedToken, clientParamsFile, defaultClientUrl, readClientParams, saveToken } from './params';

export interface ConnectOptions {
  /** Server URL; else `ALYX_URL` from `env`, else ONE's default server. */
  url?: string;
  /** Alyx user; else `ALYX_LOGIN` from the server's ONE parameters. */
  username?: string;
  env?: NodeJS.ProcessEnv;
  /** Cache new tokens in ONE's parameter file, as ONE does (default true). */
  persistToken?: boolean;
  timeoutMs?: number;
  /** Default: ONE's policy, with the first delay from `ALF_ALYX_RETRY_DELAY_MS` in `env` when set. */
  retry?: AlyxClientOptions['retry'];
  requestPassword?: AlyxClientOptions['requestPassword'];
  log?: AlyxClientOptions['log'];
}

export interface Connection {
  client: AlyxClient;
  url: string;
  /** The ONE parameter file read (and written on login). */
  paramsFile: string;
}

/** Raised when no server URL is given and none is configured. */
export class AlyxNoUrlError extends Error {
  override readonly name = 'AlyxNoUrlError';
  constructor() {
    super('No Alyx URL: pass --url, set ALYX_URL, or log in once with `alf login --url URL`');
  }
}

/** Raised when a setting read from the environment is not usable. */
export class AlyxSettingError extends Error {
  override readonly name = 'AlyxSettingError';
}

/** Where the first retry delay after a dropped connection or a busy server can be changed (ms; it doubles each retry). */
export const RETRY_DELAY_ENV = 'ALF_ALYX_RETRY_DELAY_MS';

function retryFromEnv(env: NodeJS.ProcessEnv): AlyxClientOptions['retry'] {
  const text = env[RETRY_DELAY_ENV];
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0) throw new AlyxSettingError(`${RETRY_DELAY_ENV}=${JSON.stringify(text)}: give the first retry delay in milliseconds (a number ≥ 0), or unset it for the default 500`);
  return { baseDelayMs: ms };
}

/** The server URL to use: explicit, then `ALYX_URL`, then ONE's default server. */
export async function resolveAlyxUrl(url: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const resolved = url || env.ALYX_URL || (await defaultClientUrl(env));
  if (!resolved) throw new AlyxNoUrlError();
  return resolved.replace(/\/+$/, '');
}

/**
 * A client for the server, logged in with the token Python ONE (or `alf login`) cached for it.
 * New tokens are written back the same way, so both tools stay logged in.
 */
export async function connectAlyx(options: ConnectOptions = {}): Promise<Connection> {
  const env = options.env ?? process.env;
  const url = await resolveAlyxUrl(options.url, env);
  const params = await readClientParams(url, env);
  const cached = cachedToken(params, options.username);
  const username = options.username ?? cached?.username ?? params?.ALYX_LOGIN ?? undefined;
  const storedPassword = typeof params?.ALYX_PWD === 'string' ? params.ALYX_PWD : undefined;
  const client = new AlyxClient({
    baseUrl: url,
    username,
    token: cached?.token,
    timeoutMs: options.timeoutMs,
    retry: options.retry ?? retryFromEnv(env),
    log: options.log,
    onToken: options.persistToken === false ? undefined : async (user, token) => void (await saveToken(url, user, token, env)),
    requestPassword: async (user) => storedPassword ?? (await options.requestPassword?.(user)),
  });
  return { client, url, paramsFile: clientParamsFile(url, env) };
}

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
    retry: options.retry,
    log: options.log,
    onToken: options.persistToken === false ? undefined : async (user, token) => void (await saveToken(url, user, token, env)),
    requestPassword: async (user) => storedPassword ?? (await options.requestPassword?.(user)),
  });
  return { client, url, paramsFile: clientParamsFile(url, env) };
}

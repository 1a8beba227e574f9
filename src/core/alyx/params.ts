/**
 * Python ONE's parameter files, read and written the way ONE 3.x (iblutil.io.params) does, so
 * that someone logged in with Python ONE is logged in here and vice versa:
 *
 * - `~/.one/.caches` (`%APPDATA%\.one\.caches` on Windows): `{CLIENT_MAP: {key: cache_dir}, DEFAULT: key}`
 * - `~/.one/.<key>` per server: `{ALYX_URL, ALYX_LOGIN, HTTP_DATA_SERVER…, TOKEN: {user: {token}}}`
 *
 * `ALF_ONE_PARAMS_DIR` replaces `~/.one` (ONE has no such switch; tests use it to stay away
 * from the real one). Files holding tokens are written atomically with mode 0600.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PARAMS_DIR_ENV = 'ALF_ONE_PARAMS_DIR';

/** A per-server parameter file. Unknown keys are kept when it is rewritten. */
export interface OneClientParams {
  ALYX_URL?: string;
  ALYX_LOGIN?: string | null;
  /** Plain-text password: ONE uses it only if the user put it there by hand. */
  ALYX_PWD?: string | null;
  TOKEN?: Record<string, { token?: string }>;
  [key: string]: unknown;
}

interface OneCachesMap {
  CLIENT_MAP?: Record<string, string>;
  DEFAULT?: string;
  [key: string]: unknown;
}

/** ONE's defaults for a server set up with `one.params.setup(silent=True)`. */
const ONE_DEFAULTS = {
  HTTP_DATA_SERVER: 'https://ibl.flatironinstitute.org/public',
  HTTP_DATA_SERVER_LOGIN: null,
  HTTP_DATA_SERVER_PWD: null,
};

export function oneParamsDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[PARAMS_DIR_ENV];
  if (override) return path.resolve(override);
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, '.one');
  return path.join(env.HOME || os.homedir(), '.one');
}

/** ONE's `_key_from_url`: `http://Alyx.example.org:8000/` → `alyx.example.org_8000`. */
export function clientKey(url: string): string {
  let key = url.normalize('NFKC').replace(/^https?:\/\//, '');
  key = key.replace(/^\/+|\/+$/g, '').toLowerCase();
  key = key.replace(/[^.\p{L}\p{N}_\s-]/gu, '_');
  return key.replace(/[-\s]+/g, '-');
}

export function clientParamsFile(url: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(oneParamsDir(env), `.${clientKey(url)}`);
}

/** The server's parameters, or undefined when ONE was never set up for it. */
export async function readClientParams(url: string, env: NodeJS.ProcessEnv = process.env): Promise<OneClientParams | undefined> {
  return readJson<OneClientParams>(clientParamsFile(url, env));
}

/** The cached token of `username` (or of the `ALYX_LOGIN` user), as ONE stores it. */
export function cachedToken(params: OneClientParams | undefined, username?: string): { username: string; token: string } | undefined {
  if (!params?.TOKEN) return undefined;
  const users = Object.keys(params.TOKEN);
  const user = username ?? params.ALYX_LOGIN ?? (users.length === 1 ? users[0] : undefined);
  const token = user ? params.TOKEN[user]?.token : undefined;
  return user && typeof token === 'string' && token ? { username: user, token } : undefined;
}

/** The URL of ONE's default server (`DEFAULT` in `.caches`), if any. */
export async function defaultClientUrl(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const caches = await readJson<OneCachesMap>(path.join(oneParamsDir(env), '.caches'));
  const key = caches?.DEFAULT;
  if (!key) return undefined;
  const params = await readJson<OneClientParams>(path.join(oneParamsDir(env), `.${key}`));
  return typeof params?.ALYX_URL === 'string' ? params.ALYX_URL : undefined;
}

/** ONE's download (cache) folder for the server (`CLIENT_MAP` in `.caches`), if set up. */
export async function oneCacheDir(url: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const caches = await readJson<OneCachesMap>(path.join(oneParamsDir(env), '.caches'));
  const dir = caches?.CLIENT_MAP?.[clientKey(url)];
  return typeof dir === 'string' && dir ? dir : undefined;
}

/**
 * Stores `token` for `username` the way ONE's `authenticate(cache_token=True)` does, creating the
 * server's parameter file (and its `.caches` entry, without which ONE would run its setup
 * prompts and drop the token) when missing. Returns the file written.
 */
export async function saveToken(url: string, username: string, token: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const file = clientParamsFile(url, env);
  const current = (await readJson<OneClientParams>(file)) ?? { ALYX_URL: url.replace(/\/+$/, ''), ALYX_LOGIN: username, ...ONE_DEFAULTS };
  const tokens = { ...(current.TOKEN ?? {}), [username]: { token } };
  const next: OneClientParams = { ...current, ALYX_LOGIN: current.ALYX_LOGIN ?? username, TOKEN: tokens };
  await writeJsonAtomic(file, next);
  await ensureCachesEntry(url, env);
  return file;
}

/** Removes the cached token of `username` (ONE's `_clear_token`). Returns whether one was removed. */
export async function clearToken(url: string, username: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const file = clientParamsFile(url, env);
  const current = await readJson<OneClientParams>(file);
  const user = username ?? current?.ALYX_LOGIN ?? undefined;
  if (!current?.TOKEN || !user || !(user in current.TOKEN)) return false;
  const tokens = { ...current.TOKEN };
  delete tokens[user];
  await writeJsonAtomic(file, { ...current, TOKEN: tokens });
  return true;
}

async function ensureCachesEntry(url: string, env: NodeJS.ProcessEnv): Promise<void> {
  const file = path.join(oneParamsDir(env), '.caches');
  const caches = (await readJson<OneCachesMap>(file)) ?? {};
  const key = clientKey(url);
  const map = { ...(caches.CLIENT_MAP ?? {}) };
  if (map[key] && caches.DEFAULT) return;
  // ONE's default download location for a server; the folder itself is left for ONE to create.
  map[key] ??= path.join(env.HOME || os.homedir(), 'Downloads', 'ONE', key);
  await writeJsonAtomic(file, { ...caches, CLIENT_MAP: map, DEFAULT: caches.DEFAULT ?? key });
}

async function readJson<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as T) : undefined;
  } catch {
    throw new Error(`ONE parameter file ${file} is not valid JSON; fix or delete it`);
  }
}

/** Temp file + rename so a crash never leaves half a file; 0600 because it may hold tokens. */
async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, `${JSON.stringify(value, null, 4)}\n`, { mode: 0o600 });
    await fs.chmod(tmp, 0o600); // writeFile's mode is filtered by the umask
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

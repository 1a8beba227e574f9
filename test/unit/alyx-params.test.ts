import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  PARAMS_DIR_ENV, clearToken, clientKey, clientParamsFile, connectAlyx, defaultClientUrl, oneCacheDir, readClientParams, resolveAlyxUrl, saveToken,
} from '../../src/core/alyx';
import { type AlyxTestServer, DEFAULT_USERS, startAlyxServer } from '../alyx-server';

const [USER] = DEFAULT_USERS as [{ username: string; password: string }];

async function tempEnv(): Promise<{ env: NodeJS.ProcessEnv; dir: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'alf-one-params-'));
  // HOME too, so that nothing can reach the real ~/.one even by mistake.
  return { dir, env: { [PARAMS_DIR_ENV]: path.join(dir, '.one'), HOME: dir } };
}

test('clientKey follows ONE\'s _key_from_url', () => {
  assert.equal(clientKey('http://test.alyx.internationalbrainlab.org/'), 'test.alyx.internationalbrainlab.org');
  assert.equal(clientKey('https://Alyx.Example.org:8000'), 'alyx.example.org_8000');
  assert.equal(clientKey('http://127.0.0.1:41813'), '127.0.0.1_41813');
  assert.equal(clientKey('https://host.org/alyx api'), 'host.org_alyx-api');
});

describe('ONE parameter files', () => {
  let server: AlyxTestServer;
  before(async () => {
    server = await startAlyxServer();
  });
  after(() => server.close());

  test('a token cached by Python ONE logs the client in', async () => {
    const { env, dir } = await tempEnv();
    const key = clientKey(server.url);
    const token = server.tokenFor(USER.username);
    // Exactly what ONE 3.4 writes after AlyxClient.authenticate(cache_token=True).
    await fs.mkdir(path.join(dir, '.one'));
    await fs.writeFile(path.join(dir, '.one', `.${key}`), JSON.stringify({
      ALYX_URL: server.url, ALYX_LOGIN: USER.username, HTTP_DATA_SERVER: 'https://ibl.flatironinstitute.org/public',
      HTTP_DATA_SERVER_LOGIN: null, HTTP_DATA_SERVER_PWD: null, TOKEN: { [USER.username]: { token } },
    }, null, 4));
    await fs.writeFile(path.join(dir, '.one', '.caches'), JSON.stringify({ CLIENT_MAP: { [key]: path.join(dir, 'Downloads', 'ONE', key) }, DEFAULT: key }, null, 4));

    assert.equal(await defaultClientUrl(env), server.url);
    assert.equal(await resolveAlyxUrl(undefined, env), server.url);
    assert.equal(await resolveAlyxUrl(undefined, { ...env, ALYX_URL: 'https://other.org/' }), 'https://other.org');
    assert.equal(await oneCacheDir(server.url, env), path.join(dir, 'Downloads', 'ONE', key));
    const { client, paramsFile } = await connectAlyx({ env });
    assert.equal(paramsFile, path.join(dir, '.one', `.${key}`));
    assert.equal(client.username, USER.username);
    assert.ok(client.isLoggedIn);
    const n = server.requests.length;
    await client.get('/subjects/algernon');
    assert.equal(server.requests.length, n + 1, 'no login request was needed');
    assert.equal(server.requests.at(-1)?.user, USER.username);
  });

  test('login through connectAlyx stores the token as ONE does, mode 0600, keeping other keys', async () => {
    const { env, dir } = await tempEnv();
    const { client } = await connectAlyx({ url: server.url, env });
    assert.ok(!client.isLoggedIn);
    const token = await client.login(USER.username, USER.password);
    const file = clientParamsFile(server.url, env);
    const params = await readClientParams(server.url, env);
    assert.equal(params?.ALYX_URL, server.url);
    assert.equal(params?.ALYX_LOGIN, USER.username);
    assert.deepEqual(params?.TOKEN, { [USER.username]: { token } });
    assert.equal(params?.HTTP_DATA_SERVER, 'https://ibl.flatironinstitute.org/public');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.doesNotMatch(await fs.readFile(file, 'utf8'), new RegExp(USER.password));
    const caches = JSON.parse(await fs.readFile(path.join(dir, '.one', '.caches'), 'utf8')) as { DEFAULT: string; CLIENT_MAP: Record<string, string> };
    assert.equal(caches.DEFAULT, clientKey(server.url));
    assert.ok(caches.CLIENT_MAP[clientKey(server.url)]);
    // Unknown keys survive a rewrite; the token of another user too.
    await fs.writeFile(file, JSON.stringify({ ...params, CUSTOM: 42, TOKEN: { ...params?.TOKEN, olivier: { token: 'abc' } } }));
    await saveToken(server.url, USER.username, 'new-token', env);
    const again = await readClientParams(server.url, env);
    assert.equal(again?.CUSTOM, 42);
    assert.deepEqual(again?.TOKEN, { [USER.username]: { token: 'new-token' }, olivier: { token: 'abc' } });
    assert.equal(await clearToken(server.url, USER.username, env), true);
    assert.deepEqual((await readClientParams(server.url, env))?.TOKEN, { olivier: { token: 'abc' } });
    assert.equal(await clearToken(server.url, USER.username, env), false);
    assert.deepEqual((await fs.readdir(path.join(dir, '.one'))).sort(), [`.${clientKey(server.url)}`, '.caches'].sort(), 'no temporary files left');
  });

  test('a revoked cached token is replaced using ALYX_PWD when ONE has one, and saved', async () => {
    const { env } = await tempEnv();
    await saveToken(server.url, USER.username, '0'.repeat(40), env);
    const file = clientParamsFile(server.url, env);
    const params = await readClientParams(server.url, env);
    await fs.writeFile(file, JSON.stringify({ ...params, ALYX_PWD: USER.password }));
    const { client } = await connectAlyx({ env, url: server.url });
    await client.get('/subjects/algernon');
    const saved = await readClientParams(server.url, env);
    assert.notEqual(saved?.TOKEN?.[USER.username]?.token, '0'.repeat(40));
  });

  test('no URL anywhere is a clear error', async () => {
    const { env } = await tempEnv();
    await assert.rejects(resolveAlyxUrl(undefined, env), /No Alyx URL: pass --url, set ALYX_URL/);
  });

  test('a corrupt parameter file is named', async () => {
    const { env } = await tempEnv();
    const file = clientParamsFile(server.url, env);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{not json');
    await assert.rejects(readClientParams(server.url, env), new RegExp(`${file.replace(/[.]/g, '\\.')} is not valid JSON`));
  });
});

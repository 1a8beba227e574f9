/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PARAMS_DIR_ENV, clientParamsFile, saveToken } from '../../../src/core/alyx/params';
import { type AlyxTestServer, startAlyxServer } from '../../alyx-server';
import { alf, waitFor } from '../helpers';

/** The Alyx connection in the real extension host, against the test server started here. */
export function alyxSuite(): void {
  suite('Alyx connection: server setting, http policy, ONE token login, logout', () => {
    let server: AlyxTestServer;
    let paramsDir: string;
    const previousParams = process.env[PARAMS_DIR_ENV];
    const config = () => vscode.workspace.getConfiguration('alf.alyx');

    suiteSetup(async () => {
      server = await startAlyxServer();
      // The extension reads ONE's files through process.env at call time: point it at a temp folder.
      paramsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-one-'));
      process.env[PARAMS_DIR_ENV] = paramsDir;
    });

    suiteTeardown(async () => {
      await config().update('url', undefined, vscode.ConfigurationTarget.Global);
      await config().update('allowInsecureHttp', undefined, vscode.ConfigurationTarget.Global);
      if (previousParams === undefined) delete process.env[PARAMS_DIR_ENV];
      else process.env[PARAMS_DIR_ENV] = previousParams;
      await server.close();
    });

    test('alf.alyx.url set: logged out until a login', async () => {
      const api = await alf();
      await config().update('url', `${server.url}/`, vscode.ConfigurationTarget.Global);
      assert.equal(await api.alyx.serverUrl(), server.url, 'the trailing slash is dropped');
      const status = await api.alyx.refresh();
      assert.deepEqual(status, { kind: 'loggedOut', url: server.url });
    });

    test('http:// to another machine is refused unless alf.alyx.allowInsecureHttp is on', async () => {
      const api = await alf();
      await config().update('url', 'http://alyx.example.org', vscode.ConfigurationTarget.Global);
      await assert.rejects(api.alyx.serverUrl(), /Refusing http:\/\/alyx\.example\.org.*allowInsecureHttp/);
      await config().update('allowInsecureHttp', true, vscode.ConfigurationTarget.Global);
      assert.equal(await api.alyx.serverUrl(), 'http://alyx.example.org');
      await config().update('allowInsecureHttp', undefined, vscode.ConfigurationTarget.Global);
      await config().update('url', server.url, vscode.ConfigurationTarget.Global);
    });

    test("ALF: Log In to Alyx offers Python ONE's cached token first, and never writes ONE's file", async () => {
      const api = await alf();
      await saveToken(server.url, 'test_user', server.tokenFor('test_user'), { ...process.env, [PARAMS_DIR_ENV]: paramsDir });
      const oneFile = clientParamsFile(server.url, { [PARAMS_DIR_ENV]: paramsDir });
      const before = fs.readFileSync(oneFile, 'utf8');
      let done = false;
      const login = Promise.resolve(vscode.commands.executeCommand<{ url: string; username: string } | undefined>('alf.login')).finally(() => (done = true));
      // The first item is "Use the token Python ONE saved": accept it once the pick shows.
      const started = Date.now();
      while (!done && Date.now() - started < 15_000) {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.deepEqual(await login, { url: server.url, username: 'test_user' });
      await waitFor(() => api.alyx.status.kind === 'loggedIn', 10_000, 'logged in');
      assert.equal(fs.readFileSync(oneFile, 'utf8'), before, "ONE's parameter file is left as it was");
      const checked = server.requests.find((r) => r.path === '/users/test_user');
      assert.ok(checked?.authorization && checked.user === 'test_user', 'the token was checked with one request');
    });

    test('ALF: Log Out of Alyx forgets the token', async () => {
      const api = await alf();
      await vscode.commands.executeCommand('alf.logout');
      await waitFor(() => api.alyx.status.kind === 'loggedOut', 10_000, 'logged out');
      await assert.rejects(api.alyx.login({ interactive: false }), /Not logged in to Alyx at 127\.0\.0\.1:\d+: run ALF: Log In to Alyx/);
    });
  });
}

/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PARAMS_DIR_ENV, saveToken } from '../../../src/core/alyx/params';
import type { RegisterUnregisteredPanel } from '../../../src/webviews/registerUnregisteredPanel';
import { type AlyxTestServer, startAlyxServer } from '../../alyx-server';
import { alf, allNodes, logInWithOneToken, rootOf } from '../helpers';

/** ALF: Register Unregistered… on a subject of the Sessions view, against the test Alyx server. */
export function registerUnregisteredSuite(): void {
  suite('Register Unregistered: a subject after a status fetch', () => {
    let server: AlyxTestServer;
    let paramsDir: string;
    const previousParams = process.env[PARAMS_DIR_ENV];
    const config = () => vscode.workspace.getConfiguration('alf.alyx');

    suiteSetup(async () => {
      server = await startAlyxServer();
      paramsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-one-regall-'));
      process.env[PARAMS_DIR_ENV] = paramsDir;
      await config().update('url', server.url, vscode.ConfigurationTarget.Global);
      await saveToken(server.url, 'test_user', server.tokenFor('test_user'), { ...process.env, [PARAMS_DIR_ENV]: paramsDir });
      const api = await alf();
      await logInWithOneToken(api);
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('alf.logout');
      await config().update('url', undefined, vscode.ConfigurationTarget.Global);
      if (previousParams === undefined) delete process.env[PARAMS_DIR_ENV];
      else process.env[PARAMS_DIR_ENV] = previousParams;
      await server.close();
    });

    test('the subject is marked, the command opens the preview (no write), Register creates its sessions and their states refresh one by one', async () => {
      const api = await alf();
      const root = await rootOf(api);
      // A cortexlab subject (a lab the test server has), made known to the server.
      const subjects = root.model.labs.get('cortexlab');
      const [subject, paths] = [...(subjects ?? new Map<string, Set<string>>())].sort(([a], [b]) => (a < b ? -1 : 1))[0] ?? [];
      assert.ok(subject && paths?.size, 'the test folder has a cortexlab subject with sessions');
      server.state.subjects.push({ id: crypto.randomUUID(), nickname: subject, lab: 'cortexlab', responsible_user: 'test_user', projects: [] });

      const fetched = await vscode.commands.executeCommand<{ sessions: Array<{ path: string; state: string }> }>('alf.refreshAlyxStatus');
      assert.ok(fetched?.sessions.filter((s) => paths.has(s.path)).every((s) => s.state === 'not-registered'), JSON.stringify(fetched?.sessions.slice(0, 3)));
      const fullFetch = api.alyxStatus.last;

      const subjectNode = (await allNodes(api)).find((s) => s.node.type === 'subject' && s.node.subject === subject && s.node.root === root);
      assert.ok(subjectNode, `the tree shows ${subject}`);
      assert.match(subjectNode.item.contextValue ?? '', /\balyx-unregistered\b/);
      assert.match(subjectNode.description, new RegExp(`^\\d+ sessions? · ${paths.size} unregistered( · \\d+ invalid)?$`));

      server.resetStats();
      const panel = await vscode.commands.executeCommand<RegisterUnregisteredPanel>('alf.registerUnregistered', subjectNode.node);
      assert.ok(panel, 'the command returns the form');
      const previewed = await panel.lastRun;
      assert.equal(previewed?.kind, 'previewed', previewed?.message);
      assert.equal(previewed.preview?.sessions.length, paths.size);
      assert.ok(previewed.preview?.sessions.every((s) => s.create && s.requests[0]?.method === 'POST' && s.requests[0].path === '/sessions'));
      assert.deepEqual(server.requests.filter((r) => r.method !== 'GET'), [], 'the preview sends no write');
      assert.equal(panel.shown.previewed, true);

      const outcome = await panel.register();
      assert.equal(outcome.kind, 'registered', outcome.message);
      assert.deepEqual(outcome.result?.sessions.map((s) => s.outcome), [...paths].map(() => 'registered'));
      // The server now holds the subject's sessions, each created once, none updated.
      const onServer = server.state.sessions.filter((s) => s.subject === subject);
      assert.equal(onServer.length, paths.size);
      assert.ok(!server.requests.some((r) => r.method === 'PUT'));
      assert.equal(panel.shown.results.length, paths.size);
      assert.match(panel.shown.summary ?? '', new RegExp(`registered ${paths.size} of ${paths.size} session\\(s\\) \\(${paths.size} created`));

      // Each session's state was asked again on its own: no full fetch, no second catalogue.
      assert.equal(api.alyxStatus.last, fullFetch, 'no full re-fetch');
      assert.equal(server.requests.filter((r) => r.path === '/dataset-types').length, 1, 'the catalogue was loaded once, by the form');
      for (const p of paths) assert.equal(api.alyxStatus.session(root, p)?.state, 'registered', p);
      const shown = await allNodes(api);
      for (const p of paths) {
        const session = shown.find((s) => s.node.type === 'session' && s.node.sessionPath === p);
        assert.match(session?.description ?? '', / · on Alyx/, p);
        assert.doesNotMatch(session?.item.contextValue ?? '', /\balyx-unregistered\b/, p);
      }
      const after = shown.find((s) => s.node.type === 'subject' && s.node.subject === subject && s.node.root === root);
      assert.doesNotMatch(after?.item.contextValue ?? '', /\balyx-unregistered\b/);
      assert.doesNotMatch(after?.description ?? '', /unregistered/);
    });
  });
}

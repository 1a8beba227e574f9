/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PARAMS_DIR_ENV, saveToken } from '../../../src/core/alyx/params';
import { type AlyxTestServer, startAlyxServer } from '../../alyx-server';
import { seedSession } from '../../alyx-server/testing';
import { alf, allNodes, logInWithOneToken, rootOf } from '../helpers';

/** ALF: Refresh Alyx Status in the real extension host: on demand, badges and descriptions, one line when logged out. */
export function alyxStatusSuite(): void {
  suite('Alyx status: refresh on demand, tree descriptions and badges', () => {
    let server: AlyxTestServer;
    let paramsDir: string;
    const previousParams = process.env[PARAMS_DIR_ENV];
    const config = () => vscode.workspace.getConfiguration('alf.alyx');

    suiteSetup(async () => {
      server = await startAlyxServer();
      paramsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-one-status-'));
      process.env[PARAMS_DIR_ENV] = paramsDir;
      await config().update('url', server.url, vscode.ConfigurationTarget.Global);
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('alf.logout');
      await config().update('url', undefined, vscode.ConfigurationTarget.Global);
      if (previousParams === undefined) delete process.env[PARAMS_DIR_ENV];
      else process.env[PARAMS_DIR_ENV] = previousParams;
      await server.close();
    });

    test('never fetched at activation; logged out is one line at the top of the view, and no request', async () => {
      const api = await alf();
      assert.equal(api.alyxStatus.last, undefined);
      assert.ok(!server.requests.some((r) => r.path === '/sessions' || r.path === '/datasets'), 'no status request before it is asked for');
      await vscode.commands.executeCommand('alf.logout');
      const result = await api.alyxStatus.refresh({ quiet: true });
      assert.equal(result, undefined);
      assert.match(api.treeView.message ?? '', /^Alyx status unknown: Not logged in to Alyx at 127\.0\.0\.1:\d+/);
      assert.equal(server.requests.filter((r) => r.path === '/sessions').length, 0);
      // The tree stays usable.
      assert.ok((await allNodes(api)).length > 0);
    });

    test('after logging in: a registered session and its files show their state, with badges', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const [first] = [...root.model.sessions.values()].sort((a, b) => (a.key.path < b.key.path ? -1 : 1));
      assert.ok(first, 'the test folder has sessions');
      // The first session is on the server with every dataset of the same size.
      const eid = seedSession(server, first.key.subject, first.key.date, first.key.number, { lab: first.key.lab });
      const datasets = await root.model.datasets(first.key.path);
      for (const d of datasets) {
        const rel = d.path.slice(first.key.path.length + 1);
        server.state.datasets.push({
          id: crypto.randomUUID(), session: eid, name: path.posix.basename(rel), collection: d.collection ?? '', revision: d.revision ?? '', dataset_type: '', data_format: '',
          hash: '', file_size: fs.statSync(root.absolute(d.path)).size, version: '', default_dataset: true, qc: 0, protected: false, created_by: 'test_user',
          created_datetime: '2024-01-01T00:00:00', file_records: [{ id: crypto.randomUUID(), data_repository: 'flatiron_cortexlab', relative_path: `${first.key.subject}/${first.key.date}/${String(first.key.number).padStart(3, '0')}/${rel}`, exists: true }],
        });
      }
      await saveToken(server.url, 'test_user', server.tokenFor('test_user'), { ...process.env, [PARAMS_DIR_ENV]: paramsDir });
      await logInWithOneToken(api);

      server.resetStats();
      const result = await vscode.commands.executeCommand<{ requests: number; sessions: Array<{ path: string; state: string }> }>('alf.refreshAlyxStatus');
      assert.ok(result, 'the command returns the status');
      assert.equal(api.treeView.message, undefined);
      assert.equal(result.sessions.find((s) => s.path === first.key.path)?.state, 'registered');
      // Requests grow with subjects: 2 for the catalogue, at most 2 per subject.
      const subjects = new Set([...root.model.sessions.values()].map((s) => s.key.subject)).size;
      assert.ok(result.requests <= 2 + 2 * subjects, `${result.requests} requests for ${subjects} subjects`);
      assert.ok(server.maxInFlight <= 4);

      const shown = await allNodes(api);
      const session = shown.find((s) => s.node.type === 'session' && s.node.sessionPath === first.key.path);
      // Files Alyx cannot take (invalid names in the test folder) are counted after the state.
      assert.match(session?.description ?? '', / · on Alyx( \(\d+ files? not registered\))?$/);
      const tooltip = session?.item.tooltip instanceof vscode.MarkdownString ? session.item.tooltip.value : '';
      assert.ok(tooltip.includes(`/admin/actions/session/${eid}/change/`), tooltip);
      const aFile = shown.find((s) => s.node.type === 'dataset' && s.node.sessionPath === first.key.path);
      assert.equal(aFile?.description, 'on Alyx');
      const badge = api.alyxStatus.provideFileDecoration(root.uriOf(first.key.path));
      assert.equal(badge?.badge, '✓');
      const other = [...root.model.sessions.values()].find((s) => s.key.path !== first.key.path);
      if (other) {
        assert.equal(api.alyxStatus.provideFileDecoration(root.uriOf(other.key.path))?.badge, 'U');
        assert.match(shown.find((s) => s.node.type === 'session' && s.node.sessionPath === other.key.path)?.description ?? '', / · not on Alyx$/);
      }
    });

    test('Show Unregistered Only hides what is registered as it is, and Show Registered Sessions Too brings it back', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const all = (await allNodes(api)).filter((s) => s.node.type === 'session').length;
      await vscode.commands.executeCommand('alf.showUnregisteredOnly');
      try {
        assert.equal(api.tree.unregisteredOnly, true);
        const shown = await allNodes(api);
        for (const s of shown) {
          if (s.node.type === 'session') {
            const status = api.alyxStatus.session(root, s.node.sessionPath);
            assert.ok(!status || status.state !== 'registered' || status.files.some((f) => f.state !== 'registered'), s.node.sessionPath);
          }
          if (s.node.type === 'dataset') assert.notEqual(api.alyxStatus.file(root, s.node.path)?.file.state, 'registered', s.node.path);
        }
      } finally {
        await vscode.commands.executeCommand('alf.showRegisteredToo');
      }
      assert.equal((await allNodes(api)).filter((s) => s.node.type === 'session').length, all);
    });

    test('the server failing mid-run: unknown with the reason, never "not on Alyx"', async () => {
      const api = await alf();
      const root = await rootOf(api);
      server.inject({ path: /^\/(sessions|datasets)$/, status: 500, times: 1000 });
      try {
        const result = await api.alyxStatus.refresh({ quiet: true });
        assert.ok(result?.sessions.every((s) => s.state === 'unknown'));
        const first = [...root.model.sessions.values()][0]!;
        assert.equal(api.alyxStatus.provideFileDecoration(root.uriOf(first.key.path))?.badge, '?');
      } finally {
        server.clearInjections();
      }
    });
  });
}

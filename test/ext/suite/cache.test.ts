/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { alf, findFiles, rootOf, waitFor, workspaceFolder } from '../helpers';

/** ../shared, when the e2e run found it (fixtures written by pyarrow and Python ONE). */
const SHARED = process.env.E2E_SHARED_DIR;

export function cacheSuite(): void {
  suite('ONE cache: build, read back, staleness, table editor', () => {
    test('builds sessions.pqt and datasets.pqt that read back with the counts of the summary', async () => {
      const api = await alf();
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-cache-'));
      const outcome = await api.buildCache({ folder: workspaceFolder(), outDir, hashFiles: true, exclude: [] });
      assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
      if (outcome.kind !== 'done') return;
      const s = outcome.summary;
      assert.ok(s.sessions > 0 && s.datasets > s.sessions, `${s.sessions} sessions, ${s.datasets} datasets`);
      assert.ok(s.skipped.some((e) => e.path.endsWith('trials choice.npy') || /space/.test(e.reason)), 'skipped files come with reasons');
      const sessions = await api.worker.call('openTable', { path: s.sessionsPath });
      assert.equal(sessions.rowCount, s.sessions);
      assert.deepEqual(sessions.columns.map((c) => c.name), ['lab', 'subject', 'date', 'number', 'task_protocol', 'projects', 'id']);
      assert.match(sessions.metadata.one_metadata ?? '', /date_created/);
      const datasets = await api.worker.call('openTable', { path: s.datasetsPath });
      assert.equal(datasets.rowCount, s.datasets);
      const page = await api.worker.call('tablePage', { tableId: datasets.tableId, offset: 0, limit: 5, sortColumn: 0 });
      assert.equal(page.rows.length, 5);
      assert.ok(page.rows.every((r) => /^[0-9a-f]{32}$/.test(r[2] ?? '')), 'md5 hashes in the hash column');
      fs.rmSync(outDir, { recursive: true });
    });

    test('a cancelled build stops and writes nothing', async () => {
      const api = await alf();
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-cancel-'));
      const controller = new AbortController();
      const outcome = api.buildCache({ folder: workspaceFolder(), outDir, hashFiles: true, exclude: [] }, controller.signal);
      controller.abort();
      assert.equal((await outcome).kind, 'cancelled');
      assert.deepEqual(fs.readdirSync(outDir), []);
      fs.rmSync(outDir, { recursive: true });
    });

    test('a change after the build marks the cache stale; Update Cache makes it current again', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const outcome = await api.buildCache({ folder: root.fsPath, outDir: root.fsPath, hashFiles: false, exclude: [] });
      assert.equal(outcome.kind, 'done');
      await waitFor(() => api.cacheStatus.info(root) !== null, 5000, 'cache found');
      assert.deepEqual(api.cacheStatus.changedPaths(root), [], 'nothing changed since the build');
      const [dataset] = findFiles(root.fsPath, (n) => n === '_ibl_trials.choice.npy');
      fs.appendFileSync(path.join(root.fsPath, dataset!), 'x');
      await waitFor(() => api.cacheStatus.changedPaths(root).some((session) => dataset!.startsWith(`${session}/`)), 5000, 'its session seen as changed');
      assert.ok(api.cacheStatus.isStale(root));
      const update = await vscode.commands.executeCommand<{ kind: string }>('alf.updateCache', root.uri);
      assert.equal(update?.kind, 'done');
      await waitFor(() => !api.cacheStatus.isStale(root), 5000, 'current after the update');
    });

    test('copy eid takes the id from the cache', async () => {
      const api = await alf();
      const root = await rootOf(api);
      await waitFor(() => api.cacheStatus.info(root) !== null, 5000, 'cache found');
      const session = [...root.model.sessions.values()].find((s) => s.key.lab && s.datasetCount > 0)!;
      const node = await api.tree.nodeForPath(root, session.key.path);
      const eid = await vscode.commands.executeCommand<string>('alf.copyEid', node);
      const table = await api.worker.call('openTable', { path: path.join(root.fsPath, 'sessions.pqt') });
      const rows = await api.worker.call('tablePage', { tableId: table.tableId, offset: 0, limit: 100_000 });
      const row = rows.rows.find((r) => r[1] === session.key.subject && r[2] === session.key.date && Number(r[3]) === session.key.number);
      assert.ok(row, `no row for ${session.key.strId} among ${rows.rows.length}: ${JSON.stringify(rows.rows[0])}`);
      assert.equal(eid, row[6]);
    });

    test('sessions.pqt opens in the ONE table editor', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const uri = vscode.Uri.file(path.join(root.fsPath, 'sessions.pqt'));
      await vscode.commands.executeCommand('vscode.open', uri);
      await waitFor(() => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputCustom && input.viewType === 'alf.parquetTable' && input.uri.fsPath === uri.fsPath;
      }, 5000, 'custom editor tab');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    test('every Parquet file written by pyarrow 5 → 22 and by Python ONE opens, pages and sorts', async function () {
      if (!SHARED || !fs.existsSync(path.join(SHARED, 'fixtures'))) {
        console.log('    skipped: ../shared/fixtures is not here (E2E_SHARED_DIR unset)');
        this.skip();
      }
      const api = await alf();
      const files = findFiles(path.join(SHARED!, 'fixtures'), (n) => /\.(pqt|parquet)$/.test(n)).map((f) => path.join(SHARED!, 'fixtures', f));
      assert.ok(files.length >= 7, `fixtures: ${files.length}`);
      for (const file of files) {
        const info = await api.worker.call('openTable', { path: file });
        assert.ok(info.columns.length > 0, file);
        const last = Math.max(0, info.rowCount - 10);
        const page = await api.worker.call('tablePage', { tableId: info.tableId, offset: last, limit: 10, sortColumn: info.columns.length - 1, descending: true });
        assert.equal(page.rows.length, Math.min(10, info.rowCount), file);
        await api.worker.call('closeTable', { tableId: info.tableId });
      }
    });
  });
}

/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { alf, findFiles, isDataset, rootOf, waitFor, workspaceFolder } from '../helpers';

/** Changes made on disk behind VS Code's back reach the view through the file watcher. */
export function watcherSuite(): void {
  suite('live updates from the file watcher', () => {
    test('a rename on disk updates the index, the view and the Problems panel', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const [rel] = findFiles(workspaceFolder(), (n) => n === 'trials choice.npy');
      const from = path.join(workspaceFolder(), rel!);
      const to = path.join(path.dirname(from), 'trials.choice.npy');
      const newRel = root.relative(to)!;
      const sessionPath = root.model.problemsAt(rel!)[0]!.session!.path;
      const started = performance.now();
      fs.renameSync(from, to);
      await waitFor(() => root.model.problemsAt(rel!).length === 0, 5000, 'the rename in the index', 2);
      const ms = performance.now() - started;
      console.log(`    rename on disk reflected after ${ms.toFixed(0)} ms (${api.workspace.stats.lastEventToModelMs.toFixed(0)} ms from the first event to the model)`);
      assert.ok(ms < 1000, `took ${ms} ms`);
      assert.ok(api.workspace.stats.lastEventToModelMs < 100, `${api.workspace.stats.lastEventToModelMs} ms from the event to the model`);
      assert.ok(await isDataset(root, newRel), 'the new name is a dataset');
      assert.equal(root.model.sessions.get(sessionPath)!.errorCount, 0);
      await waitFor(() => vscode.languages.getDiagnostics(vscode.Uri.file(from)).length === 0, 2000, 'diagnostic gone');
    });

    test('a rename made through VS Code (a workspace edit) reaches the model within 100 ms of VS Code telling us', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const [rel] = findFiles(workspaceFolder(), (n) => n === '_ibl_trials.choice..npy');
      const from = vscode.Uri.file(path.join(workspaceFolder(), rel!));
      const to = vscode.Uri.joinPath(from, '..', '_ibl_trials.choice.copy.npy');
      const edit = new vscode.WorkspaceEdit();
      edit.renameFile(from, to);
      const started = performance.now();
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor(() => root.model.problemsAt(rel!).length === 0, 5000, 'the rename in the model', 2);
      const ms = performance.now() - started;
      console.log(`    workspace-edit rename reflected after ${ms.toFixed(0)} ms (${api.workspace.stats.lastEventToModelMs.toFixed(0)} ms from the first event to the model)`);
      assert.ok(ms < 1000, `took ${ms} ms`);
      assert.ok(api.workspace.stats.lastEventToModelMs < 100, `${api.workspace.stats.lastEventToModelMs} ms from the event to the model`);
    });

    test('a new session folder appears; renamed, it moves; deleted, it goes', async () => {
      const api = await alf();
      const root = await rootOf(api);
      const session = 'testlab/Subjects/TST_001/2021-05-05/001';
      const abs = path.join(workspaceFolder(), ...session.split('/'));
      const lab = path.join(workspaceFolder(), 'testlab');
      try {
        fs.mkdirSync(path.join(abs, 'alf'), { recursive: true });
        fs.writeFileSync(path.join(abs, 'alf', '_ibl_trials.choice.npy'), '');
        fs.writeFileSync(path.join(abs, 'alf', 'trials feedbackType.npy'), '');
        await waitFor(() => root.model.sessions.get(session)?.datasetCount === 1, 15000, 'new session');
        assert.ok(root.model.labs.has('testlab'));
        assert.equal(root.model.sessions.get(session)!.errorCount, 1);

        const renamed = 'testlab/Subjects/TST_001/2021-05-05/002';
        fs.renameSync(abs, path.join(workspaceFolder(), ...renamed.split('/')));
        await waitFor(() => !root.model.sessions.has(session) && root.model.sessions.get(renamed)?.datasetCount === 1, 15000, 'renamed session').catch((err: Error) => {
          const seen = [...root.model.sessions.values()].filter((s) => s.key.path.startsWith('testlab/')).map((s) => `${s.key.path}:${s.datasetCount}`);
          throw new Error(`${err.message}; testlab sessions now: ${seen.join(', ') || 'none'}`);
        });

        fs.rmSync(lab, { recursive: true });
        await waitFor(() => !root.model.labs.has('testlab') && root.model.problemsUnder('testlab').length === 0, 15000, 'deleted lab');
      } finally {
        // The suites after this one use the workspace too: leave no testlab behind, even when a
        // wait above timed out on a loaded machine.
        if (fs.existsSync(lab)) {
          fs.rmSync(lab, { recursive: true, force: true });
          await waitFor(() => !root.model.labs.has('testlab'), 15000, 'testlab removed after the test').catch(() => undefined);
        }
      }
    });
  });
}

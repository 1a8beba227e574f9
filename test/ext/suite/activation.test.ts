/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { alf, EXTENSION_ID, workspaceFolder } from '../helpers';

export function activationSuite(): void {
  suite('activation', () => {
    test('activates quickly: activate() itself takes under 50 ms', async () => {
      const api = await alf();
      console.log(`    activation: ${api.activationMs.toFixed(1)} ms in activate()`);
      assert.ok(api.activationMs < 50, `activate() took ${api.activationMs} ms`);
    });

    test('registers every command it contributes', async () => {
      await alf();
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
      const registered = new Set(await vscode.commands.getCommands(true));
      assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
    });

    test('the workspace folder is a root, scanned', async () => {
      const api = await alf();
      const root = api.workspace.roots.find((r) => r.fsPath === workspaceFolder());
      assert.ok(root, 'workspace folder is a root');
      assert.equal(root.state, 'ready');
      assert.ok(root.model.sessions.size > 0, 'found sessions');
    });
  });
}

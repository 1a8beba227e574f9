/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { alf, findFiles, workspaceFolder } from '../helpers';

/** Issue 13, item 11: alf.renameToValid refuses a name the core neither proposes nor validates. */
export function errorsSuite(): void {
  suite('clean errors (issue 13)', () => {
    test('alf.renameToValid with ../../x or an invalid name renames nothing and asks nothing', async () => {
      await alf();
      const [rel] = findFiles(workspaceFolder(), (n) => n === 'trials choice.npy');
      const bad = vscode.Uri.file(path.join(workspaceFolder(), rel!));
      const outside = path.resolve(path.dirname(bad.fsPath), '../../x');
      for (const name of ['../../x', 'sub/trials.choice.npy', 'trials.npy']) {
        // Refused before the confirmation dialog, so the command returns at once with false.
        const done = await vscode.commands.executeCommand<boolean>('alf.renameToValid', bad, name);
        assert.equal(done, false, name);
      }
      assert.ok(fs.existsSync(bad.fsPath), 'the file is where it was');
      assert.ok(!fs.existsSync(outside), 'nothing was moved out of the folder');
    });
  });
}

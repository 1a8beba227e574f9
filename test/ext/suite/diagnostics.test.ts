/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { alf, findFiles, waitFor, workspaceFolder } from '../helpers';

function alfDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ALF');
}

/** A fixable diagnostic's code links to its rename ({ value, target }); the value is the code. */
function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

export function diagnosticsSuite(): void {
  suite('diagnostics, decorations and quick fixes', () => {
    let badFile: vscode.Uri;
    setup(() => {
      const [rel] = findFiles(workspaceFolder(), (n) => n === 'trials choice.npy');
      badFile = vscode.Uri.file(path.join(workspaceFolder(), rel!));
    });

    test('an invalid file has an ALF diagnostic on its own URI, with a stable code', async () => {
      await alf();
      const [d] = alfDiagnostics(badFile);
      assert.ok(d, 'diagnostic present');
      assert.equal(codeOf(d), 'whitespace');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.match(d.message, /contains a space/);
    });

    test('an invalid session folder gets the diagnostic on the folder', async () => {
      const api = await alf();
      const root = api.workspace.roots[0]!;
      const folderProblem = [...root.model.problems()].find((p) => p.isFolder && p.level === 'error');
      assert.ok(folderProblem, 'the messy tree has an invalid folder');
      const diags = alfDiagnostics(root.uriOf(folderProblem.at));
      assert.ok(diags.some((d) => codeOf(d) === folderProblem.code), `diagnostics on ${folderProblem.at}`);
    });

    test('Explorer decorations: "!" on the file, a count on the folders above it', async () => {
      const api = await alf();
      const own = api.decorations.provideFileDecoration(badFile);
      assert.equal(own?.badge, '!');
      const parent = api.decorations.provideFileDecoration(vscode.Uri.file(path.dirname(badFile.fsPath)));
      assert.match(parent?.badge ?? '', /^\d+$/);
      const top = api.decorations.provideFileDecoration(vscode.Uri.file(workspaceFolder()));
      assert.ok(Number(top?.badge) >= Number(parent?.badge), 'the root counts at least as many');
    });

    test('a quick fix renames to the valid name the core derives', async () => {
      await alf();
      // Code actions are asked for an open document, as the editor's light bulb does.
      await vscode.workspace.openTextDocument(badFile);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', badFile, new vscode.Range(0, 0, 0, 0));
      const fix = actions.find((a) => a.title === "Rename to 'trials.choice.npy'");
      assert.ok(fix, `actions: ${actions.map((a) => a.title)}`);
      assert.equal(fix.command?.command, 'alf.renameToValid');
      assert.equal(fix.isPreferred, true);
    });

    test('ALF: Validate Folder re-reads a folder and counts its problems; Refresh Sessions rescans', async () => {
      const api = await alf();
      const root = api.workspace.roots[0]!;
      const lab = path.relative(workspaceFolder(), badFile.fsPath).split(path.sep)[0]!;
      const summary = await vscode.commands.executeCommand<{ errors: number; sessions: number; fixable: number }>('alf.validateFolder', vscode.Uri.file(path.join(workspaceFolder(), lab)));
      assert.ok(summary.errors >= 1 && summary.sessions >= 1 && summary.fixable >= 1, JSON.stringify(summary));
      const before = root.model.problemCount;
      await vscode.commands.executeCommand('alf.refreshSessions');
      assert.equal(root.state, 'ready');
      assert.equal(root.model.problemCount, before);
    });

    test('ALF: Validate Folder on a folder outside every root makes it a root for the window', async () => {
      const api = await alf();
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'alf-validate-'));
      const session = path.join(outside, 'lab', 'Subjects', 'S1', '2021-01-01', '001', 'alf');
      fs.mkdirSync(session, { recursive: true });
      fs.writeFileSync(path.join(session, 'trials choice.npy'), '');
      const summary = await vscode.commands.executeCommand<{ errors: number; sessions: number }>('alf.validateFolder', vscode.Uri.file(outside));
      assert.deepEqual({ errors: summary.errors, sessions: summary.sessions }, { errors: 1, sessions: 1 });
      assert.ok(api.workspace.roots.some((r) => r.fsPath === outside && r.origin === 'validated'));
      await waitFor(() => alfDiagnostics(vscode.Uri.file(path.join(session, 'trials choice.npy'))).length === 1, 5000, 'its diagnostic');
    });

    test('alf.validation.severity and alf.validation.enabled apply at once', async () => {
      await alf();
      const config = vscode.workspace.getConfiguration('alf');
      try {
        await config.update('validation.severity', 'warning', vscode.ConfigurationTarget.Workspace);
        await waitFor(() => alfDiagnostics(badFile)[0]?.severity === vscode.DiagnosticSeverity.Warning, 5000, 'warning severity');
        await config.update('validation.enabled', false, vscode.ConfigurationTarget.Workspace);
        await waitFor(() => alfDiagnostics(badFile).length === 0, 5000, 'diagnostics cleared');
      } finally {
        await config.update('validation.severity', undefined, vscode.ConfigurationTarget.Workspace);
        await config.update('validation.enabled', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await waitFor(() => alfDiagnostics(badFile)[0]?.severity === vscode.DiagnosticSeverity.Error, 5000, 'diagnostics back');
    });
  });
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AlfWorkspace } from './alfWorkspace';
import { locateOrAddRoot } from './locateRoot';
import { renamesUnder } from './renames';

export interface ValidationSummary {
  folder: string;
  errors: number;
  warnings: number;
  fixable: number;
  sessions: number;
}

/**
 * ALF: Validate Folder: reads the folder again and reports what is wrong in it. A folder
 * outside every root becomes a root for this window, so its problems show like any other.
 */
export async function validateFolder(workspace: AlfWorkspace, folder: vscode.Uri): Promise<ValidationSummary> {
  const { located, added } = await locateOrAddRoot(workspace, folder);
  if (!added) {
    await vscode.window.withProgress({ location: { viewId: 'alf.sessions' } }, () => workspace.rescanFolder(located.root, located.rel));
  }
  const { root, rel } = located;
  if (root.state === 'failed') throw new Error(root.error ?? `cannot read ${folder.fsPath}`);
  const problems = root.model.problemsUnder(rel);
  const prefix = rel ? `${rel}/` : '';
  let sessions = 0;
  for (const p of root.model.sessions.keys()) if (rel === '' || p === rel || p.startsWith(prefix)) sessions += 1;
  const summary: ValidationSummary = {
    folder: folder.fsPath,
    errors: problems.filter((p) => p.level === 'error').length,
    warnings: problems.filter((p) => p.level === 'warning').length,
    fixable: renamesUnder(root, rel).length,
    sessions,
  };
  void announce(summary, folder);
  return summary;
}

async function announce(s: ValidationSummary, folder: vscode.Uri): Promise<void> {
  const name = path.basename(s.folder) || s.folder;
  const sessions = `${s.sessions.toLocaleString('en-US')} session${s.sessions === 1 ? '' : 's'}`;
  if (s.errors === 0 && s.warnings === 0) {
    void vscode.window.showInformationMessage(`ALF: ${name} is valid: ${sessions}, no problems.`);
    return;
  }
  const parts = [`${s.errors} invalid name${s.errors === 1 ? '' : 's'}`];
  if (s.warnings > 0) parts.push(`${s.warnings} warning${s.warnings === 1 ? '' : 's'}`);
  const fixable = s.fixable > 0 ? ` ${s.fixable} can be renamed automatically.` : '';
  const show = 'Show Problems';
  const fix = 'Fix Names…';
  const choice = await vscode.window.showWarningMessage(
    `ALF: ${name}: ${sessions}, ${parts.join(', ')}.${fixable}`,
    show,
    ...(s.fixable > 0 ? [fix] : []),
  );
  if (choice === show) await vscode.commands.executeCommand('workbench.actions.view.problems');
  if (choice === fix) await vscode.commands.executeCommand('alf.fixNames', folder);
}

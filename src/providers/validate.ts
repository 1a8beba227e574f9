import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AlfWorkspace } from './alfWorkspace';
import { locateOrAddRoot } from './locateRoot';
import { renamesUnder } from './renames';
import { describeTally, skippedTotal, tallyProblems, type ProblemTally } from '../core/alf';

export interface ValidationSummary {
  folder: string;
  /** Invalid file names and invalid folders (the Problems panel's errors). */
  errors: number;
  /** Valid names that are probably mistakes (the Problems panel's warnings). */
  warnings: number;
  /** Not data, or unreadable (the Problems panel's infos). */
  skipped: number;
  fixable: number;
  sessions: number;
  /** The core's counts, and its line for them (what the notification says). */
  counts: ProblemTally;
  line: string;
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
  const counts = tallyProblems(problems);
  const summary: ValidationSummary = {
    folder: folder.fsPath,
    errors: counts.invalidFiles + counts.invalidFolders,
    warnings: counts.warnings,
    skipped: skippedTotal(counts),
    fixable: renamesUnder(root, rel).length,
    sessions,
    counts,
    line: describeTally(counts),
  };
  void announce(summary, folder);
  return summary;
}

async function announce(s: ValidationSummary, folder: vscode.Uri): Promise<void> {
  const name = path.basename(s.folder) || s.folder;
  const sessions = `${s.sessions.toLocaleString('en-US')} session${s.sessions === 1 ? '' : 's'}`;
  if (s.errors === 0 && s.warnings === 0 && s.skipped === 0) {
    void vscode.window.showInformationMessage(`ALF: ${name} is valid: ${sessions}, no problems.`);
    return;
  }
  const fixable = s.fixable > 0 ? ` ${s.fixable} can be renamed automatically.` : '';
  const show = 'Show Problems';
  const fix = 'Fix Names…';
  const choice = await vscode.window.showWarningMessage(
    `ALF: ${name}: ${sessions}, ${s.line}.${fixable}`,
    show,
    ...(s.fixable > 0 ? [fix] : []),
  );
  if (choice === show) await vscode.commands.executeCommand('workbench.actions.view.problems');
  if (choice === fix) await vscode.commands.executeCommand('alf.fixNames', folder);
}

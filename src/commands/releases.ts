/**
 * ALF: Package Data Release… (a form, src/webviews/releasePanel.ts) and ALF: Open Data
 * Release… (the core's openRelease behind dialogs, with progress and Cancel, and next steps).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, type ProgressEvent, progressAmount } from '../core/progress';
import { isUrl, openRelease } from '../core/release/open-release';
import type { CommandSpec } from '../providers/commandSpec';
import { uriOf } from '../providers/commandArgs';
import { errorMessage } from '../core/util/errors';
import { ReleasePanel } from '../webviews/releasePanel';

function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>): (e: ProgressEvent) => void {
  let last = 0;
  return (e) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    progress.report({ message: `${e.phase}: ${progressAmount(e, '/')}` });
  };
}

async function withCancel<T>(title: string, run: (signal: AbortSignal, onProgress: (e: ProgressEvent) => void) => Promise<T>): Promise<T | undefined> {
  const controller = new AbortController();
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return run(controller.signal, progressReporter(progress));
    });
  } catch (err) {
    if (err instanceof CancelledError) {
      void vscode.window.showInformationMessage(`${title}: cancelled; nothing was changed.`);
      return undefined;
    }
    void vscode.window.showErrorMessage(`${title}: ${errorMessage(err)}`);
    return undefined;
  }
}

async function openDataRelease(): Promise<void> {
  const how = await vscode.window.showQuickPick(['From a URL…', 'From a zip on disk…'], { placeHolder: 'Where is the release?' });
  if (!how) return;
  let source: string | undefined;
  if (how.startsWith('From a URL')) {
    source = await vscode.window.showInputBox({ prompt: 'URL of the release zip', validateInput: (v) => (isUrl(v.trim()) ? undefined : 'an http:// or https:// URL') });
    source = source?.trim();
  } else {
    source = (await vscode.window.showOpenDialog({ canSelectFiles: true, filters: { 'Zip archive': ['zip'] }, openLabel: 'Open release' }))?.[0]?.fsPath;
  }
  if (!source) return;
  const sha256 = await vscode.window.showInputBox({ prompt: 'Expected sha256 (optional: leave empty to skip the check)', validateInput: (v) => (v.trim() === '' || /^[0-9a-fA-F]{64}$/u.test(v.trim()) ? undefined : '64 hex digits') });
  if (sha256 === undefined) return;
  // One box for the destination, prefilled beside the workspace: a path can be typed or pasted
  // (a folder dialog cannot create the new folder and name it in one step).
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const suggested = path.join(base ? path.dirname(base) : process.cwd(), path.basename(source, '.zip').replace(/[?#].*$/u, '') || 'release');
  const typed = await vscode.window.showInputBox({
    prompt: 'Destination folder: new or empty (its parent must exist)',
    value: suggested,
    ignoreFocusOut: true,
    validateInput: (v) => destinationProblem(v.trim()),
  });
  if (!typed) return;
  const into = path.resolve(typed.trim());
  const r = await withCancel('ALF: Open Data Release', (signal, onProgress) =>
    openRelease(source, into, { ...(sha256.trim() ? { sha256: sha256.trim() } : {}), signal, onProgress }),
  );
  if (!r) return;
  const choice = await vscode.window.showInformationMessage(
    `Release unpacked: ${r.entries} files into ${r.dataRoot}${r.topFolder ? ` (its one top-level folder)` : ''}; tables ${r.tables.action} (${r.tables.sessions} sessions, ${r.tables.datasets} datasets).`,
    'Add to Workspace',
    'Copy sha256',
  );
  if (choice === 'Add to Workspace') {
    vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: vscode.Uri.file(r.dataRoot) });
  }
  if (choice === 'Copy sha256') await vscode.env.clipboard.writeText(r.sha256);
}

function destinationProblem(p: string): string | undefined {
  if (!p || !path.isAbsolute(p)) return 'an absolute path';
  if (!fs.existsSync(path.dirname(p))) return `${path.dirname(p)} does not exist: create it first`;
  if (fs.existsSync(p) && (!fs.statSync(p).isDirectory() || fs.readdirSync(p).length > 0)) return 'not a new or empty folder';
  return undefined;
}

export function releaseCommands(extensionUri: vscode.Uri): CommandSpec[] {
  return [
    // A form: folder, output, hashes, level; what is left out and why before writing (see ReleasePanel).
    { id: 'alf.packageRelease', run: (arg) => void ReleasePanel.show(extensionUri, uriOf(arg)?.fsPath) },
    { id: 'alf.openRelease', run: () => openDataRelease() },
  ];
}

/**
 * ALF: Package Data Release… and ALF: Open Data Release…: the core's packageRelease and
 * openRelease behind dialogs, with progress and Cancel, and the result's next steps.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, type ProgressEvent } from '../core/progress';
import { defaultReleasePath, packageRelease } from '../core/release/package-release';
import { isUrl, openRelease } from '../core/release/open-release';
import type { CommandSpec } from '../providers/commandSpec';
import { uriOf } from '../providers/commandArgs';
import { errorMessage } from '../core/util/errors';

function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>): (e: ProgressEvent) => void {
  let last = 0;
  return (e) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const amount = e.unit === 'bytes' ? `${(e.done / 1e6).toFixed(1)}${e.total ? ` / ${(e.total / 1e6).toFixed(1)}` : ''} MB` : `${e.done}${e.total ? ` / ${e.total}` : ''}`;
    progress.report({ message: `${e.phase}: ${amount}` });
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

async function packageDataRelease(arg: unknown): Promise<void> {
  let folder = uriOf(arg)?.fsPath;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Package as release' });
    folder = picked?.[0]?.fsPath;
  }
  if (!folder) return;
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(defaultReleasePath(folder)), filters: { 'Zip archive': ['zip'] }, saveLabel: 'Write release' });
  if (!target) return;
  const hash = await vscode.window.showQuickPick(['Without md5 hashes', 'With md5 hashes (slower)'], { placeHolder: 'md5 every file into the datasets table?' });
  if (!hash) return;
  const r = await withCancel('ALF: Package Data Release', (signal, onProgress) =>
    packageRelease(folder, { outFile: target.fsPath, hashFiles: hash.startsWith('With '), signal, onProgress }),
  );
  if (!r) return;
  const left = r.leftOut.length > 0 ? ` ${r.leftOut.length} files or folders left out (not indexed).` : '';
  const choice = await vscode.window.showInformationMessage(
    `Release written: ${path.basename(r.outFile)}, ${r.entries} entries, ${(r.bytesOut / 1e6).toFixed(1)} MB. Cache ${r.cache.action}.${left} sha256 ${r.sha256}`,
    'Reveal in Explorer',
    'Copy sha256',
  );
  if (choice === 'Reveal in Explorer') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(r.outFile));
  if (choice === 'Copy sha256') await vscode.env.clipboard.writeText(r.sha256);
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
  const parent = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Unpack in this folder' }))?.[0]?.fsPath;
  if (!parent) return;
  const name = await vscode.window.showInputBox({ prompt: 'Name of the new folder', value: path.basename(source, '.zip').replace(/[?#].*$/u, '') || 'release' });
  if (!name) return;
  const into = path.join(parent, name);
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

export function releaseCommands(): CommandSpec[] {
  return [
    { id: 'alf.packageRelease', run: (arg) => packageDataRelease(arg) },
    { id: 'alf.openRelease', run: () => openDataRelease() },
  ];
}

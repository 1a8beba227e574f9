import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkRenameTarget } from '../core/alf';
import type { AlfRoot } from './alfRoot';
import type { AlfWorkspace } from './alfWorkspace';
import { DIAGNOSTIC_SOURCE, type AlfDiagnostics } from './diagnostics';
import type { Problem } from '../model/types';
import { locateOrAddRoot } from './locateRoot';
import { parseFixArg } from './fixLinks';

/** One proposed rename: an offending file or folder and the valid base name the core derived. */
export interface Rename {
  root: AlfRoot;
  /** Root-relative path of the file or folder. */
  at: string;
  newName: string;
  isFolder: boolean;
  reason: string;
}

export const RENAME_COMMAND = 'alf.renameToValid';

/** Quick fixes for ALF diagnostics: rename the file to the name the core suggests. */
export class RenameCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: AlfDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const problem = this.diagnostics.problemFor(document.uri, diagnostic);
      if (!problem?.fix) continue;
      const action = new vscode.CodeAction(`Rename to '${problem.fix}'`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.command = { command: RENAME_COMMAND, title: action.title, arguments: [document.uri, problem.fix] };
      actions.push(action);
    }
    return actions;
  }
}

/** The renames the index knows for everything at or below `rel` in `root`. */
export function renamesUnder(root: AlfRoot, rel: string): Rename[] {
  const seen = new Set<string>();
  const out: Rename[] = [];
  for (const p of root.model.problemsUnder(rel)) {
    if (!p.fix || seen.has(p.at)) continue;
    seen.add(p.at);
    out.push(toRename(root, p));
  }
  return out;
}

function toRename(root: AlfRoot, p: Problem): Rename {
  return { root, at: p.at, newName: p.fix!, isFolder: p.isFolder, reason: p.message };
}

/**
 * The rename for one file or folder, asking the user first. `newName` comes from a quick fix;
 * without it the index's suggestion is used.
 */
export async function renameToValid(workspace: AlfWorkspace, target: vscode.Uri, newName?: string): Promise<boolean> {
  const located = workspace.locate(target);
  const problem = located?.root.model.problemsAt(located.rel).find((p) => p.fix && (!newName || p.fix === newName));
  if (newName !== undefined) {
    // The name comes with the command, from anywhere: the core decides whether it may be applied.
    const verdict = located
      ? checkRenameTarget(located.rel, newName, { isFolder: problem?.isFolder ?? (await isFolder(target)), root: located.root.fsPath })
      : { ok: false as const, reason: 'it is not inside an ALF data folder of this window' };
    if (!verdict.ok) {
      void vscode.window.showErrorMessage(`ALF: not renamed: ${path.basename(target.fsPath)} → ${JSON.stringify(newName)}: ${verdict.reason}.`);
      return false;
    }
  }
  const name = newName ?? problem?.fix;
  if (!name) {
    void vscode.window.showInformationMessage(`ALF: no valid name can be derived for ${path.basename(target.fsPath)}; rename it by hand.`);
    return false;
  }
  const oldName = path.basename(target.fsPath);
  const answer = await vscode.window.showWarningMessage(
    `Rename '${oldName}' to '${name}'?`,
    { modal: true, detail: `${problem?.message ?? ''}\n\nIn ${path.dirname(target.fsPath)}`.trim() },
    'Rename',
  );
  if (answer !== 'Rename') return false;
  const applied = await applyRenames(workspace, [{ from: target, to: vscode.Uri.joinPath(target, '..', name) }], `Rename to '${name}'`);
  if (applied === 1) void vscode.window.showInformationMessage(`ALF: renamed '${oldName}' to '${name}' in ${path.dirname(target.fsPath)}.`);
  return applied === 1;
}

/**
 * The target of a diagnostic's code link (see fixLinks.ts): renames the file or folder to the
 * name the core proposes for that problem, through renameToValid (checked, confirmed, reported).
 */
export async function fixProblem(workspace: AlfWorkspace, arg: unknown): Promise<boolean> {
  const target = parseFixArg(arg);
  if (!target) {
    void vscode.window.showErrorMessage('ALF: this fix link is not one the extension made; use "Rename to Valid ALF Name…" on the file instead.');
    return false;
  }
  const located = workspace.locate(target.file);
  const problem = located?.root.model.problemsAt(located.rel).find((p) => p.code === target.code && p.at === located.rel);
  if (!problem) {
    void vscode.window.showInformationMessage(`ALF: ${path.basename(target.file.fsPath)} no longer has this problem (${target.code}); nothing to rename.`);
    return false;
  }
  return renameToValid(workspace, target.file, problem.fix);
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    (st) => (st.type & vscode.FileType.Directory) !== 0,
    () => false,
  );
}

/**
 * Fix All Names in Session… (Sessions view): the session of the item it was run on (a session,
 * or anything inside one), then the same list, confirmation and report as Fix Names in Folder.
 */
export async function fixNamesInSession(workspace: AlfWorkspace, target: vscode.Uri | undefined): Promise<number> {
  const located = target && workspace.locate(target);
  const session = located && located.root.model.sessionOf(located.rel);
  if (!located || !session) {
    void vscode.window.showInformationMessage('ALF: Fix All Names in Session works on a session in the Sessions view (or anything inside one).');
    return 0;
  }
  return fixNamesInFolder(workspace, located.root.uriOf(session.key.path));
}

/**
 * ALF: Fix Names in Folder…: lists every rename the core can derive below `folder`, lets the
 * user untick some, and applies the rest only after an explicit confirmation.
 */
export async function fixNamesInFolder(workspace: AlfWorkspace, folder: vscode.Uri): Promise<number> {
  const { located } = await locateOrAddRoot(workspace, folder);
  const renames = renamesUnder(located.root, located.rel);
  const shown = path.basename(folder.fsPath) || folder.fsPath;
  if (renames.length === 0) {
    const invalid = located.root.model.problemsUnder(located.rel).filter((p) => p.level === 'error').length;
    void vscode.window.showInformationMessage(
      invalid > 0
        ? `ALF: ${invalid} invalid name${invalid === 1 ? '' : 's'} in ${shown}, but no valid name can be derived automatically: rename them by hand (see the Problems panel).`
        : `ALF: every name in ${shown} is valid; nothing to rename.`,
    );
    return 0;
  }
  const items = renames
    .sort((a, b) => (a.at < b.at ? -1 : 1))
    .map((r) => ({
      label: r.newName,
      description: `← ${path.posix.basename(r.at)}`,
      detail: `${path.posix.dirname(r.at) === '.' ? '' : path.posix.dirname(r.at) + '/ · '}${r.reason}`,
      picked: true,
      rename: r,
    }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `ALF: Fix Names in ${shown}: ${renames.length} rename${renames.length === 1 ? '' : 's'} (untick any to leave as is)`,
    placeHolder: 'Press Enter to review the selected renames',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked || picked.length === 0) return 0;
  const answer = await vscode.window.showWarningMessage(
    `Rename ${picked.length} file${picked.length === 1 ? '' : 's'} and folder${picked.length === 1 ? '' : 's'} in ${shown}?`,
    { modal: true, detail: picked.slice(0, 12).map((i) => `${path.posix.basename(i.rename.at)} → ${i.rename.newName}`).join('\n') + (picked.length > 12 ? `\n… and ${picked.length - 12} more` : '') },
    'Rename',
  );
  if (answer !== 'Rename') return 0;
  // Deepest first: a file is renamed before the folder above it changes name.
  const ordered = picked
    .map((i) => i.rename)
    .sort((a, b) => b.at.split('/').length - a.at.split('/').length)
    .map((r) => {
      const from = r.root.uriOf(r.at);
      return { from, to: vscode.Uri.joinPath(from, '..', r.newName) };
    });
  const done = await applyRenames(workspace, ordered, `ALF: Fix Names in ${shown}`);
  const showRenames = 'Show Renames';
  void vscode.window.showInformationMessage(`ALF: renamed ${done} of ${ordered.length} in ${shown}; each move is listed in the ALF output.`, showRenames).then((choice) => {
    if (choice === showRenames) workspace.showLog();
  });
  return done;
}

/** Applies renames as one undoable workspace edit, never overwriting; reports collisions. */
async function applyRenames(workspace: AlfWorkspace, renames: { from: vscode.Uri; to: vscode.Uri }[], label: string): Promise<number> {
  const edit = new vscode.WorkspaceEdit();
  const clashes: string[] = [];
  const applied: { from: vscode.Uri; to: vscode.Uri }[] = [];
  for (const { from, to } of renames) {
    // A change of case only is not a clash, even on a case-insensitive disk.
    const sameFile = from.fsPath.toLowerCase() === to.fsPath.toLowerCase();
    const exists =
      !sameFile &&
      (await vscode.workspace.fs.stat(to).then(
        () => true,
        () => false,
      ));
    if (exists) {
      clashes.push(path.basename(to.fsPath));
      continue;
    }
    edit.renameFile(from, to, { overwrite: false }, { label, needsConfirmation: false });
    applied.push({ from, to });
  }
  if (clashes.length > 0) {
    void vscode.window.showWarningMessage(
      `ALF: not renamed, because a file with the new name already exists: ${clashes.slice(0, 5).join(', ')}${clashes.length > 5 ? ` and ${clashes.length - 5} more` : ''}.`,
    );
  }
  if (applied.length === 0) return 0;
  const ok = await vscode.workspace.applyEdit(edit);
  if (!ok) {
    void vscode.window.showErrorMessage('ALF: the rename could not be applied (a file may be read-only or in use).');
    return 0;
  }
  workspace.noteRenamed(applied);
  return applied.length;
}

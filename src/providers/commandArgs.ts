import * as vscode from 'vscode';
import type { AlfWorkspace } from './alfWorkspace';
import { nodeUri } from './itemActions';
import type { AlfNode } from './tree/nodes';

/**
 * What a command was invoked on: a Sessions-view item, an Explorer resource (a Uri), or nothing
 * (the command palette).
 */
export function isNode(arg: unknown): arg is AlfNode {
  return typeof arg === 'object' && arg !== null && 'type' in arg && 'root' in arg && 'id' in arg;
}

export function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (isNode(arg)) return nodeUri(arg);
  return undefined;
}

/**
 * The folder a folder command works on: the item or Explorer folder it was run on, else one the
 * user picks among the roots (or browses to). Undefined when the user backs out.
 */
export async function folderArg(workspace: AlfWorkspace, arg: unknown, purpose: string): Promise<vscode.Uri | undefined> {
  const given = uriOf(arg);
  if (given) return given;
  const browse = { label: '$(folder-opened) Browse…', description: 'another folder', uri: undefined };
  const items = [...workspace.roots.map((r) => ({ label: `$(root-folder) ${r.name}`, description: r.fsPath, uri: r.uri })), browse];
  const picked = items.length === 1 ? browse : await vscode.window.showQuickPick(items, { title: purpose, placeHolder: 'Choose a folder' });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Choose' });
  return chosen?.[0];
}

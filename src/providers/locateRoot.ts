import type * as vscode from 'vscode';
import type { AlfWorkspace } from './alfWorkspace';

/**
 * The root holding `folder` and its path in it, once the index is up to date; a folder outside
 * every root becomes a root for this window (`added`) and is read first.
 */
export async function locateOrAddRoot(
  workspace: AlfWorkspace,
  folder: vscode.Uri,
): Promise<{ located: NonNullable<ReturnType<AlfWorkspace['locate']>>; added: boolean }> {
  const known = workspace.locate(folder);
  if (known) {
    await workspace.whenIdle();
    return { located: known, added: false };
  }
  const root = workspace.addValidatedRoot(folder.fsPath);
  await workspace.whenIdle();
  return { located: { root, rel: root.relative(folder.fsPath) ?? '' }, added: true };
}

import * as vscode from 'vscode';
import type { AlfWorkspace } from './alfWorkspace';

/** Context key: the fsPaths of files and folders the core knows a valid name for. */
export const FIXABLE_CONTEXT = 'alf.fixablePaths';

/** Updates at most this often, and not while a scan streams in: the whole key is sent to the workbench each time. */
const UPDATE_MS = 1000;

/**
 * Keeps `alf.fixablePaths` in step with the problems, so that the Explorer can offer
 * "Rename to Valid ALF Name…" on exactly those resources (`resourcePath in alf.fixablePaths`).
 * Data files are mostly binary: they never open in a text editor, where a quick fix would show.
 */
export class FixableContext implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly workspace: AlfWorkspace) {
    this.subscription = vscode.Disposable.from(
      workspace.onDidUpdate((u) => {
        if (u.changes.problemsAdded.size > 0 || u.changes.problemsRemoved.size > 0) this.schedule();
      }),
      workspace.onDidChangeRoots(() => this.schedule()),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.workspace.isScanning) this.schedule();
      else void vscode.commands.executeCommand('setContext', FIXABLE_CONTEXT, this.compute());
    }, UPDATE_MS);
  }

  private compute(): Record<string, true> {
    const paths: Record<string, true> = {};
    for (const root of this.workspace.roots) {
      for (const p of root.model.problems()) if (p.fix) paths[root.absolute(p.at)] = true;
    }
    return paths;
  }
}

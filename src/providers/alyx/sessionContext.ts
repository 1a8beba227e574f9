import * as vscode from 'vscode';
import type { AlfWorkspace } from '../alfWorkspace';

/** Context key: the fsPaths of session folders, so the Explorer offers Register Session only on them. */
export const SESSION_PATHS_CONTEXT = 'alf.sessionPaths';

/** Keeps `alf.sessionPaths` in step with the scanned sessions (debounced: the whole key is sent each time). */
export class SessionPathsContext implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;
  private last = '';

  constructor(private readonly workspace: AlfWorkspace) {
    this.subscription = vscode.Disposable.from(
      workspace.onDidUpdate(() => this.schedule()),
      workspace.onDidChangeRoots(() => this.schedule()),
    );
    this.schedule();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const paths: Record<string, true> = {};
      for (const root of this.workspace.roots) for (const rel of root.model.sessions.keys()) paths[root.absolute(rel)] = true;
      const key = Object.keys(paths).sort().join('\n');
      if (key === this.last) return;
      this.last = key;
      void vscode.commands.executeCommand('setContext', SESSION_PATHS_CONTEXT, paths);
    }, 500);
  }
}

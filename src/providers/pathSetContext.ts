import * as vscode from 'vscode';
import type { AlfWorkspace, IndexUpdate } from './alfWorkspace';

export interface PathSetContextOptions {
  /** The context key, used in package.json as `resourcePath in <key>`. */
  key: string;
  /** The absolute paths the key should hold now. */
  compute(workspace: AlfWorkspace): Iterable<string>;
  /** Whether an update can change the set (default: every update). */
  affects?(update: IndexUpdate): boolean;
  /** Updates at most this often: the whole set is sent to the workbench each time. */
  delayMs: number;
  /** Wait until a scan has finished streaming in before sending. */
  afterScans?: boolean;
}

/**
 * A context key holding a set of paths (an object whose keys are the paths), kept in step with
 * the workspace model so that Explorer menus can test `resourcePath in <key>`. Sent debounced
 * and only when the set changed.
 */
export class PathSetContext implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;
  private last: string | undefined;

  constructor(
    private readonly workspace: AlfWorkspace,
    private readonly options: PathSetContextOptions,
  ) {
    this.subscription = vscode.Disposable.from(
      workspace.onDidUpdate((u) => {
        if (!options.affects || options.affects(u)) this.schedule();
      }),
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
      if (this.options.afterScans && this.workspace.isScanning) {
        this.schedule();
        return;
      }
      const paths: Record<string, true> = {};
      for (const p of this.options.compute(this.workspace)) paths[p] = true;
      const signature = Object.keys(paths).sort().join('\n');
      if (signature === this.last) return;
      this.last = signature;
      void vscode.commands.executeCommand('setContext', this.options.key, paths);
    }, this.options.delayMs);
  }
}

import * as vscode from 'vscode';
import type { AlfWorkspace } from './alfWorkspace';
import type { CacheStatusTracker } from './cacheStatus';
import type { AlfNode } from './tree/nodes';

/**
 * The Sessions view's message line and the context keys behind its welcome text:
 * `alf.hasRoots`, `alf.scanning`, `alf.empty`.
 */
export class ViewStatus implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly context = new Map<string, boolean>();

  constructor(
    private readonly view: vscode.TreeView<AlfNode>,
    private readonly workspace: AlfWorkspace,
    private readonly cache: CacheStatusTracker,
  ) {
    this.disposables.push(
      workspace.onDidChangeRoots(() => this.update()),
      workspace.onDidUpdate(() => this.updateEmptiness()),
      cache.onDidChange(() => this.update()),
    );
    this.update();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private update(): void {
    const roots = this.workspace.roots;
    const scanning = roots.some((r) => r.state === 'scanning' || r.state === 'pending');
    this.setContext('alf.hasRoots', roots.length > 0);
    this.setContext('alf.scanning', scanning);
    this.updateEmptiness();
    const failed = roots.filter((r) => r.state === 'failed');
    const stale = roots.filter((r) => this.cache.isStale(r));
    let message: string | undefined;
    if (failed.length > 0) message = failed.map((r) => `${r.name}: ${r.error ?? 'cannot be read'}`).join(' · ');
    else if (scanning) message = 'Looking for ALF sessions…';
    else if (stale.length > 0) {
      const r = stale[0]!;
      const since = this.cache.info(r)?.dateCreated;
      message = `The ONE cache of ${r.name} is out of date${since ? ` (written ${since})` : ''}: use Update Cache.`;
    }
    this.view.message = message;
  }

  private updateEmptiness(): void {
    const roots = this.workspace.roots;
    const empty = roots.every((r) => r.state !== 'ready' || (r.model.sessions.size === 0 && r.model.outside.size === 0 && r.model.looseProblems.size === 0));
    this.setContext('alf.empty', empty);
  }

  private setContext(key: string, value: boolean): void {
    if (this.context.get(key) === value) return;
    this.context.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }
}

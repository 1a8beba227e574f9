import * as vscode from 'vscode';
import type { AlfWorkspace } from './alfWorkspace';
import type { CacheStatusTracker } from './cacheStatus';

/** `publisher.name#walkthrough id`, as VS Code names the walkthrough of package.json. */
const WALKTHROUGH = 'alf-workbench.alf-workbench#alf.gettingStarted';

/** The steps of the walkthrough that the extension ticks itself (ids in package.json). */
export type WalkthroughStep = 'openData' | 'buildCache';

/**
 * Ticks walkthrough steps when what they ask for is there: a folder with ALF sessions, a ONE
 * cache. The steps' completionEvents cannot do it alone: VS Code starts its walkthrough service
 * only when something first asks for it (often when the walkthrough is opened), and an
 * `onContext` condition that is already true at that moment is never counted. Asking it to mark
 * a step starts the service, so the command-driven steps count from then on.
 */
export class WalkthroughProgress implements vscode.Disposable {
  private readonly marked = new Set<WalkthroughStep>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly workspace: AlfWorkspace,
    private readonly cacheStatus: CacheStatusTracker,
  ) {
    this.disposables = [workspace.onDidUpdate(() => this.check()), workspace.onDidChangeRoots(() => this.check()), cacheStatus.onDidChange(() => this.check())];
    this.check();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private check(): void {
    const roots = this.workspace.roots;
    if (roots.some((r) => r.state === 'ready' && r.model.sessions.size > 0)) this.mark('openData');
    if (roots.some((r) => !!this.cacheStatus.info(r))) this.mark('buildCache');
  }

  private mark(step: WalkthroughStep): void {
    if (this.marked.has(step)) return;
    this.marked.add(step);
    // An editor without walkthroughs (or with another command set) just leaves the step as it is.
    void vscode.commands.executeCommand('welcome.markStepComplete', `${WALKTHROUGH}#${step}`).then(undefined, () => undefined);
  }
}

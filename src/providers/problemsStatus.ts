import * as vscode from 'vscode';
import { describeTally, emptyTally, tallyProblems, type ProblemTally } from '../core/alf';
import type { AlfWorkspace } from './alfWorkspace';

/** Recounting waits this long after a change, so a scan streaming in recounts a few times, not per delta. */
const RECOUNT_DELAY_MS = 250;

/**
 * The status-bar item with the ALF counts, in the core's words ("43 invalid file names,
 * 44 warnings, 21 skipped"): the same numbers as the Problems panel's errors / warnings / infos,
 * the Sessions view and `alf validate`. Clicking it opens the Problems panel. The same line is the
 * Sessions view's description (beside its title), where a single root has no item of its own.
 */
export class ProblemsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('alf.problems', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private timer: NodeJS.Timeout | undefined;
  private tally: ProblemTally = emptyTally();
  private visible = false;

  constructor(
    private readonly workspace: AlfWorkspace,
    private readonly view?: { description?: string | undefined },
  ) {
    this.item.name = 'ALF problems';
    this.item.command = 'workbench.actions.view.problems';
    this.disposables.push(
      workspace.onDidUpdate(() => this.schedule()),
      workspace.onDidChangeRoots(() => this.schedule()),
    );
    this.schedule();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }

  /** What the item shows now (for tests): its text, tooltip and counts. */
  get shown(): { text: string; tooltip: string; visible: boolean; counts: ProblemTally } {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '', visible: this.visible, counts: this.tally };
  }

  /** Counts again now (normally debounced). */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const ready = this.workspace.roots.filter((r) => r.state === 'ready');
    this.tally = tallyProblems(ready.flatMap((r) => [...r.model.problems()]));
    const line = describeTally(this.tally, { brief: true });
    if (this.view) this.view.description = ready.length > 0 && line !== 'no problems' ? line : undefined;
    this.visible = this.workspace.settings.validationEnabled && line !== 'no problems';
    if (!this.visible) {
      this.item.hide();
      return;
    }
    this.item.text = `$(checklist) ALF: ${line}`;
    this.item.tooltip = `ALF: ${describeTally(this.tally)} in ${ready.length === 1 ? ready[0]!.name : `${ready.length} data folders`}. Click to show the Problems panel.`;
    this.item.show();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.refresh(), RECOUNT_DELAY_MS);
  }
}

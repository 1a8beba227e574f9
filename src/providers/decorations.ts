import * as vscode from 'vscode';
import type { AlfRoot } from './alfRoot';
import type { AlfWorkspace, IndexUpdate } from './alfWorkspace';
import type { Problem } from '../model/types';

/** URIs announced per change event, so a scan's first results do not make one huge event. */
const FIRE_CHUNK = 1000;

/**
 * Explorer (and Sessions view) decorations: a '!' badge and the error colour on each invalid
 * file or folder, and a count badge with the colour on every folder above one. Folder counts are
 * kept up to date per problem, so a decoration request is a map lookup.
 */
export class AlfDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changeEmitter.event;
  /** root → folder (root-relative, '' for the root) → number of error-level problems below it */
  private readonly folderCounts = new Map<AlfRoot, Map<string, number>>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private enabled: boolean;

  constructor(private readonly workspace: AlfWorkspace) {
    this.enabled = workspace.settings.validationEnabled;
    this.disposables.push(
      workspace.onDidUpdate((u) => this.onUpdate(u)),
      workspace.onDidChangeRoots(() => this.onRootsChanged()),
      vscode.window.registerFileDecorationProvider(this),
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (!this.enabled) return undefined;
    const located = this.workspace.locate(uri);
    if (!located) return undefined;
    const { root, rel } = located;
    const own = root.model.problemsAt(rel).filter((p) => p.at === rel);
    const errors = own.filter((p) => p.level === 'error');
    if (errors.length > 0) return decoration('!', 'list.errorForeground', errors.map((p) => p.message).join('\n'));
    const below = this.folderCounts.get(root)?.get(rel) ?? 0;
    if (below > 0) return decoration(below > 99 ? '99' : String(below), 'list.errorForeground', `${below} invalid ALF name${below === 1 ? '' : 's'} inside`);
    if (own.length > 0) return decoration('!', 'list.warningForeground', own.map((p) => p.message).join('\n'));
    return undefined;
  }

  private onRootsChanged(): void {
    const enabled = this.workspace.settings.validationEnabled;
    const live = new Set(this.workspace.roots);
    for (const root of [...this.folderCounts.keys()]) if (!live.has(root)) this.folderCounts.delete(root);
    if (enabled !== this.enabled) {
      this.enabled = enabled;
      // Every decorated URI may change: ask VS Code to request them all again.
      const uris: vscode.Uri[] = [];
      for (const root of this.workspace.roots) {
        for (const p of root.model.problems()) uris.push(root.uriOf(p.at));
        for (const folder of this.folderCounts.get(root)?.keys() ?? []) uris.push(root.uriOf(folder));
      }
      this.fire(uris);
    }
  }

  private onUpdate({ root, changes }: IndexUpdate): void {
    const touched = new Set<string>();
    for (const p of changes.problemsRemoved.values()) this.count(root, p, -1, touched);
    for (const p of changes.problemsAdded.values()) this.count(root, p, +1, touched);
    if (touched.size > 0 && this.enabled) this.fire([...touched].map((rel) => root.uriOf(rel)));
  }

  /** Adds `delta` to the counts of every folder above the problem; collects what changed. */
  private count(root: AlfRoot, problem: Problem, delta: number, touched: Set<string>): void {
    touched.add(problem.at);
    if (problem.level !== 'error') return;
    let counts = this.folderCounts.get(root);
    if (!counts) this.folderCounts.set(root, (counts = new Map()));
    let folder = problem.at;
    while (folder !== '') {
      const slash = folder.lastIndexOf('/');
      folder = slash < 0 ? '' : folder.slice(0, slash);
      const n = (counts.get(folder) ?? 0) + delta;
      if (n > 0) counts.set(folder, n);
      else counts.delete(folder);
      touched.add(folder);
    }
  }

  private fire(uris: vscode.Uri[]): void {
    for (let i = 0; i < uris.length; i += FIRE_CHUNK) this.changeEmitter.fire(uris.slice(i, i + FIRE_CHUNK));
  }
}

function decoration(badge: string, color: string, tooltip: string): vscode.FileDecoration {
  const d = new vscode.FileDecoration(badge, tooltip, new vscode.ThemeColor(color));
  d.propagate = false;
  return d;
}

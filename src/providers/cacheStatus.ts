import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AlfRoot } from './alfRoot';
import type { AlfWorkspace, SessionsTouched } from './alfWorkspace';
import type { CacheStatusSource } from './tree/sessionsTree';
import type { CacheInfo } from '../model/worker/protocol';
import type { CoreWorker } from '../model/worker/client';
import { errorMessage } from '../core/util/errors';

export const CACHE_STALE_CONTEXT = 'alf.cacheStale';
export const HAS_CACHE_CONTEXT = 'alf.hasCache';

interface RootCache {
  info: CacheInfo | null;
  /** Sessions (root-relative) changed after the tables were written. */
  changed: Set<string>;
  /** The scan whose result `changed` was computed from. */
  scan: number;
}

/**
 * Knows, per root, where its ONE cache is and whether files changed after it was written
 * (files newer than the tables when the root was scanned, and every change seen since).
 */
export class CacheStatusTracker implements CacheStatusSource, vscode.Disposable {
  private readonly caches = new Map<AlfRoot, RootCache>();
  private readonly changeEmitter = new vscode.EventEmitter<AlfRoot>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];

  constructor(
    private readonly worker: CoreWorker,
    private readonly workspace: AlfWorkspace,
    private readonly memory: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      workspace.onDidChangeRoots(() => this.onRootsChanged()),
      workspace.onDidTouchSessions((t) => this.onTouched(t)),
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  isStale(root: AlfRoot): boolean {
    const cache = this.caches.get(root);
    return !!cache?.info && cache.changed.size > 0;
  }

  /** Sessions changed since the cache was written (root-relative). */
  changedPaths(root: AlfRoot): string[] {
    return [...(this.caches.get(root)?.changed ?? [])];
  }

  info(root: AlfRoot): CacheInfo | null {
    return this.caches.get(root)?.info ?? null;
  }

  /** Where the root's tables are, when it has some. */
  cacheDir = (root: AlfRoot): string | undefined => this.caches.get(root)?.info?.dir;

  /** Where a build of `root` writes by default: where the last build went, else the root itself. */
  outDirFor(folder: string): string {
    return this.memory.get<string>(memoryKey(folder)) ?? folder;
  }

  /** Records a finished build and re-reads the root's cache state. */
  async recordBuild(folder: string, outDir: string): Promise<void> {
    await this.memory.update(memoryKey(folder), path.resolve(outDir) === path.resolve(folder) ? undefined : outDir);
    const root = this.workspace.rootFor(vscode.Uri.file(folder));
    if (root && root.fsPath === path.resolve(folder)) await this.refresh(root, true);
  }

  private onRootsChanged(): void {
    const live = new Set(this.workspace.roots);
    for (const root of [...this.caches.keys()]) if (!live.has(root)) this.caches.delete(root);
    for (const root of live) {
      if (root.state !== 'ready') continue;
      if (this.caches.get(root)?.scan === root.completedScans) continue;
      void this.refresh(root, false);
    }
    this.updateContext();
  }

  private async refresh(root: AlfRoot, afterBuild: boolean): Promise<void> {
    const scan = root.completedScans;
    const dir = this.outDirFor(root.fsPath);
    // Marks the scan as seen before the await, so a burst of root events reads the cache once.
    const previous = this.caches.get(root);
    this.caches.set(root, { info: previous?.info ?? null, changed: previous?.changed ?? new Set(), scan });
    let info: CacheInfo | null = null;
    try {
      info = await this.worker.call('cacheInfo', { dir });
    } catch (err) {
      this.log.warn(`cannot read the ONE cache in ${dir}: ${errorMessage(err)}`);
    }
    const changed = new Set<string>();
    if (info && !afterBuild) {
      for (const session of root.model.sessions.values()) {
        if (session.maxMtimeMs > info.builtAtMs) changed.add(session.key.path);
      }
    }
    this.caches.set(root, { info, changed, scan });
    if (info?.recovered) {
      this.log.warn(info.recovered);
      void vscode.window.showWarningMessage(`ALF: ${info.recovered}.`);
    }
    if (info) this.log.info(`ONE cache of ${root.name}: ${info.sessionCount} sessions, written ${info.dateCreated ?? '?'}; ${changed.size} sessions changed since`);
    this.changeEmitter.fire(root);
    this.updateContext();
  }

  private onTouched({ root, sessions }: SessionsTouched): void {
    const cache = this.caches.get(root);
    if (!cache?.info) return;
    const wasStale = cache.changed.size > 0;
    for (const s of sessions) cache.changed.add(s);
    if (!wasStale && cache.changed.size > 0) {
      this.changeEmitter.fire(root);
      this.updateContext();
    }
  }

  private updateContext(): void {
    const roots = this.workspace.roots;
    void vscode.commands.executeCommand('setContext', CACHE_STALE_CONTEXT, roots.some((r) => this.isStale(r)));
    void vscode.commands.executeCommand('setContext', HAS_CACHE_CONTEXT, roots.some((r) => !!this.info(r)));
  }
}

function memoryKey(folder: string): string {
  return `alf.cacheOutDir:${path.resolve(folder)}`;
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError } from '../core/progress';
import { AlfRoot } from './alfRoot';
import { IndexChanges } from '../model/alfIndex';
import { excluder } from '../model/exclude';
import type { FileEvent, RootDelta } from '../model/types';
import { readSettings, resolveDataRoot, type AlfSettings } from './settings';
import type { CoreWorker } from '../model/worker/client';
import { errorMessage } from '../core/util/errors';

export interface IndexUpdate {
  root: AlfRoot;
  changes: IndexChanges;
}

export interface SessionsTouched {
  root: AlfRoot;
  /** Root-relative paths of sessions whose files were created, changed, renamed or deleted. */
  sessions: string[];
}

type PendingKind = 'created' | 'changed' | 'deleted';

/** Debounce for file events: long enough to merge a rename's delete+create, short enough to show it well within 300 ms. */
const DEBOUNCE_MS = 15;
const MAX_WAIT_MS = 120;
/** While a scan streams in, the view refreshes at most this often. */
export const SCAN_REFRESH_MS = 250;

/**
 * The roots the extension looks at and what is in them. Owns the scans (run on the worker
 * thread) and the incremental updates from file events; everything else (tree, diagnostics,
 * decorations, cache status) listens to `onDidUpdate`.
 */
export class AlfWorkspace implements vscode.Disposable {
  private readonly rootMap = new Map<string, AlfRoot>();
  private readonly validated = new Set<string>();
  private readonly scans = new Map<AlfRoot, { controller: AbortController; done: Promise<void> }>();
  private readonly pending = new Map<AlfRoot, Map<string, PendingKind>>();
  private readonly timers = new Map<AlfRoot, { debounce: NodeJS.Timeout; firstAt: number }>();
  private readonly flushing = new Map<AlfRoot, Promise<void>>();
  private readonly watchers = new Map<AlfRoot, vscode.Disposable>();
  private readonly disposables: vscode.Disposable[] = [];
  private isExcluded: (rel: string) => boolean;
  settings: AlfSettings;
  /** Longest synchronous stretches spent on index updates (ms), to keep the extension host responsive. */
  readonly stats = { maxApplyMs: 0, maxPublishMs: 0, batches: 0, lastEventToModelMs: 0 };

  private readonly updateEmitter = new vscode.EventEmitter<IndexUpdate>();
  /** The index of a root changed (a scan batch, or files created/renamed/deleted). */
  readonly onDidUpdate = this.updateEmitter.event;
  private readonly rootsEmitter = new vscode.EventEmitter<void>();
  /** Roots were added or removed, or a root's state changed (scanning, ready, failed). */
  readonly onDidChangeRoots = this.rootsEmitter.event;
  private readonly touchedEmitter = new vscode.EventEmitter<SessionsTouched>();
  /** Sessions changed on disk after the scan (content changes included): for cache staleness. */
  readonly onDidTouchSessions = this.touchedEmitter.event;

  constructor(
    private readonly worker: CoreWorker,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.settings = readSettings();
    this.isExcluded = excluder(this.settings.exclude);
    this.disposables.push(
      this.updateEmitter,
      this.rootsEmitter,
      this.touchedEmitter,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.syncRoots()),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      // Edits made through VS Code (Explorer, quick fixes) are known before the disk watcher reports them.
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => (this.enqueue(f.oldUri, 'deleted'), this.enqueue(f.newUri, 'created')))),
      vscode.workspace.onDidCreateFiles((e) => e.files.forEach((uri) => this.enqueue(uri, 'created'))),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.enqueue(uri, 'deleted'))),
    );
  }

  get roots(): AlfRoot[] {
    return [...this.rootMap.values()];
  }

  get isScanning(): boolean {
    return this.scans.size > 0;
  }

  /** The root that holds `uri` (the innermost one), if any. */
  rootFor(uri: vscode.Uri): AlfRoot | undefined {
    if (uri.scheme !== 'file') return undefined;
    let best: AlfRoot | undefined;
    for (const root of this.rootMap.values()) {
      if (root.relative(uri.fsPath) !== undefined && (!best || root.fsPath.length > best.fsPath.length)) best = root;
    }
    return best;
  }

  locate(uri: vscode.Uri): { root: AlfRoot; rel: string } | undefined {
    const root = this.rootFor(uri);
    const rel = root?.relative(uri.fsPath);
    return root && rel !== undefined ? { root, rel } : undefined;
  }

  /** Adds `folder` as a root for this window (ALF: Validate Folder on a folder outside every root). */
  addValidatedRoot(folder: string): AlfRoot {
    this.validated.add(path.normalize(folder));
    this.syncRoots();
    return this.rootMap.get(path.normalize(folder)) ?? this.rootFor(vscode.Uri.file(folder))!;
  }

  /** Brings the set of roots in line with the workspace folders and settings; scans new roots. */
  syncRoots(): void {
    const wanted = this.wantedRoots();
    let changed = false;
    for (const [key, root] of this.rootMap) {
      if (wanted.has(key)) continue;
      this.dropRoot(root);
      changed = true;
    }
    for (const [key, origin] of wanted) {
      if (this.rootMap.has(key)) continue;
      const root = new AlfRoot(key, origin, (fsPath, sessionPath) => this.worker.call('sessionContents', { root: fsPath, sessionPath }));
      this.rootMap.set(key, root);
      this.watch(root);
      void this.scan(root);
      changed = true;
    }
    if (changed) this.rootsEmitter.fire();
  }

  /** Renames this extension just made: applied now, without waiting for VS Code's events about them. */
  noteRenamed(renames: { from: vscode.Uri; to: vscode.Uri }[]): void {
    for (const { from, to } of renames) {
      // Every move is written down, so a batch of renames can be checked (and undone) afterwards.
      this.log.info(`renamed ${JSON.stringify(from.fsPath)} → ${JSON.stringify(to.fsPath)}`);
      this.enqueue(from, 'deleted');
      this.enqueue(to, 'created');
    }
  }

  /** Shows the ALF output channel (where renames and scans are logged). */
  showLog(): void {
    this.log.show(true);
  }

  /** Scans every root again from scratch (ALF: Refresh Sessions). */
  async rescanAll(): Promise<void> {
    await Promise.all(this.roots.map((root) => this.scan(root)));
  }

  /** Resolves once no scan and no file-event update is in progress (tests, commands that need a settled index). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const busy = [...this.scans.values()].map((s) => s.done).concat([...this.flushing.values()]);
      const queued = [...this.pending.values()].some((m) => m.size > 0);
      if (busy.length === 0 && !queued) return;
      if (busy.length > 0) await Promise.all(busy.map((p) => p.catch(() => undefined)));
      else await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS));
    }
  }

  /** Reads one folder of a root again (ALF: Validate Folder) and applies the result. */
  async rescanFolder(root: AlfRoot, rel: string): Promise<void> {
    if (rel === '') return this.scan(root);
    const delta = await this.worker.call('update', { root: root.fsPath, exclude: this.settings.exclude, events: [{ path: rel, kind: 'created' }] });
    this.publish(root, this.apply(root, delta));
  }

  dispose(): void {
    for (const scan of this.scans.values()) scan.controller.abort();
    for (const t of this.timers.values()) clearTimeout(t.debounce);
    for (const w of this.watchers.values()) w.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  private wantedRoots(): Map<string, AlfRoot['origin']> {
    const candidates: [string, AlfRoot['origin']][] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme === 'file') candidates.push([path.normalize(folder.uri.fsPath), 'workspace']);
    }
    for (const entry of this.settings.dataRoots) {
      const resolved = resolveDataRoot(entry);
      if (resolved) candidates.push([resolved, 'setting']);
      else this.log.warn(`alf.dataRoots: cannot resolve '${entry}' (a relative path needs an open folder)`);
    }
    for (const folder of this.validated) candidates.push([folder, 'validated']);
    // A root inside another would be scanned, and its problems reported, twice: keep the outer one.
    const wanted = new Map<string, AlfRoot['origin']>();
    for (const [candidate, origin] of candidates) {
      const inside = candidates.some(([other]) => other !== candidate && isInside(candidate, other));
      if (!inside && !wanted.has(candidate)) wanted.set(candidate, origin);
    }
    return wanted;
  }

  private dropRoot(root: AlfRoot): void {
    this.scans.get(root)?.controller.abort();
    this.watchers.get(root)?.dispose();
    this.watchers.delete(root);
    this.pending.delete(root);
    const timer = this.timers.get(root);
    if (timer) clearTimeout(timer.debounce);
    this.timers.delete(root);
    this.rootMap.delete(root.fsPath);
    void this.worker.call('dropRoot', { root: root.fsPath }).catch(() => undefined);
    this.updateEmitter.fire({ root, changes: root.model.clear() });
  }

  private onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration('alf')) return;
    const before = this.settings;
    this.settings = readSettings();
    this.isExcluded = excluder(this.settings.exclude);
    if (e.affectsConfiguration('alf.exclude')) {
      void this.rescanAll();
    } else if (e.affectsConfiguration('alf.dataRoots')) {
      this.syncRoots();
    }
    if (before.validationEnabled !== this.settings.validationEnabled || before.severity !== this.settings.severity) {
      this.rootsEmitter.fire();
    }
  }

  private scan(root: AlfRoot): Promise<void> {
    this.scans.get(root)?.controller.abort();
    const controller = new AbortController();
    const done = this.runScan(root, controller.signal).finally(() => {
      if (this.scans.get(root)?.controller === controller) this.scans.delete(root);
      // Events that arrived during the scan are applied on top of its result.
      if (this.pending.get(root)?.size) this.scheduleFlush(root);
      this.rootsEmitter.fire();
    });
    this.scans.set(root, { controller, done });
    return done;
  }

  private async runScan(root: AlfRoot, signal: AbortSignal): Promise<void> {
    root.state = 'scanning';
    root.error = undefined;
    this.rootsEmitter.fire();
    const started = performance.now();
    let changes = root.model.clear();
    let lastPublish = performance.now();
    try {
      const summary = await this.worker.call(
        'scan',
        { root: root.fsPath, exclude: this.settings.exclude },
        {
          signal,
          onEvent: (delta) => {
            changes.merge(this.apply(root, delta));
            // Deltas arrive every few milliseconds: refresh the view in steps, not per delta.
            if (performance.now() - lastPublish > SCAN_REFRESH_MS) {
              this.publish(root, changes);
              changes = new IndexChanges();
              lastPublish = performance.now();
            }
          },
        },
      );
      root.model.fileCount = summary.fileCount;
      root.state = 'ready';
      root.completedScans += 1;
      root.unreadable = summary.unreadable;
      root.scanMs = performance.now() - started;
      this.publish(root, changes);
      this.log.info(
        `scanned ${root.fsPath}: ${summary.fileCount} files, ${root.model.sessions.size} sessions, ${root.model.problemCount} problems ` +
          `in ${Math.round(summary.durationMs)} ms (worker), ${Math.round(root.scanMs)} ms in all`,
      );
    } catch (err) {
      if (err instanceof CancelledError) return;
      this.publish(root, changes);
      root.state = 'failed';
      root.error = errorMessage(err);
      this.log.error(`scan of ${root.fsPath} failed: ${root.error}`);
    }
  }

  private apply(root: AlfRoot, delta: RootDelta): IndexChanges {
    const started = performance.now();
    const changes = root.model.apply(delta);
    this.stats.batches += 1;
    this.stats.maxApplyMs = Math.max(this.stats.maxApplyMs, performance.now() - started);
    return changes;
  }

  private publish(root: AlfRoot, changes: IndexChanges): void {
    if (changes.isEmpty) return;
    const started = performance.now();
    this.updateEmitter.fire({ root, changes });
    this.stats.maxPublishMs = Math.max(this.stats.maxPublishMs, performance.now() - started);
  }

  private watch(root: AlfRoot): void {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root.uri, '**/*'));
    watcher.onDidCreate((uri) => this.enqueue(uri, 'created'));
    watcher.onDidChange((uri) => this.enqueue(uri, 'changed'));
    watcher.onDidDelete((uri) => this.enqueue(uri, 'deleted'));
    this.watchers.set(root, watcher);
  }

  private enqueue(uri: vscode.Uri, kind: PendingKind): void {
    const located = this.locate(uri);
    if (!located || located.rel === '' || this.isExcluded(located.rel)) return;
    const { root, rel } = located;
    let queue = this.pending.get(root);
    if (!queue) this.pending.set(root, (queue = new Map()));
    const previous = queue.get(rel);
    // A content change never hides a creation or a deletion seen in the same window.
    queue.set(rel, kind === 'changed' && previous ? previous : kind);
    if (!this.scans.has(root)) this.scheduleFlush(root);
  }

  private scheduleFlush(root: AlfRoot): void {
    const now = performance.now();
    const timer = this.timers.get(root);
    if (timer) clearTimeout(timer.debounce);
    const firstAt = timer?.firstAt ?? now;
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, firstAt + MAX_WAIT_MS - now));
    const debounce = setTimeout(() => {
      this.timers.delete(root);
      void this.flush(root, firstAt);
    }, wait);
    this.timers.set(root, { debounce, firstAt });
  }

  private async flush(root: AlfRoot, firstEventAt = performance.now()): Promise<void> {
    const previous = this.flushing.get(root);
    if (previous) await previous;
    const queue = this.pending.get(root);
    if (!queue || queue.size === 0 || this.scans.has(root)) return;
    this.pending.set(root, new Map());
    const run = this.applyEvents(root, queue, firstEventAt).catch((err: unknown) => {
      this.log.error(`update of ${root.fsPath} failed: ${errorMessage(err)}`);
    });
    this.flushing.set(root, run);
    try {
      await run;
    } finally {
      if (this.flushing.get(root) === run) this.flushing.delete(root);
    }
  }

  private async applyEvents(root: AlfRoot, queue: Map<string, PendingKind>, firstEventAt: number): Promise<void> {
    const started = performance.now();
    const events: FileEvent[] = [...queue].map(([path, kind]) => ({ path, kind }));
    const delta = await this.worker.call('update', { root: root.fsPath, exclude: this.settings.exclude, events });
    // A rescan that started meanwhile replaced the index this delta was computed against.
    if (this.scans.has(root)) return;
    this.publish(root, this.apply(root, delta));
    this.stats.lastEventToModelMs = performance.now() - firstEventAt;
    // Only what a cache holds counts: files of sessions (a README or the tables themselves do not).
    const sessions = [...delta.sessions.map((s) => s.key.path), ...delta.removedSessions];
    if (sessions.length > 0) this.touchedEmitter.fire({ root, sessions });
    this.log.trace(`applied ${events.length} file events in ${root.name} in ${(performance.now() - started).toFixed(1)} ms`);
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

import * as vscode from 'vscode';
import type { RegistrationClient } from '../../core/registration/client';
import { alyxStatus } from '../../core/status/status';
import type { AlyxStatusResult, FileState, FileStatus, LocalSession, SessionStatus } from '../../core/status/types';
import type { AlfRoot } from '../alfRoot';
import { AskedDecorations } from './askedDecorations';
import type { AlfWorkspace } from '../alfWorkspace';
import type { CommandSpec } from '../commandSpec';
import type { AlyxConnection } from './connection';
import { errorMessage } from '../../core/util/errors';

/** Context keys: a status has been fetched; some session or file is not registered; the last fetch could not ask the server. */
export const STATUS_FETCHED_CONTEXT = 'alf.alyxStatusFetched';
export const STATUS_UNREGISTERED_CONTEXT = 'alf.alyxStatusUnregistered';
export const STATUS_UNKNOWN_CONTEXT = 'alf.alyxStatusUnknown';

interface Look {
  badge: string;
  color: string;
  /** Short word shown as the tree item's description. */
  label: string;
  meaning: string;
}

/** One badge and theme colour per state; the legend in tooltips and docs/alyx-status.md is built from this table. */
export const STATE_LOOKS: Readonly<Record<FileState | 'session-registered' | 'session-not-registered' | 'session-unknown', Look>> = {
  registered: { badge: '✓', color: 'testing.iconPassed', label: 'on Alyx', meaning: 'on Alyx, same size (and md5 when hashes were compared)' },
  changed: { badge: 'M', color: 'gitDecoration.modifiedResourceForeground', label: 'changed since registered', meaning: 'on Alyx, but the local size or md5 differs' },
  'not-registered': { badge: 'U', color: 'gitDecoration.untrackedResourceForeground', label: 'not on Alyx', meaning: 'registrable, but Alyx has no record' },
  'not-registrable': { badge: '!', color: 'list.warningForeground', label: 'not registrable', meaning: 'invalid name or no dataset type matches' },
  'server-only': { badge: 'D', color: 'gitDecoration.deletedResourceForeground', label: 'only on Alyx', meaning: 'Alyx lists it, the folder does not have it' },
  'session-registered': { badge: '✓', color: 'testing.iconPassed', label: 'on Alyx', meaning: 'the session is on Alyx' },
  'session-not-registered': { badge: 'U', color: 'gitDecoration.untrackedResourceForeground', label: 'not on Alyx', meaning: 'Alyx has no such session' },
  'session-unknown': { badge: '?', color: 'disabledForeground', label: 'Alyx status unknown', meaning: 'the server could not be asked' },
};

/** Sessions whose status changed, by root; `undefined` in an event means anything may have. */
export type AlyxStatusChange = ReadonlyArray<{ root: AlfRoot; sessionPaths: readonly string[] }>;

/** Where a root-relative path stands on Alyx, for the tree and the decorations. */
export interface AlyxStatusLookup {
  session(root: AlfRoot, sessionPath: string): SessionStatus | undefined;
  file(root: AlfRoot, relPath: string): { session: SessionStatus; file: FileStatus } | undefined;
  /** The server's admin page for a session. */
  adminUrl(eid: string): string | undefined;
  readonly onDidChange: vscode.Event<AlyxStatusChange | undefined>;
}

/**
 * Statuses are shown in batches at most this often while a refresh runs: each batch is one
 * targeted tree event and one decorations event for what it holds, not one per session.
 */
const SHOW_EVERY_MS = 100;
/**
 * The status run's time slices in the extension host: shorter than the core's default, as the
 * host's turn also holds the HTTP answers that came in, their garbage collection, and VS Code's
 * own work, which a slice adds to.
 */
const HOST_SLICE_MS = 5;
/** Sessions shown in one turn at most: a larger batch waits for the next turn. */
const SHOW_AT_ONCE = 100;

/**
 * The Alyx status of the open data roots: fetched on demand (ALF: Refresh Alyx Status, and
 * again after a login once it has been asked for), never at activation. Shown as badges on
 * session folders and dataset files (Sessions view and Explorer) and as descriptions in the tree.
 */
export class AlyxStatusStore implements AlyxStatusLookup, vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AlyxStatusChange | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.decorationsChanged];
  /** root fsPath → session path → status. */
  private readonly byRoot = new Map<string, Map<string, SessionStatus>>();
  private serverUrl: string | undefined;
  private requested = false;
  private running: AbortController | undefined;
  /** The last run, for tests and the output channel. */
  last: AlyxStatusResult | undefined;
  /** Statuses known but not yet shown, with their roots, and the timer that shows them. */
  private pending: Array<{ root: AlfRoot; status: SessionStatus }> = [];
  private showTimer: NodeJS.Timeout | undefined;
  /** The URIs VS Code asked decorations for at or below session folders: a change names these only. */
  private readonly asked = new AskedDecorations<AlfRoot, vscode.Uri>();

  constructor(
    private readonly workspace: AlfWorkspace,
    private readonly connection: AlyxConnection,
    private readonly treeView: vscode.TreeView<unknown> | undefined,
  ) {
    this.disposables.push(
      vscode.window.registerFileDecorationProvider(this),
      connection.onDidChange((s) => {
        // After a login, a status that was asked for is fetched again (it said "logged out").
        if (s.kind === 'loggedIn' && this.requested && this.last?.unknown) void this.refresh({ quiet: true });
      }),
    );
  }

  dispose(): void {
    this.running?.abort();
    clearTimeout(this.showTimer);
    this.disposables.forEach((d) => d.dispose());
  }

  readonly commands: CommandSpec[] = [{ id: 'alf.refreshAlyxStatus', run: () => this.refresh() }];

  session(root: AlfRoot, sessionPath: string): SessionStatus | undefined {
    return this.byRoot.get(root.fsPath)?.get(sessionPath);
  }

  file(root: AlfRoot, relPath: string): { session: SessionStatus; file: FileStatus } | undefined {
    const sessions = this.byRoot.get(root.fsPath);
    if (!sessions) return undefined;
    const sessionPath = root.model.sessionOf(relPath)?.key.path;
    const session = sessionPath === undefined ? undefined : sessions.get(sessionPath);
    if (!session || sessionPath === undefined) return undefined;
    const inside = relPath.slice(sessionPath.length + 1);
    const file = session.files.find((f) => f.relPath === inside);
    return file ? { session, file } : undefined;
  }

  /** Whether a status has been fetched (the tree's Alyx states and Register Unregistered need one). */
  get fetched(): boolean {
    return this.byRoot.size > 0;
  }

  /** Every session status of the open roots, with its root. */
  statuses(): Array<{ root: AlfRoot; status: SessionStatus }> {
    const out: Array<{ root: AlfRoot; status: SessionStatus }> = [];
    for (const root of this.workspace.roots) for (const status of this.byRoot.get(root.fsPath)?.values() ?? []) out.push({ root, status });
    return out;
  }

  adminUrl(eid: string): string | undefined {
    return this.serverUrl ? `${this.serverUrl}/admin/actions/session/${eid}/change/` : undefined;
  }

  /**
   * ALF: Refresh Alyx Status, with progress and Cancel. Logged out or unreachable: one line at
   * the top of the Sessions view and a message offering Log In / Retry; the tree stays as it is.
   */
  async refresh(options: { quiet?: boolean; sliceMs?: number } = {}): Promise<AlyxStatusResult | undefined> {
    this.requested = true;
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const roots = this.workspace.roots.filter((r) => r.model.sessions.size > 0);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'ALF: Alyx status', cancellable: true },
      async (progress, token) => {
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          let login;
          try {
            login = await this.connection.login({ interactive: false });
          } catch (err) {
            this.showUnknown('logged-out', errorMessage(err), options.quiet);
            return undefined;
          }
          this.serverUrl = login.url;
          const { sessions, rootOf } = localSessions(roots);
          /** The statuses of this run: any other left in the store is of a session no longer there. */
          const reported = new Set<SessionStatus>();
          let lastPercent = 0;
          let lastReport = 0;
          const result = await alyxStatus({ sessions }, login.client, {
            signal: controller.signal,
            // Tests measure the host without slices (Infinity) beside the default.
            sliceMs: options.sliceMs ?? HOST_SLICE_MS,
            onProgress: (e) => {
              // A message to the window at most every 100 ms, not one per session.
              const now = performance.now();
              if (now - lastReport < SHOW_EVERY_MS && e.done !== e.total) return;
              lastReport = now;
              const percent = e.total ? Math.floor((e.done / e.total) * 100) : 0;
              progress.report({ message: `${e.done}/${e.total ?? '?'} sessions`, increment: Math.max(0, percent - lastPercent) });
              lastPercent = Math.max(lastPercent, percent);
            },
            // Each session's badge as soon as it is known, in batches, while the rest is fetched.
            onSession: (s) => {
              const root = rootOf.get(s.absPath);
              reported.add(s);
              if (root && this.running === controller) this.queue(root, s);
            },
          });
          await this.showAllPending();
          // Sessions this run did not report (removed since the last one) lose their badge.
          const stale: Array<{ root: AlfRoot; sessionPaths: string[] }> = [];
          for (const root of this.workspace.roots) {
            const map = this.byRoot.get(root.fsPath);
            if (!map) continue;
            const gone = [...map].filter(([, s]) => !reported.has(s)).map(([p]) => p);
            for (const p of gone) map.delete(p);
            if (gone.length) stale.push({ root, sessionPaths: gone });
          }
          for (const key of [...this.byRoot.keys()]) if (!this.workspace.roots.some((r) => r.fsPath === key)) this.byRoot.delete(key);
          this.asked.keepRoots(this.workspace.roots);
          this.last = result;
          this.connection.output.info(`Alyx status: ${result.sessions.length} sessions, ${result.requests} requests`);
          void vscode.commands.executeCommand('setContext', STATUS_FETCHED_CONTEXT, true);
          this.updateUnregisteredContext();
          if (result.unknown) this.showUnknown(result.unknown.kind, result.unknown.reason, options.quiet);
          else {
            void vscode.commands.executeCommand('setContext', STATUS_UNKNOWN_CONTEXT, false);
            if (this.treeView) this.treeView.message = undefined;
          }
          if (stale.length) {
            this.changed.fire(stale);
            this.fireDecorations(stale);
          }
          return result;
        } catch (err) {
          if (controller.signal.aborted) return undefined;
          throw err;
        } finally {
          sub.dispose();
          if (this.running === controller) this.running = undefined;
        }
      },
    );
  }

  /**
   * The status of these sessions only (absolute folder paths), asked again after they were
   * registered: one subject's lists per subject, not a fetch of every root. Sessions not in the
   * open roots are ignored. Pass the registration client at hand to skip loading dataset types again.
   */
  async refreshSessions(absPaths: readonly string[], registration?: RegistrationClient): Promise<SessionStatus[]> {
    const wanted = new Set(absPaths);
    const { sessions, rootOf } = localSessions(this.workspace.roots, (absPath) => wanted.has(absPath));
    if (!sessions.length) return [];
    const server = registration ?? (await this.connection.login({ interactive: false })).client;
    const result = await alyxStatus({ sessions }, server);
    const changedByRoot = new Map<AlfRoot, string[]>();
    for (const s of result.sessions) {
      const root = rootOf.get(s.absPath);
      if (!root) continue;
      let map = this.byRoot.get(root.fsPath);
      if (!map) this.byRoot.set(root.fsPath, (map = new Map()));
      map.set(s.path, s);
      const paths = changedByRoot.get(root);
      if (paths) paths.push(s.path);
      else changedByRoot.set(root, [s.path]);
    }
    this.connection.output.info(`Alyx status of ${result.sessions.length} session(s) refreshed, ${result.requests} requests`);
    this.updateUnregisteredContext();
    const change = [...changedByRoot].map(([root, sessionPaths]) => ({ root, sessionPaths }));
    this.changed.fire(change);
    this.fireDecorations(change);
    return result.sessions;
  }

  private updateUnregisteredContext(): void {
    const unregistered = this.statuses().some(({ status }) => status.state === 'not-registered' || status.files.some((f) => f.state !== 'registered'));
    void vscode.commands.executeCommand('setContext', STATUS_UNREGISTERED_CONTEXT, unregistered);
  }

  /** Shows every status still queued, a batch a turn. */
  private async showAllPending(): Promise<void> {
    while (this.pending.length > 0) {
      this.showPending();
      if (this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Keeps a session's status to show with the next batch. */
  private queue(root: AlfRoot, status: SessionStatus): void {
    this.pending.push({ root, status });
    this.showTimer ??= setTimeout(() => this.showPending(), SHOW_EVERY_MS);
  }

  /**
   * Shows the statuses queued since the last batch: one tree event naming their sessions (the
   * tree refreshes those nodes, and their files if open) and one decorations event naming the
   * session folders and their local files. At most SHOW_AT_ONCE sessions a turn (a run where
   * the server cannot be asked reports every session at once); the rest follow in the next.
   */
  private showPending(): void {
    clearTimeout(this.showTimer);
    this.showTimer = undefined;
    const batch = this.pending.splice(0, SHOW_AT_ONCE);
    if (batch.length === 0) return;
    if (this.pending.length > 0) this.showTimer = setTimeout(() => this.showPending(), 0);
    const byRoot = new Map<AlfRoot, string[]>();
    for (const { root, status } of batch) {
      let map = this.byRoot.get(root.fsPath);
      if (!map) this.byRoot.set(root.fsPath, (map = new Map()));
      map.set(status.path, status);
      const paths = byRoot.get(root);
      if (paths) paths.push(status.path);
      else byRoot.set(root, [status.path]);
    }
    const change = [...byRoot].map(([root, sessionPaths]) => ({ root, sessionPaths }));
    this.changed.fire(change);
    this.fireDecorations(change);
  }

  /** Tells VS Code that the decorations of these sessions changed (see AskedDecorations). */
  private fireDecorations(change: AlyxStatusChange): void {
    for (const uris of this.asked.eventsFor(change, this.workspace.roots)) this.decorationsChanged.fire(uris);
  }

  private showUnknown(kind: string, reason: string, quiet = false): void {
    void vscode.commands.executeCommand('setContext', STATUS_UNKNOWN_CONTEXT, true);
    const line = `Alyx status unknown: ${reason}`;
    if (this.treeView) this.treeView.message = line;
    this.changed.fire(undefined);
    if (quiet) return;
    const action = kind === 'logged-out' ? 'Log In' : 'Retry';
    void vscode.window.showWarningMessage(line, action).then((picked) => {
      if (picked === 'Log In') void vscode.commands.executeCommand('alf.login');
      else if (picked === 'Retry') void this.refresh();
    });
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    const root = this.workspace.rootFor(uri);
    const rel = root?.relative(uri.fsPath);
    if (!root || rel === undefined) return undefined;
    // Asked before any status too: the status that comes later must tell VS Code to ask again.
    this.asked.note(root, rel, uri);
    if (!this.byRoot.size) return undefined;
    const session = this.session(root, rel);
    if (session) {
      const look = STATE_LOOKS[`session-${session.state}`];
      return new vscode.FileDecoration(look.badge, `Alyx: ${session.reason ?? look.meaning}`, new vscode.ThemeColor(look.color));
    }
    const found = this.file(root, rel);
    if (!found) return undefined;
    const look = STATE_LOOKS[found.file.state];
    return new vscode.FileDecoration(look.badge, `Alyx: ${found.file.reason ?? look.meaning}`, new vscode.ThemeColor(look.color));
  }
}

/** The sessions of the roots (those `keep` accepts, by absolute path), and the root of each. */
function localSessions(roots: readonly AlfRoot[], keep: (absPath: string) => boolean = () => true): { sessions: LocalSession[]; rootOf: Map<string, AlfRoot> } {
  const sessions: LocalSession[] = [];
  const rootOf = new Map<string, AlfRoot>();
  for (const root of roots) {
    for (const s of root.model.sessions.values()) {
      const absPath = root.absolute(s.key.path);
      if (!keep(absPath)) continue;
      rootOf.set(absPath, root);
      sessions.push({ path: s.key.path, absPath, lab: s.key.lab, subject: s.key.subject, date: s.key.date, number: s.key.number });
    }
  }
  return { sessions, rootOf };
}

/** The legend, for tooltips. */
export function statusLegend(): string {
  return (['registered', 'changed', 'not-registered', 'not-registrable', 'server-only'] as const)
    .map((s) => `${STATE_LOOKS[s].badge} ${s}: ${STATE_LOOKS[s].meaning}`)
    .join('  \n');
}

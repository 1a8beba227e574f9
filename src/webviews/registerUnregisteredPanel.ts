import * as path from 'node:path';
import * as vscode from 'vscode';
import { AlyxConnectionError } from '../core/alyx/errors';
import { CancelledError, type ProgressEvent, progressAmount } from '../core/progress';
import { RegistrationClient } from '../core/registration/client';
import { Md5Memo } from '../core/registration/md5';
import type { FileMove } from '../core/registration/moves';
import {
  type MovesAnswer, type RegisterUnregisteredResult, type SessionPreview, type SessionRegistration, type UnregisteredPreview, type UnregisteredSession,
  MANY_SESSIONS, previewUnregistered, registerUnregistered,
} from '../core/status/register-unregistered';
import type { AlyxConnection } from '../providers/alyx/connection';
import type { MoveView, SessionResultView, UnregisteredFormView, UnregisteredSessionView, UnregisteredStatus, UnregisteredToExtension, UnregisteredToWebview } from '../protocol/alyx';
import { isUnregisteredMessage } from '../protocol/alyx';
import { describe } from './alyxFailure';
import { FormPanel } from './formPanel';
import { withProgressNotification } from './progressNotification';

export const REGISTER_UNREGISTERED_VIEW_TYPE = 'alf.registerUnregistered';

/** The lab, subject or session the form registers, and how to read what is unregistered in it now. */
export interface UnregisteredScope {
  /** Identifies the panel (one per scope). */
  key: string;
  /** Shown as the title: `subject algernon`, `lab cortexlab`… */
  label: string;
  /** The sessions with unregistered content, from the latest status. */
  targets: () => UnregisteredSession[];
}

/** Where the states come from: asked again for each session once it is registered. */
export interface SessionStatusRefresher {
  refreshSessions(absPaths: readonly string[], registration?: RegistrationClient): Promise<unknown>;
}

export interface UnregisteredOutcome {
  kind: 'previewed' | 'registered' | 'declined' | 'cancelled' | 'failed' | 'nothing';
  preview?: UnregisteredPreview;
  result?: RegisterUnregisteredResult;
  message?: string;
}

/**
 * ALF: Register Unregistered…: one form for every session of a lab, subject or session that
 * Alyx lacks (or lacks files of). It opens on the preview (the registration dry run of each
 * session); Register asks before more than 50 sessions and before any protected move, then
 * goes session by session with progress and Cancel, showing each result and refreshing that
 * session's Alyx state as it goes.
 */
export class RegisterUnregisteredPanel extends FormPanel<UnregisteredToWebview, Extract<UnregisteredToWebview, { type: 'init' }>, UnregisteredToExtension> {
  private static readonly panels = new Map<string, RegisterUnregisteredPanel>();
  private registration: RegistrationClient | undefined;
  private lastPreview: UnregisteredPreview | undefined;
  private lastError: { title: string; err: unknown } | undefined;
  private readonly md5Memo = new Md5Memo();
  private view: UnregisteredFormView;
  /** Resolves when the current Preview/Register finishes (tests and commands await it). */
  lastRun: Promise<UnregisteredOutcome> | undefined;

  static show(extensionUri: vscode.Uri, connection: AlyxConnection, status: SessionStatusRefresher, scope: UnregisteredScope): RegisterUnregisteredPanel {
    const existing = RegisterUnregisteredPanel.panels.get(scope.key);
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Active);
      if (!existing.running) existing.lastRun = existing.preview();
      return existing;
    }
    const panel = FormPanel.createPanel(extensionUri, REGISTER_UNREGISTERED_VIEW_TYPE, `Register Unregistered: ${scope.label}`);
    const created = new RegisterUnregisteredPanel(panel, extensionUri, connection, status, scope);
    RegisterUnregisteredPanel.panels.set(scope.key, created);
    created.lastRun = created.preview();
    return created;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly connection: AlyxConnection,
    private readonly status: SessionStatusRefresher,
    readonly scope: UnregisteredScope,
  ) {
    super(panel, extensionUri, 'registerUnregistered', isUnregisteredMessage);
    this.view = { server: '', scope: scope.label, sessions: [], previewed: false, moves: 0, needsCountConfirmation: false, results: [], status: { kind: 'idle' } };
  }

  /** What the form shows now (tests read it). */
  get shown(): Readonly<UnregisteredFormView> {
    return this.view;
  }

  /** Changes the form and sends it whole. */
  private publish(change: Partial<UnregisteredFormView>): void {
    this.view = { ...this.view, ...change };
    this.setInit({ type: 'init', force: true, ...this.view });
  }

  private say(status: UnregisteredStatus): void {
    this.publish({ status });
  }

  override dispose(): void {
    this.running?.abort();
    if (RegisterUnregisteredPanel.panels.get(this.scope.key) === this) RegisterUnregisteredPanel.panels.delete(this.scope.key);
    super.dispose();
  }

  protected override async onMessage(message: UnregisteredToExtension): Promise<void> {
    switch (message.type) {
      case 'showDetails':
        if (this.lastError) this.connection.showDetails(this.lastError.title, this.lastError.err);
        else this.connection.output.show(true);
        return;
      case 'preview':
        await (this.lastRun = this.preview());
        return;
      case 'register':
        await (this.lastRun = this.register());
        return;
    }
  }

  /** The dry run of every session with unregistered content; nothing is sent but reads. */
  preview(): Promise<UnregisteredOutcome> {
    return this.exclusive('Previewing the registration', async (controller, reg) => {
      const targets = this.scope.targets();
      this.lastPreview = undefined;
      delete this.view.summary;
      this.publish({
        server: reg.alyx.baseUrl, sessions: targets.map((t) => this.sessionView(t)), previewed: false, moves: 0, needsCountConfirmation: false, results: [],
        status: { kind: 'running', text: 'previewing…' },
      });
      if (!targets.length) {
        this.say({ kind: 'idle', message: `Nothing to register: Alyx has every registrable session and file of ${this.scope.label}.` });
        return { kind: 'nothing' };
      }
      const preview = await this.withProgress(`ALF: previewing ${targets.length} session(s)`, controller, (onProgress) =>
        previewUnregistered(reg, targets, { signal: controller.signal, onProgress, md5Memo: this.md5Memo }),
      );
      this.lastPreview = preview;
      this.publish({
        sessions: preview.sessions.map((s) => this.sessionView(s)), previewed: true, moves: preview.moves.length, needsCountConfirmation: preview.needsCountConfirmation,
        status: { kind: 'idle', message: 'Preview ready: nothing was sent to the server and nothing was moved.' },
      });
      return { kind: 'previewed', preview };
    });
  }

  /** Registers what the preview showed (previewing first when there is none), session by session. */
  register(): Promise<UnregisteredOutcome> {
    return this.exclusive('Registering', async (controller, reg) => {
      const preview = this.lastPreview ?? (await previewUnregistered(reg, this.scope.targets(), { signal: controller.signal, md5Memo: this.md5Memo }));
      if (!preview.sessions.length) {
        this.say({ kind: 'idle', message: 'Nothing to register.' });
        return { kind: 'nothing' };
      }
      delete this.view.summary;
      this.publish({ results: [], status: { kind: 'running', text: 'registering…' } });
      const server = reg.alyx.baseUrl;
      const result = await this.withProgress(`ALF: registering ${preview.sessions.length} session(s)`, controller, (onProgress) =>
        registerUnregistered(reg, preview, {
          signal: controller.signal,
          onProgress,
          md5Memo: this.md5Memo,
          confirmCount: (n) => this.confirmCount(n, server),
          confirmMoves: (moves, session) => this.confirmMoves(moves, preview.sessions, session),
          onSession: (r) => this.sessionDone(r, reg),
        }),
      );
      // The preview is used up: the next one reads the states as they are now.
      this.lastPreview = undefined;
      if (result.declined) {
        this.say({ kind: 'idle', message: 'Nothing was moved or registered.' });
        return { kind: 'declined', result };
      }
      const summary = summarise(result);
      this.publish({ summary, status: { kind: 'idle', message: 'Press Preview to see what is left to register.' } });
      const failed = result.sessions.filter((s) => s.outcome === 'failed').length;
      if (failed) {
        void vscode.window.showErrorMessage(`ALF: ${summary}`, 'Show details').then((pick) => pick && this.connection.output.show(true));
      } else void vscode.window.showInformationMessage(`ALF: ${summary}`);
      return { kind: result.cancelled ? 'cancelled' : 'registered', result };
    });
  }

  /** One run at a time; a failure of the run itself (login, server gone) is said in the form. */
  private exclusive(title: string, work: (controller: AbortController, reg: RegistrationClient) => Promise<UnregisteredOutcome>): Promise<UnregisteredOutcome> {
    return this.runAlone({ kind: 'failed', message: 'A registration of these sessions is already running' }, async (controller) => {
      this.lastError = undefined;
      try {
        const login = await this.connection.login({ interactive: true });
        if (this.registration?.alyx !== login.client) {
          this.registration = await RegistrationClient.create(login.client, { log: (line) => this.connection.output.info(line) });
        }
        return await work(controller, this.registration);
      } catch (err) {
        if (err instanceof CancelledError) {
          this.say({ kind: 'idle', message: 'Cancelled. Sessions already registered stay registered; nothing else was sent.' });
          return { kind: 'cancelled' };
        }
        this.lastError = { title, err };
        const message = describe(err);
        this.connection.output.error(`${title} ${this.scope.label}: ${message}`);
        this.say({ kind: 'failed', message, unreachable: err instanceof AlyxConnectionError });
        return { kind: 'failed', message };
      }
    });
  }

  private async confirmCount(n: number, server: string): Promise<boolean> {
    const button = `Register ${n} Sessions`;
    const answer = await vscode.window.showWarningMessage(
      `Register ${n} sessions of ${this.scope.label} on ${server}?`,
      { modal: true, detail: `That is more than ${MANY_SESSIONS}. Each session Alyx does not have is created; the others only get their unregistered files.` },
      button,
    );
    return answer === button;
  }

  /** The single-session form's question, for every predicted move at once (or, later, one session's unforeseen ones). */
  private async confirmMoves(moves: readonly FileMove[], sessions: readonly SessionPreview[], session?: string): Promise<MovesAnswer> {
    const owner = (m: FileMove) => sessions.find((s) => m.from.startsWith(s.absPath + path.sep));
    const listed = moves.map((m) => {
      const s = owner(m);
      return s ? `${s.path}: ${rel(s.absPath, m.from)} → ${rel(s.absPath, m.to)}` : `${m.from} → ${m.to}`;
    });
    const withMoves = new Set(moves.map((m) => owner(m)?.path));
    const others = session === undefined && sessions.some((s) => !withMoves.has(s.path));
    const move = 'Move and Register';
    const skip = 'Register the Others Only';
    const answer = await vscode.window.showWarningMessage(
      `${moves.length} file(s) ${session ? `of ${session} ` : ''}are protected on Alyx and will be moved into a revision folder before registering`,
      { modal: true, detail: listed.join('\n') },
      move,
      ...(others ? [skip] : []),
    );
    return answer === move ? 'move' : answer === skip ? 'skip-sessions' : 'cancel';
  }

  private async sessionDone(result: SessionRegistration, reg: RegistrationClient): Promise<void> {
    this.publish({ results: [...this.view.results, this.resultView(result)] });
    if (result.error) this.connection.output.error(`Register Unregistered: ${result.path}: ${result.error}`);
    for (const m of result.moves) this.connection.output.info(`moved ${m.from} -> ${m.to}`);
    if (result.outcome === 'skipped' || result.outcome === 'cancelled') return;
    try {
      await this.status.refreshSessions([result.absPath], reg);
    } catch (err) {
      // The registration stands; only its badge is late. Say so and go on.
      this.connection.output.warn(`Alyx status of ${result.path} not refreshed: ${describe(err)}`);
    }
  }

  private sessionView(s: UnregisteredSession | SessionPreview): UnregisteredSessionView {
    const view: UnregisteredSessionView = { path: s.path, create: s.create, files: s.files };
    if ('requests' in s) {
      view.requests = s.requests.map((r) => ({ method: r.method, path: r.path, body: r.body }));
      view.moves = s.moves.map((m) => moveView(s.absPath, m));
      view.notes = s.notes;
      if (s.error) view.error = s.error;
    }
    return view;
  }

  private resultView(r: SessionRegistration): SessionResultView {
    return {
      path: r.path, outcome: r.outcome, created: r.created, eid: r.eid,
      files: r.files.map((f) => ({ rel: f.rel, id: f.id, ...(f.registeredAs ? { registeredAs: f.registeredAs } : {}) })),
      moves: r.moves.map((m) => moveView(r.absPath, m)),
      movedBack: r.movedBack.map((m) => moveView(r.absPath, m)),
      ...(r.error ? { error: r.error } : {}),
    };
  }

  /** The progress notification of a run; the form shows the same progress. */
  private withProgress<T>(title: string, controller: AbortController, work: (onProgress: (e: ProgressEvent) => void) => Promise<T>): Promise<T> {
    return withProgressNotification(title, controller, (report) =>
      work((e) => {
        if (e.unit === 'bytes' && e.phase === 'hash') {
          const text = `md5: ${progressAmount(e)}`;
          report(text);
          this.post({ type: 'progress', text });
          return;
        }
        // Only the session count moves the bar: md5 bytes of one session would send it back and forth.
        if (e.unit !== 'sessions') return;
        const percent = e.total ? Math.min(100, Math.floor((e.done / e.total) * 100)) : 0;
        const text = `${e.phase === 'preview' ? 'previewed' : 'registered'} ${e.done} of ${e.total ?? '?'} session(s)${e.detail ? ` (${e.detail})` : ''}`;
        report(text, percent);
        this.post({ type: 'progress', text, percent });
      }),
    );
  }
}

function summarise(result: RegisterUnregisteredResult): string {
  const count = (o: SessionRegistration['outcome']) => result.sessions.filter((s) => s.outcome === o).length;
  const created = result.sessions.filter((s) => s.created).length;
  const files = result.sessions.reduce((n, s) => n + s.files.length, 0);
  const moves = result.sessions.reduce((n, s) => n + s.moves.length, 0);
  const parts = [`registered ${count('registered')} of ${result.sessions.length} session(s) (${created} created, ${files} file(s))`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  if (count('cancelled')) parts.push(`${count('cancelled')} not reached (cancelled)`);
  if (moves) parts.push(`${moves} protected file(s) moved into a revision folder`);
  if (result.stopped) parts.push(`stopped early: ${result.stopped}`);
  return parts.join('; ');
}

function moveView(sessionPath: string, m: FileMove): MoveView {
  return { from: rel(sessionPath, m.from), to: rel(sessionPath, m.to) };
}

function rel(sessionPath: string, file: string): string {
  return path.relative(sessionPath, file).split(path.sep).join('/');
}

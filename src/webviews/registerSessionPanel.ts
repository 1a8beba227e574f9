import * as path from 'node:path';
import * as vscode from 'vscode';
import { AlyxConnectionError, AlyxHttpError } from '../core/alyx/errors';
import { uuidFromUrl } from '../core/alyx/records';
import { CancelledError, type ProgressEvent, progressAmount } from '../core/progress';
import { sessionFolderParts } from '../core/registration/alf-path';
import { RegistrationClient } from '../core/registration/client';
import { partialRegistrationOf, standingMovesOf } from '../core/registration/errors';
import { type RegisterSessionFormValues, parseRegisterSessionForm } from '../core/registration/forms';
import { addDatasetTypeHint } from '../core/registration/dataset-type-closest';
import { describeSessionFiles, listSessionFileRows, registerSessionFormDefaults, sessionScanOf } from '../core/registration/session-form';
import { Md5Memo } from '../core/registration/md5';
import type { FileMove } from '../core/registration/moves';
import type { PlannedRequest, RegisterFilesResult, RegisterSessionOptions, RegisterSessionResult } from '../core/registration/types';
import type { AlyxConnection, AlyxLogin } from '../providers/alyx/connection';
import { loadLists } from '../providers/alyx/lists';
import {
  type AlyxLists, type MoveView, type PlannedRequestView, type RegisterToExtension, type RegisterToWebview, type RegisteredFileView, type SessionFileRow,
  type SessionInfo, isRegisterMessage,
} from '../protocol/alyx';
import { describe, formFailure } from './alyxFailure';
import { FormPanel } from './formPanel';
import { withProgressNotification } from './progressNotification';

export const REGISTER_SESSION_VIEW_TYPE = 'alf.registerSession';

/** What a finished real registration reports, for callers (and tests) that await it. */
export interface RegisterOutcome {
  kind: 'registered' | 'previewed' | 'cancelled' | 'declined' | 'failed' | 'invalid';
  result?: RegisterSessionResult;
  message?: string;
}

/**
 * ALF: Register Session: one form per session folder. Session fields come from the path, pick
 * lists and dataset types from the server; Preview is a dry run (md5s, request bodies, predicted
 * revision moves); Register asks before any move, then runs with progress and Cancel. The form's
 * values live in the page (webview state), so a failed or unreachable server loses nothing.
 */
export class RegisterSessionPanel extends FormPanel<RegisterToWebview, Extract<RegisterToWebview, { type: 'init' }>, RegisterToExtension> {
  private static readonly panels = new Map<string, RegisterSessionPanel>();
  private registration: RegistrationClient | undefined;
  private lastPlan: PlannedRequest[] = [];
  private lastError: { title: string; err: unknown } | undefined;
  /** md5s computed by Preview, reused by Register for files unchanged since (path, size, mtime). */
  readonly md5Memo = new Md5Memo();
  /** Requests of the real run as they were sent (with md5s), for Show details after a failure. */
  private sent: PlannedRequest[] = [];
  /** Resolves when the current Preview/Register finishes (tests and commands await it). */
  lastRun: Promise<RegisterOutcome> | undefined;

  static async show(extensionUri: vscode.Uri, connection: AlyxConnection, sessionPath: string): Promise<RegisterSessionPanel> {
    const parts = sessionFolderParts(sessionPath);
    if (!parts) throw new Error(`${sessionPath} is not a session folder: expected [lab/Subjects/]subject/yyyy-mm-dd/NNN`);
    const key = path.resolve(sessionPath);
    const existing = RegisterSessionPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Active);
      return existing;
    }
    const title = `Register ${parts.subject}/${parts.date}/${parts.number}`;
    const panel = FormPanel.createPanel(extensionUri, REGISTER_SESSION_VIEW_TYPE, title);
    const session: SessionInfo = { path: key, ...parts };
    const created = new RegisterSessionPanel(panel, extensionUri, connection, session);
    RegisterSessionPanel.panels.set(key, created);
    await created.load();
    return created;
  }

  /** The open form of a session, if any (tests). */
  static forSession(sessionPath: string): RegisterSessionPanel | undefined {
    return RegisterSessionPanel.panels.get(path.resolve(sessionPath));
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly connection: AlyxConnection,
    readonly session: SessionInfo,
  ) {
    super(panel, extensionUri, 'registerSession', isRegisterMessage);
  }

  override dispose(): void {
    this.running?.abort();
    if (RegisterSessionPanel.panels.get(this.session.path) === this) RegisterSessionPanel.panels.delete(this.session.path);
    super.dispose();
  }

  /** Reads the session's files and the server's lists; on failure the form still opens and says why. */
  private async load(): Promise<void> {
    let server = '';
    let lists: AlyxLists = { users: [], procedures: null, projects: null, repositories: null, waterTypes: null, subjects: null };
    let username = '';
    let failure: { message: string; unreachable: boolean } | undefined;
    let listed: SessionFileRow[] = [];
    try {
      listed = await listSessionFileRows(this.session.path);
    } catch (err) {
      // The folder went away or cannot be read: the form opens empty and says so.
      failure = { message: describe(err), unreachable: false };
    }
    let rows: SessionFileRow[];
    try {
      const login = await this.connection.login({ interactive: false });
      server = login.url;
      username = login.username;
      const [reg, loaded] = await Promise.all([
        this.registrationFor(login),
        loadLists(login.client, ['users', 'procedures', 'projects', 'repositories']),
      ]);
      lists = loaded;
      const scan = await reg.scanSession(this.session.path);
      rows = describeSessionFiles(listed, sessionScanOf(this.session.path, scan, (f) => reg.getDatasetType(f).name));
    } catch (err) {
      failure ??= { message: describe(err), unreachable: err instanceof AlyxConnectionError };
      rows = describeSessionFiles(listed, null);
    }
    const values = registerSessionFormDefaults(username, rows);
    const datasetTypeHint = rows.some((r) => r.closest) ? addDatasetTypeHint(server) : undefined;
    this.setInit({ type: 'init', session: this.session, server, values, lists, files: rows, force: false, ...(datasetTypeHint ? { datasetTypeHint } : {}) });
    if (failure) this.post({ type: 'failed', ...failure });
  }

  private async registrationFor(login: AlyxLogin): Promise<RegistrationClient> {
    if (this.registration?.alyx === login.client) return this.registration;
    this.registration = await RegistrationClient.create(login.client, { log: (line) => this.connection.output.info(line) });
    return this.registration;
  }

  protected override async onMessage(message: RegisterToExtension): Promise<void> {
    switch (message.type) {
      case 'reload':
        this.keepPageValues();
        await this.load();
        return;
      case 'showDetails':
        if (this.lastError) this.connection.showDetails(this.lastError.title, this.lastError.err, this.requestFor(this.lastError.err));
        else this.connection.output.show(true);
        return;
      case 'preview':
      case 'register':
        this.lastRun = this.run(message.values, message.type === 'preview');
        await this.lastRun;
        return;
    }
  }

  /** Preview (dry) or Register, from the form's values. */
  run(values: RegisterSessionFormValues, dry: boolean): Promise<RegisterOutcome> {
    const run = this.runAlone<RegisterOutcome>({ kind: 'failed', message: 'A registration of this session is already running' }, (controller) => this.runUnguarded(values, dry, controller));
    this.lastRun = run;
    return run;
  }

  private async runUnguarded(values: RegisterSessionFormValues, dry: boolean, controller: AbortController): Promise<RegisterOutcome> {
    const parsed = parseRegisterSessionForm(values, this.session.path, this.session.date);
    if (Object.keys(parsed.errors).length) {
      this.post({ type: 'invalid', errors: parsed.errors as Record<string, string> });
      return { kind: 'invalid', message: Object.values(parsed.errors).join(' ') };
    }
    this.lastError = undefined;
    const title = dry ? 'Previewing the registration' : 'Registering';
    try {
      const login = await this.connection.login({ interactive: true });
      const reg = await this.registrationFor(login);
      if (dry) {
        const result = await this.withProgress(`ALF: previewing ${this.sessionLabel}`, controller, (onProgress) =>
          reg.registerSession(this.session.path, { ...parsed.options, dry: true, signal: controller.signal, onProgress, files: { ...parsed.options.files, md5Memo: this.md5Memo } }),
        );
        this.lastPlan = plannedRequests(result);
        this.post({
          type: 'preview',
          requests: this.lastPlan.map((r) => ({ method: r.method, path: r.path, body: r.body }) satisfies PlannedRequestView),
          moves: (result.files?.moves ?? []).map((m) => this.moveView(m)),
          // A new session has no datasets yet, so none can be protected: the server's "no such session" is expected then.
          notes: result.created
            ? ['The session does not exist on Alyx yet: it will be created (POST /sessions); none of its files can be protected.']
            : [
                'The session exists on Alyx: it will be updated (PUT).',
                ...(result.files?.unchecked ?? []).map((u) => `Protection not checked for ${u.session}: ${u.reason}`),
              ],
        });
        return { kind: 'previewed', result };
      }
      // Predict the moves first (no md5s needed for that), so the user can refuse them before anything changes.
      const plan = await this.withProgress(`ALF: checking protected datasets for ${this.sessionLabel}`, controller, () =>
        reg.registerSession(this.session.path, { ...parsed.options, dry: true, signal: controller.signal, files: { ...parsed.options.files, maxMd5Size: 0 } }),
      );
      this.lastPlan = plannedRequests(plan);
      const moves = plan.files?.moves ?? [];
      if (moves.length) {
        const listed = moves.map((m) => `${rel(this.session.path, m.from)} → ${rel(this.session.path, m.to)}`);
        const answer = await vscode.window.showWarningMessage(
          `${moves.length} file(s) of ${this.sessionLabel} are protected on Alyx and will be moved into a revision folder before registering`,
          { modal: true, detail: listed.join('\n') },
          'Move and Register',
        );
        if (answer !== 'Move and Register') {
          this.post({ type: 'idle', message: 'Nothing was moved or registered.' });
          return { kind: 'declined' };
        }
      }
      // The session first, then its files: when the files fail, the form can say the session
      // exists (with its id) and list each file's error, and Register again only updates it.
      let session: RegisterSessionResult | undefined;
      this.sent = [];
      const fileList = Array.isArray(parsed.options.fileList) ? parsed.options.fileList : [];
      let result: RegisterSessionResult;
      try {
        result = await this.withProgress(`ALF: registering ${this.sessionLabel}`, controller, async (onProgress) => {
          session = await reg.registerSession(this.session.path, { ...parsed.options, fileList: false, signal: controller.signal, onProgress });
          this.sent.push(session.request);
          const files: RegisterFilesResult = await reg.registerFiles(fileList, {
            ...parsed.options.files, md5Memo: this.md5Memo, signal: controller.signal, onProgress, onRequest: (r) => this.sent.push(r),
          });
          return { ...session, files };
        });
      } catch (err) {
        if (session?.session && !(err instanceof CancelledError)) return this.filesFailed(session, values.files, err);
        throw err;
      }
      this.post({
        type: 'registered',
        sessionUrl: result.session?.url ?? '',
        eid: result.session ? uuidFromUrl(result.session.url) : '',
        created: result.created,
        files: this.fileResults(values.files, result),
        moves: (result.files?.moves ?? []).map((m) => this.moveView(m)),
      });
      const n = result.files?.records.filter((r) => r !== null).length ?? 0;
      void vscode.window.showInformationMessage(`ALF: ${result.created ? 'created' : 'updated'} session ${this.sessionLabel} on Alyx and registered ${n} file(s).`);
      return { kind: 'registered', result };
    } catch (err) {
      return this.fail(title, err);
    }
  }

  private fail(title: string, err: unknown): RegisterOutcome {
    if (err instanceof CancelledError) {
      this.post({ type: 'idle', message: 'Cancelled. Files already registered stay registered; nothing else was sent.' });
      return { kind: 'cancelled' };
    }
    this.lastError = { title, err };
    this.connection.output.error(`${title} ${this.sessionLabel}: ${describe(err)}`);
    const failure = formFailure(err);
    this.post(failure.message);
    if (failure.notify) {
      void vscode.window.showErrorMessage(`ALF: ${title.toLowerCase()} ${this.sessionLabel} failed: ${describe(err)}`, 'Show details').then((pick) => {
        if (pick) this.connection.showDetails(title, err, this.requestFor(err));
      });
    }
    return failure.outcome;
  }

  /** The session stands on Alyx but its files failed: each file gets its error, the form the session's id. */
  private filesFailed(session: RegisterSessionResult, files: readonly string[], err: unknown): RegisterOutcome {
    const title = 'Registering the files of';
    this.lastError = { title, err };
    const message = describe(err);
    const eid = session.session ? uuidFromUrl(session.session.url) : '';
    this.connection.output.error(`${title} ${this.sessionLabel} (session ${eid} ${session.created ? 'created' : 'updated'}): ${message}`);
    // A server error naming one file (e.g. no dataset type for it) belongs to that file; the
    // others were refused with it, since one request carries all of a session's files.
    const named = files.filter((f) => message.includes(f) || message.includes(path.posix.basename(f)));
    const perFile: RegisteredFileView[] = files.map((f) => ({
      rel: f,
      error: !named.length || named.includes(f) ? message : `not registered: the server refused the request because of ${named.join(', ')}`,
    }));
    this.post({
      type: 'registered',
      sessionUrl: session.session?.url ?? '',
      eid,
      created: session.created,
      files: perFile,
      // Protected files moved into a revision folder before the failure stay there: show them.
      moves: standingMovesOfError(err).map((m) => this.moveView(m)),
      filesError: err instanceof AlyxConnectionError ? `${message}. Your entries are kept.` : message,
    });
    void vscode.window
      .showErrorMessage(`ALF: session ${this.sessionLabel} was ${session.created ? 'created' : 'updated'} on Alyx (${eid}), but registering its files failed: ${message}`, 'Show details')
      .then((pick) => pick && this.connection.showDetails(title, err, this.requestFor(err)));
    return { kind: 'failed', message, result: { ...session, files: null } };
  }

  private get sessionLabel(): string {
    return `${this.session.subject}/${this.session.date}/${this.session.number}`;
  }

  private moveView(m: FileMove): MoveView {
    return { from: rel(this.session.path, m.from), to: rel(this.session.path, m.to) };
  }

  /** The planned request an HTTP error answered (same method and path), for Show details. */
  private requestFor(err: unknown): PlannedRequest | undefined {
    if (!(err instanceof AlyxHttpError)) return undefined;
    const p = new URL(err.url).pathname;
    // The request as sent (with md5s) when there is one; else the planned one.
    return [...this.sent].reverse().find((r) => r.method === err.method && p.endsWith(r.path)) ?? this.lastPlan.find((r) => r.method === err.method && p.endsWith(r.path));
  }

  private fileResults(files: readonly string[], result: RegisterSessionResult): RegisteredFileView[] {
    const records = result.files?.records ?? [];
    const skipped = new Map((result.files?.skipped ?? []).map((s) => [rel(this.session.path, s.file), s.message.replace(/^.*?: /, '')]));
    return files.map((f, i) => {
      const record = records[i];
      if (record) {
        const registeredAs = [record.collection, record.revision ? `#${record.revision}#` : '', record.name].filter(Boolean).join('/');
        return { rel: f, id: record.id, ...(registeredAs !== f ? { registeredAs } : {}) };
      }
      return { rel: f, error: skipped.get(f) ?? 'not registered' };
    });
  }

  /** The progress notification of a run; the form shows the same progress. */
  private withProgress<T>(title: string, controller: AbortController, work: (onProgress: (e: ProgressEvent) => void) => Promise<T>): Promise<T> {
    return withProgressNotification(title, controller, (report) =>
      work((e) => {
        const text = progressText(e);
        const percent = e.total ? Math.min(100, Math.floor((e.done / e.total) * 100)) : undefined;
        report(text, percent);
        this.post({ type: 'progress', text, ...(percent !== undefined ? { percent } : {}) });
      }),
    );
  }
}

function plannedRequests(result: RegisterSessionResult): PlannedRequest[] {
  return [result.request, ...(result.files?.requests ?? [])];
}

function progressText(e: ProgressEvent): string {
  if (e.unit === 'bytes') return `${e.phase === 'hash' ? 'md5' : e.phase}: ${progressAmount(e)}`;
  if (e.phase === 'post') return `sent ${e.done} of ${e.total ?? '?'} request(s)`;
  return `${e.phase}: ${e.done}${e.total ? ` of ${e.total}` : ''}${e.detail ? ` (${e.detail})` : ''}`;
}

function rel(sessionPath: string, file: string): string {
  return path.relative(sessionPath, file).split(path.sep).join('/');
}

export type { RegisterSessionOptions };

function standingMovesOfError(err: unknown): FileMove[] {
  const partial = partialRegistrationOf(err);
  return partial ? standingMovesOf(partial) : [];
}

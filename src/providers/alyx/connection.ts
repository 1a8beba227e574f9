import * as vscode from 'vscode';
import { AlyxClient } from '../../core/alyx/client';
import { AlyxConnectionError, AlyxHttpError } from '../../core/alyx/errors';
import { cachedToken, defaultClientUrl, readClientParams } from '../../core/alyx/params';
import { type UrlSetting, checkAlyxUrl, serverLabel } from '../../core/alyx/url-policy';
import type { UserRecord } from '../../core/alyx/records';
import { errorMessage } from '../../core/util/errors';

/** What SecretStorage holds per server: never in settings, logs or files. */
interface StoredLogin {
  username: string;
  token: string;
}

export type AlyxStatus =
  | { kind: 'noServer'; message: string }
  | { kind: 'loggedOut'; url: string }
  | { kind: 'checking'; url: string; username: string }
  | { kind: 'loggedIn'; url: string; username: string }
  | { kind: 'unreachable'; url: string; username: string; message: string }
  | { kind: 'expired'; url: string; username: string };

/** A logged-in client with the server it talks to. */
export interface AlyxLogin {
  client: AlyxClient;
  url: string;
  username: string;
}

/** Raised when a command needs Alyx and the user is not logged in (or backs out of logging in). */
export class NotLoggedInError extends Error {
  override readonly name: string = 'NotLoggedInError';
}

/** No usable server in the settings: `setting` is the one to change (the error's Open Settings button opens it). */
export class AlyxSettingError extends NotLoggedInError {
  override readonly name = 'AlyxSettingError';
  constructor(
    message: string,
    readonly setting: UrlSetting,
  ) {
    super(message);
  }
}

/** The user closed a login prompt. */
export class LoginCancelledError extends NotLoggedInError {
  override readonly name = 'LoginCancelledError';
}

const SECRET_PREFIX = 'alf.alyx.login:';

/**
 * The editor's Alyx connection: the server from `alf.alyx.url` (else Python ONE's default), the
 * token in VS Code's SecretStorage keyed by the normalised server URL, a status bar item, and the
 * "ALF Alyx" output channel with every request (method, URL, status; never headers, so never the
 * token) and, on failure, the request and response bodies with secrets blanked.
 */
export class AlyxConnection implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<AlyxStatus>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private current: AlyxStatus = { kind: 'noServer', message: 'not checked yet' };
  /** One client per server and user, so its in-memory password re-authentication is kept. */
  private cached: AlyxLogin | undefined;
  private refreshing: Promise<AlyxStatus> | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.output = vscode.window.createOutputChannel('ALF Alyx', { log: true });
    this.statusItem = vscode.window.createStatusBarItem('alf.alyx', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'ALF: Alyx';
    this.statusItem.command = 'alf.login';
    this.disposables.push(
      this.output,
      this.statusItem,
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('alf.alyx')) {
          this.cached = undefined;
          void this.refresh();
        }
      }),
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX)) void this.refresh();
      }),
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  get status(): AlyxStatus {
    return this.current;
  }

  /** The server to use, checked against the http policy; throws with a one-line reason. */
  async serverUrl(): Promise<string> {
    const config = vscode.workspace.getConfiguration('alf.alyx');
    const configured = (config.get<string>('url') ?? '').trim();
    const url = configured || (await defaultClientUrl(this.env).catch(() => undefined)) || '';
    if (!url) throw new AlyxSettingError('No Alyx server: set alf.alyx.url (or set up Python ONE), then log in', 'alf.alyx.url');
    const verdict = checkAlyxUrl(url, config.get<boolean>('allowInsecureHttp') ?? false);
    if (!verdict.ok) throw new AlyxSettingError(verdict.message, verdict.setting);
    return verdict.url;
  }

  /** Checks the stored login against the server and updates the status bar. */
  refresh(): Promise<AlyxStatus> {
    this.refreshing ??= this.computeStatus().then(
      (s) => {
        this.refreshing = undefined;
        this.setStatus(s);
        return s;
      },
      (err: unknown) => {
        this.refreshing = undefined;
        const s: AlyxStatus = { kind: 'noServer', message: errorMessage(err) };
        this.setStatus(s);
        return s;
      },
    );
    return this.refreshing;
  }

  /**
   * The logged-in client, or: with `interactive`, the login flow first; without, a
   * NotLoggedInError naming the command to run.
   */
  async login(options: { interactive: boolean } = { interactive: true }): Promise<AlyxLogin> {
    const url = await this.serverUrl();
    const stored = await this.readStored(url);
    if (stored) {
      if (this.cached?.url === url && this.cached.username === stored.username) return this.cached;
      this.cached = { client: this.makeClient(url, stored), url, username: stored.username };
      return this.cached;
    }
    if (!options.interactive) throw new NotLoggedInError(`Not logged in to Alyx at ${serverLabel(url)}: run ALF: Log In to Alyx`);
    const login = await this.interactiveLogin(url);
    if (!login) throw new LoginCancelledError('Not logged in to Alyx');
    return login;
  }

  /** ALF: Log In to Alyx. Offers Python ONE's cached token first, else asks user name and password. */
  async interactiveLogin(url?: string): Promise<AlyxLogin | undefined> {
    const server = url ?? (await this.serverUrl());
    const params = await readClientParams(server, this.env).catch(() => undefined);
    const oneToken = cachedToken(params);
    if (oneToken) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: `$(key) Use the token Python ONE saved for "${oneToken.username}"`, description: 'no password needed', use: true },
          { label: '$(sign-in) Log in with user name and password', description: '', use: false },
        ],
        { title: `ALF: Log In to Alyx (${serverLabel(server)})`, ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      if (pick.use) {
        const client = this.makeClient(server, oneToken);
        try {
          await client.get<UserRecord>(`/users/${encodeURIComponent(oneToken.username)}`);
        } catch (err) {
          if (err instanceof AlyxHttpError && err.status === 403) {
            void vscode.window.showWarningMessage(`ALF: the token Python ONE saved for "${oneToken.username}" is no longer valid; log in with your password.`);
            return this.passwordLogin(server, oneToken.username);
          }
          throw err;
        }
        return this.store(server, oneToken, client);
      }
    }
    const previous = this.cached?.url === server ? this.cached.username : undefined;
    const suggested = previous ?? (typeof params?.ALYX_LOGIN === 'string' ? params.ALYX_LOGIN : undefined) ?? oneToken?.username;
    return this.passwordLogin(server, suggested);
  }

  private async passwordLogin(server: string, suggested: string | undefined): Promise<AlyxLogin | undefined> {
    const username = (
      await vscode.window.showInputBox({
        title: `ALF: Log In to Alyx (${serverLabel(server)})`,
        prompt: 'Alyx user name',
        value: suggested ?? '',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Type your Alyx user name'),
      })
    )?.trim();
    if (!username) return undefined;
    const client = this.makeClient(server, undefined, username);
    const token = await this.askPassword(server, username, client);
    if (token === undefined) return undefined;
    return this.store(server, { username, token }, client);
  }

  /**
   * The password box stays open until the server accepts the password or the user presses
   * Escape: a refused password leaves the box with the server's reason under it, so a typo
   * costs one retype rather than starting the login again. The password lives only in this box
   * and in the client's memory (for re-authentication), never in storage.
   */
  private askPassword(server: string, username: string, client: AlyxClient): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    box.title = `ALF: Log In to Alyx (${serverLabel(server)})`;
    box.prompt = `Password of "${username}" (sent only to ${serverLabel(server)}; never saved)`;
    box.password = true;
    box.ignoreFocusOut = true;
    return new Promise<string | undefined>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
        subs.forEach((d) => d.dispose());
        box.dispose();
      };
      const subs = [
        box.onDidHide(() => finish(() => resolve(undefined))),
        box.onDidChangeValue(() => {
          if (box.validationMessage) box.validationMessage = undefined;
        }),
        box.onDidAccept(async () => {
          if (box.busy) return;
          const password = box.value;
          if (!password) {
            box.validationMessage = 'Type your password (Escape to cancel)';
            return;
          }
          box.busy = true;
          box.enabled = false;
          try {
            const token = await client.login(username, password);
            finish(() => resolve(token));
          } catch (err) {
            if (err instanceof AlyxHttpError && err.status === 400) {
              // Refused: say why in the box and let the user type it again.
              box.busy = false;
              box.enabled = true;
              box.value = '';
              box.validationMessage = { message: `${err.message.replace(/\.$/, '')}. Type the password again, or press Escape to cancel.`, severity: vscode.InputBoxValidationSeverity.Error };
              return;
            }
            if (err instanceof AlyxConnectionError) this.setStatus({ kind: 'unreachable', url: server, username, message: err.message });
            finish(() => reject(err));
          }
        }),
      ];
      box.show();
    });
  }

  /** ALF: Log Out of Alyx: forgets the token of this server (SecretStorage and memory). */
  async logout(): Promise<string> {
    const url = await this.serverUrl();
    const stored = await this.readStored(url);
    await this.secrets.delete(SECRET_PREFIX + url);
    this.cached?.client.logout();
    this.cached = undefined;
    this.output.info(`logged out of ${url}`);
    await this.refresh();
    return stored ? `Logged out ${stored.username} from ${serverLabel(url)}.` : `Not logged in to ${serverLabel(url)}.`;
  }

  /** Writes an error's request and response to the output channel (secrets blanked) and shows it. */
  showDetails(title: string, err: unknown, request?: { method: string; path: string; body?: unknown }): void {
    this.output.error(`${title}: ${errorMessage(err)}`);
    if (request) this.output.error(`request: ${request.method} ${request.path}\n${JSON.stringify(redact(request.body), null, 2)}`);
    if (err instanceof AlyxHttpError) {
      this.output.error(`response: HTTP ${err.status} from ${err.method} ${err.url}\n${typeof err.body === 'string' ? err.body.slice(0, 4000) : JSON.stringify(redact(err.body), null, 2)}`);
    }
    this.output.show(true);
  }

  private makeClient(url: string, stored: StoredLogin | undefined, username?: string): AlyxClient {
    return new AlyxClient({
      baseUrl: url,
      username: stored?.username ?? username,
      token: stored?.token,
      log: (line) => this.output.info(line),
      // A revoked token: ask the password again (never stored), then keep the new token.
      requestPassword: (user) =>
        Promise.resolve(
          vscode.window.showInputBox({
            title: `ALF: Alyx (${serverLabel(url)})`,
            prompt: `The saved token of "${user}" was refused. Password of "${user}"`,
            password: true,
            ignoreFocusOut: true,
          }),
        ),
      onToken: async (user, token) => {
        await this.secrets.store(SECRET_PREFIX + url, JSON.stringify({ username: user, token } satisfies StoredLogin));
      },
    });
  }

  private async store(url: string, login: StoredLogin, client: AlyxClient): Promise<AlyxLogin> {
    await this.secrets.store(SECRET_PREFIX + url, JSON.stringify(login));
    this.cached = { client, url, username: login.username };
    this.output.info(`logged in to ${url} as ${login.username}`);
    this.setStatus({ kind: 'loggedIn', url, username: login.username });
    return this.cached;
  }

  private async readStored(url: string): Promise<StoredLogin | undefined> {
    const text = await this.secrets.get(SECRET_PREFIX + url);
    if (!text) return undefined;
    try {
      const value = JSON.parse(text) as Partial<StoredLogin>;
      return typeof value.username === 'string' && typeof value.token === 'string' ? { username: value.username, token: value.token } : undefined;
    } catch {
      return undefined;
    }
  }

  private async computeStatus(): Promise<AlyxStatus> {
    let url: string;
    try {
      url = await this.serverUrl();
    } catch (err) {
      return { kind: 'noServer', message: errorMessage(err) };
    }
    const stored = await this.readStored(url);
    if (!stored) return { kind: 'loggedOut', url };
    this.setStatus({ kind: 'checking', url, username: stored.username });
    const client = this.cached?.url === url && this.cached.username === stored.username ? this.cached.client : this.makeClient(url, stored);
    // A plain read with the token: says both "reachable" and "token valid", without re-login prompts.
    const probe = new AlyxClient({ baseUrl: url, username: stored.username, token: stored.token, timeoutMs: 10_000, retry: { retries: 0 }, log: (l) => this.output.info(l) });
    try {
      await probe.get<UserRecord>(`/users/${encodeURIComponent(stored.username)}`);
    } catch (err) {
      if (err instanceof AlyxConnectionError) return { kind: 'unreachable', url, username: stored.username, message: err.message };
      if (err instanceof AlyxHttpError && err.status === 403) return { kind: 'expired', url, username: stored.username };
      return { kind: 'unreachable', url, username: stored.username, message: errorMessage(err) };
    }
    this.cached = { client, url, username: stored.username };
    return { kind: 'loggedIn', url, username: stored.username };
  }

  private setStatus(status: AlyxStatus): void {
    this.current = status;
    const item = this.statusItem;
    switch (status.kind) {
      case 'noServer':
        item.hide();
        this.changed.fire(status);
        return;
      case 'loggedOut':
        item.text = '$(account) Alyx: logged out';
        item.tooltip = `Not logged in to ${status.url}. Click to log in.`;
        break;
      case 'checking':
        item.text = `$(sync~spin) ${status.username}@${serverLabel(status.url)}`;
        item.tooltip = `Checking ${status.url}…`;
        break;
      case 'loggedIn':
        item.text = `$(account) ${status.username}@${serverLabel(status.url)}`;
        item.tooltip = `Logged in to Alyx at ${status.url} as ${status.username}. Click to log in again or as someone else.`;
        break;
      case 'unreachable':
        item.text = `$(warning) Alyx unreachable: ${serverLabel(status.url)}`;
        item.tooltip = `${status.message}. Click to log in again.`;
        break;
      case 'expired':
        item.text = `$(warning) Alyx: log in again (${serverLabel(status.url)})`;
        item.tooltip = `The saved token of ${status.username} was refused by ${status.url}. Click to log in.`;
        break;
    }
    item.accessibilityInformation = { label: item.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    item.show();
    this.changed.fire(status);
  }
}

/** Blanks values of keys that could hold secrets before anything reaches the output channel. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, /token|password|secret/i.test(k) ? '<hidden>' : redact(v)]));
  }
  return value;
}

import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from './html';
import type { WebviewKind } from '../protocol/webview';

/** The message that fills a form: `force` says whether it replaces values the page kept in its state. */
export interface FormInit {
  type: 'init';
  force: boolean;
}

/**
 * A webview panel holding one form (Build ONE Cache, Package Data Release, Register Session,
 * Register Unregistered, Register Weight / Water): the page, its message wiring, the init
 * handshake and its one run at a time. The first init after the panel opens replaces what the
 * page has; later ones (the page was hidden and comes back, asking with 'ready') only fill a page
 * that lost its state, so nothing the user typed is overwritten. The page's 'ready' and 'cancel'
 * are answered here; the form's other messages go to onMessage, checked by the form's guard.
 */
export abstract class FormPanel<ToWebview, Init extends FormInit & ToWebview, ToExtension extends { type: string }> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  /** The run going on (Build, Package, Preview, Register…); the page's Cancel aborts it. */
  protected running: AbortController | undefined;
  private init: Init | undefined;
  private forceInit = true;

  /** A new panel in the active column, its page not kept while hidden (the page state is). */
  protected static createPanel(extensionUri: vscode.Uri, viewType: string, title: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, { ...webviewOptions(extensionUri), retainContextWhenHidden: false });
  }

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    kind: WebviewKind,
    /** The form's guard: messages from the page are untrusted input. */
    isMessage: (message: unknown) => message is ToExtension,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'alf-activitybar.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, kind, panel.title);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isMessage(m)) return;
        // Sent each time the page loads (also after being hidden and shown again).
        if (m.type === 'ready') this.sendInit();
        else if (m.type === 'cancel') this.running?.abort();
        else void this.onMessage(m);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The form's own messages (all but 'ready' and 'cancel'), already checked by its guard. */
  protected abstract onMessage(message: ToExtension): Promise<void>;

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  protected post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /**
   * Runs `work` unless a run is going on (then `busy` is the answer): one run at a time, and
   * the page's Cancel aborts the controller `work` is given.
   */
  protected async runAlone<T>(busy: T, work: (controller: AbortController) => Promise<T>): Promise<T> {
    if (this.running) return busy;
    const controller = new AbortController();
    this.running = controller;
    try {
      return await work(controller);
    } finally {
      this.running = undefined;
    }
  }

  /** Sets what fills the form and sends it. */
  protected setInit(init: Init): void {
    this.init = init;
    this.sendInit();
  }

  /** Sets what fills the form and sends it, replacing what the page kept (the form opened again on other data). */
  protected refill(init: Init): void {
    this.forceInit = true;
    this.setInit(init);
  }

  /** Sets what fills the page when it next asks ('ready'), without sending it now. */
  protected rememberInit(init: Init): void {
    this.init = init;
  }

  /** Sends the form's content again (the page said 'ready'). */
  protected sendInit(): void {
    if (!this.init) return;
    this.post({ ...this.init, force: this.forceInit });
    this.forceInit = false;
  }

  /** The next init fills the page without replacing what it kept (a reload the user asked for). */
  protected keepPageValues(): void {
    this.forceInit = false;
  }
}

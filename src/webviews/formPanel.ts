import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from './html';
import type { WebviewKind } from '../protocol/webview';

/** The message that fills a form: `force` says whether it replaces values the page kept in its state. */
export interface FormInit {
  type: 'init';
  force: boolean;
}

/**
 * A webview panel holding one form (Register Session, Register Weight / Water): the page, its
 * message wiring and the init handshake. The first init after the panel opens replaces what the
 * page has; later ones (the page was hidden and comes back, asking with 'ready') only fill a page
 * that lost its state, so nothing the user typed is overwritten.
 */
export abstract class FormPanel<ToWebview, Init extends FormInit & ToWebview> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
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
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'alf-activitybar.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, kind, panel.title);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Messages from the page: untrusted, to be checked by the subclass's guard. */
  protected abstract onMessage(message: unknown): Promise<void>;

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  protected post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /** Sets what fills the form and sends it. */
  protected setInit(init: Init): void {
    this.init = init;
    this.sendInit();
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

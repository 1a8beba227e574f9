import * as vscode from 'vscode';
import { isSearchResultsMessage, type SearchResultsToWebview, type SearchResultsView } from '../protocol/local';
import { webviewHtml, webviewOptions } from './html';
import { errorMessage } from '../core/util/errors';

export const SEARCH_RESULTS_VIEW_TYPE = 'alf.searchResults';

export interface SearchResultsSource {
  view: SearchResultsView;
  openObject(eid: string): Promise<void>;
  /** Shows the same search in the side bar (to expand sessions into datasets). */
  showInSidebar(): Promise<void>;
}

/**
 * The results of a search in an editor tab: every matching session (up to the Search view's
 * tab limit) as a table the page sorts, one tab per search. A row opens the session's object.
 */
export class SearchResultsPanel {
  /** Open tabs (the extension-host tests read their views). */
  static readonly open = new Set<SearchResultsPanel>();

  private constructor(
    readonly panel: vscode.WebviewPanel,
    readonly source: SearchResultsSource,
  ) {}

  static show(extensionUri: vscode.Uri, source: SearchResultsSource): SearchResultsPanel {
    const title = `Search: ${source.view.terms.length > 40 ? `${source.view.terms.slice(0, 40)}…` : source.view.terms}`;
    const panel = vscode.window.createWebviewPanel(SEARCH_RESULTS_VIEW_TYPE, title, vscode.ViewColumn.Active, { ...webviewOptions(extensionUri), retainContextWhenHidden: true });
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'searchResults', title);
    const self = new SearchResultsPanel(panel, source);
    SearchResultsPanel.open.add(self);
    const post = (m: SearchResultsToWebview) => void panel.webview.postMessage(m);
    panel.webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isSearchResultsMessage(message)) return;
      try {
        switch (message.type) {
          case 'ready':
            post({ type: 'results', view: source.view });
            return;
          case 'openObject':
            await source.openObject(message.eid);
            return;
          case 'copy':
            await vscode.env.clipboard.writeText(message.text);
            vscode.window.setStatusBarMessage(`ALF: copied the ${message.what}`, 3000);
            return;
          case 'showInSidebar':
            await source.showInSidebar();
            return;
        }
      } catch (err) {
        post({ type: 'error', message: errorMessage(err) });
      }
    });
    panel.onDidDispose(() => SearchResultsPanel.open.delete(self));
    return self;
  }
}

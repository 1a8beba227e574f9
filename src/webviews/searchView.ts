import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { relPathParts } from '../core/alf';
import { OneError, oneSearchSnippet, type SearchForm } from '../core/one';
import { type CoreWorker, WorkerCallError } from '../model/worker/client';
import { webviewHtml, webviewOptions } from './html';
import { type CacheChoice, type RecentSearch, type SearchField, type SearchResultsView, type SearchToWebview, isSearchMessage } from '../protocol/local';
import { readRecentSearches, rememberSearch } from '../model/recentSearches';
import { SearchResultsPanel } from './searchResultsPanel';
import { errorMessage } from '../core/util/errors';

export const SEARCH_VIEW_ID = 'alf.search';

/** Sessions listed at most; the count says how many matched. */
const MAX_RESULTS = 500;
/** Sessions the results tab shows at most (it sorts them in the page). */
const MAX_TAB_RESULTS = 20_000;
const RECENT_KEY = 'alf.search.recent';

/** The form field a search term error belongs to (ONE's names → the form's). */
const FIELD_OF: Record<string, SearchField> = {
  subject: 'subject',
  laboratory: 'lab',
  date_range: 'dateFrom',
  number: 'number',
  datasets: 'datasets',
  dataset_qc_lte: 'datasetQcLte',
  task_protocol: 'taskProtocol',
  projects: 'projects',
};

export interface SearchHost {
  extensionUri: vscode.Uri;
  /** Opens the caches and searches them, off the extension host's thread. */
  worker: CoreWorker;
  /** The workspace's roots with a built cache. */
  caches(): CacheChoice[];
  onDidChangeCaches: vscode.Event<unknown>;
  openObject(choice: CacheChoice, eid: string, object?: string): Promise<void>;
  /** Where recent searches are kept (the workspace state). */
  state?: vscode.Memento;
}

/**
 * The Search view of the ALF container: ONE's search terms as fields, sessions as results (each
 * expandable to its datasets), a dataset opens in its editor, a session opens as an ALF object,
 * and Copy ONE snippet gives the same search in Python. Searches run in the worker thread on the
 * caches it keeps open (src/model/worker/oneCaches.ts): opening a 1.5 M-dataset cache is seconds
 * of CPU, which the extension host never spends itself.
 */
export class SearchViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private pendingFill: SearchForm | undefined;
  private lastSearch: { root: string; form: SearchForm } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly host: SearchHost) {
    this.disposables.push(host.onDidChangeCaches(() => this.postCaches()));
  }

  static register(host: SearchHost): vscode.Disposable {
    const provider = new SearchViewProvider(host);
    // Known before the view is first shown, so ALF: Search with terms can keep them until it is.
    SearchViewProvider.instances.add(provider);
    return vscode.Disposable.from(provider, vscode.window.registerWebviewViewProvider(SEARCH_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: true } }), { dispose: () => SearchViewProvider.instances.delete(provider) });
  }

  /** The registered providers (one per activation): for ALF: Search Sessions. */
  static readonly instances = new Set<SearchViewProvider>();

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** Reveals the view; with a form, fills it in and searches. */
  async focus(form?: SearchForm): Promise<void> {
    if (form) this.pendingFill = form;
    await vscode.commands.executeCommand(`${SEARCH_VIEW_ID}.focus`);
    if (this.view && this.pendingFill) this.flushFill();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.host.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.host.extensionUri, 'search', 'Search');
    view.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }

  private post(message: SearchToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  private postCaches(): void {
    this.post({ type: 'caches', caches: this.host.caches() });
  }

  private flushFill(): void {
    const form = this.pendingFill;
    this.pendingFill = undefined;
    if (form) this.post({ type: 'fill', form });
  }

  private choice(root: string): CacheChoice {
    const c = this.host.caches().find((x) => x.root === root);
    if (!c) throw new Error(`no ONE cache for ${root} any more: build one with ALF: Build ONE Cache`);
    return c;
  }

  private cacheRef(root: string): { root: string; tablesDir: string } {
    const choice = this.choice(root);
    return { root: choice.root, tablesDir: choice.tablesDir };
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isSearchMessage(message)) return;
    try {
      switch (message.type) {
        case 'ready':
          this.postCaches();
          this.postRecent();
          this.flushFill();
          return;
        case 'openResultsTab':
          await this.openResultsTab(message.root, message.form);
          return;
        case 'forgetRecent':
          await this.host.state?.update(RECENT_KEY, []);
          this.postRecent();
          return;
        case 'buildCache':
          await vscode.commands.executeCommand('alf.buildCache');
          return;
        case 'search':
          await this.search(message.root, message.form);
          return;
        case 'datasets': {
          this.post({ type: 'datasets', eid: message.eid, datasets: await this.host.worker.call('oneDatasets', { ...this.cacheRef(message.root), eid: message.eid }) });
          return;
        }
        case 'openDataset': {
          const session = await this.host.worker.call('oneSession', { ...this.cacheRef(message.root), eid: message.eid });
          const dir = session?.sessionPath;
          const file = dir && path.join(dir, ...message.relPath.split('/'));
          if (!file || !(await fs.stat(file).then((s) => s.isFile(), () => false))) {
            void vscode.window.showWarningMessage(`ALF: ${message.relPath} is in the cache but not on disk${dir ? ` (looked in ${dir})` : ''}; download or restore it, or rebuild the cache.`);
            return;
          }
          await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
          return;
        }
        case 'openObject':
          await this.host.openObject(this.choice(message.root), message.eid, message.object);
          return;
        case 'copySnippet': {
          const choice = this.choice(message.root);
          const s = message.eid ? await this.host.worker.call('oneSession', { root: choice.root, tablesDir: choice.tablesDir, eid: message.eid }) : null;
          const objects = s?.datasets ?? [];
          const trials = objects.map((p) => relPathParts(p, { assertValid: false })).find((p) => p.object === 'trials');
          const snippet = oneSearchSnippet({
            cacheDir: choice.root,
            ...(choice.tablesDir !== choice.root ? { tablesDir: choice.tablesDir } : {}),
            form: message.form,
            ...(message.eid ? { eid: message.eid } : {}),
            ...(s ? { sessionLabel: [s.lab, s.subject, s.date, String(s.number).padStart(3, '0')].filter(Boolean).join('/') } : {}),
            ...(trials ? { object: 'trials', collection: trials.collection } : {}),
          });
          await vscode.env.clipboard.writeText(snippet);
          void vscode.window.setStatusBarMessage('ALF: copied a Python ONE snippet', 3000);
          return;
        }
      }
    } catch (err) {
      // The worker carries a OneError's field across (WorkerCallError.field).
      const oneField = err instanceof OneError || err instanceof WorkerCallError ? err.field : undefined;
      const field = oneField ? (FIELD_OF[oneField] ?? null) : null;
      this.post({ type: 'invalid', field, message: errorMessage(err) });
    }
  }

  private async search(root: string, form: SearchForm): Promise<void> {
    // The time shown is the whole answer (worker round trip included), what the user waits for.
    const t0 = performance.now();
    const { sessions, total } = await this.host.worker.call('oneSearch', { ...this.cacheRef(root), form, limit: MAX_RESULTS });
    const ms = performance.now() - t0;
    this.post({ type: 'results', root, sessions, total, ms });
    await this.remember({ root, form, total, at: Date.now(), ms });
  }

  private async openResultsTab(root: string, form: SearchForm): Promise<SearchResultsView> {
    const choice = this.choice(root);
    const t0 = performance.now();
    const { sessions, total } = await this.host.worker.call('oneSearch', { root: choice.root, tablesDir: choice.tablesDir, form, limit: MAX_TAB_RESULTS });
    const ms = performance.now() - t0;
    const view: SearchResultsView = { root, cacheLabel: choice.label, form, terms: termsSummary(form), sessions, total, ms };
    SearchResultsPanel.show(this.host.extensionUri, {
      view,
      openObject: (eid) => this.host.openObject(this.choice(root), eid),
      showInSidebar: () => this.focus(form),
    });
    return view;
  }

  private recent(): RecentSearch[] {
    return readRecentSearches(this.host.state?.get<unknown>(RECENT_KEY));
  }

  private postRecent(): void {
    this.post({ type: 'recent', searches: this.recent() });
  }

  private async remember(entry: RecentSearch): Promise<void> {
    this.lastSearch = { root: entry.root, form: entry.form };
    if (!this.host.state) return;
    await this.host.state.update(RECENT_KEY, rememberSearch(this.recent(), entry));
    this.postRecent();
  }

  /** ALF: Open Search Results as Table: the given terms, or the last search, in an editor tab. */
  async openResults(form?: SearchForm, root?: string): Promise<SearchResultsView> {
    const r = root ?? this.lastSearch?.root ?? this.host.caches()[0]?.root;
    if (!r) throw new Error('no ONE cache in this workspace: build one with ALF: Build ONE Cache, then search');
    return this.openResultsTab(r, form ?? this.lastSearch?.form ?? {});
  }

  /** The recent searches, newest first (for the extension-host tests). */
  recentSearches(): RecentSearch[] {
    return this.recent();
  }
}

/** 'subject=KS0, lab=cortexlab' (the form's own words), or 'all sessions'. */
export function termsSummary(form: SearchForm): string {
  const terms = Object.entries(form).filter(([, v]) => typeof v === 'string' && v.trim() !== '');
  return terms.length ? terms.map(([k, v]) => `${k}=${v}`).join(', ') : 'all sessions';
}


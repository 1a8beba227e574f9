/** The Search results tab: every matching session as a virtually scrolled table the page sorts. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { SearchResultsToExtension, SearchResultsToWebview, SearchResultsView, SessionHit } from '../../protocol/local.js';
import { type GridColumn, VirtualGrid } from './virtualGrid.js';
import { el, formatCount, pageChannel } from './vscodeApi.js';

interface ResultsState {
  sort?: { key: number; descending: boolean };
  widths: Record<string, number>;
}

const COLUMNS: { name: string; width: number; numeric?: boolean; value: (s: SessionHit) => string | number }[] = [
  { name: 'lab', width: 150, value: (s) => s.lab },
  { name: 'subject', width: 130, value: (s) => s.subject },
  { name: 'date', width: 110, value: (s) => s.date },
  { name: 'number', width: 80, numeric: true, value: (s) => s.number },
  { name: 'datasets', width: 90, numeric: true, value: (s) => s.datasets },
  { name: 'task_protocol', width: 300, value: (s) => s.taskProtocol },
  { name: 'eid', width: 300, value: (s) => s.eid },
];

export function bootSearchResults(app: HTMLElement): void {
  const channel = pageChannel<ResultsState, SearchResultsToExtension, SearchResultsToWebview>();
  const saved = channel.state();
  const state: ResultsState = { widths: saved.widths ?? {}, ...(saved.sort ? { sort: saved.sort } : {}) };
  let view: SearchResultsView | null = null;
  let order: SessionHit[] = [];

  const header = el('header', { class: 'table-header' });
  const toolbar = el('div', { class: 'table-toolbar' });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const sortRows = () => {
    order = [...(view?.sessions ?? [])];
    const s = state.sort;
    if (!s) return;
    const value = COLUMNS[s.key]!.value;
    const sign = s.descending ? -1 : 1;
    // Stable: ties keep ONE's order.
    order.sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      return sign * (va < vb ? -1 : va > vb ? 1 : 0);
    });
  };
  const grid = new VirtualGrid(
    {
      rowCount: () => order.length,
      columns: (): GridColumn[] => COLUMNS.map((c, i) => ({ key: i, name: c.name, width: state.widths[c.name] ?? c.width, ...(c.numeric ? { numeric: true } : {}) })),
      row: (i) => {
        const s = order[i];
        return s ? { cells: COLUMNS.map((c) => String(c.value(s))) } : undefined;
      },
      sort: () => state.sort,
      need: () => undefined,
      onSort: (key) => {
        if (state.sort?.key !== key) state.sort = { key, descending: false };
        else if (!state.sort.descending) state.sort = { key, descending: true };
        else delete state.sort;
        channel.save(state);
        sortRows();
        grid.render();
      },
      onResize: (key, width) => {
        state.widths[COLUMNS[key]!.name] = width;
        channel.save(state);
      },
      onSelect: () => renderToolbar(),
      onOpen: (row) => {
        const s = order[row];
        if (s) channel.post({ type: 'openObject', eid: s.eid });
      },
    },
    'results-table',
  );
  app.replaceChildren(header, toolbar, error, grid.element);

  const selected = () => {
    const sel = grid.selection;
    return sel ? order[sel.row] : undefined;
  };
  function renderToolbar(): void {
    const s = selected();
    const button = (label: string, id: string, onClick: () => void, title: string, disabled = false) => {
      const b = el('vscode-button', { id, secondary: true, title, disabled }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    toolbar.replaceChildren(
      button('Open Object…', 'results-open', () => s && channel.post({ type: 'openObject', eid: s.eid }), 'Open an ALF object of the selected session (or double-click a row)', !s),
      button('Copy eid', 'results-copy-eid', () => s && channel.post({ type: 'copy', what: 'eid', text: s.eid }), 'Copy the selected session’s eid', !s),
      button('Copy all as TSV', 'results-copy-all', () => channel.post({ type: 'copy', what: 'table', text: [COLUMNS.map((c) => c.name).join('\t'), ...order.map((r) => COLUMNS.map((c) => String(c.value(r))).join('\t'))].join('\n') }), 'Copy every row shown, tab-separated, with a header'),
      button('Show in side bar', 'results-sidebar', () => channel.post({ type: 'showInSidebar' }), 'Run this search in the Search view (sessions expand into datasets there)'),
    );
  }

  channel.onMessage((m) => {
    if (m.type === 'error') {
      error.textContent = m.message;
      error.hidden = false;
      return;
    }
    view = m.view;
    app.removeAttribute('aria-busy');
    header.replaceChildren(
      el('h1', {}, `Search: ${view.terms}`),
      el(
        'span',
        { class: 'muted', id: 'results-count' },
        `${formatCount(view.total)} session${view.total === 1 ? '' : 's'}${view.total > view.sessions.length ? `, first ${formatCount(view.sessions.length)} shown` : ''} · ${view.cacheLabel} · ${view.ms.toFixed(1)} ms`,
      ),
    );
    sortRows();
    renderToolbar();
    grid.render();
  });
  channel.post({ type: 'ready' });
}

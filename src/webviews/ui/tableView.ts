import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { TableInfoView, TablePageRequest, TableToExtension, TableToWebview } from '../../protocol/webview.js';
import { el, formatCount, pageChannel } from './vscodeApi.js';

interface TableState {
  offset: number;
  limit: number;
  sortColumn?: number;
  descending?: boolean;
  metadataOpen?: boolean;
}

const PAGE_SIZES = [50, 100, 500];

export function bootTable(app: HTMLElement): void {
  const channel = pageChannel<TableState, TableToExtension, TableToWebview>();
  const saved = channel.state();
  const state: TableState = { offset: saved.offset ?? 0, limit: saved.limit ?? 100, ...pick(saved) };
  let info: TableInfoView | null = null;

  const header = el('header', { class: 'table-header' });
  const metadata = el('details', { class: 'metadata', open: state.metadataOpen ?? false });
  const table = el('table', { class: 'data', id: 'rows' });
  const pager = el('nav', { class: 'pager', 'aria-label': 'Pages' });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  app.replaceChildren(header, metadata, error, el('div', { class: 'table-scroll' }, table), pager);
  metadata.addEventListener('toggle', () => {
    state.metadataOpen = metadata.open;
    channel.save(state);
  });

  const request = (change: Partial<TableState>) => {
    Object.assign(state, change);
    channel.save(state);
    const msg: TablePageRequest = { offset: state.offset, limit: state.limit };
    if (state.sortColumn !== undefined) {
      msg.sortColumn = state.sortColumn;
      msg.descending = state.descending ?? false;
    }
    channel.post({ type: 'page', ...msg });
  };

  channel.onMessage((message) => {
    switch (message.type) {
      case 'info':
        info = message.info;
        app.removeAttribute('aria-busy');
        renderHeader(header, info);
        renderMetadata(metadata, info);
        if (state.offset >= info.rowCount) state.offset = 0;
        request({});
        break;
      case 'page':
        if (!info) return;
        error.hidden = true;
        renderRows(table, info, message.rows, state, (column) => {
          // Click cycles: ascending → descending → file order.
          if (state.sortColumn !== column) request({ sortColumn: column, descending: false, offset: 0 });
          else if (!state.descending) request({ descending: true, offset: 0 });
          else request({ sortColumn: undefined, descending: undefined, offset: 0 });
        });
        renderPager(pager, info.rowCount, state, request);
        break;
      case 'error':
        app.removeAttribute('aria-busy');
        error.textContent = message.message;
        error.hidden = false;
        break;
    }
  });
  channel.post({ type: 'ready' });
}

function pick(saved: Partial<TableState>): Partial<TableState> {
  const out: Partial<TableState> = {};
  if (saved.sortColumn !== undefined) out.sortColumn = saved.sortColumn;
  if (saved.descending !== undefined) out.descending = saved.descending;
  if (saved.metadataOpen !== undefined) out.metadataOpen = saved.metadataOpen;
  return out;
}

function renderHeader(header: HTMLElement, info: TableInfoView): void {
  header.replaceChildren(
    el('h1', {}, info.fileName),
    el('span', { class: 'muted' }, `${formatCount(info.rowCount)} rows · ${info.columns.length} columns · read-only`),
  );
}

function renderMetadata(details: HTMLElement, info: TableInfoView): void {
  const parts: Node[] = [el('summary', {}, 'Metadata and schema')];
  if (info.oneMetadata) {
    parts.push(
      el('h2', {}, 'one_metadata'),
      el('table', { class: 'kv', id: 'one-metadata' }, el('tbody', {}, ...Object.entries(info.oneMetadata).map(([k, v]) => kvRow(k, typeof v === 'string' ? v : JSON.stringify(v))))),
    );
  } else {
    parts.push(el('p', { class: 'muted' }, 'No one_metadata: ONE skips a cache table without date_created.'));
  }
  parts.push(
    el('h2', {}, 'Schema'),
    el('table', { class: 'kv', id: 'schema' }, el('tbody', {}, ...info.columns.map((c) => kvRow(c.name, c.type)))),
  );
  if (info.otherMetadata.length > 0) {
    parts.push(
      el(
        'details',
        { class: 'other-metadata' },
        el('summary', {}, `Other key-value metadata (${info.otherMetadata.map((m) => m.key).join(', ')})`),
        el('table', { class: 'kv' }, el('tbody', {}, ...info.otherMetadata.map((m) => kvRow(m.key, m.value)))),
      ),
    );
  }
  details.replaceChildren(...parts);
}

function kvRow(key: string, value: string): HTMLElement {
  return el('tr', {}, el('th', { scope: 'row' }, key), el('td', {}, el('code', {}, value)));
}

function renderRows(table: HTMLElement, info: TableInfoView, rows: (string | null)[][], state: TableState, sortBy: (column: number) => void): void {
  const head = el(
    'tr',
    {},
    el('th', { class: 'rownum', scope: 'col' }, '#'),
    ...info.columns.map((c, i) => {
      const sorted = state.sortColumn === i;
      const arrow = sorted ? (state.descending ? ' ▼' : ' ▲') : '';
      const button = el('button', { class: 'sort', type: 'button', title: `Sort by ${c.name}` }, c.name, el('span', { class: 'type' }, c.type), arrow);
      button.addEventListener('click', () => sortBy(i));
      return el('th', { scope: 'col', 'aria-sort': sorted ? (state.descending ? 'descending' : 'ascending') : 'none' }, button);
    }),
  );
  const body = rows.map((cells, r) =>
    el(
      'tr',
      {},
      el('td', { class: 'rownum' }, formatCount(state.offset + r + 1)),
      ...cells.map((cell) => (cell === null ? el('td', { class: 'null' }, 'null') : el('td', {}, cell))),
    ),
  );
  table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...body));
}

function renderPager(pager: HTMLElement, rowCount: number, state: TableState, request: (change: Partial<TableState>) => void): void {
  const last = Math.max(0, Math.floor((rowCount - 1) / state.limit) * state.limit);
  const button = (label: string, offset: number, disabled: boolean) => {
    const b = el('vscode-button', { secondary: true, disabled }, label);
    b.addEventListener('click', () => request({ offset }));
    return b;
  };
  const from = rowCount === 0 ? 0 : state.offset + 1;
  const to = Math.min(rowCount, state.offset + state.limit);
  const size = el('vscode-single-select', { 'aria-label': 'Rows per page', class: 'page-size' });
  for (const n of PAGE_SIZES) size.append(el('vscode-option', { value: String(n), selected: n === state.limit }, `${n} rows`));
  size.addEventListener('change', () => request({ limit: Number((size as unknown as { value: string }).value) || 100, offset: 0 }));
  pager.replaceChildren(
    button('First', 0, state.offset === 0),
    button('Previous', Math.max(0, state.offset - state.limit), state.offset === 0),
    el('span', { class: 'range', id: 'range' }, `Rows ${formatCount(from)}–${formatCount(to)} of ${formatCount(rowCount)}`),
    button('Next', Math.min(last, state.offset + state.limit), state.offset >= last),
    button('Last', last, state.offset >= last),
    size,
  );
}

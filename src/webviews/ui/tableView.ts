/**
 * The Parquet table editor's page: a virtually scrolled grid over the whole file (rows fetched a
 * block at a time from the worker, through the extension), sort, filters, hidden and resized
 * columns, copy, CSV export, and the file's metadata. Its state survives the tab being hidden.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { TableFilter, TableInfoView, TableQuery, TableToExtension, TableToWebview } from '../../protocol/webview.js';
import { type GridColumn, type GridRow, VirtualGrid } from './virtualGrid.js';
import { el, formatCount, pageChannel } from './vscodeApi.js';
import { formatBytes, isSizeColumn } from './units.js';

interface TableState {
  query: TableQuery;
  /** Hidden columns and widths, by column name (indexes change with the file). */
  hidden: string[];
  widths: Record<string, number>;
  firstRow: number;
  metadataOpen?: boolean;
}

/** Rows fetched per request. */
const BLOCK = 100;
/** Blocks kept (a few screens either way). */
const BLOCKS_KEPT = 60;
const MODES: TableFilter['mode'][] = ['contains', 'equals', 'regex'];

export function bootTable(app: HTMLElement): void {
  const channel = pageChannel<TableState, TableToExtension, TableToWebview>();
  const saved = channel.state();
  const state: TableState = { query: saved.query ?? { filters: [] }, hidden: saved.hidden ?? [], widths: saved.widths ?? {}, firstRow: saved.firstRow ?? 0, ...(saved.metadataOpen ? { metadataOpen: true } : {}) };
  let info: TableInfoView | null = null;
  let rowCount = 0;
  let generation = 0;
  let seq = 0;
  const requests = new Map<number, { generation: number; block: number }>();
  const blocks = new Map<number, { rows: (string | null)[][]; rowNumbers: number[]; pending?: ReadonlySet<number> }>();
  const pending = new Set<number>();
  let restoreRow: number | null = state.firstRow;
  const t0 = performance.now();
  let firstPaintMs: number | null = null;

  const header = el('header', { class: 'table-header' });
  const status = el('span', { class: 'muted', id: 'table-status', 'aria-live': 'polite' });
  const range = el('span', { class: 'range', id: 'range' });
  const metadata = el('details', { class: 'metadata', open: state.metadataOpen ?? false });
  const filterBar = el('div', { class: 'filter-bar', id: 'filter-bar' });
  const chips = el('div', { class: 'filter-chips', id: 'filters' });
  const toolbar = el('div', { class: 'table-toolbar' });
  const error = el('p', { class: 'error', role: 'alert', id: 'table-error', hidden: true });
  metadata.addEventListener('toggle', () => {
    state.metadataOpen = metadata.open;
    save();
  });

  const save = () => {
    state.firstRow = grid.firstRow;
    channel.save(state);
  };
  const visible = (): number[] => (info ? info.columns.map((_, i) => i).filter((i) => !state.hidden.includes(info!.columns[i]!.name)) : []);

  const gridColumns = (): GridColumn[] => {
    if (!info) return [];
    return visible().map((i) => {
      const c = info!.columns[i]!;
      const size = isSizeColumn(c.name, c.type);
      return {
        key: i,
        name: c.name,
        type: c.type,
        width: state.widths[c.name] ?? defaultWidth(c.name, c.type),
        numeric: /^u?int|^float|^decimal/.test(c.type),
        ...(size ? { format: (t: string) => (/^\d+$/.test(t) ? { text: formatBytes(Number(t)), title: `${formatCount(Number(t))} bytes` } : { text: t }) } : {}),
        title: c.derived ? `${c.name}: from ${info!.sessionsTable ?? 'sessions.pqt'} (not in this file). Click to sort.` : `${c.name} (${c.type}). Click to sort.`,
      };
    });
  };

  const grid = new VirtualGrid(
    {
      rowCount: () => rowCount,
      columns: gridColumns,
      row: (i): GridRow | undefined => {
        const b = blocks.get(Math.floor(i / BLOCK));
        const k = i % BLOCK;
        if (!b || k >= b.rows.length) return undefined;
        const physical = b.rowNumbers[k]!;
        return { cells: b.rows[k]!, label: formatCount(i + 1), labelTitle: `row ${formatCount(physical + 1)} of the file`, ...(b.pending ? { pending: b.pending } : {}) };
      },
      sort: () => (state.query.sort ? { key: state.query.sort.column, descending: state.query.sort.descending } : undefined),
      need: (first, last) => {
        range.textContent = `Rows ${formatCount(first + 1)}–${formatCount(last + 1)} of ${formatCount(rowCount)}`;
        for (let b = Math.floor(first / BLOCK); b <= Math.floor(last / BLOCK); b++) request(b);
        if (restoreRow === null) save();
      },
      onSort: (key) => {
        const s = state.query.sort;
        // Click cycles: ascending → descending → file order.
        if (s?.column !== key) state.query.sort = { column: key, descending: false };
        else if (!s.descending) state.query.sort = { column: key, descending: true };
        else delete state.query.sort;
        reload(true);
      },
      onHide: (key) => {
        if (!info) return;
        state.hidden.push(info.columns[key]!.name);
        reload(false);
      },
      onResize: (key, width) => {
        if (!info) return;
        state.widths[info.columns[key]!.name] = width;
        save();
      },
      onSelect: () => renderToolbar(),
    },
    'rows',
  );

  app.replaceChildren(header, metadata, filterBar, chips, toolbar, error, grid.element);

  function request(block: number, again = false): void {
    if (!info || (!again && (blocks.has(block) || pending.has(block)))) return;
    pending.add(block);
    const id = ++seq;
    requests.set(id, { generation, block });
    channel.post({ type: 'page', seq: id, offset: block * BLOCK, limit: BLOCK, query: state.query, columns: visible(), ...(again ? { complete: true } : {}) });
  }

  /** The rows change (new query or columns): drop what was fetched and ask again. */
  function reload(toTop: boolean): void {
    generation++;
    blocks.clear();
    pending.clear();
    error.hidden = true;
    if (state.query.filters.length || state.query.sort) status.textContent = 'Working…';
    save();
    renderFilters();
    grid.render();
    if (toTop) grid.scrollToRow(0);
    else grid.schedule();
  }

  channel.onMessage((message) => {
    switch (message.type) {
      case 'info':
        info = message.info;
        rowCount = info.rowCount;
        app.removeAttribute('aria-busy');
        // Drop saved state that no longer fits the file.
        state.query.filters = state.query.filters.filter((f) => f.column < info!.columns.length);
        if (state.query.sort && state.query.sort.column >= info.columns.length) delete state.query.sort;
        renderHeader(header, info, range, status);
        renderMetadata(metadata, info);
        renderFilterBar();
        renderFilters();
        renderToolbar();
        grid.render();
        break;
      case 'page': {
        const req = requests.get(message.seq);
        requests.delete(message.seq);
        if (!req || req.generation !== generation) return;
        pending.delete(req.block);
        blocks.set(req.block, { rows: message.rows, rowNumbers: message.rowNumbers, ...(message.pending ? { pending: new Set(message.pending) } : {}) });
        // Shown now; the cells still being read come with the second answer.
        if (message.pending) request(req.block, true);
        while (blocks.size > BLOCKS_KEPT) blocks.delete(blocks.keys().next().value!);
        const countChanged = rowCount !== message.rowCount;
        rowCount = message.rowCount;
        if (rowCount === 0) range.textContent = 'No rows match the filters';
        if (firstPaintMs === null) {
          firstPaintMs = performance.now() - t0;
          document.body.dataset.firstRowsMs = String(Math.round(firstPaintMs));
        }
        status.textContent = `${formatCount(rowCount)}${info && rowCount !== info.rowCount ? ` of ${formatCount(info.rowCount)}` : ''} rows · page in ${message.ms.toFixed(0)} ms`;
        status.dataset.pageMs = String(Math.round(message.ms));
        if (restoreRow !== null) {
          const row = restoreRow;
          restoreRow = null;
          if (row > 0 && row < rowCount) {
            grid.scrollToRow(row);
            break;
          }
        }
        if (countChanged) grid.render();
        else grid.schedule();
        break;
      }
      case 'progress':
        status.textContent = message.text;
        break;
      case 'exported':
        status.textContent = `Exported ${formatCount(message.rows)} rows (${formatBytes(message.bytes)}) to ${message.path} in ${(message.ms / 1000).toFixed(1)} s`;
        status.dataset.exported = message.path;
        break;
      case 'error':
        if (message.seq !== undefined) {
          const req = requests.get(message.seq);
          requests.delete(message.seq);
          if (req?.generation !== generation) return;
          pending.delete(req.block);
        }
        app.removeAttribute('aria-busy');
        status.textContent = '';
        error.textContent = message.message;
        error.hidden = false;
        break;
    }
  });

  // ---------------------------------------------------------------- filters

  function renderFilterBar(): void {
    if (!info) return;
    const column = el('select', { id: 'filter-column', 'aria-label': 'Filter column' });
    info.columns.forEach((c, i) => column.append(el('option', { value: String(i) }, c.name)));
    const mode = el('select', { id: 'filter-mode', 'aria-label': 'How to match' });
    for (const m of MODES) mode.append(el('option', { value: m }, m === 'regex' ? 'matches regex' : m));
    const negate = el('input', { type: 'checkbox', id: 'filter-negate' }) as HTMLInputElement;
    const value = el('input', { type: 'text', id: 'filter-value', placeholder: 'value, text or regex (empty + equals: missing values)', 'aria-label': 'Filter value' }) as HTMLInputElement;
    const add = () => {
      state.query.filters.push({ column: Number(column.value), mode: mode.value as TableFilter['mode'], value: value.value, ...(negate.checked ? { negate: true } : {}) });
      value.value = '';
      reload(true);
    };
    value.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') add();
    });
    const addButton = el('vscode-button', { id: 'filter-add' }, 'Filter');
    addButton.addEventListener('click', add);
    filterBar.replaceChildren(column, el('label', { class: 'negate' }, negate, 'not'), mode, value, addButton);
  }

  function renderFilters(): void {
    if (!info) return;
    chips.replaceChildren(
      ...state.query.filters.map((f, i) => {
        const remove = el('button', { type: 'button', class: 'chip-remove', title: 'Remove this filter', 'aria-label': 'Remove this filter' }, '×');
        remove.addEventListener('click', () => {
          state.query.filters.splice(i, 1);
          reload(true);
        });
        const how = f.mode === 'regex' ? '~' : f.mode === 'equals' ? '=' : '∋';
        return el('span', { class: 'chip' }, `${info!.columns[f.column]?.name ?? '?'} ${f.negate ? 'not ' : ''}${how} ${f.mode === 'equals' && f.value === '' ? '(missing)' : JSON.stringify(f.value)}`, remove);
      }),
    );
    const hidden = state.hidden.filter((n) => info!.columns.some((c) => c.name === n));
    if (hidden.length) {
      const show = el('button', { type: 'button', class: 'link', id: 'show-columns', title: hidden.join(', ') }, `Show ${hidden.length} hidden column${hidden.length === 1 ? '' : 's'}`);
      show.addEventListener('click', () => {
        state.hidden = [];
        reload(false);
      });
      chips.append(show);
    }
  }

  // ---------------------------------------------------------------- copy, filter by cell, export

  const selectedCell = (): { text: string | null; column: number; row: (string | null)[] } | undefined => {
    const sel = grid.selection;
    if (!sel) return undefined;
    const b = blocks.get(Math.floor(sel.row / BLOCK));
    const row = b?.rows[sel.row % BLOCK];
    if (!row) return undefined;
    const col = sel.column ?? 0;
    return { text: row[col] ?? null, column: visible()[col]!, row };
  };
  const copyCell = () => {
    const c = selectedCell();
    if (c) channel.post({ type: 'copy', what: 'cell', text: c.text ?? '' });
  };
  const copyRow = () => {
    const c = selectedCell();
    if (c) channel.post({ type: 'copy', what: 'row', text: c.row.map((t) => t ?? '').join('\t') });
  };

  function renderToolbar(): void {
    const c = selectedCell();
    const b = (label: string, id: string, disabled: boolean, onClick: () => void, title: string) => {
      const button = el('vscode-button', { id, secondary: true, disabled, title }, label);
      button.addEventListener('click', onClick);
      return button;
    };
    const where = c && info ? `${info.columns[c.column]!.name}, row ${formatCount(grid.selection!.row + 1)}` : 'select a cell';
    toolbar.replaceChildren(
      b('Copy cell', 'copy-cell', !c, copyCell, `Copy the selected cell (${where}) · Ctrl+C`),
      b('Copy row', 'copy-row', !c, copyRow, 'Copy the selected row, tab-separated · Ctrl+Shift+C'),
      b('Filter to value', 'filter-cell', !c, () => {
        if (!c) return;
        state.query.filters.push({ column: c.column, mode: 'equals', value: c.text ?? '' });
        reload(true);
      }, 'Keep only rows with this value in this column'),
      b('Export CSV…', 'export-csv', !info, () => channel.post({ type: 'exportCsv', query: state.query, columns: visible() }), 'Write the rows shown (filtered, sorted, visible columns) to a CSV file'),
    );
  }

  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c' && !(e.target instanceof HTMLInputElement) && !window.getSelection()?.toString()) {
      e.preventDefault();
      if (e.shiftKey) copyRow();
      else copyCell();
    }
  });

  channel.post({ type: 'ready' });
}

function defaultWidth(name: string, type: string): number {
  if (/^(id|eid|hash)$/.test(name)) return 300;
  if (name === 'rel_path' || name === 'session') return 340;
  if (type === 'bool') return Math.max(70, name.length * 9 + 60);
  return Math.max(110, Math.min(260, name.length * 9 + 70));
}

function renderHeader(header: HTMLElement, info: TableInfoView, range: HTMLElement, status: HTMLElement): void {
  header.replaceChildren(
    el('h1', {}, info.fileName),
    el(
      'span',
      { class: 'muted' },
      `${formatCount(info.rowCount)} rows · ${info.columns.length} columns · ${info.rowGroups.length} row group${info.rowGroups.length === 1 ? '' : 's'} · read-only${info.sessionsTable ? ' · session from sessions.pqt' : ''}`,
    ),
    range,
    status,
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
    el('table', { class: 'kv', id: 'schema' }, el('tbody', {}, ...info.columns.filter((c) => !c.derived).map((c) => kvRow(c.name, c.type)))),
    el('p', { class: 'muted' }, `Row groups: ${info.rowGroups.map(formatCount).join(', ')} rows.`),
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

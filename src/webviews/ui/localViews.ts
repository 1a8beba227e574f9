/**
 * The local-mode webviews (issue #6): the Search view (side bar), the .npy editor and the ALF
 * object view. Text goes into the page as text (el()), never as HTML.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type {
  CacheChoice,
  DatasetHit,
  NpyHeaderView,
  NpyToExtension,
  NpyToWebview,
  ObjectInfoView,
  RecentSearch,
  ObjectToExtension,
  ObjectToWebview,
  SearchField,
  SearchToExtension,
  SearchToWebview,
  SearchForm,
  SessionHit,
} from '../../protocol/local.js';
import { formatNumber, plotElement, statsTable } from './plot.js';
import { el, formatCount, pageChannel } from './vscodeApi.js';
import { npyHeaderRows } from './npyHeader.js';

type TextField = HTMLElement & { value: string };

function textField(id: string, label: string, placeholder: string, value = ''): { row: HTMLElement; input: TextField; error: HTMLElement } {
  const input = el('vscode-textfield', { id, placeholder, 'aria-label': label }) as unknown as TextField;
  input.value = value;
  const error = el('p', { class: 'error field-error', id: `${id}-error`, role: 'alert' });
  const row = el('div', { class: 'search-field' }, el('label', { for: id }, label), input as unknown as HTMLElement, error);
  return { row, input, error };
}

function button(label: string, props: Record<string, string | boolean> = {}, onClick?: () => void): HTMLElement {
  const b = el('vscode-button', props, label);
  if (onClick) b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

// ------------------------------------------------------------------ Search view

/** Below this width (px) the side bar folds the terms after a search. */
const NARROW = 300;

interface SearchState {
  form: SearchForm;
  root?: string;
}

const FIELDS: { key: SearchField; label: string; placeholder: string; advanced?: boolean }[] = [
  { key: 'subject', label: 'Subject', placeholder: 'regex, e.g. NYU-01 or ^KS0' },
  { key: 'lab', label: 'Lab', placeholder: 'regex, e.g. cortexlab' },
  { key: 'dateFrom', label: 'From date', placeholder: 'YYYY-MM-DD' },
  { key: 'dateTo', label: 'To date', placeholder: 'YYYY-MM-DD' },
  { key: 'number', label: 'Number', placeholder: 'e.g. 1 or 1, 2' },
  { key: 'datasets', label: 'Datasets (all of)', placeholder: 'e.g. trials.goCue_times, trials.feedback_times' },
  { key: 'datasetQcLte', label: 'Dataset QC ≤', placeholder: 'PASS, WARNING, FAIL…', advanced: true },
  { key: 'taskProtocol', label: 'Task protocol', placeholder: 'regex', advanced: true },
  { key: 'projects', label: 'Projects', placeholder: 'regex', advanced: true },
];

export function bootSearch(app: HTMLElement): void {
  const channel = pageChannel<SearchState, SearchToExtension, SearchToWebview>();
  const saved = channel.state();
  const state: SearchState = { form: saved.form ?? {}, ...(saved.root ? { root: saved.root } : {}) };
  let caches: CacheChoice[] = [];
  const post = (m: SearchToExtension) => channel.post(m);
  const cacheRow = el('div', { class: 'search-field', id: 'cache-row' });
  const { inputs, basic, advanced } = searchFields(state.form, () => search());
  const generalError = el('p', { class: 'error', id: 'search-error', role: 'alert' });
  const actions = el('div', { class: 'actions' }, button('Search', { id: 'search' }, () => search()), button('Copy ONE snippet', { id: 'copy-search', secondary: true, title: 'Copy the equivalent Python ONE code' }, () => copy()));
  const summary = el('p', { class: 'muted', id: 'result-summary', 'aria-live': 'polite' });
  const results = el('ul', { class: 'results', id: 'results', role: 'tree' });
  // In a narrow side bar the terms fold away after a search, leaving the results the room; the
  // summary line still says what was searched.
  const termsLine = el('span', { class: 'terms-line muted', id: 'terms-line' });
  const terms = el('details', { class: 'search-terms', id: 'search-terms', open: true }, el('summary', {}, 'Search terms ', termsLine), basic, advanced);
  const tabButton = button('Open as table', { id: 'open-results-tab', secondary: true, title: 'Open every matching session in an editor tab, as a sortable table', hidden: true }, () => {
    const r = root();
    if (r) channel.post({ type: 'openResultsTab', root: r, form: state.form });
  });
  const recent = el('details', { class: 'recent-searches', id: 'recent-searches', hidden: true });
  const form = el('div', { class: 'search-form', id: 'search-form' }, cacheRow, terms, actions, generalError, recent);
  const renderTermsLine = () => {
    const t = Object.entries(state.form).filter(([, v]) => v);
    termsLine.textContent = terms.open || t.length === 0 ? '' : `· ${t.map(([k, v]) => `${k}=${v}`).join(', ')}`;
  };
  terms.addEventListener('toggle', renderTermsLine);
  const empty = el(
    'div',
    { class: 'empty', id: 'no-cache', hidden: true },
    el('p', {}, 'No ONE cache in this workspace yet. Searching needs one: build it from your ALF folder.'),
    button('Build ONE Cache…', { id: 'build-cache' }, () => channel.post({ type: 'buildCache' })),
  );
  app.replaceChildren(empty, form, el('div', { class: 'result-line' }, summary, tabButton), results);
  app.removeAttribute('aria-busy');

  const readForm = (): SearchForm => {
    const out: SearchForm = {};
    for (const [k, { input }] of inputs) if (input.value.trim()) out[k] = input.value;
    return out;
  };
  const clearErrors = () => {
    for (const { error } of inputs.values()) error.textContent = '';
    generalError.textContent = '';
  };
  const save = () => channel.save(state);
  const root = () => state.root ?? caches[0]?.root;
  function search(): void {
    const r = root();
    if (!r) return;
    clearErrors();
    state.form = readForm();
    save();
    summary.textContent = 'Searching…';
    if (app.clientWidth < NARROW) terms.open = false;
    renderTermsLine();
    channel.post({ type: 'search', root: r, form: state.form });
  }
  function copy(eid?: string): void {
    const r = root();
    if (!r) return;
    channel.post({ type: 'copySnippet', root: r, form: eid ? state.form : readForm(), ...(eid ? { eid } : {}) });
  }

  const renderCaches = () => {
    empty.hidden = caches.length > 0;
    form.hidden = caches.length === 0;
    if (!caches.some((c) => c.root === state.root)) delete state.root;
    cacheRow.replaceChildren(...cachePicker(caches, root(), (chosen) => {
      state.root = chosen;
      save();
    }));
  };

  const renderResults = (r: string, sessions: SessionHit[], total: number, ms: number) => {
    summary.textContent = total === 0 ? 'No session matches.' : `${formatCount(total)} session${total === 1 ? '' : 's'}${total > sessions.length ? `, first ${formatCount(sessions.length)} shown` : ''} · ${ms.toFixed(1)} ms`;
    results.replaceChildren(...sessions.map((s) => sessionItem(s, r, post, () => copy(s.eid))));
  };

  const renderDatasets = (eid: string, list: DatasetHit[]) => {
    const item = results.querySelector(`details[data-eid="${CSS.escape(eid)}"] ul.datasets`);
    const r = root();
    if (!item || !r) return;
    item.replaceChildren(...list.map((d) => datasetItem(d, r, eid, post)));
    if (list.length === 0) item.append(el('li', { class: 'muted' }, 'No datasets.'));
  };

  const renderRecent = (searches: RecentSearch[]) => {
    recent.hidden = searches.length === 0;
    const forget = el('button', { type: 'button', class: 'link', id: 'forget-recent' }, 'Forget these');
    forget.addEventListener('click', () => channel.post({ type: 'forgetRecent' }));
    recent.replaceChildren(
      el('summary', {}, `Recent searches (${searches.length})`),
      el(
        'ul',
        { class: 'recent-list' },
        ...searches.map((r) => {
          const t = Object.entries(r.form).filter(([, v]) => v);
          const label = t.length ? t.map(([k, v]) => `${k}=${v}`).join(', ') : 'all sessions';
          const cache = caches.find((c) => c.root === r.root);
          const b = el('button', { type: 'button', class: 'recent', title: `${label}\n${formatCount(r.total)} sessions · ${cache?.label ?? r.root} · ${new Date(r.at).toLocaleString()}` }, label, el('span', { class: 'muted' }, ` · ${formatCount(r.total)}`));
          b.addEventListener('click', () => {
            if (caches.some((c) => c.root === r.root)) state.root = r.root;
            for (const [k, { input }] of inputs) input.value = r.form[k] ?? '';
            search();
          });
          return el('li', {}, b);
        }),
      ),
      forget,
    );
  };

  channel.onMessage((m) => {
    switch (m.type) {
      case 'caches':
        caches = m.caches;
        renderCaches();
        break;
      case 'results':
        renderResults(m.root, m.sessions, m.total, m.ms);
        tabButton.hidden = m.total === 0;
        break;
      case 'recent':
        renderRecent(m.searches);
        break;
      case 'datasets':
        renderDatasets(m.eid, m.datasets);
        break;
      case 'invalid': {
        summary.textContent = '';
        const target = m.field ? inputs.get(m.field) : undefined;
        (target?.error ?? generalError).textContent = m.message;
        break;
      }
      case 'fill':
        for (const [k, { input }] of inputs) input.value = m.form[k] ?? '';
        search();
        break;
    }
  });
  channel.post({ type: 'ready' });
}

type SearchInputs = Map<SearchField, { input: TextField; error: HTMLElement }>;

/** The search terms, the rarer ones folded under "More terms" (open when one of them is set). */
function searchFields(form: SearchForm, onEnter: () => void): { inputs: SearchInputs; basic: HTMLElement; advanced: HTMLElement } {
  const inputs: SearchInputs = new Map();
  const basic = el('div', { class: 'search-fields' });
  const advanced = el('details', { class: 'search-more' }, el('summary', {}, 'More terms'));
  for (const f of FIELDS) {
    const { row, input, error } = textField(f.key, f.label, f.placeholder, form[f.key] ?? '');
    inputs.set(f.key, { input, error });
    input.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') onEnter();
    });
    (f.advanced ? advanced : basic).append(row);
  }
  if (FIELDS.some((f) => f.advanced && form[f.key])) (advanced as HTMLDetailsElement).open = true;
  return { inputs, basic, advanced };
}

/** One cache: its name; several: a choice between them. */
function cachePicker(caches: readonly CacheChoice[], current: string | undefined, choose: (root: string) => void): Node[] {
  if (caches.length <= 1) return caches[0] ? [el('p', { class: 'muted' }, `Cache: ${caches[0].label} · ${formatCount(caches[0].sessions)} sessions`)] : [];
  const select = el('select', { id: 'cache', 'aria-label': 'ONE cache' });
  for (const c of caches) select.append(el('option', { value: c.root, selected: c.root === current }, `${c.label} (${formatCount(c.sessions)} sessions)`));
  select.addEventListener('change', () => choose(select.value));
  return [el('label', { for: 'cache' }, 'Cache'), select];
}

/** A session of the results: its datasets are asked for when it is first opened. */
function sessionItem(s: SessionHit, root: string, post: (m: SearchToExtension) => void, copy: () => void): HTMLElement {
  const datasets = el('ul', { class: 'datasets', role: 'group' });
  const item = el('details', { class: 'session', 'data-eid': s.eid });
  const number = String(s.number).padStart(3, '0');
  item.append(
    el(
      'summary',
      { title: `${s.lab ? `${s.lab}/` : ''}${s.subject}/${s.date}/${number}\neid ${s.eid}${s.taskProtocol ? `\n${s.taskProtocol}` : ''}` },
      el('span', { class: 'session-title' }, `${s.date} · ${number}`),
      el('span', { class: 'session-subject' }, s.subject),
      el('span', { class: 'muted' }, `${s.lab ? `${s.lab} · ` : ''}${formatCount(s.datasets)} datasets`),
    ),
    el(
      'div',
      { class: 'session-actions' },
      button('Open Object…', { class: 'open-object', secondary: true }, () => post({ type: 'openObject', root, eid: s.eid })),
      button('Copy ONE snippet', { class: 'copy-session', secondary: true }, copy),
    ),
    datasets,
  );
  item.addEventListener('toggle', () => {
    if ((item as HTMLDetailsElement).open && !datasets.hasChildNodes()) {
      datasets.append(el('li', { class: 'muted' }, 'Loading…'));
      post({ type: 'datasets', root, eid: s.eid });
    }
  });
  return el('li', { role: 'treeitem' }, item);
}

/** A dataset of an opened session: opens the file, or its whole ALF object. */
function datasetItem(d: DatasetHit, root: string, eid: string, post: (m: SearchToExtension) => void): HTMLElement {
  const where = [d.collection, d.revision ? `#${d.revision}#` : ''].filter(Boolean).join('/');
  const link = el('button', { class: 'dataset', type: 'button', title: d.onDisk ? `Open ${d.relPath}` : `${d.relPath}: not on disk`, disabled: !d.onDisk }, el('span', { class: 'muted' }, where ? `${where}/` : ''), d.name);
  link.addEventListener('click', () => post({ type: 'openDataset', root, eid, relPath: d.relPath }));
  if (!d.object) return el('li', {}, link);
  const object = d.object;
  const open = el('button', { class: 'dataset-object', type: 'button', title: `Open the ${object} object of this session` }, `open ${object}`);
  open.addEventListener('click', () => post({ type: 'openObject', root, eid, object }));
  return el('li', { class: 'dataset-row' }, link, open);
}

// ------------------------------------------------------------------ paged table (npy and object views)

function pager(total: number, offset: number, limit: number, go: (offset: number) => void): HTMLElement {
  const last = Math.max(0, Math.floor((total - 1) / limit) * limit);
  const b = (label: string, to: number, disabled: boolean) => button(label, { secondary: true, disabled }, () => go(to));
  return el(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    b('First', 0, offset === 0),
    b('Previous', Math.max(0, offset - limit), offset === 0),
    el('span', { class: 'range' }, `Rows ${formatCount(total === 0 ? 0 : offset + 1)}–${formatCount(Math.min(total, offset + limit))} of ${formatCount(total)}`),
    b('Next', Math.min(last, offset + limit), offset >= last),
    b('Last', last, offset >= last),
  );
}

function dataTable(id: string, columns: string[], rows: string[][], offset: number): HTMLElement {
  return el(
    'table',
    { class: 'data', id },
    el('thead', {}, el('tr', {}, el('th', { class: 'rownum', scope: 'col' }, '#'), ...columns.map((c) => el('th', { scope: 'col' }, el('span', { class: 'col' }, c))))),
    el('tbody', {}, ...rows.map((r, i) => el('tr', {}, el('td', { class: 'rownum' }, String(offset + i)), ...r.map((c) => el('td', {}, c))))),
  );
}

const PAGE = 100;

// ------------------------------------------------------------------ .npy editor

export function bootNpy(app: HTMLElement): void {
  const channel = pageChannel<{ offset: number }, NpyToExtension, NpyToWebview>();
  let offset = channel.state().offset ?? 0;
  let header: NpyHeaderView | null = null;
  const head = el('header', { class: 'table-header' });
  const error = el('p', { class: 'error', id: 'npy-error', role: 'alert', hidden: true });
  const info = el('div', { class: 'npy-info' });
  const plot = el('section', { class: 'plot-section', id: 'npy-plot-section' }, el('p', { class: 'muted' }, 'Reading the data…'));
  const table = el('section', { class: 'npy-table' });
  const pageError = el('p', { class: 'error', id: 'npy-page-error', role: 'alert', hidden: true });
  app.replaceChildren(head, error, info, plot, pageError, table);

  const request = (to: number) => {
    offset = to;
    channel.save({ offset });
    channel.post({ type: 'page', offset, limit: PAGE });
  };
  channel.onMessage((m) => {
    switch (m.type) {
      case 'header': {
        header = m.header;
        app.removeAttribute('aria-busy');
        const h = m.header;
        head.replaceChildren(el('h1', {}, h.fileName), el('span', { class: 'muted' }, `NumPy array · read-only · header read in ${m.headerMs.toFixed(1)} ms`));
        const row = (k: string, v: string) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v));
        info.replaceChildren(
          el(
            'table',
            { class: 'kv', id: 'npy-header' },
            el(
              'tbody',
              {},
              ...npyHeaderRows(h).map(([k, v]) => row(k, v)),
            ),
          ),
        );
        if (offset >= h.rows) offset = 0;
        request(offset);
        break;
      }
      case 'preview': {
        const stats = statsTable(m.stats, 'npy-stats');
        plot.replaceChildren(
          el('div', { class: 'plot-head' }, el('h2', {}, 'Values'), el('span', { class: 'muted' }, `statistics of all ${formatCount(m.stats.count)} values and plot in ${m.previewMs.toFixed(0)} ms`)),
          el('div', { class: 'plot-row' }, stats, m.plot ? plotElement(m.plot, { id: 'npy-plot', height: 280 }) : el('p', { class: 'muted' }, header && header.count === 1 ? `value: ${formatNumber(m.stats.min)}` : 'Nothing to plot.')),
        );
        if (header && header.width > m.columnsPlotted.length && m.plot) plot.append(el('p', { class: 'muted' }, `Columns plotted: ${m.columnsPlotted.join(', ')} of ${header.width}.`));
        break;
      }
      case 'page': {
        if (!header) return;
        pageError.hidden = true;
        const cols = header.shape.length >= 2 ? Array.from({ length: m.columns }, (_, i) => (header!.shape.length === 2 ? `[${i}]` : `flat[${i}]`)) : ['value'];
        table.replaceChildren(
          el('h2', {}, 'Table'),
          el('div', { class: 'table-scroll' }, dataTable('npy-table', cols, m.rows, m.offset)),
          pager(header.rows, m.offset, PAGE, request),
          m.columns < header.width ? el('p', { class: 'muted' }, `First ${m.columns} of ${formatCount(header.width)} columns.`) : '',
        );
        break;
      }
      case 'error':
        app.removeAttribute('aria-busy');
        if (m.scope === 'page') {
          pageError.textContent = m.message;
          pageError.hidden = false;
          break;
        }
        error.textContent = m.message;
        error.hidden = false;
        if (plot.textContent === 'Reading the data…') plot.replaceChildren();
        break;
    }
  });
  channel.post({ type: 'ready' });
}

// ------------------------------------------------------------------ ALF object view

export function bootObject(app: HTMLElement): void {
  const channel = pageChannel<{ expression?: string; offset: number }, ObjectToExtension, ObjectToWebview>();
  const saved = channel.state();
  let offset = saved.offset ?? 0;
  let info: ObjectInfoView | null = null;
  const head = el('header', { class: 'table-header' });
  const error = el('p', { class: 'error', id: 'object-error', role: 'alert', hidden: true });
  const warnings = el('ul', { class: 'warnings' });
  const expr = el('vscode-textfield', { id: 'expression', placeholder: 'e.g. feedback_times - goCue_times', 'aria-label': 'Expression' }) as unknown as TextField;
  const exprError = el('p', { class: 'error field-error', id: 'expression-error', role: 'alert' });
  const exprNames = el('p', { class: 'muted names' });
  const exprPlot = el('div', { class: 'plot-row', id: 'expression-result' });
  const attributes = el('div', { class: 'attributes', id: 'attributes' });
  const table = el('section', { class: 'object-table' });
  const run = () => channel.post({ type: 'expression', text: expr.value });
  expr.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') run();
  });
  const exprSection = el(
    'section',
    { class: 'expression' },
    el('h2', {}, 'Derived series'),
    el('div', { class: 'input-row' }, expr as unknown as HTMLElement, button('Plot', { id: 'plot-expression' }, run)),
    exprError,
    exprNames,
    exprPlot,
  );
  app.replaceChildren(head, error, warnings, exprSection, el('h2', {}, 'Attributes'), attributes, table);
  const save = () => channel.save({ expression: expr.value, offset });
  const request = (to: number) => {
    offset = to;
    save();
    channel.post({ type: 'page', offset, limit: PAGE });
  };

  channel.onMessage((m) => {
    switch (m.type) {
      case 'info': {
        info = m.info;
        app.removeAttribute('aria-busy');
        head.replaceChildren(
          el('h1', {}, `${info.object}${info.collection ? ` · ${info.collection}` : ''}`),
          el('span', { class: 'muted' }, `${info.session} · ${formatCount(info.rows)} rows · ${info.attributes.length} attributes · loaded in ${info.loadMs.toFixed(0)} ms`),
        );
        warnings.replaceChildren(...info.warnings.map((w) => el('li', {}, w)));
        exprNames.textContent = `Names: ${info.attributes.flatMap((a) => a.names).join(', ')} · operators + − × ÷ (+ - * /), parentheses, numbers`;
        attributes.replaceChildren(
          ...info.attributes.map((a) =>
            el(
              'article',
              { class: 'attribute', 'data-name': a.name },
              el('h3', {}, a.name),
              el('p', { class: 'muted' }, `${a.dtype} · (${a.shape.join(', ')}${a.shape.length === 1 ? ',' : ''})`),
              statsTable(a.stats),
              a.plot ? plotElement(a.plot, { height: 150 }) : el('p', { class: 'muted' }, 'Not plotted (more than 2 dimensions).'),
            ),
          ),
          ...(info.other.length ? [el('article', { class: 'attribute' }, el('h3', {}, 'Other keys'), el('ul', {}, ...info.other.map((o) => el('li', {}, `${o.name} (${o.kind})`))))] : []),
        );
        const savedExpr = channel.state().expression;
        expr.value = savedExpr ?? m.expression;
        if (savedExpr !== undefined && savedExpr !== m.expression) run();
        if (offset >= info.rows) offset = 0;
        request(offset);
        break;
      }
      case 'expression':
        if (m.text !== expr.value) expr.value = m.text;
        save();
        exprError.textContent = '';
        exprPlot.replaceChildren(statsTable(m.stats, 'expression-stats'), plotElement(m.plot, { id: 'expression-plot', height: 300, legend: true }));
        break;
      case 'expressionError':
        exprError.textContent = m.message;
        exprPlot.replaceChildren();
        break;
      case 'page':
        if (!info) return;
        table.replaceChildren(el('h2', {}, 'Table'), el('div', { class: 'table-scroll' }, dataTable('object-table', m.columns, m.rows, m.offset)), pager(info.rows, m.offset, PAGE, request));
        break;
      case 'error':
        app.removeAttribute('aria-busy');
        error.textContent = m.message;
        error.hidden = false;
        break;
    }
  });
  channel.post({ type: 'ready' });
}

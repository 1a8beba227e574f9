import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type {
  AlyxLists, MoveView, PlannedRequestView, RegisterSessionFormValues, RegisterToExtension, RegisterToWebview, RegisteredFileView, SessionFileRow, SessionInfo,
} from '../../protocol/alyx.js';
import { type ChoiceField, type ListField, FormHolder, choiceField, fieldRow, listField, showFieldErrors } from './alyxFields.js';
import { el, pageChannel } from './vscodeApi.js';

type Status = { kind: 'idle'; message?: string } | { kind: 'running'; text: string; percent?: number } | { kind: 'failed'; message: string; unreachable: boolean };

interface Loaded {
  session: SessionInfo;
  server: string;
  lists: AlyxLists;
  files: SessionFileRow[];
  datasetTypeHint?: string;
}

interface FormState {
  loaded: Loaded | null;
  values: RegisterSessionFormValues | null;
  status: Status;
  preview: { requests: PlannedRequestView[]; moves: MoveView[]; notes: string[] } | null;
  result: { sessionUrl: string; eid?: string; created: boolean; files: RegisteredFileView[]; moves: MoveView[]; filesError?: string } | null;
  errors: Record<string, string>;
}

export function bootRegisterForm(app: HTMLElement): void {
  const channel = pageChannel<FormState, RegisterToExtension, RegisterToWebview>();
  const saved = channel.state();
  const state: FormState = {
    loaded: saved.loaded ?? null,
    values: saved.values ?? null,
    status: saved.status?.kind === 'running' ? { kind: 'idle' } : (saved.status ?? { kind: 'idle' }),
    preview: saved.preview ?? null,
    result: saved.result ?? null,
    errors: saved.errors ?? {},
  };
  const holder = new FormHolder(app, state, (st: FormState) => channel.save(st), (saveTyped) => buildForm(state.loaded!, channel.post, saveTyped));

  const render = () => {
    if (!state.loaded) {
      app.replaceChildren(el('h1', {}, 'Register Session'), el('p', { class: 'muted' }, 'Loading…'), statusSection(state.status, channel.post));
      return;
    }
    holder.show();
  };

  channel.onMessage((message) => {
    // What the user typed so far wins over anything but a forced init.
    holder.readTyped();
    switch (message.type) {
      case 'init': {
        const keep = !message.force && state.values !== null && state.loaded?.session.path === message.session.path;
        const listsChanged = JSON.stringify(state.loaded?.lists) !== JSON.stringify(message.lists) || JSON.stringify(state.loaded?.files) !== JSON.stringify(message.files);
        if (listsChanged) holder.rebuild(); // rebuilt with the new lists, keeping the values
        state.loaded = { session: message.session, server: message.server, lists: message.lists, files: message.files, ...(message.datasetTypeHint ? { datasetTypeHint: message.datasetTypeHint } : {}) };
        if (!keep) state.values = message.values;
        if (state.status.kind === 'failed') state.status = { kind: 'idle' };
        break;
      }
      case 'progress':
        state.status = { kind: 'running', text: message.text, ...(message.percent !== undefined ? { percent: message.percent } : {}) };
        break;
      case 'preview':
        state.status = { kind: 'idle', message: 'Preview ready: nothing was sent to the server and nothing was moved.' };
        state.preview = { requests: message.requests, moves: message.moves, notes: message.notes };
        state.errors = {};
        break;
      case 'registered':
        state.status = message.filesError
          ? { kind: 'idle', message: `Session ${message.created ? 'created' : 'updated'} on Alyx, but its files were not registered: see each file below. Press Register again to retry (the session is updated, not created twice).` }
          : { kind: 'idle', message: `Session ${message.created ? 'created' : 'updated'} on Alyx.` };
        state.result = {
          sessionUrl: message.sessionUrl, eid: message.eid, created: message.created, files: message.files, moves: message.moves,
          ...(message.filesError ? { filesError: message.filesError } : {}),
        };
        state.errors = {};
        break;
      case 'invalid':
        state.status = { kind: 'idle', message: 'Some fields need attention (see below them).' };
        state.errors = message.errors;
        break;
      case 'failed':
        state.status = { kind: 'failed', message: message.message, unreachable: message.unreachable };
        break;
      case 'idle':
        state.status = { kind: 'idle', ...(message.message ? { message: message.message } : {}) };
        break;
    }
    render();
    channel.save(state);
  });
  render();
  channel.post({ type: 'ready' });

  function start(kind: 'preview' | 'register'): void {
    const form = holder.form;
    if (!form || state.status.kind === 'running') return;
    state.values = form.read();
    state.status = { kind: 'running', text: kind === 'preview' ? 'preparing the preview…' : 'starting…' };
    if (kind === 'register') state.result = null;
    else state.preview = null;
    state.errors = {};
    render();
    channel.save(state);
    channel.post({ type: kind, values: state.values });
  }
  app.addEventListener('click', (e) => {
    const id = (e.target as HTMLElement).closest<HTMLElement>('vscode-button')?.id;
    if (id === 'preview') start('preview');
    else if (id === 'register') start('register');
    else if (id === 'cancel') channel.post({ type: 'cancel' });
    else if (id === 'details') channel.post({ type: 'showDetails' });
    else if (id === 'retry') channel.post({ type: 'reload' });
  });
}

function buildForm(loaded: Loaded, post: (m: RegisterToExtension) => void, save: () => void) {
  const { session, lists, files } = loaded;
  const text = (id: string, label: string, placeholder = '', type?: string): VscodeTextfield => {
    const f = el('vscode-textfield', { id, placeholder, ...(type ? { type } : {}) });
    f.setAttribute('aria-label', label);
    return f;
  };
  const readonly = (id: string, label: string, value: string) => {
    const f = text(id, label);
    f.value = value;
    f.readonly = true;
    return f;
  };
  const users: ListField = listField('users', 'Users', lists.users.length ? lists.users : null);
  const procedures = listField('procedures', 'Procedures', lists.procedures);
  const projects = listField('projects', 'Projects', lists.projects);
  const repository: ChoiceField = choiceField('repository', 'Repository', lists.repositories, { allowEmpty: true, emptyLabel: "(the lab's repositories)" });
  // Plain text in ISO order: a datetime-local field shows the browser locale's order (05/02/2024, 09:30 AM).
  const startTime = text('startTime', 'Start time', 'yyyy-mm-dd hh:mm');
  const endTime = text('endTime', 'End time', 'yyyy-mm-dd hh:mm');
  const taskProtocol = text('taskProtocol', 'Task protocol', 'e.g. _iblrig_tasks_trainingChoiceWorld6.4.2');
  const location = text('location', 'Location', 'e.g. _iblrig_cortexlab_behavior_1');
  const nTrials = text('nTrials', 'Number of trials', '');
  const nCorrectTrials = text('nCorrectTrials', 'Number of correct trials', '');
  const json = el('vscode-textarea', { id: 'json', rows: 2, placeholder: '{"rig": "A"}' }) as HTMLElement & { value: string };
  json.setAttribute('aria-label', 'JSON');
  const serverOnly = el('vscode-checkbox', { id: 'serverOnly', label: 'Server only (no file record on the lab server)' }) as HTMLElement & { checked: boolean };
  const maxHashMb = text('maxHashMb', 'Maximum size to hash (MB)', 'empty: hash every file');

  const fileBoxes = new Map<string, HTMLElement & { checked: boolean }>();
  const fileRows = files.map((f) => {
    const box = f.datasetType ? (el('vscode-checkbox', { 'data-rel': f.rel, 'aria-label': `Register ${f.rel}` }) as HTMLElement & { checked: boolean }) : null;
    if (box) fileBoxes.set(f.rel, box);
    return el(
      'tr',
      { class: f.datasetType ? '' : 'skipped-file', 'data-file': f.rel },
      el('td', {}, box),
      el('td', { class: 'path' }, f.rel),
      el('td', {}, f.datasetType ?? skippedCell(f)),
      el('td', { class: 'num' }, formatBytes(f.size)),
    );
  });

  const status = el('section', { id: 'status', 'aria-live': 'polite' });
  const previewOut = el('section', { id: 'preview-out' });
  const resultOut = el('section', { id: 'result' });
  const previewButton = el('vscode-button', { id: 'preview', secondary: true }, 'Preview');
  const registerButton = el('vscode-button', { id: 'register' }, 'Register');
  const cancelButton = el('vscode-button', { id: 'cancel', secondary: true, hidden: true }, 'Cancel');

  const root = el(
    'div',
    { class: 'alyx-form' },
    el('h1', {}, `Register Session ${session.subject}/${session.date}/${session.number}`),
    el('p', { class: 'lead' }, `${session.path}`, el('br'), loaded.server ? `Alyx: ${loaded.server}` : 'Alyx: not connected'),
    el(
      'div',
      { class: 'grid4' },
      fieldRow('lab', 'Lab', readonly('lab', 'Lab', session.lab ?? '')),
      fieldRow('subject', 'Subject', readonly('subject', 'Subject', session.subject)),
      fieldRow('date', 'Date', readonly('date', 'Date', session.date)),
      fieldRow('number', 'Number', readonly('number', 'Number', session.number)),
    ),
    el(
      'div',
      { class: 'grid3' },
      fieldRow('users', 'Users', users.element, 'Checked against the server.'),
      fieldRow('startTime', 'Start time', startTime, 'Empty: the date at 00:00.'),
      fieldRow('endTime', 'End time', endTime),
    ),
    el('div', { class: 'grid2' }, fieldRow('procedures', 'Procedures', procedures.element), fieldRow('projects', 'Projects', projects.element)),
    el(
      'div',
      { class: 'grid4' },
      fieldRow('taskProtocol', 'Task protocol', taskProtocol),
      fieldRow('location', 'Location', location),
      fieldRow('nTrials', 'Number of trials', nTrials),
      fieldRow('nCorrectTrials', 'Correct trials', nCorrectTrials),
    ),
    fieldRow('json', 'JSON', json),
    el('h2', {}, `Files (${fileBoxes.size} of ${files.length} registrable)`),
    el('table', { class: 'files' }, el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'File'), el('th', {}, 'Dataset type'), el('th', {}, 'Size'))), el('tbody', {}, ...fileRows)),
    el('vscode-form-helper', { class: 'error', 'data-error-for': 'files' }),
    files.some((f) => f.closest) && loaded.datasetTypeHint ? el('p', { class: 'muted', id: 'dataset-type-hint' }, loaded.datasetTypeHint) : null,
    el('h2', {}, 'Options'),
    el('div', { class: 'grid2' }, fieldRow('repository', 'Repository', repository.element), fieldRow('maxHashMb', 'Maximum size to hash (MB)', maxHashMb, 'Larger files are registered without md5.')),
    el('div', { class: 'field' }, serverOnly),
    el('div', { class: 'actions' }, previewButton, registerButton, cancelButton),
    status,
    previewOut,
    resultOut,
  );

  const read = (): RegisterSessionFormValues => ({
    users: users.get(),
    startTime: startTime.value,
    endTime: endTime.value,
    procedures: procedures.get(),
    projects: projects.get(),
    taskProtocol: taskProtocol.value,
    location: location.value,
    nTrials: nTrials.value,
    nCorrectTrials: nCorrectTrials.value,
    json: json.value ?? '',
    files: [...fileBoxes].filter(([, b]) => b.checked).map(([rel]) => rel),
    repository: repository.get(),
    serverOnly: serverOnly.checked,
    maxHashMb: maxHashMb.value,
  });
  const fill = (v: RegisterSessionFormValues) => {
    users.set(v.users);
    startTime.value = v.startTime;
    endTime.value = v.endTime;
    procedures.set(v.procedures);
    projects.set(v.projects);
    taskProtocol.value = v.taskProtocol;
    location.value = v.location;
    nTrials.value = v.nTrials;
    nCorrectTrials.value = v.nCorrectTrials;
    json.value = v.json;
    for (const [rel, box] of fileBoxes) box.checked = v.files.includes(rel);
    repository.set(v.repository);
    serverOnly.checked = v.serverOnly;
    maxHashMb.value = v.maxHashMb;
  };
  root.addEventListener('input', save);
  root.addEventListener('change', save);

  const update = (state: FormState) => {
    const running = state.status.kind === 'running';
    previewButton.toggleAttribute('disabled', running);
    registerButton.toggleAttribute('disabled', running);
    cancelButton.hidden = !running;
    status.replaceChildren(...statusSection(state.status, post).childNodes);
    const left = showFieldErrors(root, state.errors);
    if (left.length) status.append(el('p', { class: 'error', role: 'alert' }, left.join(' ')));
    previewOut.replaceChildren(...(state.preview ? renderPreview(state.preview) : []));
    resultOut.replaceChildren(...(state.result ? renderResult(state.result) : []));
  };
  return { root, read, fill, update };
}

/** Why a file is skipped and, when no dataset type matched it, the types that come closest. */
function skippedCell(f: SessionFileRow): HTMLElement {
  const cell = el('span', { class: 'muted' }, `skipped: ${f.skipped ?? ''}`);
  if (f.closest) {
    const near = f.closest.map((c) => `${c.name} (${c.filename_pattern || 'matched on object.attribute'})`).join(', ');
    cell.append(el('br'), el('span', { class: 'closest' }, f.closest.length ? `closest dataset types: ${near}` : 'no dataset type comes close'));
  }
  return cell;
}

function statusSection(status: Status, _post: (m: RegisterToExtension) => void): HTMLElement {
  const section = el('section', {});
  if (status.kind === 'running') {
    const bar = el('vscode-progress-bar', { 'aria-label': 'Progress' });
    if (status.percent !== undefined) bar.setAttribute('value', String(status.percent / 100));
    else bar.setAttribute('indeterminate', '');
    section.append(bar, el('p', { class: 'muted' }, status.text));
  } else if (status.kind === 'failed') {
    section.append(
      el('p', { class: 'error', role: 'alert', id: 'failure' }, status.message),
      el(
        'div',
        { class: 'actions' },
        status.unreachable ? el('vscode-button', { id: 'retry', secondary: true }, 'Retry loading') : null,
        el('vscode-button', { id: 'details', secondary: true }, 'Show details'),
      ),
    );
  } else if (status.message) {
    section.append(el('p', { class: 'muted', id: 'status-message' }, status.message));
  }
  return section;
}

function renderPreview(p: NonNullable<FormState['preview']>): Node[] {
  const nodes: Node[] = [el('h2', {}, 'Preview (dry run)')];
  for (const n of p.notes) nodes.push(el('p', { class: 'muted' }, n));
  if (p.moves.length) {
    nodes.push(
      el('p', { class: 'warning' }, `${p.moves.length} protected file(s) would be moved into a revision folder:`),
      el('ul', { class: 'moves' }, ...p.moves.map((m) => el('li', {}, el('code', {}, m.from), ' → ', el('code', {}, m.to)))),
    );
  }
  p.requests.forEach((r, i) => {
    nodes.push(el('h3', {}, `${i + 1}. ${r.method} ${r.path}`), el('pre', { class: 'request-body' }, JSON.stringify(r.body, null, 2)));
  });
  return nodes;
}

function renderResult(r: NonNullable<FormState['result']>): Node[] {
  const nodes: Node[] = [
    el('h2', {}, `${r.created ? 'Session created' : 'Session updated'}${r.filesError ? ': files not registered' : ''}`),
    el('p', {}, el('code', { id: 'session-url' }, r.sessionUrl), r.eid ? ' — id ' : '', r.eid ? el('code', { id: 'session-eid' }, r.eid) : ''),
  ];
  if (r.filesError) {
    nodes.push(
      el('p', { class: 'error', role: 'alert', id: 'files-error' }, `Registering the files failed: ${r.filesError}`),
      el('div', { class: 'actions' }, el('vscode-button', { id: 'details', secondary: true }, 'Show details')),
    );
  }
  if (r.moves.length) nodes.push(el('p', {}, `Moved into revision folders: ${r.moves.map((m) => `${m.from} → ${m.to}`).join(', ')}`));
  nodes.push(
    el(
      'table',
      { class: 'files', id: 'registered' },
      el('thead', {}, el('tr', {}, el('th', {}, 'File'), el('th', {}, 'Dataset id or error'))),
      el(
        'tbody',
        {},
        ...r.files.map((f) =>
          el('tr', { 'data-file': f.rel }, el('td', { class: 'path' }, f.rel + (f.registeredAs ? ` → ${f.registeredAs}` : '')), el('td', { class: f.error ? 'error' : 'dataset-id' }, f.id ?? f.error ?? '')),
        ),
      ),
    ),
  );
  return nodes;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

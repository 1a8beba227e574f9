import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type {
  AlyxLists, MoveView, PlannedRequestView, RegisterSessionFormValues, RegisterToExtension, RegisterToWebview, RegisteredFileView, SessionFileRow, SessionInfo,
} from '../../protocol/alyx.js';
import { FormHolder, choiceField, failureLines, fieldRow, listField, showFieldErrors } from './alyxFields.js';
import { restoreState, runningStatus } from './formKit.js';
import { el, progressBar, pageChannel } from './vscodeApi.js';
import { formatBytes } from '../../core/util/bytes.js';

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
  const state = restoreState<FormState>(channel.state(), { loaded: null, values: null, status: { kind: 'idle' }, preview: null, result: null, errors: {} }, 'running');
  const holder = new FormHolder(app, state, (st: FormState) => channel.save(st), (saveTyped) => buildForm(state.loaded!, channel.post, saveTyped));

  const render = () => holder.render(() => [el('h1', {}, 'Register Session'), el('p', { class: 'muted' }, 'Loading…'), statusSection(state.status, channel.post)]);

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
        state.status = runningStatus(message);
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
  const fields = sessionFields(loaded.lists);
  const files = fileTable(loaded.files);
  const actions = actionPanel();
  const root = formLayout(loaded, fields, files, actions);
  root.addEventListener('input', save);
  root.addEventListener('change', save);
  return {
    root,
    read: () => readValues(fields, files.boxes),
    fill: (v: RegisterSessionFormValues) => fillValues(fields, files.boxes, v),
    update: (state: FormState) => updateActions(root, actions, state, post),
  };
}

type Checkbox = HTMLElement & { checked: boolean };

function textField(id: string, label: string, placeholder = '', type?: string): VscodeTextfield {
  const f = el('vscode-textfield', { id, placeholder, ...(type ? { type } : {}) });
  f.setAttribute('aria-label', label);
  return f;
}

function readonlyField(id: string, label: string, value: string): VscodeTextfield {
  const f = textField(id, label);
  f.value = value;
  f.readonly = true;
  return f;
}

/** The editable fields of the session (everything but the files), pick-lists from the server. */
function sessionFields(lists: AlyxLists) {
  const json = el('vscode-textarea', { id: 'json', rows: 2, placeholder: '{"rig": "A"}' }) as HTMLElement & { value: string };
  json.setAttribute('aria-label', 'JSON');
  return {
    users: listField('users', 'Users', lists.users.length ? lists.users : null),
    procedures: listField('procedures', 'Procedures', lists.procedures),
    projects: listField('projects', 'Projects', lists.projects),
    repository: choiceField('repository', 'Repository', lists.repositories, { allowEmpty: true, emptyLabel: "(the lab's repositories)" }),
    // Plain text in ISO order: a datetime-local field shows the browser locale's order (05/02/2024, 09:30 AM).
    startTime: textField('startTime', 'Start time', 'yyyy-mm-dd hh:mm'),
    endTime: textField('endTime', 'End time', 'yyyy-mm-dd hh:mm'),
    taskProtocol: textField('taskProtocol', 'Task protocol', 'e.g. _iblrig_tasks_trainingChoiceWorld6.4.2'),
    location: textField('location', 'Location', 'e.g. _iblrig_cortexlab_behavior_1'),
    nTrials: textField('nTrials', 'Number of trials', ''),
    nCorrectTrials: textField('nCorrectTrials', 'Number of correct trials', ''),
    json,
    serverOnly: el('vscode-checkbox', { id: 'serverOnly', label: 'Server only (no file record on the lab server)' }) as Checkbox,
    maxHashMb: textField('maxHashMb', 'Maximum size to hash (MB)', 'empty: hash every file'),
  };
}
type SessionFields = ReturnType<typeof sessionFields>;

/** One row per file of the session; a checkbox for each file with a dataset type. */
function fileTable(files: readonly SessionFileRow[]) {
  const boxes = new Map<string, Checkbox>();
  const rows = files.map((f) => {
    const box = f.datasetType ? (el('vscode-checkbox', { 'data-rel': f.rel, 'aria-label': `Register ${f.rel}` }) as Checkbox) : null;
    if (box) boxes.set(f.rel, box);
    return el(
      'tr',
      { class: f.datasetType ? '' : 'skipped-file', 'data-file': f.rel },
      el('td', {}, box),
      el('td', { class: 'path' }, f.rel),
      el('td', {}, f.datasetType ?? skippedCell(f)),
      el('td', { class: 'num' }, formatBytes(f.size)),
    );
  });
  const table = el('table', { class: 'files' }, el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'File'), el('th', {}, 'Dataset type'), el('th', {}, 'Size'))), el('tbody', {}, ...rows));
  return { boxes, table, count: files.length };
}
type FileTable = ReturnType<typeof fileTable>;

/** The buttons and what they produce: status, preview, result. */
function actionPanel() {
  return {
    status: el('section', { id: 'status', 'aria-live': 'polite' }),
    previewOut: el('section', { id: 'preview-out' }),
    resultOut: el('section', { id: 'result' }),
    previewButton: el('vscode-button', { id: 'preview', secondary: true }, 'Preview'),
    registerButton: el('vscode-button', { id: 'register' }, 'Register'),
    cancelButton: el('vscode-button', { id: 'cancel', secondary: true, hidden: true }, 'Cancel'),
  };
}
type ActionPanel = ReturnType<typeof actionPanel>;

function formLayout(loaded: Loaded, f: SessionFields, files: FileTable, a: ActionPanel): HTMLElement {
  const { session } = loaded;
  return el(
    'div',
    { class: 'alyx-form' },
    el('h1', {}, `Register Session ${session.subject}/${session.date}/${session.number}`),
    el('p', { class: 'lead' }, `${session.path}`, el('br'), loaded.server ? `Alyx: ${loaded.server}` : 'Alyx: not connected'),
    el(
      'div',
      { class: 'grid4' },
      fieldRow('lab', 'Lab', readonlyField('lab', 'Lab', session.lab ?? '')),
      fieldRow('subject', 'Subject', readonlyField('subject', 'Subject', session.subject)),
      fieldRow('date', 'Date', readonlyField('date', 'Date', session.date)),
      fieldRow('number', 'Number', readonlyField('number', 'Number', session.number)),
    ),
    el(
      'div',
      { class: 'grid3' },
      fieldRow('users', 'Users', f.users.element, 'Checked against the server.'),
      fieldRow('startTime', 'Start time', f.startTime, 'Empty: the date at 00:00.'),
      fieldRow('endTime', 'End time', f.endTime),
    ),
    el('div', { class: 'grid2' }, fieldRow('procedures', 'Procedures', f.procedures.element), fieldRow('projects', 'Projects', f.projects.element)),
    el(
      'div',
      { class: 'grid4' },
      fieldRow('taskProtocol', 'Task protocol', f.taskProtocol),
      fieldRow('location', 'Location', f.location),
      fieldRow('nTrials', 'Number of trials', f.nTrials),
      fieldRow('nCorrectTrials', 'Correct trials', f.nCorrectTrials),
    ),
    fieldRow('json', 'JSON', f.json),
    el('h2', {}, `Files (${files.boxes.size} of ${files.count} registrable)`),
    files.table,
    el('vscode-form-helper', { class: 'error', 'data-error-for': 'files' }),
    loaded.files.some((f) => f.closest) && loaded.datasetTypeHint ? el('p', { class: 'muted', id: 'dataset-type-hint' }, loaded.datasetTypeHint) : null,
    el('h2', {}, 'Options'),
    el('div', { class: 'grid2' }, fieldRow('repository', 'Repository', f.repository.element), fieldRow('maxHashMb', 'Maximum size to hash (MB)', f.maxHashMb, 'Larger files are registered without md5.')),
    el('div', { class: 'field' }, f.serverOnly),
    el('div', { class: 'actions' }, a.previewButton, a.registerButton, a.cancelButton),
    a.status,
    a.previewOut,
    a.resultOut,
  );
}

function readValues(f: SessionFields, boxes: ReadonlyMap<string, Checkbox>): RegisterSessionFormValues {
  return {
    users: f.users.get(),
    startTime: f.startTime.value,
    endTime: f.endTime.value,
    procedures: f.procedures.get(),
    projects: f.projects.get(),
    taskProtocol: f.taskProtocol.value,
    location: f.location.value,
    nTrials: f.nTrials.value,
    nCorrectTrials: f.nCorrectTrials.value,
    json: f.json.value ?? '',
    files: [...boxes].filter(([, b]) => b.checked).map(([rel]) => rel),
    repository: f.repository.get(),
    serverOnly: f.serverOnly.checked,
    maxHashMb: f.maxHashMb.value,
  };
}

function fillValues(f: SessionFields, boxes: ReadonlyMap<string, Checkbox>, v: RegisterSessionFormValues): void {
  f.users.set(v.users);
  f.startTime.value = v.startTime;
  f.endTime.value = v.endTime;
  f.procedures.set(v.procedures);
  f.projects.set(v.projects);
  f.taskProtocol.value = v.taskProtocol;
  f.location.value = v.location;
  f.nTrials.value = v.nTrials;
  f.nCorrectTrials.value = v.nCorrectTrials;
  f.json.value = v.json;
  for (const [rel, box] of boxes) box.checked = v.files.includes(rel);
  f.repository.set(v.repository);
  f.serverOnly.checked = v.serverOnly;
  f.maxHashMb.value = v.maxHashMb;
}

function updateActions(root: HTMLElement, a: ActionPanel, state: FormState, post: (m: RegisterToExtension) => void): void {
  const running = state.status.kind === 'running';
  a.previewButton.toggleAttribute('disabled', running);
  a.registerButton.toggleAttribute('disabled', running);
  a.cancelButton.hidden = !running;
  a.status.replaceChildren(...statusSection(state.status, post).childNodes);
  const left = showFieldErrors(root, state.errors);
  if (left.length) a.status.append(el('p', { class: 'error', role: 'alert' }, left.join(' ')));
  a.previewOut.replaceChildren(...(state.preview ? renderPreview(state.preview) : []));
  a.resultOut.replaceChildren(...(state.result ? renderResult(state.result) : []));
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
    const bar = progressBar(status.percent);
    section.append(bar, el('p', { class: 'muted' }, status.text));
  } else if (status.kind === 'failed') {
    section.append(...failureLines(status.message, status.unreachable));
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

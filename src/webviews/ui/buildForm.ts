import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { BuildField, BuildFormToExtension, BuildFormToWebview, BuildFormValues, BuildSummaryView } from '../../protocol/webview.js';
import { browseButton, errorLine, fieldRow, type FormStatus, notTakenList, renderStatus, summaryRow, textfield } from './folderForm.js';
import { el, formatCount, pageChannel } from './vscodeApi.js';

type Status = FormStatus;

interface FormState {
  values: BuildFormValues;
  status: Status;
  summary: BuildSummaryView | null;
}

const EMPTY: BuildFormValues = { folder: '', hashFiles: false, outDir: '', lab: '' };

const BUILD_WORDS = {
  progress: 'Build progress',
  running: (text: string) => `Building: ${text}`,
  failed: 'The build failed',
  cancelled: 'Cancelled. Existing tables, if any, were left as they were.',
};

export function bootBuildForm(app: HTMLElement): void {
  const channel = pageChannel<FormState, BuildFormToExtension, BuildFormToWebview>();
  const saved = channel.state();
  const state: FormState = {
    values: { ...EMPTY, ...saved.values },
    // A build cannot still be running in a page that was just (re)created from its state.
    status: saved.status?.kind === 'running' ? { kind: 'idle' } : (saved.status ?? { kind: 'idle' }),
    summary: saved.summary ?? null,
  };
  const hadState = saved.values !== undefined;

  const folder = textfield('folder', 'Folder with sessions', '/data/Subjects');
  const outDir = textfield('outDir', 'Output folder', 'Same as the folder');
  const lab = textfield('lab', 'Lab', 'e.g. cortexlab');
  const hash = el('vscode-checkbox', { id: 'hashFiles', label: 'Hash files (md5 of every file)' });
  const errors: Record<BuildField, HTMLElement> = {
    folder: errorLine(),
    outDir: errorLine(),
    lab: errorLine(),
    hashFiles: el('vscode-form-helper', { class: 'error' }),
  };
  const buildButton = el('vscode-button', { id: 'build', type: 'submit' }, 'Build');
  const cancelButton = el('vscode-button', { id: 'cancel', secondary: true, hidden: true }, 'Cancel');
  const status = el('section', { id: 'status', 'aria-live': 'polite' });
  const summary = el('section', { id: 'summary' });

  const form = el(
    'form',
    { id: 'build-form', novalidate: true },
    fieldRow('folder', 'Folder', folder, browseButton('folder'), errors.folder, 'The folder that holds your sessions (lab/Subjects/subject/yyyy-mm-dd/NNN); it is read, never changed.'),
    el('div', { class: 'field' }, hash, el('vscode-form-helper', {}, "Fills the datasets table's hash column, like ONE's hash_files=True. Slower: every byte is read.")),
    fieldRow('outDir', 'Output folder', outDir, browseButton('outDir'), errors.outDir, 'Where sessions.pqt and datasets.pqt are written. Empty: into the folder itself, where ONE looks for them.'),
    fieldRow('lab', 'Lab', lab, null, errors.lab, 'Only for sessions whose path has no lab folder (subject/yyyy-mm-dd/NNN).'),
    el('div', { class: 'actions' }, buildButton, cancelButton),
  );
  app.replaceChildren(
    el('h1', {}, 'Build ONE Cache'),
    el('p', { class: 'lead' }, "Index a folder of ALF sessions into ONE's cache tables, sessions.pqt and datasets.pqt, so that ONE(cache_dir=…) can search and load it offline."),
    form,
    status,
    summary,
  );
  app.removeAttribute('aria-busy');

  const read = (): BuildFormValues => ({ folder: folder.value, hashFiles: hash.checked, outDir: outDir.value, lab: lab.value });
  const fill = (values: BuildFormValues) => {
    folder.value = values.folder;
    outDir.value = values.outDir;
    lab.value = values.lab;
    hash.checked = values.hashFiles;
  };
  const save = () => channel.save(state);
  const render = () => {
    const running = state.status.kind === 'running';
    buildButton.toggleAttribute('disabled', running);
    cancelButton.hidden = !running;
    status.replaceChildren(...renderStatus(state.status, BUILD_WORDS));
    summary.replaceChildren(...(state.summary ? renderSummary(state.summary, (p) => channel.post({ type: 'openTable', path: p }), (f) => channel.post({ type: 'packageRelease', folder: f })) : []));
  };
  const showErrors = (found: Partial<Record<BuildField, string>>) => {
    for (const [field, helper] of Object.entries(errors) as [BuildField, HTMLElement][]) {
      helper.textContent = found[field] ?? '';
      const input = { folder, outDir, lab }[field as 'folder' | 'outDir' | 'lab'];
      if (input) input.invalid = !!found[field];
    }
  };

  fill(state.values);
  render();
  for (const input of [folder, outDir, lab, hash]) {
    input.addEventListener('input', () => ((state.values = read()), save()));
    input.addEventListener('change', () => ((state.values = read()), save()));
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  buildButton.addEventListener('click', () => submit());
  cancelButton.addEventListener('click', () => channel.post({ type: 'cancel' }));
  app.addEventListener('click', (e) => {
    const target = (e.target as HTMLElement).closest<HTMLElement>('[data-browse]');
    const field = target?.dataset.browse;
    if (field === 'folder' || field === 'outDir') channel.post({ type: 'browse', field });
  });

  function submit(): void {
    if (state.status.kind === 'running') return;
    state.values = read();
    const missing = state.values.folder.trim() ? {} : { folder: 'Choose the folder that holds your sessions.' };
    showErrors(missing);
    if (Object.keys(missing).length > 0) return;
    state.status = { kind: 'running', text: 'starting…' };
    state.summary = null;
    save();
    render();
    channel.post({ type: 'build', values: state.values });
  }

  channel.onMessage((message) => {
    switch (message.type) {
      case 'init':
        if (message.force || !hadState) {
          state.values = message.values;
          fill(message.values);
          showErrors({});
        }
        break;
      case 'browsed':
        state.values = { ...read(), [message.field]: message.path };
        fill(state.values);
        break;
      case 'invalid':
        state.status = { kind: 'idle' };
        showErrors(message.errors);
        break;
      case 'running':
        state.status = { kind: 'running', text: message.text, ...(message.percent !== undefined ? { percent: message.percent } : {}) };
        break;
      case 'result':
        state.status = { kind: 'idle' };
        state.summary = message.summary;
        break;
      case 'failed':
        state.status = { kind: 'failed', message: message.message };
        break;
      case 'cancelled':
        state.status = { kind: 'cancelled' };
        break;
    }
    save();
    render();
  });
  channel.post({ type: 'ready' });
}

function renderSummary(s: BuildSummaryView, open: (path: string) => void, packageRelease: (folder: string) => void): Node[] {
  const seconds = s.durationMs < 1000 ? `${Math.round(s.durationMs)} ms` : `${(s.durationMs / 1000).toFixed(1)} s`;
  const openSessions = el('vscode-button', { id: 'open-sessions' }, 'Open sessions table');
  openSessions.addEventListener('click', () => open(s.sessionsPath));
  const openDatasets = el('vscode-button', { secondary: true, id: 'open-datasets' }, 'Open datasets table');
  openDatasets.addEventListener('click', () => open(s.datasetsPath));
  const release = el('vscode-button', { secondary: true, id: 'package-release' }, 'Package as Data Release…');
  release.addEventListener('click', () => packageRelease(s.folder));
  const nodes: Node[] = [
    el('h2', {}, s.fullRebuild ? 'Cache rebuilt' : 'Cache built'),
    el(
      'table',
      { class: 'summary' },
      el(
        'tbody',
        {},
        summaryRow('Sessions', formatCount(s.sessions)),
        summaryRow('Datasets', formatCount(s.datasets)),
        // The core's categories, in its words: the same counts as Problems and `alf validate`.
        ...s.problemRows.map((r) => summaryRow(r.label, formatCount(r.count))),
        summaryRow('Time', seconds),
        summaryRow('Tables', s.outDir),
      ),
    ),
    el('div', { class: 'actions' }, openSessions, openDatasets, release),
  ];
  if (s.warnings.length > 0) {
    nodes.push(
      el(
        'details',
        { open: s.warnings.length <= 5 },
        el('summary', {}, `${formatCount(s.warnings.length)} warning${s.warnings.length === 1 ? '' : 's'} (indexed anyway)`),
        el('ul', { class: 'warnings' }, ...s.warnings.map((w) => el('li', {}, w))),
      ),
    );
  }
  if (s.skippedCount > 0) {
    nodes.push(notTakenList(s.skipped, s.skippedCount, { heading: 'files and folders not indexed, with reasons', column: 'Not indexed', command: 'alf build-cache' }));
  }
  return nodes;
}

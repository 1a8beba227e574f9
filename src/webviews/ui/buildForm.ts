import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { BuildFormToExtension, BuildFormToWebview, BuildFormValues, BuildSummaryView } from '../../protocol/webview.js';
import { browseButton, fieldRow, folderForm, type FormStatus, notTakenList, summaryRow, textfield } from './folderForm.js';
import { el, formatCount, pageChannel } from './vscodeApi.js';

const EMPTY: BuildFormValues = { folder: '', hashFiles: false, outDir: '', lab: '' };

const BUILD_WORDS = {
  progress: 'Build progress',
  running: (text: string) => `Building: ${text}`,
  failed: 'The build failed',
  cancelled: 'Cancelled. Existing tables, if any, were left as they were.',
};

interface FormState {
  values: BuildFormValues;
  status: FormStatus;
  summary: BuildSummaryView | null;
}

export function bootBuildForm(app: HTMLElement): void {
  const channel = pageChannel<FormState, BuildFormToExtension, BuildFormToWebview>();
  const folder = textfield('folder', 'Folder with sessions', '/data/Subjects');
  const outDir = textfield('outDir', 'Output folder', 'Same as the folder');
  const lab = textfield('lab', 'Lab', 'e.g. cortexlab');
  const hash = el('vscode-checkbox', { id: 'hashFiles', label: 'Hash files (md5 of every file)' });
  const buildButton = el('vscode-button', { id: 'build', type: 'submit' }, 'Build');
  const cancelButton = el('vscode-button', { id: 'cancel', secondary: true, hidden: true }, 'Cancel');
  const summary = el('section', { id: 'summary' });
  const kit = folderForm({
    app,
    channel,
    empty: EMPTY,
    own: { summary: null } as Pick<FormState, 'summary'>,
    inputs: { folder, hashFiles: hash, outDir, lab },
    runButtons: { build: buildButton },
    submit: 'build',
    cancelButton,
    browse: ['folder', 'outDir'],
    folderMissing: 'Choose the folder that holds your sessions.',
    words: BUILD_WORDS,
    onStart: () => (kit.state.summary = null),
    renderOwn: () =>
      summary.replaceChildren(...(kit.state.summary ? renderSummary(kit.state.summary, (p) => channel.post({ type: 'openTable', path: p }), (f) => channel.post({ type: 'packageRelease', folder: f })) : [])),
  });
  const { errors } = kit;

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
    kit.status,
    summary,
  );

  channel.onMessage((message) => {
    if (message.type === 'result') {
      kit.state.status = { kind: 'idle' };
      kit.state.summary = message.summary;
    } else kit.apply(message);
    kit.update();
  });
  kit.start(form);
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

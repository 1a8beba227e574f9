import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ReleaseFormToExtension, ReleaseFormToWebview, ReleaseFormValues, ReleasePlanView, ReleaseResultView } from '../../protocol/release.js';
import { formatBytes } from '../../core/util/bytes.js';
import { browseButton, fieldRow, folderForm, type FormStatus, notTakenList, summaryRow, textfield } from './folderForm.js';
import { el, formatCount, pageChannel } from './vscodeApi.js';

interface FormState {
  values: ReleaseFormValues;
  status: FormStatus;
  plan: ReleasePlanView | null;
  result: ReleaseResultView | null;
}

const EMPTY: ReleaseFormValues = { folder: '', outFile: '', hashFiles: false, level: '6' };

const RELEASE_WORDS = {
  progress: 'Release progress',
  running: (text: string) => text,
  failed: 'The release was not written',
  cancelled: 'Cancelled. No zip was written; a previous one is as it was.',
};

export function bootReleaseForm(app: HTMLElement): void {
  const channel = pageChannel<FormState, ReleaseFormToExtension, ReleaseFormToWebview>();
  const folder = textfield('folder', 'Data folder', '/data/ibl_behaviour');
  const outFile = textfield('outFile', 'Output zip', 'FOLDER.zip beside the folder');
  const level = textfield('level', 'Deflate level', '6');
  const hash = el('vscode-checkbox', { id: 'hashFiles', label: 'md5 hashes (every file is read into the datasets table)' });
  const previewButton = el('vscode-button', { id: 'preview', secondary: true }, 'Check what goes in');
  const packageButton = el('vscode-button', { id: 'package', type: 'submit' }, 'Write release');
  const cancelButton = el('vscode-button', { id: 'cancel', secondary: true, hidden: true }, 'Cancel');
  const plan = el('section', { id: 'plan' });
  const result = el('section', { id: 'result' });
  const own: Pick<FormState, 'plan' | 'result'> = { plan: null, result: null };
  const kit = folderForm({
    app,
    channel,
    empty: EMPTY,
    own,
    inputs: { folder, outFile, hashFiles: hash, level },
    runButtons: { preview: previewButton, package: packageButton },
    submit: 'package',
    cancelButton,
    browse: ['folder', 'outFile'],
    folderMissing: 'Choose the data folder to package.',
    words: RELEASE_WORDS,
    onStart: (run) => {
      kit.state.result = null;
      if (run === 'preview') kit.state.plan = null;
    },
    onInit: () => {
      kit.state.plan = null;
      kit.state.result = null;
    },
    renderOwn: () => {
      plan.replaceChildren(...(kit.state.plan ? renderPlan(kit.state.plan) : []));
      result.replaceChildren(...(kit.state.result ? renderResult(kit.state.result, (m) => channel.post(m)) : []));
    },
  });
  const { errors } = kit;
  const form = el(
    'form',
    { id: 'release-form', novalidate: true },
    fieldRow('folder', 'Folder', folder, browseButton('folder'), errors.folder, 'The data folder: its ONE cache is made current first, then every indexed dataset is packed at its path.'),
    fieldRow('outFile', 'Output zip', outFile, browseButton('outFile'), errors.outFile, 'Empty: FOLDER.zip beside the folder (never inside it). Written atomically.'),
    el('div', { class: 'field' }, hash, el('vscode-form-helper', {}, "Fills the datasets table's hash column; tables that have hashes keep them anyway.")),
    fieldRow('level', 'Level', level, null, errors.level, '0 stores everything; 9 is smallest and slowest. .mp4, .png, .pqt… are stored as they are.'),
    el('div', { class: 'actions' }, previewButton, packageButton, cancelButton),
  );
  app.replaceChildren(
    el('h1', {}, 'Package Data Release'),
    el('p', { class: 'lead' }, "The zip ONE's local-mode guide asks for: sessions.pqt and datasets.pqt at its root, every indexed dataset at its path, and the folder's README, LICENSE and CITATION files. The same folder always gives the same bytes and sha256."),
    form,
    kit.status,
    plan,
    result,
  );

  channel.onMessage((message) => {
    switch (message.type) {
      case 'plan':
        kit.state.status = { kind: 'idle' };
        kit.state.plan = message.plan;
        break;
      case 'result':
        kit.state.status = { kind: 'idle' };
        kit.state.result = message.result;
        break;
      default:
        kit.apply(message);
    }
    kit.update();
  });
  kit.start(form);
}

function renderPlan(p: ReleasePlanView): Node[] {
  const nodes: Node[] = [
    el('h2', {}, 'What the zip will hold'),
    el('p', { id: 'plan-summary' }, `${formatCount(p.entries)} entries (the two tables, the indexed datasets${p.documents.length ? `, ${p.documents.join(', ')}` : ''}), ${formatBytes(p.bytes)} of data.`),
  ];
  if (p.leftOut.length === 0) {
    nodes.push(el('p', { class: 'muted', id: 'left-out' }, 'Nothing is left out: every file is indexed.'));
    return nodes;
  }
  nodes.push(
    notTakenList(
      p.leftOut.map((e) => ({ path: e.path, reason: `${e.reason} [${e.code}]` })),
      p.leftOut.length,
      { heading: 'files and folders left out (not indexed), with reasons', column: 'Left out', command: 'alf release', id: 'left-out' },
    ),
  );
  return nodes;
}

function renderResult(r: ReleaseResultView, post: (m: ReleaseFormToExtension) => void): Node[] {
  const reveal = el('vscode-button', { id: 'reveal' }, 'Reveal in Explorer');
  reveal.addEventListener('click', () => post({ type: 'reveal', path: r.outFile }));
  const copy = el('vscode-button', { id: 'copy-sha256', secondary: true }, 'Copy sha256');
  copy.addEventListener('click', () => post({ type: 'copy', text: r.sha256 }));
  return [
    el('h2', {}, 'Release written'),
    el(
      'table',
      { class: 'summary' },
      el(
        'tbody',
        {},
        summaryRow('Zip', r.outFile, 'result-file'),
        summaryRow('Size', `${formatBytes(r.bytesOut, { exact: true })} (${formatBytes(r.bytesIn)} in)`),
        summaryRow('Entries', formatCount(r.entries), 'result-entries'),
        summaryRow('sha256', r.sha256, 'result-sha256'),
        summaryRow('Cache', r.cache),
        summaryRow('Left out', formatCount(r.leftOutCount)),
        summaryRow('Time', `${(r.durationMs / 1000).toFixed(1)} s`),
      ),
    ),
    el('div', { class: 'actions' }, reveal, copy),
  ];
}

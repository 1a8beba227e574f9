import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ReleaseField, ReleaseFormToExtension, ReleaseFormToWebview, ReleaseFormValues, ReleasePlanView, ReleaseResultView } from '../../protocol/release.js';
import { formatBytes } from '../../core/util/bytes.js';
import { browseButton, errorLine, fieldRow, type FormStatus, notTakenList, renderStatus, summaryRow, textfield } from './folderForm.js';
import { el, formatCount, pageChannel } from './vscodeApi.js';

type Status = FormStatus;

interface FormState {
  values: ReleaseFormValues;
  status: Status;
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
  const saved = channel.state();
  const state: FormState = {
    values: { ...EMPTY, ...saved.values },
    status: saved.status?.kind === 'running' ? { kind: 'idle' } : (saved.status ?? { kind: 'idle' }),
    plan: saved.plan ?? null,
    result: saved.result ?? null,
  };
  const hadState = saved.values !== undefined;

  const folder = textfield('folder', 'Data folder', '/data/ibl_behaviour');
  const outFile = textfield('outFile', 'Output zip', 'FOLDER.zip beside the folder');
  const level = textfield('level', 'Deflate level', '6');
  const hash = el('vscode-checkbox', { id: 'hashFiles', label: 'md5 hashes (every file is read into the datasets table)' });
  const errors: Record<ReleaseField, HTMLElement> = {
    folder: errorLine(),
    outFile: errorLine(),
    level: errorLine(),
    hashFiles: el('vscode-form-helper', { class: 'error' }),
  };
  const previewButton = el('vscode-button', { id: 'preview', secondary: true }, 'Check what goes in');
  const packageButton = el('vscode-button', { id: 'package', type: 'submit' }, 'Write release');
  const cancelButton = el('vscode-button', { id: 'cancel', secondary: true, hidden: true }, 'Cancel');
  const status = el('section', { id: 'status', 'aria-live': 'polite' });
  const plan = el('section', { id: 'plan' });
  const result = el('section', { id: 'result' });
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
    status,
    plan,
    result,
  );
  app.removeAttribute('aria-busy');

  const read = (): ReleaseFormValues => ({ folder: folder.value, outFile: outFile.value, hashFiles: hash.checked, level: level.value });
  const fill = (v: ReleaseFormValues) => {
    folder.value = v.folder;
    outFile.value = v.outFile;
    level.value = v.level;
    hash.checked = v.hashFiles;
  };
  const save = () => channel.save(state);
  const render = () => {
    const running = state.status.kind === 'running';
    previewButton.toggleAttribute('disabled', running);
    packageButton.toggleAttribute('disabled', running);
    cancelButton.hidden = !running;
    status.replaceChildren(...renderStatus(state.status, RELEASE_WORDS));
    plan.replaceChildren(...(state.plan ? renderPlan(state.plan) : []));
    result.replaceChildren(...(state.result ? renderResult(state.result, (m) => channel.post(m)) : []));
  };
  const showErrors = (found: Partial<Record<ReleaseField, string>>) => {
    for (const [field, helper] of Object.entries(errors) as [ReleaseField, HTMLElement][]) {
      helper.textContent = found[field] ?? '';
      const input = { folder, outFile, level }[field as 'folder' | 'outFile' | 'level'];
      if (input) input.invalid = !!found[field];
    }
  };
  fill(state.values);
  render();
  for (const input of [folder, outFile, level, hash]) {
    input.addEventListener('input', () => ((state.values = read()), save()));
    input.addEventListener('change', () => ((state.values = read()), save()));
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit('package');
  });
  packageButton.addEventListener('click', () => submit('package'));
  previewButton.addEventListener('click', () => submit('preview'));
  cancelButton.addEventListener('click', () => channel.post({ type: 'cancel' }));
  app.addEventListener('click', (e) => {
    const field = (e.target as HTMLElement).closest<HTMLElement>('[data-browse]')?.dataset.browse;
    if (field === 'folder' || field === 'outFile') channel.post({ type: 'browse', field });
  });

  function submit(what: 'preview' | 'package'): void {
    if (state.status.kind === 'running') return;
    state.values = read();
    const missing = state.values.folder.trim() ? {} : { folder: 'Choose the data folder to package.' };
    showErrors(missing);
    if (Object.keys(missing).length > 0) return;
    state.status = { kind: 'running', text: 'starting…' };
    state.result = null;
    if (what === 'preview') state.plan = null;
    save();
    render();
    channel.post({ type: what, values: state.values });
  }

  channel.onMessage((message) => {
    switch (message.type) {
      case 'init':
        if (message.force || !hadState) {
          state.values = message.values;
          state.plan = null;
          state.result = null;
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
      case 'plan':
        state.status = { kind: 'idle' };
        state.plan = message.plan;
        break;
      case 'running':
        state.status = { kind: 'running', text: message.text, ...(message.percent !== undefined ? { percent: message.percent } : {}) };
        break;
      case 'result':
        state.status = { kind: 'idle' };
        state.result = message.result;
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

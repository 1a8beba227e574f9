import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { AlyxLists, AlyxRecordFormValues, CreatedRecordView, RecordToExtension, RecordToWebview } from '../../protocol/alyx.js';
import { type ChoiceField, FormHolder, choiceField, fieldRow, showFieldErrors } from './alyxFields.js';
import { el, pageChannel } from './vscodeApi.js';

interface FormState {
  loaded: { lists: AlyxLists; server: string; kind: 'weight' | 'water' } | null;
  values: AlyxRecordFormValues | null;
  status: { kind: 'idle' | 'busy' | 'failed'; message?: string; unreachable?: boolean };
  created: CreatedRecordView | null;
  errors: Record<string, string>;
}

/** Register Weight / Register Water: subject (searchable list), amount, date and time, user; water adds type, session, ad libitum. */
export function bootAlyxRecordForm(app: HTMLElement): void {
  const channel = pageChannel<FormState, RecordToExtension, RecordToWebview>();
  const saved = channel.state();
  const state: FormState = {
    loaded: saved.loaded ?? null,
    values: saved.values ?? null,
    status: saved.status?.kind === 'busy' ? { kind: 'idle' } : (saved.status ?? { kind: 'idle' }),
    created: saved.created ?? null,
    errors: saved.errors ?? {},
  };
  const holder = new FormHolder(app, state, (st: FormState) => channel.save(st), (saveTyped) => buildForm(state.loaded!, saveTyped));
  const render = () => {
    if (!state.loaded) {
      app.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
      return;
    }
    holder.show();
  };
  channel.onMessage((message) => {
    holder.readTyped();
    switch (message.type) {
      case 'init': {
        const keep = !message.force && state.values !== null;
        if (JSON.stringify(state.loaded?.lists) !== JSON.stringify(message.lists)) holder.rebuild();
        state.loaded = { lists: message.lists, server: message.server, kind: message.values.kind };
        if (!keep) state.values = message.values;
        if (state.status.kind === 'failed') state.status = { kind: 'idle' };
        break;
      }
      case 'busy':
        state.status = { kind: 'busy', message: message.text };
        state.errors = {};
        break;
      case 'created':
        state.status = { kind: 'idle' };
        state.created = message.record;
        state.errors = {};
        break;
      case 'invalid':
        state.status = { kind: 'idle' };
        state.errors = message.errors;
        break;
      case 'failed':
        state.status = { kind: 'failed', message: message.message, unreachable: message.unreachable };
        break;
    }
    render();
    channel.save(state);
  });
  app.addEventListener('click', (e) => {
    const id = (e.target as HTMLElement).closest<HTMLElement>('vscode-button')?.id;
    const form = holder.form;
    if (id === 'submit' && form && state.status.kind !== 'busy') {
      state.values = form.read();
      state.created = null;
      channel.save(state);
      channel.post({ type: 'submit', values: state.values });
    } else if (id === 'details') channel.post({ type: 'showDetails' });
    else if (id === 'retry') channel.post({ type: 'reload' });
  });
  render();
  channel.post({ type: 'ready' });
}

function buildForm(loaded: NonNullable<FormState['loaded']>, save: () => void) {
  const { lists, kind } = loaded;
  const text = (id: string, label: string, placeholder = '', type?: string): VscodeTextfield => {
    const f = el('vscode-textfield', { id, placeholder, ...(type ? { type } : {}) });
    f.setAttribute('aria-label', label);
    return f;
  };
  const subject: ChoiceField = choiceField('subject', 'Subject', lists.subjects, { allowEmpty: true, emptyLabel: '(choose a subject)' });
  const amount = text('amount', kind === 'weight' ? 'Weight (g)' : 'Water (ml)', kind === 'weight' ? 'e.g. 23.4' : 'e.g. 1.5');
  // Plain text in ISO order, whatever the browser's locale would make of a datetime-local field.
  const dateTime = text('dateTime', 'Date and time', 'yyyy-mm-dd hh:mm');
  const user: ChoiceField = choiceField('user', 'User', lists.users.length ? lists.users : null);
  const waterType: ChoiceField = choiceField('waterType', 'Water type', lists.waterTypes);
  const session = text('session', 'Session', 'optional: session UUID (eid)');
  const adlib = el('vscode-checkbox', { id: 'adlib', label: 'Ad libitum' }) as HTMLElement & { checked: boolean };
  const status = el('section', { id: 'status', 'aria-live': 'polite' });
  const created = el('section', { id: 'created' });
  const root = el(
    'div',
    { class: 'alyx-form alyx-record' },
    el('h1', {}, kind === 'weight' ? 'Register Weight' : 'Register Water'),
    el('p', { class: 'lead' }, loaded.server ? `Alyx: ${loaded.server}` : 'Alyx: not connected'),
    fieldRow('subject', 'Subject', subject.element, 'Type to search the subjects on the server.'),
    fieldRow('amount', kind === 'weight' ? 'Weight (grams)' : 'Water (millilitres)', amount),
    fieldRow('dateTime', 'Date and time', dateTime, 'Default: now.'),
    fieldRow('user', 'User', user.element),
    kind === 'water' ? fieldRow('waterType', 'Water type', waterType.element) : null,
    kind === 'water' ? fieldRow('session', 'Session (optional)', session) : null,
    kind === 'water' ? el('div', { class: 'field' }, adlib) : null,
    el('div', { class: 'actions' }, el('vscode-button', { id: 'submit' }, kind === 'weight' ? 'Register Weight' : 'Register Water')),
    status,
    created,
  );
  root.addEventListener('input', save);
  root.addEventListener('change', save);
  const read = (): AlyxRecordFormValues => ({
    kind,
    subject: subject.get(),
    amount: amount.value,
    dateTime: dateTime.value,
    user: user.get(),
    waterType: waterType.get(),
    session: session.value,
    adlib: adlib.checked,
  });
  const fill = (v: AlyxRecordFormValues) => {
    subject.set(v.subject);
    amount.value = v.amount;
    dateTime.value = v.dateTime;
    user.set(v.user);
    waterType.set(v.waterType);
    session.value = v.session;
    adlib.checked = v.adlib;
  };
  const update = (state: FormState) => {
    root.querySelector('#submit')?.toggleAttribute('disabled', state.status.kind === 'busy');
    const left = showFieldErrors(root, state.errors);
    status.replaceChildren();
    if (state.status.kind === 'busy') status.append(el('p', { class: 'muted' }, state.status.message ?? 'Sending…'));
    if (state.status.kind === 'failed') {
      status.append(
        el('p', { class: 'error', role: 'alert', id: 'failure' }, state.status.message ?? ''),
        el('div', { class: 'actions' }, state.status.unreachable ? el('vscode-button', { id: 'retry', secondary: true }, 'Retry loading') : null, el('vscode-button', { id: 'details', secondary: true }, 'Show details')),
      );
    }
    if (left.length) status.append(el('p', { class: 'error', role: 'alert' }, left.join(' ')));
    created.replaceChildren();
    if (state.created) {
      created.append(
        el('h2', {}, state.created.kind === 'weight' ? 'Weighing created' : 'Water administration created'),
        el('table', { class: 'summary' }, el('tbody', {}, ...state.created.fields.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v))))),
        el('p', {}, el('code', { id: 'record-url' }, state.created.url)),
      );
    }
  };
  return { root, read, fill, update };
}

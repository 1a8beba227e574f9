import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { AlyxLists, AlyxRecordFormValues, CreatedRecordView, RecordToExtension, RecordToWebview, SubjectWaterStatus } from '../../protocol/alyx.js';
import { type ChoiceField, FormHolder, choiceField, failureLines, fieldRow, showFieldErrors } from './alyxFields.js';
import { restoreState } from './formKit.js';
import { el, pageChannel } from './vscodeApi.js';

interface FormState {
  loaded: { lists: AlyxLists; server: string; kind: 'weight' | 'water' } | null;
  values: AlyxRecordFormValues | null;
  status: { kind: 'idle' | 'busy' | 'failed'; message?: string; unreachable?: boolean };
  created: CreatedRecordView | null;
  errors: Record<string, string>;
  subjectStatus: { subject: string; status: SubjectWaterStatus | null; message?: string } | null;
}

/** Register Weight / Register Water: subject (searchable list), amount, date and time, user; water adds type, session, ad libitum. */
export function bootAlyxRecordForm(app: HTMLElement): void {
  const channel = pageChannel<FormState, RecordToExtension, RecordToWebview>();
  const state = restoreState<FormState>(channel.state(), { loaded: null, values: null, status: { kind: 'idle' }, created: null, errors: {}, subjectStatus: null }, 'busy');
  /** The subject whose status was asked for last: asked again only when the subject changes (or the form reloads). */
  let asked = '';
  const askStatus = (subject: string) => {
    if (!subject || subject === asked) return;
    asked = subject;
    channel.post({ type: 'subject', subject });
  };
  const holder = new FormHolder(app, state, (st: FormState) => channel.save(st), (saveTyped) => buildForm(state.loaded!, saveTyped, askStatus));
  const render = () => holder.render(() => [el('p', { class: 'muted' }, 'Loading…')]);
  channel.onMessage((message) => {
    holder.readTyped();
    switch (message.type) {
      case 'init': {
        const keep = !message.force && state.values !== null;
        if (JSON.stringify(state.loaded?.lists) !== JSON.stringify(message.lists)) holder.rebuild();
        state.loaded = { lists: message.lists, server: message.server, kind: message.values.kind };
        if (!keep) state.values = message.values;
        if (state.status.kind === 'failed') state.status = { kind: 'idle' };
        asked = '';
        break;
      }
      case 'subjectStatus':
        state.subjectStatus = { subject: message.subject, status: message.status, ...(message.message ? { message: message.message } : {}) };
        break;
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
    if (message.type === 'init' && state.values?.subject) askStatus(state.values.subject);
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

function buildForm(loaded: NonNullable<FormState['loaded']>, save: () => void, onSubject: (subject: string) => void) {
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
  const subjectStatus = el('section', { id: 'subject-status', 'aria-live': 'polite' });
  const root = el(
    'div',
    { class: 'alyx-form alyx-record' },
    el('h1', {}, kind === 'weight' ? 'Register Weight' : 'Register Water'),
    el('p', { class: 'lead' }, loaded.server ? `Alyx: ${loaded.server}` : 'Alyx: not connected'),
    fieldRow('subject', 'Subject', subject.element, 'Type to search the subjects on the server.'),
    subjectStatus,
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
  root.addEventListener('change', (e) => {
    if ((e.target as HTMLElement | null)?.closest?.('[id]')?.id === 'subject') onSubject(subject.get());
  });
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
    if (state.status.kind === 'failed') status.append(...failureLines(state.status.message ?? '', state.status.unreachable));
    if (left.length) status.append(el('p', { class: 'error', role: 'alert' }, left.join(' ')));
    // The typed values, not the select: a select just rebuilt by fill() has no value until its options are slotted.
    const shown = state.subjectStatus && state.subjectStatus.subject === state.values?.subject.trim() ? state.subjectStatus : null;
    subjectStatus.replaceChildren(...(shown ? renderSubjectStatus(shown) : []));
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

const num = (n: number, digits: number) => String(Number(n.toFixed(digits)));
const when = (dt: string) => dt.replace('T', ' ').replace(/:\d{2}(\.\d+)?$/, '');

/** The subject's weight and water as Alyx computes them; rows Alyx gives no value for are left out. */
function renderSubjectStatus({ subject, status, message }: NonNullable<FormState['subjectStatus']>): Node[] {
  if (!status) return [el('p', { class: 'muted', id: 'subject-status-message' }, message ?? `Nothing known of ${subject}.`)];
  const rows: Array<[string, string, string?]> = [];
  rows.push(['Last weight', status.lastWeighing ? `${num(status.lastWeighing.weight, 2)} g on ${when(status.lastWeighing.dateTime)}` : 'none on Alyx']);
  if (status.referenceWeight !== null) rows.push(['Reference weight', `${num(status.referenceWeight, 2)} g`, 'implant weight taken off']);
  if (status.percentOfExpected !== null) {
    rows.push(['Weight, % of reference', `${num(status.percentOfExpected, 1)} %`, "Alyx's percentage_weight: the last weight (implant off) as a percentage of the expected weight"]);
  }
  if (status.waterRestrictionSince !== undefined) rows.push(['Water restriction', status.waterRestrictionSince ? `since ${when(status.waterRestrictionSince)}` : 'none']);
  const restricted = !!status.waterRestrictionSince;
  if (restricted || (status.expectedWater ?? 0) > 0) {
    if (status.expectedWater !== null) rows.push([`Water required ${status.date}`, `${num(status.expectedWater, 2)} ml`]);
    if (status.givenWater !== null) rows.push([`Water given ${status.date}`, `${num(status.givenWater, 2)} ml`]);
    if (status.remainingWater !== null) {
      rows.push(['Water remaining', status.remainingWater >= 0 ? `${num(status.remainingWater, 2)} ml` : `none (${num(-status.remainingWater, 2)} ml more than required)`]);
    }
  }
  return [
    el('table', { class: 'summary subject-status' }, el('tbody', {}, ...rows.map(([k, v, title]) => el('tr', { 'data-row': k }, el('th', { scope: 'row' }, k), el('td', title ? { title } : {}, v))))),
  ];
}

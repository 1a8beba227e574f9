/**
 * The parts the folder forms share (Build ONE Cache, Package Data Release): labelled text fields
 * with a Browse button and an error line, the run status, summary rows, the list of what was
 * not taken with its reasons, and the form itself (folderForm): its page state, inputs, errors,
 * run and cancel buttons and the messages every folder form exchanges with the extension.
 */
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { restoreState, runningStatus } from './formKit.js';
import { el, progressBar, formatCount } from './vscodeApi.js';

export type FormStatus = { kind: 'idle' } | { kind: 'running'; text: string; percent?: number } | { kind: 'failed'; message: string } | { kind: 'cancelled' };

/** Entries listed on the page; the CLI's --json lists them all. */
const LISTED = 200;

export function textfield(id: string, label: string, placeholder: string): VscodeTextfield {
  const field = el('vscode-textfield', { id, placeholder });
  field.setAttribute('aria-label', label);
  return field;
}

/** A Browse… button; the page posts `{ type: 'browse', field }` for the `data-browse` it carries. */
export function browseButton(field: string): HTMLElement {
  return el('vscode-button', { secondary: true, 'data-browse': field, class: 'browse' }, 'Browse…');
}

export function errorLine(): HTMLElement {
  return el('vscode-form-helper', { class: 'error', 'aria-live': 'polite' });
}

export function fieldRow(id: string, label: string, input: HTMLElement, button: HTMLElement | null, error: HTMLElement, help: string): HTMLElement {
  return el('div', { class: 'field' }, el('vscode-label', { for: id }, label), el('div', { class: 'input-row' }, input, button), error, el('vscode-form-helper', {}, help));
}

/** What the form says about its run; `words` names the work in this form's terms. */
export function renderStatus(status: FormStatus, words: StatusWords): Node[] {
  switch (status.kind) {
    case 'running': {
      const bar = progressBar(status.percent, words.progress);
      return [bar, el('p', { class: 'muted' }, words.running(status.text))];
    }
    case 'failed':
      return [el('p', { class: 'error', role: 'alert' }, `${words.failed}: ${status.message}`)];
    case 'cancelled':
      return [el('p', { class: 'muted' }, words.cancelled)];
    default:
      return [];
  }
}

export function summaryRow(label: string, value: string, id?: string): HTMLElement {
  return el('tr', {}, el('th', { scope: 'row' }, label), el('td', id ? { id } : {}, value));
}

/**
 * Files and folders not taken, with the reason for each: open when short, the first 200 listed.
 * `total` may exceed `entries.length` when the extension sent only the first ones.
 */
export function notTakenList(entries: readonly { path: string; reason: string }[], total: number, words: { heading: string; column: string; command: string; id?: string }): HTMLElement {
  const shown = entries.slice(0, LISTED);
  return el(
    'details',
    { open: total <= 20, ...(words.id ? { id: words.id } : {}) },
    el('summary', {}, `${formatCount(total)} ${words.heading}`),
    el(
      'table',
      { class: 'skipped' },
      el('thead', {}, el('tr', {}, el('th', {}, words.column), el('th', {}, 'Why'))),
      el('tbody', {}, ...shown.map((e) => el('tr', {}, el('td', { class: 'path' }, e.path), el('td', {}, e.reason)))),
    ),
    total > shown.length ? el('p', { class: 'muted' }, `… and ${formatCount(total - shown.length)} more (${words.command} --json lists them all).`) : null,
  );
}

/** A folder form's values: text fields and checkboxes, the folder it works on first among them. */
export type FolderFormValues = { folder: string } & Record<string, string | boolean>;

/** The input of each value: a checkbox for a yes/no value, a text field for the others. */
export type FolderFormInputs<V extends FolderFormValues> = { [K in keyof V]: V[K] extends boolean ? VscodeCheckbox : VscodeTextfield };

export interface FolderFormState<V extends FolderFormValues> {
  values: V;
  status: FormStatus;
}

/** What a folder form sends: `Run` names the runs it starts (Build; Preview and Package), `Browse` the fields with a Browse button. */
export type FolderFormToExtension<V extends FolderFormValues, Run extends string, Browse extends string> =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'browse'; field: Browse }
  | { type: Run; values: V };

/** What every folder form is sent; a form's results come in messages of its own. */
export type FolderFormToWebview<V extends FolderFormValues, Browse extends string> =
  | { type: 'init'; values: V; force: boolean }
  | { type: 'browsed'; field: Browse; path: string }
  | { type: 'invalid'; errors: Partial<Record<keyof V, string>> }
  | { type: 'running'; text: string; percent?: number }
  | { type: 'failed'; message: string }
  | { type: 'cancelled' };

export interface FolderFormOptions<V extends FolderFormValues, Run extends string, Browse extends keyof V & string, Own extends object> {
  app: HTMLElement;
  /** The page's channel (vscodeApi pageChannel): its saved state, and where messages go. */
  channel: {
    state(): Partial<FolderFormState<V> & Own>;
    save(state: FolderFormState<V> & Own): void;
    post(message: FolderFormToExtension<V, Run, Browse>): void;
  };
  /** The values of a form nobody filled yet; also what fills values a saved state lacks. */
  empty: V;
  /** The form's own parts of the page state (its results) before any run. */
  own: Own;
  inputs: FolderFormInputs<V>;
  /** The button of each run; Enter in `form` starts `submit`. */
  runButtons: Record<Run, HTMLElement>;
  submit: Run;
  /** Shown, instead of the run buttons' being enabled, while a run goes. */
  cancelButton: HTMLElement;
  browse: readonly Browse[];
  /** The error under an empty folder field. */
  folderMissing: string;
  /** The run status in the form's words (renderStatus). */
  words: StatusWords;
  /** Clears what a run replaces, before it starts. */
  onStart(run: Run): void;
  /** Clears what an init replaces (the values, always). */
  onInit?(): void;
  /** Shows the form's own results from the state. */
  renderOwn(): void;
}

export interface StatusWords {
  progress: string;
  running: (text: string) => string;
  failed: string;
  cancelled: string;
}

export interface FolderForm<V extends FolderFormValues, Own extends object, Browse extends string> {
  /** The page state: saved after each message and each change of a value. */
  readonly state: FolderFormState<V> & Own;
  /** The error line of each value, to place under its input. */
  readonly errors: Record<keyof V, HTMLElement>;
  /** The run status (`#status`), to place on the page. */
  readonly status: HTMLElement;
  /** Fills the inputs from the state, listens to the inputs and buttons, and tells the extension the page is ready. */
  start(form: HTMLFormElement): void;
  /** Takes a message every folder form is sent into the state; `update()` then shows it. */
  apply(message: FolderFormToWebview<V, Browse>): void;
  /** Saves the state and shows it. */
  update(): void;
}

/**
 * A folder form's workings, the same in Build ONE Cache and Package Data Release: the page state
 * kept across hiding (webview state), a run at a time with Cancel, errors under their fields, the
 * Browse buttons. The form lays out its page with the inputs, errors and status, and handles its
 * own result messages.
 */
export function folderForm<V extends FolderFormValues, Run extends string, Browse extends keyof V & string, Own extends object>(
  options: FolderFormOptions<V, Run, Browse, Own>,
): FolderForm<V, Own, Browse> {
  const { app, channel, empty, inputs } = options;
  const saved = channel.state();
  const state = restoreState<FolderFormState<V> & Own>(saved, { values: empty, status: { kind: 'idle' }, ...options.own }, 'running');
  // Values a newer form has and the saved state lacks get their empty value.
  state.values = { ...empty, ...saved.values };
  const hadState = saved.values !== undefined;
  const keys = Object.keys(empty) as (keyof V & string)[];
  const isCheck = (key: keyof V) => typeof empty[key] === 'boolean';
  const checkbox = (key: keyof V) => inputs[key] as VscodeCheckbox;
  const textfield = (key: keyof V) => inputs[key] as VscodeTextfield;
  const errors = Object.fromEntries(keys.map((k) => [k, isCheck(k) ? el('vscode-form-helper', { class: 'error' }) : errorLine()])) as Record<keyof V, HTMLElement>;
  const status = el('section', { id: 'status', 'aria-live': 'polite' });
  const runs = Object.entries(options.runButtons) as [Run, HTMLElement][];

  const read = (): V => Object.fromEntries(keys.map((k) => [k, isCheck(k) ? checkbox(k).checked : textfield(k).value])) as V;
  const fill = (values: V) => {
    for (const k of keys) {
      if (isCheck(k)) checkbox(k).checked = values[k] as boolean;
      else textfield(k).value = values[k] as string;
    }
  };
  const save = () => channel.save(state);
  const render = () => {
    const running = state.status.kind === 'running';
    for (const [, button] of runs) button.toggleAttribute('disabled', running);
    options.cancelButton.hidden = !running;
    status.replaceChildren(...renderStatus(state.status, options.words));
    options.renderOwn();
  };
  const showErrors = (found: Partial<Record<keyof V, string>>) => {
    for (const k of keys) {
      errors[k].textContent = found[k] ?? '';
      if (!isCheck(k)) textfield(k).invalid = !!found[k];
    }
  };
  const submit = (run: Run) => {
    if (state.status.kind === 'running') return;
    state.values = read();
    const missing = !state.values.folder.trim();
    showErrors((missing ? { folder: options.folderMissing } : {}) as Partial<Record<keyof V, string>>);
    if (missing) return;
    state.status = { kind: 'running', text: 'starting…' };
    options.onStart(run);
    save();
    render();
    channel.post({ type: run, values: state.values });
  };

  return {
    state,
    errors,
    status,
    start(form) {
      app.removeAttribute('aria-busy');
      fill(state.values);
      render();
      for (const k of keys) {
        inputs[k].addEventListener('input', () => ((state.values = read()), save()));
        inputs[k].addEventListener('change', () => ((state.values = read()), save()));
      }
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        submit(options.submit);
      });
      for (const [run, button] of runs) button.addEventListener('click', () => submit(run));
      options.cancelButton.addEventListener('click', () => channel.post({ type: 'cancel' }));
      app.addEventListener('click', (e) => {
        const field = (e.target as HTMLElement).closest<HTMLElement>('[data-browse]')?.dataset.browse;
        const browse = options.browse.find((b) => b === field);
        if (browse) channel.post({ type: 'browse', field: browse });
      });
      channel.post({ type: 'ready' });
    },
    apply(message) {
      switch (message.type) {
        case 'init':
          // A page restored from its state keeps what was typed, unless the extension fills it anew (another folder).
          if (message.force || !hadState) {
            state.values = message.values;
            options.onInit?.();
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
          state.status = runningStatus(message);
          break;
        case 'failed':
          state.status = { kind: 'failed', message: message.message };
          break;
        case 'cancelled':
          state.status = { kind: 'cancelled' };
          break;
      }
    },
    update() {
      save();
      render();
    },
  };
}

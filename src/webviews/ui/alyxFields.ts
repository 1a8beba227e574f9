/** Small field builders shared by the Alyx forms: pick-lists that fall back to free text. */
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { VscodeMultiSelect } from '@vscode-elements/elements/dist/vscode-multi-select/vscode-multi-select.js';
import { el } from './vscodeApi.js';

/**
 * vscode-multi-select whose face shows the chosen names (one badge each, wrapping) where the
 * stock element says "1 Selected": a user checks who and what goes to the server at a glance.
 */
class ChosenMultiSelect extends VscodeMultiSelect {
  static override styles = [...VscodeMultiSelect.styles, wrapFaceSheet()];
}
// `_renderLabel` is private in the element's types; lit renders an array of nodes as children.
Object.defineProperty(ChosenMultiSelect.prototype, '_renderLabel', {
  value(this: ChosenMultiSelect): Node[] {
    const values = [...(this.value ?? [])];
    if (!values.length) return [el('span', { class: 'select-face-badge no-item' }, 'none')];
    return values.map((v) => el('span', { class: 'select-face-badge', title: v }, v));
  },
});
if (!customElements.get('alf-multi-select')) customElements.define('alf-multi-select', ChosenMultiSelect);

function wrapFaceSheet(): (typeof VscodeMultiSelect.styles)[number] {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('.combobox-face, .select-face { flex-wrap: wrap; height: auto; min-height: 26px; } .combobox-input { flex: 1 1 6em; min-width: 6em; }');
  // lit adopts a CSSStyleSheet as it adopts its own CSSResult.
  return sheet as unknown as (typeof VscodeMultiSelect.styles)[number];
}

/** A field whose value is a list of names: a multi-select when the server gave a list, else comma-separated text. */
export interface ListField {
  element: HTMLElement;
  get(): string[];
  set(values: string[]): void;
}

export function listField(id: string, label: string, options: string[] | null): ListField {
  if (options === null) {
    const field = el('vscode-textfield', { id, placeholder: 'comma-separated names' });
    field.setAttribute('aria-label', label);
    return {
      element: field,
      get: () => field.value.split(',').map((s) => s.trim()).filter(Boolean),
      set: (values) => void (field.value = values.join(', ')),
    };
  }
  const holder = el('span', { class: 'select-holder' });
  let select = build([]);
  function build(selected: string[]): HTMLElement & { value: string[] } {
    const names = [...new Set([...options!, ...selected])];
    const s = document.createElement('alf-multi-select') as ChosenMultiSelect;
    s.id = id;
    s.label = label;
    s.combobox = true;
    s.append(...names.map((n) => el('vscode-option', { value: n, selected: selected.includes(n) }, n)));
    s.setAttribute('aria-label', label);
    holder.replaceChildren(s);
    return s;
  }
  return {
    element: holder,
    get: () => [...(select.value ?? [])],
    set: (values) => void (select = build(values)),
  };
}

/** One name from a list (with search), or free text when the server gave no list. */
export interface ChoiceField {
  element: HTMLElement;
  get(): string;
  set(value: string): void;
}

export function choiceField(id: string, label: string, options: string[] | null, { allowEmpty = false, emptyLabel = '(none)' } = {}): ChoiceField {
  if (options === null) {
    const field = el('vscode-textfield', { id });
    field.setAttribute('aria-label', label);
    return { element: field, get: () => field.value.trim(), set: (v) => void (field.value = v) };
  }
  const holder = el('span', { class: 'select-holder' });
  let select = build('');
  function build(value: string): HTMLElement & { value: string } {
    const names = [...new Set([...(value && !options!.includes(value) ? [value] : []), ...options!])];
    const opts = names.map((n) => el('vscode-option', { value: n, selected: n === value }, n));
    if (allowEmpty) opts.unshift(el('vscode-option', { value: '', selected: value === '' }, emptyLabel));
    const s = el('vscode-single-select', { id, combobox: options!.length > 10 }, ...opts) as unknown as HTMLElement & { value: string };
    s.setAttribute('aria-label', label);
    holder.replaceChildren(s);
    return s;
  }
  return { element: holder, get: () => select.value ?? '', set: (v) => void (select = build(v)) };
}

export function fieldRow(id: string, label: string, input: HTMLElement, help?: string): HTMLElement {
  return el(
    'div',
    { class: 'field' },
    el('vscode-label', { for: id }, label),
    input,
    el('vscode-form-helper', { class: 'error', 'data-error-for': id, 'aria-live': 'polite' }),
    help ? el('vscode-form-helper', {}, help) : null,
  );
}

/** Puts each message under its field; returns the messages no field took. */
export function showFieldErrors(root: HTMLElement, errors: Record<string, string>): string[] {
  const left: string[] = [];
  root.querySelectorAll<HTMLElement>('[data-error-for]').forEach((h) => (h.textContent = ''));
  for (const [field, message] of Object.entries(errors)) {
    const helper = root.querySelector<HTMLElement>(`[data-error-for="${field}"]`);
    if (helper) helper.textContent = message;
    else left.push(`${field}: ${message}`);
  }
  return left;
}

/** A field's error goes away as soon as the user edits that field (the next check may bring it back). */
export function clearErrorsOnEdit(root: HTMLElement, onCleared: (field: string) => void): void {
  const clear = (e: Event) => {
    const id = (e.target as HTMLElement | null)?.closest?.('[id]')?.id;
    const helper = id ? root.querySelector<HTMLElement>(`[data-error-for="${id}"]`) : null;
    if (id && helper?.textContent) {
      helper.textContent = '';
      onCleared(id);
    }
  };
  root.addEventListener('input', clear);
  root.addEventListener('change', clear);
}

/**
 * A failed request, as the Register Session and Weight / Water forms say it: the message, Show
 * details, and Retry loading when the server could not be reached (the page asks for its lists again).
 */
export function failureLines(message: string, unreachable: boolean | undefined): Node[] {
  return [
    el('p', { class: 'error', role: 'alert', id: 'failure' }, message),
    el('div', { class: 'actions' }, unreachable ? el('vscode-button', { id: 'retry', secondary: true }, 'Retry loading') : null, el('vscode-button', { id: 'details', secondary: true }, 'Show details')),
  ];
}

/** What a form page builds once per set of server lists. */
export interface BuiltForm<Values, State> {
  root: HTMLElement;
  read(): Values;
  fill(values: Values): void;
  update(state: State): void;
}

/** The page state every Alyx form keeps (webview state): what the form is built from, what was typed, and the errors under fields. */
export interface FormPageState<Values> {
  /** What the extension sent to build the form from (server, lists…); null until it did. */
  loaded: object | null;
  values: Values | null;
  errors: Record<string, string>;
}

/**
 * The form of an Alyx page: built once (again only when the server's lists change), filled from
 * the page state so that nothing typed is lost when the page is hidden or the server fails, and
 * a field's error cleared when the user edits it.
 */
export class FormHolder<Values, State extends FormPageState<Values>> {
  private built: BuiltForm<Values, State> | undefined;
  /** The values last written into the fields: filling again with the same ones would move the caret. */
  private filled = '';

  constructor(
    private readonly app: HTMLElement,
    private readonly state: State,
    private readonly save: (state: State) => void,
    private readonly build: (saveTyped: () => void) => BuiltForm<Values, State>,
  ) {}

  get form(): BuiltForm<Values, State> | undefined {
    return this.built;
  }

  /** Copies what the user typed into the page state (before a message changes it). */
  readTyped(): void {
    if (this.built) this.state.values = this.built.read();
  }

  /** The next show() builds the form anew (the lists it offers changed); typed values stay in the state. */
  rebuild(): void {
    this.built = undefined;
    this.filled = '';
  }

  /** The form, or what `loading` gives until the extension has sent what the form is built from. */
  render(loading: () => Node[]): void {
    if (this.state.loaded) this.show();
    else this.app.replaceChildren(...loading());
  }

  private show(): void {
    if (!this.built) {
      const built = this.build(() => {
        this.readTyped();
        this.save(this.state);
      });
      this.built = built;
      this.app.replaceChildren(built.root);
      this.app.removeAttribute('aria-busy');
      clearErrorsOnEdit(built.root, (field) => {
        delete this.state.errors[field];
        this.save(this.state);
      });
    }
    const key = this.state.values ? JSON.stringify(this.state.values) : '';
    if (this.state.values && key !== this.filled) {
      this.filled = key;
      this.built.fill(this.state.values);
    }
    this.built.update(this.state);
  }
}

/**
 * The parts the folder forms share (Build ONE Cache, Package Data Release): labelled text fields
 * with a Browse button and an error line, the run status, summary rows and the list of what was
 * not taken with its reasons.
 */
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
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
export function renderStatus(status: FormStatus, words: { progress: string; running: (text: string) => string; failed: string; cancelled: string }): Node[] {
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

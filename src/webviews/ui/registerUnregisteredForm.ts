import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import type { SessionResultView, UnregisteredFormView, UnregisteredSessionView, UnregisteredToExtension, UnregisteredToWebview } from '../../protocol/alyx.js';
import { runningStatus } from './formKit.js';
import { el, progressBar, pageChannel } from './vscodeApi.js';

/**
 * The Register Unregistered form: the sessions of a lab, subject or session that Alyx lacks,
 * each with the files it would get and the requests of the preview, then each one's result.
 * Everything it shows comes from the extension (the page has nothing typed to keep).
 */
export function bootRegisterUnregisteredForm(app: HTMLElement): void {
  const channel = pageChannel<{ view: UnregisteredFormView | null }, UnregisteredToExtension, UnregisteredToWebview>();
  let view: UnregisteredFormView | null = channel.state().view ?? null;

  const render = () => {
    if (!view) {
      app.replaceChildren(el('h1', {}, 'Register Unregistered'), el('p', { class: 'muted' }, 'Loading…'));
      return;
    }
    app.replaceChildren(form(view));
  };

  channel.onMessage((message) => {
    if (message.type === 'init') {
      const { type: _type, force: _force, ...rest } = message;
      view = rest;
    } else if (view) {
      view = { ...view, status: runningStatus(message) };
    }
    channel.save({ view });
    render();
  });
  app.addEventListener('click', (e) => {
    const id = (e.target as HTMLElement).closest<HTMLElement>('vscode-button')?.id;
    if (id === 'preview' || id === 'register' || id === 'cancel' || id === 'showDetails') channel.post({ type: id });
  });
  render();
  channel.post({ type: 'ready' });
}

function form(v: UnregisteredFormView): HTMLElement {
  const running = v.status.kind === 'running';
  const creates = v.sessions.filter((s) => s.create).length;
  const files = v.sessions.reduce((n, s) => n + s.files.length, 0);
  return el(
    'div',
    { class: 'alyx-form' },
    el('h1', {}, `Register Unregistered: ${v.scope}`),
    el('p', { class: 'lead' }, v.server ? `Alyx: ${v.server}` : 'Alyx: not connected'),
    el(
      'p',
      { id: 'summary-counts' },
      `${v.sessions.length} session(s): ${creates} to create, ${v.sessions.length - creates} already on Alyx (only their files are registered, the session is not changed); ${files} file(s).`,
    ),
    v.needsCountConfirmation ? el('p', { class: 'warning' }, 'More than 50 sessions: Register asks you to confirm the count first.') : null,
    v.moves ? el('p', { class: 'warning' }, `${v.moves} protected file(s) would be moved into a revision folder: Register asks before moving any.`) : null,
    el(
      'div',
      { class: 'actions' },
      el('vscode-button', { id: 'preview', secondary: true, disabled: running }, 'Preview again'),
      // After a run the list is what was done: Preview again reads what is left before another Register.
      el('vscode-button', { id: 'register', disabled: running || !v.sessions.length || v.summary !== undefined }, `Register ${v.sessions.length} Session(s)`),
      running ? el('vscode-button', { id: 'cancel', secondary: true }, 'Cancel') : null,
    ),
    statusSection(v),
    v.summary ? el('p', { id: 'run-summary', role: 'status' }, v.summary) : null,
    ...v.sessions.map((s) => sessionSection(s, v.results.find((r) => r.path === s.path))),
  );
}

function statusSection(v: UnregisteredFormView): HTMLElement {
  const section = el('section', { id: 'status', 'aria-live': 'polite' });
  const status = v.status;
  if (status.kind === 'running') {
    const bar = progressBar(status.percent);
    section.append(bar, el('p', { class: 'muted' }, status.text));
  } else if (status.kind === 'failed') {
    section.append(el('p', { class: 'error', role: 'alert', id: 'failure' }, status.message), el('vscode-button', { id: 'showDetails', secondary: true }, 'Show details'));
  } else if (status.message) {
    section.append(el('p', { class: 'muted', id: 'status-message' }, status.message));
  }
  return section;
}

function sessionSection(s: UnregisteredSessionView, result: SessionResultView | undefined): HTMLElement {
  const section = el('section', { class: 'session', 'data-session': s.path });
  section.append(
    el('h2', {}, s.path),
    el('p', { class: 'muted' }, s.create ? 'Not on Alyx: the session is created (POST /sessions), then its files registered.' : 'On Alyx: only the files below are registered.'),
  );
  if (s.files.length) section.append(el('ul', { class: 'files' }, ...s.files.map((f) => el('li', {}, el('code', {}, f)))));
  else section.append(el('p', { class: 'muted' }, 'No registrable file: only the session is created.'));
  if (s.error) section.append(el('p', { class: 'error' }, `Preview failed: ${s.error}`));
  for (const n of s.notes ?? []) section.append(el('p', { class: 'muted' }, n));
  if (s.moves?.length) {
    section.append(
      el('p', { class: 'warning' }, `${s.moves.length} protected file(s) would be moved into a revision folder:`),
      el('ul', { class: 'moves' }, ...s.moves.map((m) => el('li', {}, el('code', {}, m.from), ' → ', el('code', {}, m.to)))),
    );
  }
  if (s.requests?.length) {
    const details = el('details', {}, el('summary', {}, `Requests (${s.requests.length})`));
    s.requests.forEach((r, i) => details.append(el('h3', {}, `${i + 1}. ${r.method} ${r.path}`), el('pre', { class: 'request-body' }, JSON.stringify(r.body, null, 2))));
    section.append(details);
  }
  if (result) section.append(resultBlock(result));
  return section;
}

function resultBlock(r: SessionResultView): HTMLElement {
  const head =
    r.outcome === 'registered'
      ? `${r.created ? 'Created' : 'Files registered'}${r.eid ? ` (session ${r.eid})` : ''}: ${r.files.length} file(s)`
      : r.outcome === 'failed'
        ? `Failed${r.created ? ` after the session was created (${r.eid ?? ''})` : ''}: ${r.error ?? ''}`
        : r.outcome === 'skipped'
          ? `Skipped: ${r.error ?? ''}`
          : 'Not reached (cancelled)';
  const block = el('div', { class: `result ${r.outcome}`, 'data-outcome': r.outcome }, el('p', { class: r.outcome === 'failed' ? 'error' : '' }, head));
  if (r.files.length) {
    block.append(el('ul', {}, ...r.files.map((f) => el('li', {}, el('code', {}, f.rel + (f.registeredAs ? ` → ${f.registeredAs}` : '')), ` ${f.id ?? f.error ?? ''}`))));
  }
  if (r.moves.length) block.append(el('p', {}, `Moved into revision folders (they stay there): ${r.moves.map((m) => `${m.from} → ${m.to}`).join(', ')}`));
  if (r.movedBack.length) block.append(el('p', {}, `Moved and put back: ${r.movedBack.map((m) => `${m.to} → ${m.from}`).join(', ')}`));
  return block;
}

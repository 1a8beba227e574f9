import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SubjectRecord } from '../core/alyx/records';
import { CancelledError } from '../core/progress';
import { sessionFolderParts } from '../core/registration/alf-path';
import { addDatasetTypeHint, describeClosest } from '../core/registration/dataset-type-closest';
import { RegistrationClient } from '../core/registration/client';
import { partialRegistrationOf, standingMovesOf } from '../core/registration/errors';
import type { RegisterFilesResult } from '../core/registration/types';
import { AlyxRecordPanel } from '../webviews/alyxFormsPanel';
import { describe } from '../webviews/alyxFailure';
import { RegisterSessionPanel } from '../webviews/registerSessionPanel';
import { RegisterUnregisteredPanel, type UnregisteredScope } from '../webviews/registerUnregisteredPanel';
import { unregisteredOf } from '../core/status/register-unregistered';
import type { AlfRoot } from '../providers/alfRoot';
import type { AlfWorkspace } from '../providers/alfWorkspace';
import { isNode, uriOf } from '../providers/commandArgs';
import type { AlyxStatusStore } from '../providers/alyx/status';
import { sessionPathsOf } from '../providers/tree/treeItems';
import type { CommandSpec } from '../providers/commandSpec';
import { type AlyxConnection, LoginCancelledError } from '../providers/alyx/connection';
import { showSettingError } from '../providers/alyx/settingsButton';

export interface AlyxCommandDeps {
  extensionUri: vscode.Uri;
  workspace: AlfWorkspace;
  connection: AlyxConnection;
  status: AlyxStatusStore;
}

/** The Alyx commands of package.json (log in/out, registration forms and quick actions). */
export function alyxCommands({ extensionUri, workspace, connection, status }: AlyxCommandDeps): CommandSpec[] {
  const registration = async (): Promise<RegistrationClient> => {
    const login = await connection.login({ interactive: true });
    return RegistrationClient.create(login.client, { log: (line) => connection.output.info(line) });
  };

  const commands: CommandSpec[] = [
    {
      id: 'alf.login',
      run: async () => {
        const login = await connection.interactiveLogin();
        if (login) void vscode.window.showInformationMessage(`ALF: logged in to ${login.url} as ${login.username}.`);
        await connection.refresh();
        return login ? { url: login.url, username: login.username } : undefined;
      },
    },
    {
      id: 'alf.logout',
      run: async () => {
        const message = await connection.logout();
        void vscode.window.showInformationMessage(`ALF: ${message}`);
      },
    },
    {
      id: 'alf.registerSession',
      run: async (arg) => {
        const folder = uriOf(arg)?.fsPath ?? (await pickSession(workspace));
        if (!folder) return undefined;
        if (!sessionFolderParts(folder)) throw new Error(`${folder} is not a session folder (subject/yyyy-mm-dd/NNN)`);
        await connection.login({ interactive: true });
        return RegisterSessionPanel.show(extensionUri, connection, folder);
      },
    },
    {
      id: 'alf.registerUnregistered',
      run: async (arg) => {
        await connection.login({ interactive: true });
        // The palette before any status: fetch it, since the sessions to register come from it.
        if (!status.fetched && !(await status.refresh())) return undefined;
        return RegisterUnregisteredPanel.show(extensionUri, connection, status, unregisteredScope(status, arg));
      },
    },
    {
      id: 'alf.registerWeight',
      run: async () => {
        await connection.login({ interactive: true });
        return AlyxRecordPanel.show(extensionUri, connection, 'weight');
      },
    },
    {
      id: 'alf.registerWater',
      run: async () => {
        await connection.login({ interactive: true });
        return AlyxRecordPanel.show(extensionUri, connection, 'water');
      },
    },
    {
      id: 'alf.registerFiles',
      run: async (arg, selected) => {
        const files = selectedFiles(arg, selected);
        if (!files.length) throw new Error('Select one or more files in the Explorer, then run ALF: Register Files');
        return registerFiles(await registration(), connection, files);
      },
    },
    {
      id: 'alf.checkProtected',
      run: async (arg, selected) => {
        const reg = await registration();
        let files = selectedFiles(arg, selected);
        if (files.length === 1 && sessionFolderParts(files[0]!)) files = await reg.findFiles(files[0]!);
        else if (!files.length) {
          const session = await pickSession(workspace);
          if (!session) return undefined;
          files = await reg.findFiles(session);
        }
        return checkProtected(reg, connection, files);
      },
    },
    {
      id: 'alf.createSession',
      run: async () => createSession(await registration(), workspace),
    },
    {
      id: 'alf.createSessionsFromFlags',
      run: async (arg) => createSessionsFromFlags(await registration(), workspace, connection, uriOf(arg)?.fsPath),
    },
  ];
  // Backing out of the login prompts is not an error: the command just stops. A missing or
  // refused server setting is said with a button that opens that setting.
  return commands.map((c) => ({
    id: c.id,
    run: async (...args: unknown[]) => {
      try {
        return await c.run(...args);
      } catch (err) {
        if (err instanceof LoginCancelledError) return undefined;
        if (showSettingError(err, (line) => connection.output.warn(line))) return undefined;
        throw err;
      }
    },
  }));
}

/**
 * The sessions a Register Unregistered form covers: those under the lab, subject or session
 * node it was opened on, or every session of the open folders (the palette).
 */
function unregisteredScope(status: AlyxStatusStore, arg: unknown): UnregisteredScope {
  let label = 'the open folders';
  let inScope: (root: AlfRoot, sessionPath: string) => boolean = () => true;
  let key = 'all';
  if (isNode(arg) && (arg.type === 'lab' || arg.type === 'subject' || arg.type === 'session')) {
    const paths = new Set(sessionPathsOf(arg));
    const root = arg.root;
    inScope = (r, p) => r === root && paths.has(p);
    key = arg.id;
    label = arg.type === 'lab' ? `lab ${arg.lab || '(no lab folder)'}` : arg.type === 'subject' ? `subject ${arg.subject}` : `session ${arg.sessionPath}`;
  }
  return {
    key,
    label,
    targets: () => unregisteredOf(status.statuses().filter(({ root, status: s }) => inScope(root, s.path)).map(({ status: s }) => s)),
  };
}

function selectedFiles(arg: unknown, selected: unknown): string[] {
  if (Array.isArray(selected) && selected.length && selected.every((s) => s instanceof vscode.Uri)) return (selected as vscode.Uri[]).map((u) => u.fsPath);
  const one = uriOf(arg);
  return one ? [one.fsPath] : [];
}

async function pickSession(workspace: AlfWorkspace): Promise<string | undefined> {
  const items = workspace.roots.flatMap((root) =>
    [...root.model.sessions.keys()].map((rel) => ({ label: rel, description: root.name, fsPath: root.absolute(rel) })),
  );
  if (!items.length) throw new Error('No ALF sessions in the open folders: open a folder with subject/yyyy-mm-dd/NNN sessions');
  const pick = await vscode.window.showQuickPick(items, { title: 'ALF: Register Session', placeHolder: 'Which session?', matchOnDescription: true });
  return pick?.fsPath;
}

function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, report: (text: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal, (message) => progress.report({ message }));
    } finally {
      sub.dispose();
    }
  });
}

/** ALF: Register Files: confirm (with predicted moves), register with progress, report each file. */
async function registerFiles(reg: RegistrationClient, connection: AlyxConnection, files: string[]): Promise<RegisterFilesResult | undefined> {
  const plan = await withCancellableProgress('ALF: checking the files against Alyx', (signal) => reg.registerFiles(files, { dry: true, maxMd5Size: 0, signal }));
  const registrable = files.length - plan.skipped.length;
  const skipped = plan.skipped.map((s) => `${s.message}${s.closest?.length ? ` (closest dataset types: ${describeClosest(s.closest)})` : ''}`);
  const hint = plan.skipped.some((s) => s.reason === 'no-dataset-type') ? [addDatasetTypeHint(reg.alyx.baseUrl)] : [];
  const lines = [
    ...skipped.map((s) => `Skipped: ${s}`),
    ...hint,
    ...plan.moves.map((m) => `Protected, will move: ${path.basename(m.from)} → ${path.relative(path.dirname(m.from), m.to)}`),
  ];
  if (!registrable) {
    void vscode.window.showWarningMessage(`ALF: none of the ${files.length} file(s) can be registered: ${[...skipped, ...hint].join('; ')}`);
    return plan;
  }
  const button = plan.moves.length ? 'Move and Register' : 'Register';
  const answer = await vscode.window.showWarningMessage(
    `Register ${registrable} file(s) on ${reg.alyx.baseUrl}?${plan.moves.length ? ` ${plan.moves.length} protected file(s) will be moved into a revision folder first.` : ''}`,
    { modal: true, detail: lines.join('\n') || undefined },
    button,
  );
  if (answer !== button) return undefined;
  try {
    const result = await withCancellableProgress('ALF: registering files', (signal, report) =>
      reg.registerFiles(files, { signal, onProgress: (e) => report(`${e.phase} ${e.done}${e.total ? `/${e.total}` : ''}`) }),
    );
    const done = result.records.filter((r) => r !== null);
    connection.output.info(`registered ${done.length} file(s): ${done.map((r) => `${r.name} ${r.id}`).join(', ')}`);
    for (const m of result.moves) connection.output.info(`moved ${m.from} -> ${m.to}`);
    void vscode.window.showInformationMessage(`ALF: registered ${done.length} of ${files.length} file(s)${result.moves.length ? `, ${result.moves.length} moved into a revision folder` : ''}.`);
    return result;
  } catch (err) {
    // Files moved into revision folders before the failure stay there: say so, even when cancelled.
    const partial = partialRegistrationOf(err);
    const moved = partial ? standingMovesOf(partial) : [];
    for (const m of moved) connection.output.info(`moved ${m.from} -> ${m.to} (before the failure; it stays)`);
    if (err instanceof CancelledError && !moved.length) return undefined;
    void vscode.window.showErrorMessage(`ALF: registering files failed: ${describe(err)}${moved.length ? `; ${moved.length} protected file(s) were moved into a revision folder before it and stay there` : ''}`, 'Show details').then((p) => p && connection.showDetails('Register files', err));
    return undefined;
  }
}

/** ALF: Check Protected Files: one line per file in the output channel, a summary notification. */
async function checkProtected(reg: RegistrationClient, connection: AlyxConnection, files: string[]): Promise<Array<{ file: string; protectedIn: string[] }>> {
  const { results, skipped } = await reg.checkProtectedFiles(files);
  const out: Array<{ file: string; protectedIn: string[] }> = [];
  for (const r of results) {
    const details = Array.isArray(r.response.details) ? r.response.details : [];
    r.files.forEach((file, i) => {
      const entry = details.find((d) => file in d) ?? details[i];
      const revisions = entry ? (Object.values(entry)[0] ?? []) : [];
      const protectedIn = revisions.filter((rv) => Object.values(rv)[0] === true).map((rv) => Object.keys(rv)[0] || '(no revision)');
      out.push({ file: `${r.path}/${file}`, protectedIn });
    });
  }
  connection.output.info(`Check protected (${out.length} file(s)):`);
  for (const o of out) connection.output.info(`  ${o.file}: ${o.protectedIn.length ? `protected in ${o.protectedIn.join(', ')}` : 'not protected'}`);
  for (const s of skipped) connection.output.info(`  skipped ${s.message}`);
  const prot = out.filter((o) => o.protectedIn.length);
  const summary = prot.length
    ? `${prot.length} of ${out.length} file(s) are protected: ${prot.map((o) => `${path.posix.basename(o.file)} (${o.protectedIn.join(', ')})`).join('; ')}`
    : `None of the ${out.length} file(s) is protected.`;
  void vscode.window.showInformationMessage(`ALF: ${summary}`, 'Show details').then((p) => p && connection.output.show(true));
  return out;
}

/** ALF: Create New Session…: subject (searchable), date, data root; makes the next NNN folder. */
async function createSession(reg: RegistrationClient, workspace: AlfWorkspace): Promise<string | undefined> {
  const subjects = await reg.alyx.listAll<SubjectRecord>('subjects', {}, { pageSize: 1000 });
  const subject = await vscode.window.showQuickPick(
    subjects.map((s) => ({ label: s.nickname, description: s.lab ?? '' })).sort((a, b) => a.label.localeCompare(b.label)),
    { title: 'ALF: Create New Session (1/4): subject', placeHolder: 'Type to search the subjects on Alyx', matchOnDescription: true },
  );
  if (!subject) return undefined;
  const today = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const date = await vscode.window.showInputBox({
    title: 'ALF: Create New Session (2/4): date',
    value: `${today.getFullYear()}-${p(today.getMonth() + 1)}-${p(today.getDate())}`,
    validateInput: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) && !Number.isNaN(Date.parse(v.trim())) ? undefined : 'A date as yyyy-mm-dd'),
  });
  if (!date) return undefined;
  const roots = workspace.roots.map((r) => ({ label: r.name, description: r.fsPath, fsPath: r.fsPath as string | undefined }));
  const rootPick = await vscode.window.showQuickPick([...roots, { label: '$(folder-opened) Browse…', description: '', fsPath: undefined }], {
    title: 'ALF: Create New Session (3/4): data root (subject/date/NNN is made inside it)',
  });
  if (!rootPick) return undefined;
  const sessionRoot = rootPick.fsPath ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false }))?.[0]?.fsPath;
  if (!sessionRoot) return undefined;
  const register = await vscode.window.showQuickPick(
    [
      { label: 'Create the folder and the session on Alyx', register: true },
      { label: 'Create the folder only', register: false },
    ],
    { title: 'ALF: Create New Session (4/4)' },
  );
  if (!register) return undefined;
  const made = await reg.createNewSession(subject.label, { sessionRoot, date: date.trim(), register: register.register });
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(made.sessionPath));
  void vscode.window.showInformationMessage(`ALF: created ${made.sessionPath}${made.eid ? ` (Alyx session ${made.eid})` : ''}.`);
  return made.sessionPath;
}

/** ALF: Create Sessions from Flag Files: lists what the flags would create, then creates (and optionally registers). */
async function createSessionsFromFlags(reg: RegistrationClient, workspace: AlfWorkspace, connection: AlyxConnection, folder?: string): Promise<string[] | undefined> {
  const root = folder ?? (workspace.roots.length === 1 ? workspace.roots[0]!.fsPath : (await vscode.window.showQuickPick(workspace.roots.map((r) => ({ label: r.name, description: r.fsPath })), { title: 'ALF: Create Sessions from Flag Files' }))?.description);
  if (!root) return undefined;
  const pattern = vscode.workspace.getConfiguration('alf.alyx').get<string>('flagPattern') || '**/create_me.flag';
  const dry = await reg.createSessions(root, { globPattern: pattern, dry: true });
  if (!dry.sessionPaths.length) {
    void vscode.window.showInformationMessage(`ALF: no ${pattern} under ${root}.`);
    return [];
  }
  const answer = await vscode.window.showWarningMessage(
    `Create ${dry.sessionPaths.length} session(s) on ${reg.alyx.baseUrl}? Each flag file is deleted once its session is created.`,
    { modal: true, detail: dry.sessionPaths.map((p) => path.relative(root, p)).join('\n') },
    'Create Sessions',
    'Create and Register Files',
  );
  if (!answer) return undefined;
  let result: Awaited<ReturnType<RegistrationClient['createSessions']>>;
  try {
    result = await withCancellableProgress('ALF: creating sessions', (signal, report) =>
      reg.createSessions(root, { globPattern: pattern, registerFiles: answer === 'Create and Register Files', signal, onProgress: (e) => report(`${e.done}/${e.total ?? '?'} ${e.detail ?? ''}`) }),
    );
  } catch (err) {
    if (err instanceof CancelledError) return undefined;
    // Flags go only once their session exists: those left say where it stopped.
    const left = (await reg.createSessions(root, { globPattern: pattern, dry: true }).catch(() => dry)).sessionPaths;
    const failed = left[0] ? path.relative(root, left[0]) : 'a session';
    void vscode.window
      .showErrorMessage(
        `ALF: created ${dry.sessionPaths.length - left.length} of ${dry.sessionPaths.length} session(s); ${failed} failed: ${describe(err)}. Its flag${left.length > 1 ? ` and the ${left.length - 1} after it are` : ' is'} kept: run the command again once fixed.`,
        'Show details',
      )
      .then((p) => p && connection.showDetails('Create sessions from flag files', err));
    return dry.sessionPaths.filter((p) => !left.includes(p));
  }
  for (const p of result.sessionPaths) connection.output.info(`created session for ${p}`);
  void vscode.window.showInformationMessage(`ALF: created ${result.sessionPaths.length} session(s) on Alyx.`);
  return result.sessionPaths;
}

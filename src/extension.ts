/**
 * ALF Workbench, VS Code side: activation and command registration only. The work happens in
 * src/providers (VS Code adapters), src/webviews (forms and editors) and, for anything that
 * reads many files, the core on a worker thread (dist/alf-worker.js).
 */
import * as vscode from 'vscode';
import { AlfWorkspace } from './providers/alfWorkspace';
import { openTable, runCacheBuild, type CacheBuildOutcome, type CacheBuildRequest } from './providers/cacheBuilds';
import { CacheStatusTracker } from './providers/cacheStatus';
import type { CommandSpec } from './providers/commandSpec';
import { folderArg, isNode, uriOf } from './providers/commandArgs';
import { AlfDecorations } from './providers/decorations';
import { AlfDiagnostics } from './providers/diagnostics';
import { fixableContext } from './providers/fixableContext';
import { copyEid, copyOneSnippet, copySessionPath, revealInExplorer } from './providers/itemActions';
import { localMode } from './commands/local';
import { fixNamesInFolder, fixNamesInSession, fixProblem, RenameCodeActions, renameToValid } from './providers/renames';
import { FIX_PROBLEM_COMMAND } from './providers/fixLinks';
import { PROBLEMS_ONLY_CONTEXT, SessionsTreeProvider, UNREGISTERED_ONLY_CONTEXT } from './providers/tree/sessionsTree';
import { validateFolder } from './providers/validate';
import { ViewStatus } from './providers/viewStatus';
import { ProblemsStatus } from './providers/problemsStatus';
import { WalkthroughProgress } from './providers/walkthroughProgress';
import { CoreWorker } from './model/worker/client';
import { BuildCachePanel } from './webviews/buildCachePanel';
import { alyxCommands } from './commands/alyx';
import { releaseCommands } from './commands/releases';
import { AlyxConnection } from './providers/alyx/connection';
import { AlyxStatusStore } from './providers/alyx/status';
import { sessionPathsContext } from './providers/alyx/sessionContext';
import { ParquetEditorProvider } from './webviews/parquetEditor';
import { errorMessage } from './core/util/errors';

/** What activate() returns: for the extension-host tests, and for other extensions. */
export interface AlfExtensionApi {
  readonly workspace: AlfWorkspace;
  readonly tree: SessionsTreeProvider;
  readonly treeView: vscode.TreeView<unknown>;
  readonly diagnostics: AlfDiagnostics;
  readonly decorations: AlfDecorations;
  /** The status-bar counts (the core's categories and words). */
  readonly problemsStatus: ProblemsStatus;
  readonly cacheStatus: CacheStatusTracker;
  readonly worker: CoreWorker;
  /** Builds (or, with changedPaths, updates) a cache as ALF: Build ONE Cache does, without the form. */
  buildCache(request: CacheBuildRequest, signal?: AbortSignal): Promise<CacheBuildOutcome>;
  /** The Alyx connection (server, login, status bar). */
  readonly alyx: AlyxConnection;
  /** Alyx status of the sessions, fetched on demand (ALF: Refresh Alyx Status). */
  readonly alyxStatus: AlyxStatusStore;
  /** Time spent in activate(), in milliseconds. */
  readonly activationMs: number;
  /** Resolves when no scan or file-event update is running. */
  whenIdle(): Promise<void>;
}

export function activate(context: vscode.ExtensionContext): AlfExtensionApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('ALF', { log: true });
  const worker = new CoreWorker(vscode.Uri.joinPath(context.extensionUri, 'dist', 'alf-worker.js').fsPath);
  const workspace = new AlfWorkspace(worker, log);
  const tree = new SessionsTreeProvider(workspace);
  const treeView = vscode.window.createTreeView('alf.sessions', { treeDataProvider: tree, showCollapseAll: true });
  const diagnostics = new AlfDiagnostics(workspace);
  const decorations = new AlfDecorations(workspace);
  const problemsStatus = new ProblemsStatus(workspace, treeView);
  const cacheStatus = new CacheStatusTracker(worker, workspace, context.workspaceState, log);
  tree.setCacheStatus(cacheStatus);

  const buildCache = async (
    request: CacheBuildRequest,
    onProgress?: (text: string, percent?: number) => void,
    signal?: AbortSignal,
  ): Promise<CacheBuildOutcome> => {
    const outcome = await runCacheBuild(worker, request, onProgress, signal);
    if (outcome.kind === 'done') await cacheStatus.recordBuild(request.folder, request.outDir);
    return outcome;
  };
  const buildHost = {
    extensionUri: context.extensionUri,
    outDirFor: (folder: string) => cacheStatus.outDirFor(folder),
    exclude: () => workspace.settings.exclude,
    run: buildCache,
  };

  const local = localMode({ extensionUri: context.extensionUri, workspace, cacheStatus, treeView: treeView as vscode.TreeView<unknown>, log, worker, workspaceState: context.workspaceState });
  const alyx = new AlyxConnection(context.secrets);
  const alyxStatus = new AlyxStatusStore(workspace, alyx, treeView as vscode.TreeView<unknown>);
  tree.setAlyxStatus(alyxStatus);

  const commands: CommandSpec[] = [
    {
      id: 'alf.buildCache',
      run: async (arg) => {
        const folder = uriOf(arg) ?? (workspace.roots.length === 1 ? workspace.roots[0]!.uri : undefined);
        BuildCachePanel.show(buildHost, folder?.fsPath);
      },
    },
    {
      id: 'alf.updateCache',
      run: async (arg) => {
        const root = (uriOf(arg) && workspace.rootFor(uriOf(arg)!)) ?? workspace.roots.find((r) => cacheStatus.isStale(r));
        const info = root && cacheStatus.info(root);
        if (!root || !info) {
          void vscode.window.showInformationMessage('ALF: no out-of-date ONE cache to update.');
          return;
        }
        return buildCache({
          folder: root.fsPath,
          outDir: info.dir,
          hashFiles: info.hasHashes,
          exclude: workspace.settings.exclude,
          changedPaths: cacheStatus.changedPaths(root),
        });
      },
    },
    {
      id: 'alf.validateFolder',
      run: async (arg) => {
        const folder = await folderArg(workspace, arg, 'ALF: Validate Folder');
        return folder && validateFolder(workspace, folder);
      },
    },
    { id: 'alf.refreshSessions', run: () => workspace.rescanAll() },
    {
      id: 'alf.fixNames',
      run: async (arg) => {
        const folder = await folderArg(workspace, arg, 'ALF: Fix Names in Folder');
        return folder && fixNamesInFolder(workspace, folder);
      },
    },
    { id: 'alf.fixNamesInSession', run: (arg) => fixNamesInSession(workspace, uriOf(arg) ?? uriOf(selectedNode(treeView))) },
    { id: FIX_PROBLEM_COMMAND, run: (arg) => fixProblem(workspace, arg) },
    { id: 'alf.showProblemsOnly', run: () => tree.setProblemsOnly(true) },
    { id: 'alf.showAllItems', run: () => tree.setProblemsOnly(false) },
    { id: 'alf.showUnregisteredOnly', run: () => tree.setUnregisteredOnly(true) },
    { id: 'alf.showRegisteredToo', run: () => tree.setUnregisteredOnly(false) },
    {
      id: 'alf.addDataRoot',
      run: async () => {
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Add to ALF data folders' });
        if (!picked?.[0]) return;
        const config = vscode.workspace.getConfiguration('alf');
        const roots = config.get<string[]>('dataRoots') ?? [];
        await config.update('dataRoots', [...roots, picked[0].fsPath], vscode.ConfigurationTarget.Global);
      },
    },
    { id: 'alf.revealInExplorer', run: (arg) => revealInExplorer(isNode(arg) ? arg : uriOf(arg)) },
    { id: 'alf.copySessionPath', run: (arg) => copySessionPath(isNode(arg) ? arg : selectedNode(treeView)) },
    { id: 'alf.copyEid', run: (arg) => copyEid(worker, cacheStatus.cacheDir, isNode(arg) ? arg : selectedNode(treeView)) },
    { id: 'alf.copyOneSnippet', run: (arg) => copyOneSnippet(worker, cacheStatus.cacheDir, isNode(arg) ? arg : selectedNode(treeView)) },
    {
      id: 'alf.renameToValid',
      run: async (arg, newName) => {
        const target = uriOf(arg);
        return target && renameToValid(workspace, target, typeof newName === 'string' ? newName : undefined);
      },
    },
    {
      id: 'alf.openSessionsTable',
      run: async () => {
        const withCache = workspace.roots.map((r) => cacheStatus.info(r)).filter((i) => !!i);
        const info =
          withCache.length <= 1
            ? withCache[0]
            : (await vscode.window.showQuickPick(withCache.map((i) => ({ label: i.sessionsPath, info: i })), { title: 'ALF: Open Sessions Table' }))?.info;
        if (info) await openTable(info.sessionsPath);
      },
    },
    ...local.commands,
    ...alyxCommands({ extensionUri: context.extensionUri, workspace, connection: alyx, status: alyxStatus }),
    ...alyxStatus.commands,
    ...releaseCommands(context.extensionUri),
  ];

  context.subscriptions.push(
    log,
    { dispose: () => worker.dispose() },
    workspace,
    tree,
    treeView,
    diagnostics,
    decorations,
    problemsStatus,
    cacheStatus,
    new ViewStatus(treeView, workspace, cacheStatus),
    new WalkthroughProgress(workspace, cacheStatus),
    fixableContext(workspace),
    alyx,
    alyxStatus,
    sessionPathsContext(workspace),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new RenameCodeActions(diagnostics), {
      providedCodeActionKinds: RenameCodeActions.kinds,
    }),
    ParquetEditorProvider.register(context.extensionUri, worker),
    ...local.disposables,
    ...commands.map((c) => vscode.commands.registerCommand(c.id, guarded(c, log))),
  );
  void vscode.commands.executeCommand('setContext', PROBLEMS_ONLY_CONTEXT, false);
  void vscode.commands.executeCommand('setContext', UNREGISTERED_ONLY_CONTEXT, false);
  void vscode.commands.executeCommand('setContext', 'alf.activated', true);
  // The first scan starts after activation returns, so activation stays a few milliseconds.
  setImmediate(() => workspace.syncRoots());
  setImmediate(() => void alyx.refresh());

  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    workspace,
    tree,
    treeView: treeView as vscode.TreeView<unknown>,
    diagnostics,
    decorations,
    problemsStatus,
    cacheStatus,
    worker,
    alyx,
    alyxStatus,
    buildCache: (request, signal) => buildCache(request, undefined, signal),
    activationMs,
    whenIdle: () => workspace.whenIdle(),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function selectedNode(view: vscode.TreeView<unknown>): Parameters<typeof copySessionPath>[0] {
  const first = view.selection[0];
  return isNode(first) ? first : undefined;
}

/** A failing command shows one clear line (and logs it), never a stack trace. */
function guarded(spec: CommandSpec, log: vscode.LogOutputChannel): (...args: unknown[]) => Promise<unknown> {
  return async (...args) => {
    try {
      return await spec.run(...args);
    } catch (err) {
      const message = errorMessage(err);
      log.error(`${spec.id}: ${message}`);
      void vscode.window.showErrorMessage(`ALF: ${message}`);
      return undefined;
    }
  };
}

/**
 * Local mode in the editor (issue #6): the Search view, the .npy editor and the ALF object view,
 * and their commands. Everything here adapts the core (src/core/one, src/core/npy) to VS Code.
 */
import * as vscode from 'vscode';
import { type ObjectRef, listSessionFiles, loadObjectFromFolder, objectsOf, type SearchForm } from '../core/one';
import { loadObjectFromFiles } from '../model/objectFromFiles';
import type { CoreWorker } from '../model/worker/client';
import type { CacheChoice } from '../protocol/local';
import { NpyEditorProvider } from '../webviews/npyEditor';
import { ObjectPanel } from '../webviews/objectPanel';
import { SearchViewProvider } from '../webviews/searchView';
import type { AlfWorkspace } from '../providers/alfWorkspace';
import type { CacheStatusTracker } from '../providers/cacheStatus';
import { isNode } from '../providers/commandArgs';
import type { CommandSpec } from '../providers/commandSpec';
import { sessionTarget } from '../providers/itemActions';
import type { AlfNode } from '../providers/tree/nodes';

/** Set once the user has opened an ALF object (read by the walkthrough in package.json). */
export const OPENED_OBJECT_CONTEXT = 'alf.openedObject';

/** What ALF: Open ALF Object… gets from the Search view: a session of a cache. */
export interface CachedSessionArg {
  kind: 'cachedSession';
  cache: CacheChoice;
  eid: string;
}

function isCachedSession(arg: unknown): arg is CachedSessionArg {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'cachedSession';
}

export interface LocalModeDeps {
  extensionUri: vscode.Uri;
  workspace: AlfWorkspace;
  cacheStatus: CacheStatusTracker;
  treeView: vscode.TreeView<unknown>;
  log: vscode.LogOutputChannel;
  /** Opens the ONE caches and searches them (the extension host never opens a cache's tables). */
  worker: CoreWorker;
  /** Keeps the Search view's recent searches. */
  workspaceState?: vscode.Memento;
}

export function localMode(deps: LocalModeDeps): { commands: CommandSpec[]; disposables: vscode.Disposable[] } {
  const { extensionUri, workspace, cacheStatus, treeView, log, worker } = deps;
  // The object last opened comes first in the next pick: a user going through sessions looks at the same object in each.
  let lastObject: string | undefined;
  const pick = async (objects: ObjectRef[], name: string | undefined, session: string): Promise<ObjectRef | undefined> => {
    const ref = await pickObject(objects, name, session, lastObject);
    if (ref) {
      lastObject = ref.object;
      // Ticks the walkthrough's "Search and open an object" step, whichever way the object was opened.
      void vscode.commands.executeCommand('setContext', OPENED_OBJECT_CONTEXT, true);
    }
    return ref;
  };
  const caches = (): CacheChoice[] =>
    workspace.roots.flatMap((r) => {
      const info = cacheStatus.info(r);
      return info ? [{ root: r.fsPath, tablesDir: info.dir, label: r.name, sessions: info.sessionCount }] : [];
    });

  const openCached = async (cache: CacheChoice, eid: string, objectName?: string): Promise<void> => {
    const cacheRef = { root: cache.root, tablesDir: cache.tablesDir };
    const s = await worker.call('oneSession', { ...cacheRef, eid });
    if (!s) throw new Error(`session ${eid} is not in the cache of ${cache.label} any more; search again`);
    const ref = await pick(objectsOf(s.datasets), objectName, `${s.subject} ${s.date} ${s.number}`);
    if (!ref) return;
    const session = [s.lab, 'Subjects', s.subject, s.date, String(s.number).padStart(3, '0')].filter(Boolean).join('/');
    ObjectPanel.show(extensionUri, {
      session,
      object: ref.object,
      collection: ref.collection || null,
      // The worker picks the files as ONE's load_object would; the host reads them.
      load: async () => {
        const chosen = await worker.call('oneObjectFiles', { ...cacheRef, eid, object: ref.object, collection: ref.collection });
        return loadObjectFromFiles(eid, ref.object, chosen.files, { int64: 'number' }, chosen.warnings);
      },
    });
    log.info(`object view: ${ref.object} of ${session} (cache ${cache.tablesDir})`);
  };

  const openFromTree = async (node: AlfNode, objectName?: string): Promise<void> => {
    const target = sessionTarget(node);
    if (!target) throw new Error('pick a session in the Sessions view to open one of its objects');
    const dir = target.root.absolute(target.session.key.path);
    const ref = await pick(objectsOf(await listSessionFiles(dir)), objectName, target.session.key.path);
    if (!ref) return;
    ObjectPanel.show(extensionUri, {
      session: target.session.key.path,
      object: ref.object,
      collection: ref.collection || null,
      // From the folder itself: works with or without a cache, and shows what is on disk now.
      load: () => loadObjectFromFolder(dir, ref.object, { collection: ref.collection, int64: 'number' }),
    });
  };

  const host = {
    extensionUri,
    worker,
    caches,
    onDidChangeCaches: cacheStatus.onDidChange as vscode.Event<unknown>,
    openObject: (cache: CacheChoice, eid: string, object?: string) => openCached(cache, eid, object),
    ...(deps.workspaceState ? { state: deps.workspaceState } : {}),
  };

  const commands: CommandSpec[] = [
    {
      id: 'alf.search',
      run: async (form?: unknown) => {
        const provider = [...SearchViewProvider.instances][0];
        const fill = typeof form === 'object' && form !== null && !Array.isArray(form) ? (form as SearchForm) : undefined;
        if (provider) await provider.focus(fill);
        else await vscode.commands.executeCommand('alf.search.focus');
      },
    },
    {
      id: 'alf.openSearchResults',
      run: async (form?: unknown, root?: unknown) => {
        const provider = [...SearchViewProvider.instances][0];
        if (!provider) {
          await vscode.commands.executeCommand('alf.search.focus');
          void vscode.window.showInformationMessage('ALF: search in the Search view first, then Open Search Results as Table.');
          return;
        }
        const terms = typeof form === 'object' && form !== null && !Array.isArray(form) ? (form as SearchForm) : undefined;
        return provider.openResults(terms, typeof root === 'string' ? root : undefined);
      },
    },
    {
      // Not in the palette: the extension-host tests read the Search view's recent searches.
      id: 'alf.recentSearches',
      run: () => [...SearchViewProvider.instances][0]?.recentSearches() ?? [],
    },
    {
      id: 'alf.openObject',
      run: async (arg?: unknown, objectName?: unknown) => {
        const name = typeof objectName === 'string' ? objectName : undefined;
        if (isCachedSession(arg)) return openCached(arg.cache, arg.eid, name);
        const node = isNode(arg) ? arg : (treeView.selection[0] as AlfNode | undefined);
        if (node && sessionTarget(node)) return openFromTree(node, name);
        void vscode.window.showInformationMessage('ALF: select a session in the Sessions view, or search for one in the Search view, then Open ALF Object….');
      },
    },
  ];
  const disposables = [SearchViewProvider.register(host), NpyEditorProvider.register(extensionUri, log)];
  return { commands, disposables };
}

/** The object to open: the one named, the only one, or the user's pick (the last one opened first, then trials). */
async function pickObject(objects: ObjectRef[], name: string | undefined, session: string, preferred?: string): Promise<ObjectRef | undefined> {
  if (objects.length === 0) throw new Error(`${session} has no ALF datasets to open as an object`);
  if (name) {
    const hit = objects.filter((o) => o.object === name);
    if (hit.length === 0) throw new Error(`${session} has no object "${name}" (objects: ${[...new Set(objects.map((o) => o.object))].join(', ')})`);
    if (hit.length === 1) return hit[0];
    objects = hit;
  }
  if (objects.length === 1) return objects[0];
  const items = [...objects]
    .sort((a, b) => Number(b.object === preferred) - Number(a.object === preferred) || Number(b.object === 'trials') - Number(a.object === 'trials'))
    .map((o) => ({ label: o.object, description: o.collection || '(session folder)', detail: `${o.datasets} dataset${o.datasets === 1 ? '' : 's'}`, ref: o }));
  const picked = await vscode.window.showQuickPick(items, { title: `ALF: Open ALF Object — ${session}`, placeHolder: 'Pick an object', matchOnDescription: true });
  return picked?.ref;
}

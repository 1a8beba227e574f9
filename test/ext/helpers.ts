/// <reference types="mocha" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AlfExtensionApi } from '../../src/extension';
import type { AlfRoot } from '../../src/providers/alfRoot';
import type { AlfNode } from '../../src/providers/tree/nodes';

export const EXTENSION_ID = 'alf-workbench.alf-workbench';

let api: AlfExtensionApi | undefined;

/** The installed extension's API, activated and with its first scan finished. */
export async function alf(): Promise<AlfExtensionApi> {
  if (api) return api;
  const ext = vscode.extensions.getExtension<AlfExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  api = await ext.activate();
  await waitFor(() => api!.workspace.roots.length > 0 && api!.workspace.roots.every((r) => r.state === 'ready' || r.state === 'failed'), 30_000, 'first scan');
  await api.whenIdle();
  return api;
}

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need an open folder');
  return folder.uri.fsPath;
}

export async function rootOf(a: AlfExtensionApi, folder = workspaceFolder()): Promise<AlfRoot> {
  const root = a.workspace.roots.find((r) => r.fsPath === folder);
  if (!root) throw new Error(`no root for ${folder}`);
  return root;
}

export async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition', intervalMs = 10): Promise<NonNullable<T>> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Every file below `dir` (root-relative posix paths) whose base name matches. */
export function findFiles(dir: string, test: (name: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(childRel);
      else if (test(entry.name)) out.push(childRel);
    }
  };
  visit('');
  return out;
}

/** A tree node and what VS Code would show for it. */
export interface Shown {
  node: AlfNode;
  item: vscode.TreeItem;
  label: string;
  description: string;
}

export function show(a: AlfExtensionApi, node: AlfNode): Shown {
  // With its tooltip, as VS Code shows it on hover.
  const item = a.tree.resolveTreeItem(a.tree.getTreeItem(node), node);
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  return { node, item, label, description: typeof item.description === 'string' ? item.description : '' };
}

export async function children(a: AlfExtensionApi, node?: AlfNode): Promise<Shown[]> {
  return (await a.tree.getChildren(node)).map((n) => show(a, n));
}

/** Walks the whole tree (as if every item were expanded). */
export async function allNodes(a: AlfExtensionApi): Promise<Shown[]> {
  const out: Shown[] = [];
  const visit = async (node?: AlfNode) => {
    for (const child of await children(a, node)) {
      out.push(child);
      await visit(child.node);
    }
  };
  await visit();
  return out;
}

/** Whether the index has `rel` as a dataset of a session. */
export async function isDataset(root: AlfRoot, rel: string): Promise<boolean> {
  const session = root.model.sessionOf(rel);
  return !!session && (await root.model.datasets(session.key.path)).some((d) => d.path === rel);
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/**
 * ALF: Log In to Alyx with the token Python ONE saved (the first item the quick pick offers),
 * accepting the pick until the command returns, then waits for the logged-in state.
 */
export async function logInWithOneToken(a: AlfExtensionApi): Promise<void> {
  let done = false;
  const login = Promise.resolve(vscode.commands.executeCommand('alf.login')).finally(() => (done = true));
  const started = Date.now();
  while (!done && Date.now() - started < 15_000) {
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await new Promise((r) => setTimeout(r, 200));
  }
  await login;
  await waitFor(() => a.alyx.status.kind === 'loggedIn', 10_000, 'logged in');
}

/** A CPU profile of the extension host (E2E_PROFILE=1), to find what holds a turn. */
export async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      await fs.promises.writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

import * as vscode from 'vscode';
import { filenameParts } from '../core/alf';
import { sessionId } from '../core/cache/ids';
import { pyIdentifier, pyString } from '../core/one/snippet';
import type { AlfRoot } from './alfRoot';
import type { DatasetFile, SessionSummary } from '../model/types';
import type { AlfNode } from './tree/nodes';
import type { CoreWorker } from '../model/worker/client';

/** Where a root's ONE cache tables are, if it has them (see cacheStatus.ts). */
export type CacheDirLookup = (root: AlfRoot) => string | undefined;

/** The session (and the dataset, when there is one) that a Sessions-view item stands for. */
interface SessionTarget {
  root: AlfRoot;
  session: SessionSummary;
  /** Session-relative path of a dataset. */
  datasetRelPath?: string;
}

export function sessionTarget(node: AlfNode | undefined): SessionTarget | undefined {
  if (!node) return undefined;
  const { root } = node;
  if (node.type === 'session' || node.type === 'folder') {
    const session = root.model.sessions.get(node.sessionPath);
    return session && { root, session };
  }
  if (node.type === 'dataset') {
    const session = root.model.sessions.get(node.sessionPath);
    const relPath = root.model.dataset(node.path)?.relPath ?? node.path.slice(node.sessionPath.length + 1);
    return session && { root, session, datasetRelPath: relPath };
  }
  return undefined;
}

/** The folder or file on disk an item shows. */
export function nodeUri(node: AlfNode): vscode.Uri | undefined {
  const { root } = node;
  switch (node.type) {
    case 'root':
      return root.uri;
    case 'session':
      return root.uriOf(node.sessionPath);
    case 'folder':
      return root.uriOf([node.sessionPath, node.collection, node.revision !== null ? `#${node.revision}#` : null].filter((p): p is string => !!p).join('/'));
    case 'dataset':
    case 'outsideFile':
      return root.uriOf(node.path);
    case 'problem': {
      const p = root.model.problem(node.problemId);
      return p && root.uriOf(p.at);
    }
    default:
      return undefined;
  }
}

export async function revealInExplorer(node: AlfNode | vscode.Uri | undefined): Promise<void> {
  const uri = node instanceof vscode.Uri ? node : node && nodeUri(node);
  if (!uri) return;
  await vscode.commands.executeCommand('revealInExplorer', uri);
}

export async function copySessionPath(node: AlfNode | undefined): Promise<void> {
  const target = sessionTarget(node);
  if (!target) return;
  const full = target.root.absolute(target.session.key.path);
  await vscode.env.clipboard.writeText(full);
  void vscode.window.setStatusBarMessage(`ALF: copied ${full}`, 3000);
}

/**
 * The session's eid: the one in the ONE cache when there is a cache (a cache written by Python
 * ONE has other ids than ours), else the name-based id our cache build gives it.
 */
export async function resolveEid(worker: CoreWorker, cacheDir: CacheDirLookup, target: SessionTarget): Promise<{ eid: string; fromCache: boolean }> {
  const dir = cacheDir(target.root);
  if (dir) {
    const { lab, subject, date, number } = target.session.key;
    const eid = await worker.call('lookupEid', { dir, session: { lab, subject, date, number } }).catch(() => null);
    if (eid) return { eid, fromCache: true };
  }
  return { eid: sessionId(target.session.key.strId), fromCache: false };
}

export async function copyEid(worker: CoreWorker, cacheDir: CacheDirLookup, node: AlfNode | undefined): Promise<string | undefined> {
  const target = sessionTarget(node);
  if (!target) return undefined;
  const { eid, fromCache } = await resolveEid(worker, cacheDir, target);
  await vscode.env.clipboard.writeText(eid);
  if (fromCache) void vscode.window.setStatusBarMessage(`ALF: copied eid ${eid}`, 3000);
  else {
    void vscode.window.showInformationMessage(
      `ALF: copied eid ${eid}. There is no ONE cache for this folder yet: this is the id ALF: Build ONE Cache will give the session.`,
    );
  }
  return eid;
}

/** A Python snippet that loads the session (or the dataset) with ONE in local mode. */
export function oneSnippet(target: SessionTarget, datasets: DatasetFile[], eid: string, cacheDir: string): string {
  const lines = [
    'from one.api import ONE',
    '',
    `one = ONE(cache_dir=${pyString(cacheDir)}, mode='local')`,
    `eid = ${pyString(eid)}  # ${target.session.key.strId}`,
  ];
  if (target.datasetRelPath) {
    lines.push(`data = one.load_dataset(eid, ${pyString(target.datasetRelPath)})`);
  } else {
    lines.push('datasets = one.list_datasets(eid)');
    const example = exampleObject(datasets);
    if (example) {
      const collection = example.collection ? `, collection=${pyString(example.collection)}` : '';
      lines.push(`${pyIdentifier(example.object)} = one.load_object(eid, ${pyString(example.object)}${collection})`);
    }
  }
  return lines.join('\n') + '\n';
}

export async function copyOneSnippet(worker: CoreWorker, cacheDir: CacheDirLookup, node: AlfNode | undefined): Promise<string | undefined> {
  const target = sessionTarget(node);
  if (!target) return undefined;
  const { eid } = await resolveEid(worker, cacheDir, target);
  const datasets = await target.root.model.datasets(target.session.key.path);
  const snippet = oneSnippet(target, datasets, eid, cacheDir(target.root) ?? target.root.fsPath);
  await vscode.env.clipboard.writeText(snippet);
  void vscode.window.setStatusBarMessage('ALF: copied a Python ONE snippet', 3000);
  return snippet;
}

/** An object worth loading in the snippet: 'trials' when the session has it, else the first one. */
function exampleObject(datasets: DatasetFile[]): { object: string; collection: string | null } | undefined {
  let first: { object: string; collection: string | null } | undefined;
  for (const d of [...datasets].sort((a, b) => (a.relPath < b.relPath ? -1 : 1))) {
    const object = filenameParts(d.relPath.slice(d.relPath.lastIndexOf('/') + 1))?.object;
    if (!object) continue;
    if (object === 'trials') return { object, collection: d.collection };
    first ??= { object, collection: d.collection };
  }
  return first;
}

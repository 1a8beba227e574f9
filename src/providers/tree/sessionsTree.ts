import * as vscode from 'vscode';
import type { AlfRoot } from '../alfRoot';
import type { AlfWorkspace, IndexUpdate } from '../alfWorkspace';
import { labKey } from '../../model/alfIndex';
import type { DatasetFile, Problem, SessionSummary } from '../../model/types';
import { NodeCache, type AlfNode, type NodeOf } from './nodes';
import { describeNode } from './treeItems';
import type { AlyxStatusChange, AlyxStatusLookup } from '../alyx/status';

/** Context key behind the view's "show only problems" toggle. */
export const PROBLEMS_ONLY_CONTEXT = 'alf.problemsOnly';
/** Context key behind the view's "show unregistered only" toggle (once an Alyx status is fetched). */
export const UNREGISTERED_ONLY_CONTEXT = 'alf.unregisteredOnly';
/** Quiet time after the last status batch before the lab and subject rows are refreshed. */
const PARENTS_AFTER_MS = 300;

/** What the tree needs to know about a root's ONE cache (provided by the cache-status tracker). */
export interface CacheStatusSource {
  isStale(root: AlfRoot): boolean;
  readonly onDidChange: vscode.Event<AlfRoot>;
}

/**
 * Sessions view: root → lab → subject → date/number → collection → #revision# → datasets, with
 * invalid files and folders in their session and everything else under "Outside sessions".
 * Children are computed from the root's model on demand (a session's datasets are fetched from
 * the worker when it is opened); model updates refresh only the nodes they touched.
 */
export class SessionsTreeProvider implements vscode.TreeDataProvider<AlfNode>, vscode.Disposable {
  private readonly nodes = new NodeCache();
  private readonly changeEmitter = new vscode.EventEmitter<AlfNode | AlfNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private problemsOnlyValue = false;
  private cacheStatus: CacheStatusSource | undefined;
  private alyxStatus: AlyxStatusLookup | undefined;
  private unregisteredOnlyValue = false;
  private readonly pendingParents = new Set<AlfNode>();
  private parentsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly workspace: AlfWorkspace) {
    this.disposables.push(
      workspace.onDidUpdate((u) => this.onModelUpdate(u)),
      workspace.onDidChangeRoots(() => this.refreshAll()),
    );
  }

  get problemsOnly(): boolean {
    return this.problemsOnlyValue;
  }

  setProblemsOnly(on: boolean): void {
    this.problemsOnlyValue = on;
    void vscode.commands.executeCommand('setContext', PROBLEMS_ONLY_CONTEXT, on);
    this.refreshAll();
  }

  setCacheStatus(source: CacheStatusSource): void {
    this.cacheStatus = source;
    this.disposables.push(source.onDidChange(() => this.refreshAll()));
  }

  get unregisteredOnly(): boolean {
    return this.unregisteredOnlyValue;
  }

  /** Shows only sessions and files that are not registered on Alyx as they are (needs a fetched status). */
  setUnregisteredOnly(on: boolean): void {
    this.unregisteredOnlyValue = on;
    void vscode.commands.executeCommand('setContext', UNREGISTERED_ONLY_CONTEXT, on);
    this.refreshAll();
  }

  /** Sessions and datasets show their Alyx state once a status has been fetched. */
  setAlyxStatus(source: AlyxStatusLookup): void {
    this.alyxStatus = source;
    this.disposables.push(source.onDidChange((change) => this.onAlyxStatusChange(change)));
  }

  /**
   * A batch of statuses refreshes the session nodes the view has been given (and, through them,
   * their open files), in one event. Show Unregistered Only hides and shows nodes as statuses
   * come in, so there the whole view is refreshed, once per batch.
   */
  private onAlyxStatusChange(change: AlyxStatusChange | undefined): void {
    if (!change || this.unregisteredOnlyValue) {
      this.refreshAll();
      return;
    }
    const targets: AlfNode[] = [];
    for (const { root, sessionPaths } of change) {
      for (const sessionPath of sessionPaths) {
        const node = this.nodes.peek('session', root, sessionPath);
        if (node) targets.push(node);
        const s = root.model.sessions.get(sessionPath);
        if (!s) continue;
        const lab = labKey(s.key.lab);
        const subject = this.nodes.peek('subject', root, `${lab}\u0000${s.key.subject}`);
        if (subject) this.pendingParents.add(subject);
        const labNode = this.nodes.peek('lab', root, lab);
        if (labNode) this.pendingParents.add(labNode);
      }
    }
    if (targets.length > 0) this.changeEmitter.fire(targets);
    // The subject and lab rows above ("N unregistered", Register Unregistered…) follow once the
    // batches stop: refreshing an open parent re-lists its children, so not on every batch.
    clearTimeout(this.parentsTimer);
    this.parentsTimer = setTimeout(() => {
      const parents = [...this.pendingParents];
      this.pendingParents.clear();
      if (parents.length > 0) this.changeEmitter.fire(parents);
    }, PARENTS_AFTER_MS);
  }

  refreshAll(): void {
    this.changeEmitter.fire(undefined);
  }

  dispose(): void {
    clearTimeout(this.parentsTimer);
    this.disposables.forEach((d) => d.dispose());
  }

  /**
   * The row without its Markdown tooltip, which resolveTreeItem gives on hover: VS Code parses
   * every Markdown tooltip as it takes an item (its links are rewritten), and a batch of Alyx
   * statuses refreshing a hundred rows spent 30 ms of the extension host on tooltips nobody hovered.
   */
  getTreeItem(node: AlfNode): vscode.TreeItem {
    const item = describeNode(node, this.problemsOnlyValue, this.alyxStatus);
    if (item.tooltip instanceof vscode.MarkdownString) item.tooltip = undefined;
    return item;
  }

  /** The row's tooltip, when the pointer rests on it (VS Code asks only for rows without one). */
  resolveTreeItem(item: vscode.TreeItem, node: AlfNode): vscode.TreeItem {
    item.tooltip ??= describeNode(node, this.problemsOnlyValue, this.alyxStatus).tooltip;
    return item;
  }

  getParent(node: AlfNode): AlfNode | undefined {
    const { root } = node;
    switch (node.type) {
      case 'root':
        return undefined;
      case 'cacheStatus':
      case 'lab':
      case 'outsideGroup':
        return this.parentOfTopLevel(root);
      case 'subject':
        return this.labNode(root, node.lab);
      case 'session': {
        const s = root.model.sessions.get(node.sessionPath);
        return s ? this.subjectNode(root, labKey(s.key.lab), s.key.subject) : this.parentOfTopLevel(root);
      }
      case 'folder':
        return node.revision !== null && node.collection !== null
          ? this.folderNode(root, node.sessionPath, node.collection, null)
          : this.sessionNode(root, node.sessionPath);
      case 'dataset':
        return node.collection !== null || node.revision !== null
          ? this.folderNode(root, node.sessionPath, node.collection, node.revision)
          : this.sessionNode(root, node.sessionPath);
      case 'problem': {
        const p = root.model.problem(node.problemId);
        return p?.session ? this.sessionNode(root, p.session.path) : this.outsideNode(root);
      }
      case 'outsideFile':
        return this.outsideNode(root);
    }
  }

  getChildren(node?: AlfNode): AlfNode[] | Promise<AlfNode[]> {
    if (!node) return this.topLevel();
    const { root } = node;
    switch (node.type) {
      case 'root':
        return this.rootChildren(root);
      case 'lab':
        return this.labChildren(root, node.lab);
      case 'subject':
        return this.subjectChildren(root, node.lab, node.subject);
      case 'session':
        return this.sessionChildren(root, node.sessionPath);
      case 'folder':
        return this.folderChildren(root, node);
      case 'outsideGroup':
        return this.outsideChildren(root);
      default:
        return [];
    }
  }

  /** The node showing a root-relative path, for reveal(); undefined when the view does not show it. */
  async nodeForPath(root: AlfRoot, rel: string): Promise<AlfNode | undefined> {
    if (root.model.sessions.has(rel)) return this.sessionNode(root, rel);
    const problem = root.model.problemsAt(rel).find((p) => p.at === rel);
    const session = root.model.sessionOf(rel);
    if (session) {
      const dataset = (await root.model.datasets(session.key.path)).find((d) => d.path === rel);
      if (dataset) return this.datasetNode(root, dataset);
    }
    if (problem) return this.problemNode(root, problem);
    if (root.model.outside.has(rel)) return this.nodes.get('outsideFile', root, rel, { path: rel });
    return undefined;
  }

  private parentOfTopLevel(root: AlfRoot): AlfNode | undefined {
    return this.workspace.roots.length === 1 ? undefined : this.rootNode(root);
  }

  private topLevel(): AlfNode[] {
    const roots = this.workspace.roots;
    if (roots.length === 1) return this.rootChildren(roots[0]!);
    return roots.filter((r) => !this.problemsOnlyValue || r.model.problemCount > 0).map((r) => this.rootNode(r));
  }

  private rootChildren(root: AlfRoot): AlfNode[] {
    const out: AlfNode[] = [];
    if (this.cacheStatus?.isStale(root)) out.push(this.nodes.get('cacheStatus', root, '', {}));
    for (const lab of [...root.model.labs.keys()].sort(compareNames)) {
      if (this.problemsOnlyValue && !this.labHasProblems(root, lab)) continue;
      if (this.unregisteredOnlyValue && ![...(root.model.labs.get(lab)?.values() ?? [])].some((paths) => [...paths].some((p) => this.alyxVisible(root, p)))) continue;
      out.push(this.labNode(root, lab));
    }
    const outsideCount = root.model.looseProblems.size + (this.problemsOnlyValue ? 0 : root.model.outside.size);
    if (outsideCount > 0) out.push(this.outsideNode(root));
    return out;
  }

  private labChildren(root: AlfRoot, lab: string): AlfNode[] {
    const subjects = root.model.labs.get(lab);
    if (!subjects) return [];
    return [...subjects.keys()]
      .sort(compareNames)
      .filter((s) => !this.problemsOnlyValue || this.sessionsHaveProblems(root, subjects.get(s)!))
      .filter((s) => [...subjects.get(s)!].some((p) => this.alyxVisible(root, p)))
      .map((s) => this.subjectNode(root, lab, s));
  }

  private subjectChildren(root: AlfRoot, lab: string, subject: string): AlfNode[] {
    const paths = root.model.labs.get(lab)?.get(subject);
    if (!paths) return [];
    return [...paths]
      .map((p) => root.model.sessions.get(p))
      .filter((s): s is SessionSummary => !!s && (!this.problemsOnlyValue || s.problemIds.length > 0) && this.alyxVisible(root, s.key.path))
      .sort(compareSessions)
      .map((s) => this.sessionNode(root, s.key.path));
  }

  private async sessionChildren(root: AlfRoot, sessionPath: string): Promise<AlfNode[]> {
    const session = root.model.sessions.get(sessionPath);
    if (!session) return [];
    const datasets = await root.model.datasets(sessionPath);
    const collections = new Set<string>();
    const revisionsOnly = new Set<string>();
    const loose: DatasetFile[] = [];
    for (const d of this.visible(root, datasets)) {
      if (d.collection !== null) collections.add(d.collection);
      else if (d.revision !== null) revisionsOnly.add(d.revision);
      else loose.push(d);
    }
    const out: AlfNode[] = [];
    for (const c of [...collections].sort(compareNames)) out.push(this.folderNode(root, sessionPath, c, null));
    for (const r of [...revisionsOnly].sort(compareNames)) out.push(this.folderNode(root, sessionPath, null, r));
    for (const d of loose.sort(compareByPath)) out.push(this.datasetNode(root, d));
    const datasetPaths = new Set(datasets.map((d) => d.path));
    for (const p of this.problemItems(root, session, datasetPaths)) out.push(this.problemNode(root, p));
    return out;
  }

  /**
   * Problems listed as items of a session: files and folders inside it that are not indexed or
   * questionable. Notes on a dataset show on the dataset itself, and notes on the session folder
   * in its tooltip.
   */
  private problemItems(root: AlfRoot, session: SessionSummary, datasetPaths: Set<string>): Problem[] {
    const inside = `${session.key.path}/`;
    return session.problemIds
      .map((id) => root.model.problem(id))
      .filter((p): p is Problem => !!p && p.at.startsWith(inside) && !datasetPaths.has(p.at))
      .sort((a, b) => compareNames(a.at, b.at));
  }

  private async folderChildren(root: AlfRoot, node: NodeOf<'folder'>): Promise<AlfNode[]> {
    const datasets = await root.model.datasets(node.sessionPath);
    const revisions = new Set<string>();
    const files: DatasetFile[] = [];
    for (const d of this.visible(root, datasets)) {
      if (d.collection !== node.collection) continue;
      if (node.revision === null && node.collection !== null && d.revision !== null) revisions.add(d.revision);
      else if (d.revision === node.revision) files.push(d);
    }
    return [
      ...[...revisions].sort(compareNames).map((r) => this.folderNode(root, node.sessionPath, node.collection, r)),
      ...files.sort(compareByPath).map((d) => this.datasetNode(root, d)),
    ];
  }

  private outsideChildren(root: AlfRoot): AlfNode[] {
    const problems = [...root.model.looseProblems]
      .map((id) => root.model.problem(id))
      .filter((p): p is Problem => !!p)
      .sort((a, b) => compareNames(a.at, b.at))
      .map((p) => this.problemNode(root, p));
    if (this.problemsOnlyValue) return problems;
    const files = [...root.model.outside].sort(compareNames).map((p) => this.nodes.get('outsideFile', root, p, { path: p }));
    return [...problems, ...files];
  }

  /** In problems-only mode, only datasets with a note about their own name; in unregistered-only mode, only those not registered as they are. */
  private visible(root: AlfRoot, datasets: DatasetFile[]): DatasetFile[] {
    let out = datasets;
    if (this.problemsOnlyValue) out = out.filter((d) => d.notes.some((n) => n.at === d.path));
    if (this.unregisteredOnlyValue && this.alyxStatus) {
      const alyx = this.alyxStatus;
      out = out.filter((d) => {
        const found = alyx.file(root, d.path);
        return !found || found.file.state !== 'registered';
      });
    }
    return out;
  }

  /** Whether a session shows in unregistered-only mode: not on Alyx, unknown, or with a file that is not registered as it is. */
  private alyxVisible(root: AlfRoot, sessionPath: string): boolean {
    if (!this.unregisteredOnlyValue || !this.alyxStatus) return true;
    const status = this.alyxStatus.session(root, sessionPath);
    return !status || status.state !== 'registered' || status.files.some((f) => f.state !== 'registered');
  }

  private labHasProblems(root: AlfRoot, lab: string): boolean {
    const subjects = root.model.labs.get(lab);
    if (!subjects) return false;
    for (const paths of subjects.values()) if (this.sessionsHaveProblems(root, paths)) return true;
    return false;
  }

  private sessionsHaveProblems(root: AlfRoot, paths: Iterable<string>): boolean {
    for (const p of paths) if ((root.model.sessions.get(p)?.problemIds.length ?? 0) > 0) return true;
    return false;
  }

  private rootNode(root: AlfRoot): NodeOf<'root'> {
    return this.nodes.get('root', root, '', {});
  }
  private labNode(root: AlfRoot, lab: string): NodeOf<'lab'> {
    return this.nodes.get('lab', root, lab, { lab });
  }
  private subjectNode(root: AlfRoot, lab: string, subject: string): NodeOf<'subject'> {
    return this.nodes.get('subject', root, `${lab}\u0000${subject}`, { lab, subject });
  }
  private sessionNode(root: AlfRoot, sessionPath: string): NodeOf<'session'> {
    return this.nodes.get('session', root, sessionPath, { sessionPath });
  }
  private folderNode(root: AlfRoot, sessionPath: string, collection: string | null, revision: string | null): NodeOf<'folder'> {
    return this.nodes.get('folder', root, `${sessionPath}\u0000${collection ?? ''}\u0000${revision ?? ''}`, { sessionPath, collection, revision });
  }
  private datasetNode(root: AlfRoot, d: DatasetFile): NodeOf<'dataset'> {
    return this.nodes.get('dataset', root, d.path, { path: d.path, sessionPath: d.session.path, collection: d.collection, revision: d.revision });
  }
  private problemNode(root: AlfRoot, problem: Problem): NodeOf<'problem'> {
    const problemId = `${problem.at}\u0000${problem.code}`;
    return this.nodes.get('problem', root, problemId, { problemId });
  }
  private outsideNode(root: AlfRoot): NodeOf<'outsideGroup'> {
    return this.nodes.get('outsideGroup', root, '', {});
  }

  /** Refreshes only the nodes whose children or descriptions an update changed. */
  private onModelUpdate({ root, changes }: IndexUpdate): void {
    const single = this.workspace.roots.length === 1;
    const topChanged = changes.labListChanged || changes.outsideChanged;
    if (topChanged || this.problemsOnlyValue || this.unregisteredOnlyValue) {
      // The list of labs (or the "Outside sessions" group) is the root's own children.
      this.changeEmitter.fire(single ? undefined : this.rootNode(root));
      return;
    }
    const targets: AlfNode[] = [];
    const add = (node: AlfNode | undefined) => node && targets.push(node);
    for (const lab of changes.labs) add(this.nodes.peek('lab', root, lab));
    for (const key of changes.subjects) add(this.nodes.peek('subject', root, key));
    for (const sessionPath of changes.sessions) add(this.nodes.peek('session', root, sessionPath));
    if (targets.length > 0) this.changeEmitter.fire(targets);
  }
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareByPath(a: { path: string }, b: { path: string }): number {
  return compareNames(a.path, b.path);
}

function compareSessions(a: SessionSummary, b: SessionSummary): number {
  return compareNames(a.key.date, b.key.date) || a.key.number - b.key.number || compareNames(a.key.path, b.key.path);
}

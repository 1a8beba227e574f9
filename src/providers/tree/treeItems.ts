import * as vscode from 'vscode';
import { CATEGORY_WORDS, SKIP_WHY_WORDS, describeTally, skipReasonOf, tallyProblems } from '../../core/alf';
import type { AlfRoot } from '../alfRoot';
import { appendCode, appendPlain } from '../markdownNames';
import type { Problem, SessionSummary } from '../../model/types';
import type { AlfNode, NodeOf } from './nodes';
import { STATE_LOOKS, statusLegend, type AlyxStatusLookup } from '../alyx/status';
import { hasUnregistered } from '../../core/status/register-unregistered';

/**
 * contextValue words used by the `when` clauses of package.json's menus:
 * `folder` (a folder on disk: fix names, validate), `onDisk` (reveal), `session`/`dataset`
 * (copy path, eid, snippet), `fixable` (rename quick fix), `root` (build cache).
 */
const context = (...words: string[]) => ['alf', ...words].join(' ');

const ERROR_ICON = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
const WARNING_ICON = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
const INFO_ICON = new vscode.ThemeIcon('info');

export function describeNode(node: AlfNode, problemsOnly: boolean, alyx?: AlyxStatusLookup): vscode.TreeItem {
  const t = describePlainNode(node, problemsOnly);
  if (alyx && node.type === 'session') addSessionStatus(t, node, alyx);
  if (alyx && node.type === 'dataset') addFileStatus(t, node, alyx);
  if (alyx && (node.type === 'lab' || node.type === 'subject' || node.type === 'session')) markUnregistered(t, node, alyx);
  return t;
}

/**
 * `alyx-unregistered` on a lab, subject or session with sessions Alyx lacks or files it lacks,
 * for the "Register Unregistered…" menu item; labs and subjects show how many such sessions.
 */
function markUnregistered(t: vscode.TreeItem, node: NodeOf<'lab' | 'subject' | 'session'>, alyx: AlyxStatusLookup): void {
  const n = sessionPathsOf(node).filter((p) => {
    const status = alyx.session(node.root, p);
    return status !== undefined && hasUnregistered(status);
  }).length;
  if (!n) return;
  t.contextValue = `${t.contextValue ?? ''} alyx-unregistered`;
  if (node.type === 'session') return;
  // The N of "Register N Unregistered…": a menu title cannot carry it, the row can. It goes
  // after the session count, so "· K invalid" stays last, as everywhere the tally is read.
  const [sessions = '', ...rest] = typeof t.description === 'string' ? t.description.split(' · ') : [];
  t.description = [sessions, `${n} unregistered`, ...rest].join(' · ');
  const md = t.tooltip instanceof vscode.MarkdownString ? t.tooltip : new vscode.MarkdownString(typeof t.tooltip === 'string' ? t.tooltip : '');
  md.appendMarkdown(`\n\n**Alyx:** ${plural(n, 'session')} with unregistered content (Register Unregistered…)`);
  t.tooltip = md;
}

/** The session paths below a lab, subject or session node. */
export function sessionPathsOf(node: NodeOf<'lab' | 'subject' | 'session'>): string[] {
  if (node.type === 'session') return [node.sessionPath];
  const subjects = node.root.model.labs.get(node.lab);
  if (node.type === 'subject') return [...(subjects?.get(node.subject) ?? [])];
  return [...(subjects?.values() ?? [])].flatMap((paths) => [...paths]);
}

/** The session's state on Alyx after its own description, and the eid, admin link, server-only files and legend in its tooltip. */
function addSessionStatus(t: vscode.TreeItem, node: NodeOf<'session'>, alyx: AlyxStatusLookup): void {
  const status = alyx.session(node.root, node.sessionPath);
  if (!status) return;
  const look = STATE_LOOKS[`session-${status.state}`];
  const notRegistered = status.files.filter((f) => f.state !== 'registered').length;
  t.description = `${t.description ?? ''} · ${look.label}${status.state === 'registered' && notRegistered ? ` (${plural(notRegistered, 'file')} not registered)` : ''}`;
  const md = t.tooltip instanceof vscode.MarkdownString ? t.tooltip : new vscode.MarkdownString(typeof t.tooltip === 'string' ? t.tooltip : '');
  md.appendMarkdown(`\n\n---\n\n**Alyx:** ${status.state}`);
  if (status.eid) {
    const admin = alyx.adminUrl(status.eid);
    md.appendMarkdown(' · eid ').appendMarkdown(admin ? `[${status.eid}](${admin})` : `\`${status.eid}\``);
  }
  if (status.reason) md.appendMarkdown('\n\n').appendText(status.reason);
  const serverOnly = status.files.filter((f) => f.state === 'server-only');
  if (serverOnly.length) md.appendMarkdown(`\n\nOnly on Alyx (${serverOnly.length}): `).appendText(serverOnly.map((f) => f.relPath).join(', '));
  md.appendMarkdown(`\n\n${statusLegend()}`);
  t.tooltip = md;
  t.contextValue = `${t.contextValue ?? ''} alyx-${status.state}`;
}

/** The file's state on Alyx as its description, and the sizes or md5s compared in its tooltip. */
function addFileStatus(t: vscode.TreeItem, node: NodeOf<'dataset'>, alyx: AlyxStatusLookup): void {
  const found = alyx.file(node.root, node.path);
  if (!found) return;
  const { file } = found;
  const look = STATE_LOOKS[file.state];
  t.description = look.label;
  const md = t.tooltip instanceof vscode.MarkdownString ? t.tooltip : new vscode.MarkdownString();
  md.appendMarkdown(`\n\n**Alyx:** ${file.state}`);
  if (file.reason) md.appendMarkdown(' — ').appendText(file.reason);
  if (file.localSize !== undefined && file.serverSize !== undefined) md.appendMarkdown('\n\n').appendText(`size: ${file.localSize} B here, ${file.serverSize ?? '?'} B on Alyx`);
  if (file.localMd5 || file.serverMd5) md.appendMarkdown('\n\n').appendText(`md5: ${file.localMd5 ?? 'not computed'} here, ${file.serverMd5 ?? 'none'} on Alyx`);
  if (file.datasetId) md.appendMarkdown('\n\n').appendText(`dataset ${file.datasetId}${file.protected ? ' (protected)' : ''}`);
  t.tooltip = md;
  t.contextValue = `${t.contextValue ?? ''} alyx-${file.state}`;
}

function describePlainNode(node: AlfNode, problemsOnly: boolean): vscode.TreeItem {
  switch (node.type) {
    case 'root':
      return rootItem(node);
    case 'cacheStatus':
      return cacheStatusItem(node);
    case 'lab':
      return labItem(node);
    case 'subject':
      return subjectItem(node);
    case 'session':
      return sessionItem(node, problemsOnly);
    case 'folder':
      return folderItem(node);
    case 'dataset':
      return datasetItem(node);
    case 'problem':
      return problemItem(node);
    case 'outsideGroup':
      return outsideGroupItem(node);
    case 'outsideFile':
      return outsideFileItem(node);
  }
}

function item(node: AlfNode, label: string, collapsible: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const treeItem = new vscode.TreeItem(label, collapsible);
  treeItem.id = node.id;
  return treeItem;
}

function rootItem(node: NodeOf<'root'>): vscode.TreeItem {
  const { root } = node;
  const t = item(node, root.name, vscode.TreeItemCollapsibleState.Expanded);
  t.iconPath = new vscode.ThemeIcon(root.state === 'failed' ? 'error' : root.state === 'scanning' ? 'loading~spin' : 'root-folder');
  const sessions = root.model.sessions.size;
  // The same counts, in the same words, as the Problems panel, the status bar and `alf validate`.
  const tally = root.state === 'ready' && root.model.problemCount > 0 ? tallyProblems(root.model.problems()) : undefined;
  t.description =
    root.state === 'failed' ? 'cannot be read' : root.state === 'ready' ? [plural(sessions, 'session'), ...(tally ? [describeTally(tally, { brief: true })] : [])].join(' · ') : 'scanning…';
  t.tooltip = root.error ? `${root.fsPath}\n${root.error}` : tally ? `${root.fsPath}\n${describeTally(tally)}` : root.fsPath;
  t.resourceUri = root.uri;
  t.contextValue = context('root', 'folder', 'onDisk');
  return t;
}

function cacheStatusItem(node: NodeOf<'cacheStatus'>): vscode.TreeItem {
  const t = item(node, 'ONE cache is out of date', vscode.TreeItemCollapsibleState.None);
  t.iconPath = WARNING_ICON;
  t.description = 'Update cache';
  t.tooltip = 'Files changed after the cache tables were written. Click to update the cache (only the changed sessions are read again).';
  t.command = { command: 'alf.updateCache', title: 'Update Cache', arguments: [node.root.uri] };
  t.contextValue = context('cacheStatus');
  return t;
}

function labItem(node: NodeOf<'lab'>): vscode.TreeItem {
  const subjects = node.root.model.labs.get(node.lab);
  let sessions = 0;
  let invalid = 0;
  for (const paths of subjects?.values() ?? []) {
    for (const p of paths) {
      sessions += 1;
      invalid += node.root.model.sessions.get(p)?.errorCount ?? 0;
    }
  }
  const t = item(node, node.lab || '(no lab folder)', vscode.TreeItemCollapsibleState.Collapsed);
  t.iconPath = new vscode.ThemeIcon('beaker');
  t.description = counts(plural(sessions, 'session'), invalid);
  t.tooltip = node.lab ? `Lab ${node.lab}: ${plural(subjects?.size ?? 0, 'subject')}, ${plural(sessions, 'session')}` : 'Sessions whose path has no lab/Subjects part';
  t.contextValue = context('lab');
  return t;
}

function subjectItem(node: NodeOf<'subject'>): vscode.TreeItem {
  const paths = node.root.model.labs.get(node.lab)?.get(node.subject) ?? new Set<string>();
  let invalid = 0;
  for (const p of paths) invalid += node.root.model.sessions.get(p)?.errorCount ?? 0;
  const t = item(node, node.subject, vscode.TreeItemCollapsibleState.Collapsed);
  t.iconPath = new vscode.ThemeIcon('person');
  t.description = counts(plural(paths.size, 'session'), invalid);
  t.contextValue = context('subject');
  return t;
}

function sessionItem(node: NodeOf<'session'>, problemsOnly: boolean): vscode.TreeItem {
  const { root } = node;
  const session = root.model.sessions.get(node.sessionPath);
  const label = sessionLabel(root, node.sessionPath);
  const t = item(node, label, problemsOnly ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  if (!session) return t;
  const invalid = session.errorCount;
  t.iconPath = new vscode.ThemeIcon('calendar', invalid > 0 ? new vscode.ThemeColor('list.errorForeground') : undefined);
  t.description = counts(plural(session.datasetCount, 'dataset'), invalid);
  const own = root.model.problemsAt(node.sessionPath);
  t.tooltip = sessionTooltip(root, session, invalid, own);
  if (own.length > 0 && invalid === 0) t.iconPath = new vscode.ThemeIcon('calendar', new vscode.ThemeColor('list.warningForeground'));
  t.resourceUri = root.uriOf(node.sessionPath);
  t.contextValue = context('session', 'folder', 'onDisk');
  return t;
}

function sessionLabel(root: AlfRoot, sessionPath: string): string {
  if (!sessionPath) return root.name;
  const parts = sessionPath.split('/');
  return parts.slice(-2).join('/');
}

function sessionTooltip(root: AlfRoot, session: SessionSummary, invalid: number, notes: Problem[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.supportThemeIcons = true;
  md.appendMarkdown(`**${escape(session.key.strId)}**\n\n`);
  md.appendMarkdown(`${plural(session.datasetCount, 'dataset')}`);
  const problems = session.problemIds.map((id) => root.model.problem(id)).filter((p): p is Problem => !!p);
  if (invalid > 0 || problems.length > 0) md.appendMarkdown(`, ${describeTally(tallyProblems(problems))}`);
  for (const n of notes) appendPlain(md.appendMarkdown(`\n\n$(warning) `), n.message);
  md.appendMarkdown(`\n\n`);
  appendCode(md, root.absolute(session.key.path));
  return md;
}

function folderItem(node: NodeOf<'folder'>): vscode.TreeItem {
  const label = node.revision !== null ? `#${node.revision}#` : (node.collection ?? '');
  const t = item(node, label, vscode.TreeItemCollapsibleState.Collapsed);
  t.iconPath = new vscode.ThemeIcon(node.revision !== null ? 'versions' : 'folder');
  const rel = [node.sessionPath, node.collection, node.revision !== null ? `#${node.revision}#` : null].filter((p): p is string => !!p).join('/');
  t.resourceUri = node.root.uriOf(rel);
  t.tooltip = node.revision !== null ? `Revision ${node.revision}` : `Collection ${node.collection}`;
  t.contextValue = context(node.revision !== null ? 'revision' : 'collection', 'folder', 'onDisk');
  return t;
}

function datasetItem(node: NodeOf<'dataset'>): vscode.TreeItem {
  const file = node.root.model.dataset(node.path);
  const name = node.path.slice(node.path.lastIndexOf('/') + 1);
  const t = item(node, name, vscode.TreeItemCollapsibleState.None);
  const uri = node.root.uriOf(node.path);
  t.resourceUri = uri;
  t.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  // Notes about the folders above are shown on those folders, not on every file in them.
  const notes = file ? file.notes.filter((n) => n.at === node.path) : [];
  t.iconPath = notes.length > 0 ? WARNING_ICON : new vscode.ThemeIcon('file');
  const md = new vscode.MarkdownString();
  appendCode(md, file ? file.relPath : node.path);
  for (const n of notes) appendPlain(md.appendMarkdown(`\n\n$(warning) `), n.message);
  md.supportThemeIcons = true;
  t.tooltip = md;
  t.contextValue = context('dataset', 'onDisk', ...(notes.some((n) => n.fix) ? ['fixable'] : []));
  return t;
}

function problemItem(node: NodeOf<'problem'>): vscode.TreeItem {
  const problem = node.root.model.problem(node.problemId);
  if (!problem) return item(node, '(gone)', vscode.TreeItemCollapsibleState.None);
  const label = problemLabel(problem);
  const t = item(node, label, vscode.TreeItemCollapsibleState.None);
  const uri = node.root.uriOf(problem.at);
  t.resourceUri = uri;
  t.iconPath = problem.level === 'error' ? ERROR_ICON : problem.category === 'skipped' ? INFO_ICON : WARNING_ICON;
  t.description = categoryLabel(problem);
  t.tooltip = problemTooltip(problem);
  if (!problem.isFolder) t.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  t.contextValue = context('invalid', 'onDisk', ...(problem.fix ? ['fixable'] : []), ...(problem.isFolder ? ['folder'] : []));
  return t;
}

/** Label of an invalid entry: its path inside its session, or inside the root. */
function problemLabel(problem: Problem): string {
  const sessionPath = problem.session?.path;
  if (sessionPath !== undefined && problem.at.startsWith(`${sessionPath}/`)) return problem.at.slice(sessionPath.length + 1);
  return problem.at;
}

/** The core's word for a problem's category ("invalid file name", "warning", "skipped: not data"). */
export function categoryLabel(problem: Pick<Problem, 'category' | 'code' | 'isFolder'>): string {
  const why = skipReasonOf(problem.code, problem.isFolder);
  return why ? `${CATEGORY_WORDS.skipped.one}: ${SKIP_WHY_WORDS[why]}` : CATEGORY_WORDS[problem.category].one;
}

export function problemTooltip(problem: Problem): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.supportThemeIcons = true;
  md.appendMarkdown(problem.level === 'error' ? '$(error) ' : problem.category === 'skipped' ? '$(info) ' : '$(warning) ');
  md.appendMarkdown(`**${categoryLabel(problem)}**: `);
  appendPlain(md, problem.message);
  md.appendMarkdown(`\n\n`);
  // Names are shown exactly (code spans, never Markdown escapes): people copy them.
  appendCode(md, problem.at);
  md.appendMarkdown(` (${problem.code})`);
  if (problem.fix) {
    md.appendMarkdown(`\n\nQuick fix: rename to `);
    appendCode(md, problem.fix);
  }
  return md;
}

function outsideGroupItem(node: NodeOf<'outsideGroup'>): vscode.TreeItem {
  const { model } = node.root;
  const t = item(node, 'Outside sessions', vscode.TreeItemCollapsibleState.Collapsed);
  t.iconPath = new vscode.ThemeIcon('question');
  // "invalid" counts what it counts everywhere: invalid file names and folders, not warnings or skipped files.
  const invalid = [...model.looseProblems].filter((id) => model.problem(id)?.level === 'error').length;
  t.description = counts(plural(model.outside.size, 'file'), invalid);
  t.tooltip = 'ALF-named files that are not inside a session folder (lab/Subjects/subject/yyyy-mm-dd/NNN), and invalid folders that keep files out of every session';
  t.contextValue = context('outside');
  return t;
}

function outsideFileItem(node: NodeOf<'outsideFile'>): vscode.TreeItem {
  const t = item(node, node.path, vscode.TreeItemCollapsibleState.None);
  const uri = node.root.uriOf(node.path);
  t.resourceUri = uri;
  t.iconPath = new vscode.ThemeIcon('file');
  t.tooltip = 'An ALF name, but not inside a session folder, so ONE does not index it';
  t.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  t.contextValue = context('outsideFile', 'onDisk');
  return t;
}

function counts(main: string, invalid: number): string {
  return invalid > 0 ? `${main} · ${invalid} invalid` : main;
}

export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

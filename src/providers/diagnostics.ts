import * as vscode from 'vscode';
import type { AlfRoot } from './alfRoot';
import type { AlfWorkspace, IndexUpdate } from './alfWorkspace';
import type { Problem } from '../model/types';
import { fixLinkUri } from './fixLinks';
import { lowerSeverity } from './settings';

export const DIAGNOSTIC_SOURCE = 'ALF';

/** Diagnostics published per batch: keeps each call to the renderer small while a scan streams in. */
const PUBLISH_CHUNK = 500;

/**
 * One Diagnostic per invalid file or folder, on that file's or folder's own URI, so it shows in
 * the Problems panel and in the editor. Kept in step with the index: an update republishes only
 * the URIs whose problems changed.
 */
export class AlfDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('alf');
  private readonly disposables: vscode.Disposable[] = [this.collection];

  private enabled: boolean;
  private severity: vscode.DiagnosticSeverity;

  constructor(private readonly workspace: AlfWorkspace) {
    this.enabled = workspace.settings.validationEnabled;
    this.severity = workspace.settings.severity;
    this.disposables.push(
      workspace.onDidUpdate((u) => this.onUpdate(u)),
      workspace.onDidChangeRoots(() => this.syncSettings()),
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** The problem behind a diagnostic this collection published (for quick fixes). */
  problemFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Problem | undefined {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
    const located = this.workspace.locate(uri);
    if (!located) return undefined;
    const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    return located.root.model.problemsAt(located.rel).find((p) => p.code === String(code));
  }

  private syncSettings(): void {
    const { validationEnabled, severity } = this.workspace.settings;
    if (validationEnabled === this.enabled && severity === this.severity) return;
    this.enabled = validationEnabled;
    this.severity = severity;
    this.republishAll();
  }

  private republishAll(): void {
    this.collection.clear();
    if (!this.enabled) return;
    for (const root of this.workspace.roots) {
      const ats = new Set<string>();
      for (const p of root.model.problems()) ats.add(p.at);
      this.publish(root, ats);
    }
  }

  private onUpdate({ root, changes }: IndexUpdate): void {
    if (!this.enabled) return;
    const ats = new Set<string>();
    for (const p of changes.problemsAdded.values()) ats.add(p.at);
    for (const p of changes.problemsRemoved.values()) ats.add(p.at);
    if (ats.size > 0) this.publish(root, ats);
  }

  private publish(root: AlfRoot, ats: Set<string>): void {
    let batch: [vscode.Uri, vscode.Diagnostic[] | undefined][] = [];
    for (const at of ats) {
      const problems = root.model.problemsAt(at).filter((p) => p.at === at);
      const uri = root.uriOf(at);
      batch.push([uri, problems.length > 0 ? problems.map((p) => this.toDiagnostic(uri, p)) : undefined]);
      if (batch.length >= PUBLISH_CHUNK) {
        this.collection.set(batch);
        batch = [];
      }
    }
    if (batch.length > 0) this.collection.set(batch);
  }

  private toDiagnostic(uri: vscode.Uri, problem: Problem): vscode.Diagnostic {
    const severity = severityOf(problem, this.severity);
    const message = problem.fix ? `${problem.message} Click '${problem.code}' to rename it to '${problem.fix}'.` : problem.message;
    // The name is the problem, not any line of the content: the diagnostic sits at the start.
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, severity);
    d.source = DIAGNOSTIC_SOURCE;
    // The code links to the rename: the Problems panel offers no quick fix on binary files.
    d.code = problem.fix ? { value: problem.code, target: fixLinkUri(uri, problem.code) } : problem.code;
    return d;
  }
}

/**
 * The core's categories as Problems-panel severities: invalid names at the configured severity,
 * warnings one level lower, skipped files (not data, unreadable) two levels lower, so that the
 * panel's and the status bar's error / warning / info counts are the categories' counts.
 */
export function severityOf(problem: Pick<Problem, 'category'>, configured: vscode.DiagnosticSeverity): vscode.DiagnosticSeverity {
  switch (problem.category) {
    case 'invalid-file':
    case 'invalid-folder':
      return configured;
    case 'warning':
      return lowerSeverity(configured);
    default:
      return lowerSeverity(lowerSeverity(configured));
  }
}

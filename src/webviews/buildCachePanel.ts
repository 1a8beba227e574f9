import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PARTS } from '../core/alf/grammar';
import { openTable, type CacheBuildOutcome, type CacheBuildRequest } from '../providers/cacheBuilds';
import { webviewHtml, webviewOptions } from './html';
import { isBuildFormMessage, type BuildField, type BuildFormToWebview, type BuildFormValues } from '../protocol/webview';

/** What the panel needs from the rest of the extension. */
export interface BuildCacheHost {
  extensionUri: vscode.Uri;
  /** Default output folder for a folder (where its last build went). */
  outDirFor(folder: string): string;
  exclude(): string[];
  /** Runs the build (progress notification, summary) and records it (cache status, context keys). */
  run(request: CacheBuildRequest, onProgress: (text: string, percent?: number) => void, signal: AbortSignal): Promise<CacheBuildOutcome>;
}

export const BUILD_CACHE_VIEW_TYPE = 'alf.buildCache';

/**
 * ALF: Build ONE Cache: a form (folder, hash files, output folder, lab) in a webview. One panel
 * at a time; opening it again for another folder refills the form. The build itself runs on the
 * worker thread with a progress notification; the form mirrors the progress and shows the summary.
 */
export class BuildCachePanel implements vscode.Disposable {
  private static current: BuildCachePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private running: AbortController | undefined;
  private pendingInit: BuildFormValues | undefined;

  static show(host: BuildCacheHost, folder: string | undefined): BuildCachePanel {
    const values = defaults(host, folder);
    const existing = BuildCachePanel.current;
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Active);
      if (folder) existing.post({ type: 'init', values, force: true });
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(BUILD_CACHE_VIEW_TYPE, 'Build ONE Cache', vscode.ViewColumn.Active, {
      ...webviewOptions(host.extensionUri),
      // The form keeps its values in webview state (getState/setState): no need to keep it alive hidden.
      retainContextWhenHidden: false,
    });
    BuildCachePanel.current = new BuildCachePanel(panel, host, values, folder !== undefined);
    return BuildCachePanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly host: BuildCacheHost,
    initial: BuildFormValues,
    private forceInit: boolean,
  ) {
    this.pendingInit = initial;
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'media', 'alf-activitybar.svg');
    panel.webview.html = webviewHtml(panel.webview, host.extensionUri, 'buildCache', 'Build ONE Cache');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    if (BuildCachePanel.current === this) BuildCachePanel.current = undefined;
    this.disposables.forEach((d) => d.dispose());
  }

  private post(message: BuildFormToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isBuildFormMessage(message)) return;
    switch (message.type) {
      case 'ready':
        // Sent each time the page loads (also after being hidden and shown again).
        if (this.pendingInit) this.post({ type: 'init', values: this.pendingInit, force: this.forceInit });
        this.forceInit = false;
        return;
      case 'browse': {
        const picked = await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          canSelectMany: false,
          openLabel: message.field === 'folder' ? 'Index this folder' : 'Write the tables here',
        });
        if (picked?.[0]) this.post({ type: 'browsed', field: message.field, path: picked[0].fsPath });
        return;
      }
      case 'openTable':
        await openTable(message.path);
        return;
      case 'packageRelease':
        await vscode.commands.executeCommand('alf.packageRelease', vscode.Uri.file(message.folder));
        return;
      case 'cancel':
        this.running?.abort();
        return;
      case 'build':
        await this.build(message.values);
        return;
    }
  }

  private async build(values: BuildFormValues): Promise<void> {
    if (this.running) return;
    const errors = await validate(values);
    if (Object.keys(errors).length > 0) {
      this.post({ type: 'invalid', errors });
      return;
    }
    const folder = path.resolve(values.folder.trim());
    const outDir = values.outDir.trim() ? path.resolve(values.outDir.trim()) : folder;
    this.pendingInit = { ...values };
    this.running = new AbortController();
    this.post({ type: 'running', text: 'starting…' });
    try {
      const outcome = await this.host.run(
        { folder, outDir, hashFiles: values.hashFiles, exclude: this.host.exclude(), ...(values.lab.trim() ? { lab: values.lab.trim() } : {}) },
        (text, percent) => this.post({ type: 'running', text, ...(percent !== undefined ? { percent } : {}) }),
        this.running.signal,
      );
      if (outcome.kind === 'done') {
        this.post({ type: 'result', summary: outcome.summary });
      } else if (outcome.kind === 'cancelled') {
        this.post({ type: 'cancelled' });
      } else {
        this.post({ type: 'failed', message: outcome.message });
      }
    } finally {
      this.running = undefined;
    }
  }
}

function defaults(host: BuildCacheHost, folder: string | undefined): BuildFormValues {
  const chosen = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const outDir = chosen ? host.outDirFor(chosen) : '';
  return { folder: chosen, hashFiles: false, outDir: outDir === chosen ? '' : outDir, lab: '' };
}

/** Checks the form on the extension side too: the webview is not trusted to have done it. */
async function validate(values: BuildFormValues): Promise<Partial<Record<BuildField, string>>> {
  const errors: Partial<Record<BuildField, string>> = {};
  const isFolder = async (p: string) => (await fs.stat(p).catch(() => undefined))?.isDirectory() ?? false;
  const folder = values.folder.trim();
  if (!folder) errors.folder = 'Choose the folder that holds your sessions.';
  else if (!path.isAbsolute(folder)) errors.folder = 'Give an absolute path.';
  else if (!(await isFolder(folder))) errors.folder = 'No such folder.';
  const outDir = values.outDir.trim();
  if (outDir && !path.isAbsolute(outDir)) errors.outDir = 'Give an absolute path, or leave empty to write into the folder.';
  else if (outDir && !(await isFolder(outDir))) errors.outDir = 'No such folder (create it first).';
  const lab = values.lab.trim();
  if (lab && !new RegExp(`^(?:${PARTS.lab.pattern})$`, 'u').test(lab)) errors.lab = `A lab name has only ${PARTS.lab.allowed}.`;
  return errors;
}

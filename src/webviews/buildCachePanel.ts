import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PARTS } from '../core/alf/grammar';
import { openTable, type CacheBuildOutcome, type CacheBuildRequest } from '../providers/cacheBuilds';
import { isBuildFormMessage, type BuildField, type BuildFormToExtension, type BuildFormToWebview, type BuildFormValues } from '../protocol/webview';
import { FormPanel } from './formPanel';

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
 * Closing the form leaves the build to its notification (its Cancel stops it).
 */
export class BuildCachePanel extends FormPanel<BuildFormToWebview, Extract<BuildFormToWebview, { type: 'init' }>, BuildFormToExtension> {
  private static current: BuildCachePanel | undefined;

  static show(host: BuildCacheHost, folder: string | undefined): BuildCachePanel {
    const values = defaults(host, folder);
    const existing = BuildCachePanel.current;
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Active);
      // Opened again on a folder (Explorer, Sessions view): that folder replaces what the page has.
      if (folder) existing.refill({ type: 'init', values, force: true });
      return existing;
    }
    const created = new BuildCachePanel(FormPanel.createPanel(host.extensionUri, BUILD_CACHE_VIEW_TYPE, 'Build ONE Cache'), host);
    if (!folder) created.keepPageValues();
    created.setInit({ type: 'init', values, force: true });
    BuildCachePanel.current = created;
    return created;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly host: BuildCacheHost,
  ) {
    super(panel, host.extensionUri, 'buildCache', isBuildFormMessage);
  }

  override dispose(): void {
    if (BuildCachePanel.current === this) BuildCachePanel.current = undefined;
    super.dispose();
  }

  protected async onMessage(message: BuildFormToExtension): Promise<void> {
    switch (message.type) {
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
      case 'build':
        await this.build(message.values);
        return;
    }
  }

  private build(values: BuildFormValues): Promise<void> {
    return this.runAlone(undefined, async (controller) => {
      const errors = await validate(values);
      if (Object.keys(errors).length > 0) return this.post({ type: 'invalid', errors });
      const folder = path.resolve(values.folder.trim());
      const outDir = values.outDir.trim() ? path.resolve(values.outDir.trim()) : folder;
      // A page that lost its state (and asks with 'ready') gets what was built last.
      this.rememberInit({ type: 'init', values: { ...values }, force: false });
      this.post({ type: 'running', text: 'starting…' });
      const outcome = await this.host.run(
        { folder, outDir, hashFiles: values.hashFiles, exclude: this.host.exclude(), ...(values.lab.trim() ? { lab: values.lab.trim() } : {}) },
        (text, percent) => this.post({ type: 'running', text, ...(percent !== undefined ? { percent } : {}) }),
        controller.signal,
      );
      if (outcome.kind === 'done') this.post({ type: 'result', summary: outcome.summary });
      else if (outcome.kind === 'cancelled') this.post({ type: 'cancelled' });
      else this.post({ type: 'failed', message: outcome.message });
    });
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

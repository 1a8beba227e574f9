import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, type ProgressEvent, progressAmount } from '../core/progress';
import { defaultReleasePath, packageRelease, planRelease } from '../core/release/package-release';
import { isReleaseFormMessage, type ReleaseField, type ReleaseFormToExtension, type ReleaseFormToWebview, type ReleaseFormValues } from '../protocol/release';
import { FormPanel } from './formPanel';

type Init = Extract<ReleaseFormToWebview, { type: 'init' }>;

/**
 * ALF: Package Data Release…: a form (folder, output zip, hashes, level) that first shows what
 * the zip will hold and what it leaves out (the core's plan, from a scan), then writes it with
 * progress and Cancel, and ends with size, entries and sha256 (Reveal / Copy). One panel.
 */
export class ReleasePanel extends FormPanel<ReleaseFormToWebview, Init, ReleaseFormToExtension> {
  private static current: ReleasePanel | undefined;

  static show(extensionUri: vscode.Uri, folder: string | undefined): ReleasePanel {
    const chosen = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const values: ReleaseFormValues = { folder: chosen, outFile: chosen ? defaultReleasePath(chosen) : '', hashFiles: false, level: '6' };
    const existing = ReleasePanel.current;
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Active);
      // Opened again on a folder (Explorer, the Build ONE Cache result): that folder replaces what the page has.
      if (folder) existing.refill({ type: 'init', values, force: true });
      return existing;
    }
    const created = new ReleasePanel(FormPanel.createPanel(extensionUri, 'alf.packageRelease', 'Package Data Release'), extensionUri);
    ReleasePanel.current = created;
    created.setInit({ type: 'init', values, force: true });
    return created;
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    super(panel, extensionUri, 'packageRelease', isReleaseFormMessage);
  }

  override dispose(): void {
    if (ReleasePanel.current === this) ReleasePanel.current = undefined;
    this.running?.abort();
    super.dispose();
  }

  protected async onMessage(message: ReleaseFormToExtension): Promise<void> {
    switch (message.type) {
      case 'browse': {
        const picked =
          message.field === 'folder'
            ? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Package this folder' }))?.[0]
            : await vscode.window.showSaveDialog({ filters: { 'Zip archive': ['zip'] }, saveLabel: 'Write the release here' });
        if (picked) this.post({ type: 'browsed', field: message.field, path: picked.fsPath });
        return;
      }
      case 'reveal':
        await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(message.path));
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.showInformationMessage('sha256 copied.');
        return;
      case 'preview':
      case 'package':
        await this.run(message.type, message.values);
        return;
    }
  }

  private run(what: 'preview' | 'package', values: ReleaseFormValues): Promise<void> {
    return this.runAlone(undefined, async (controller) => {
      const errors = await validate(values);
      if (Object.keys(errors).length > 0) return this.post({ type: 'invalid', errors });
      const folder = path.resolve(values.folder.trim());
      let last = 0;
      const onProgress = (e: ProgressEvent) => {
        const now = Date.now();
        if (now - last < 150) return;
        last = now;
        this.post({ type: 'running', text: `${e.phase}: ${progressAmount(e)}`, ...(e.total ? { percent: Math.min(100, (100 * e.done) / e.total) } : {}) });
      };
      this.post({ type: 'running', text: what === 'preview' ? 'reading the folder…' : 'starting…' });
      try {
        if (what === 'preview') {
          const plan = await planRelease(folder, { signal: controller.signal, onProgress });
          this.post({ type: 'plan', plan: { folder, entries: plan.entries, bytes: plan.bytes, documents: plan.documents, leftOut: plan.leftOut.map((s) => ({ path: s.isFolder ? `${s.path}/` : s.path, reason: s.reason, code: s.code })) } });
          return;
        }
        const r = await packageRelease(folder, {
          outFile: values.outFile.trim() ? path.resolve(values.outFile.trim()) : defaultReleasePath(folder),
          hashFiles: values.hashFiles,
          level: Number(values.level),
          signal: controller.signal,
          onProgress,
        });
        const c = r.cache;
        this.post({
          type: 'result',
          result: {
            outFile: r.outFile, entries: r.entries, bytesIn: r.bytesIn, bytesOut: r.bytesOut, sha256: r.sha256, durationMs: r.durationMs, leftOutCount: r.leftOut.length,
            cache: c.action === 'current' ? `current (${c.sessions} sessions, ${c.datasets} datasets)` : `${c.action}: ${c.reason ?? ''} (${c.sessions} sessions, ${c.datasets} datasets)`,
          },
        });
      } catch (err) {
        if (err instanceof CancelledError || controller.signal.aborted) this.post({ type: 'cancelled' });
        else this.post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
      }
    });
  }
}

/** Checks the form on the extension side too: the webview is not trusted to have done it. */
async function validate(values: ReleaseFormValues): Promise<Partial<Record<ReleaseField, string>>> {
  const errors: Partial<Record<ReleaseField, string>> = {};
  const folder = values.folder.trim();
  if (!folder) errors.folder = 'Choose the data folder to package.';
  else if (!path.isAbsolute(folder)) errors.folder = 'Give an absolute path.';
  else if (!(await fs.stat(folder).catch(() => undefined))?.isDirectory()) errors.folder = 'No such folder.';
  const out = values.outFile.trim();
  if (out && !path.isAbsolute(out)) errors.outFile = 'Give an absolute path, or leave empty for FOLDER.zip beside the folder.';
  else if (out && folder) {
    const rel = path.relative(path.resolve(folder), path.resolve(out));
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) errors.outFile = 'The zip cannot go inside the folder it packages: choose a place beside it.';
  }
  if (!/^[0-9]$/u.test(values.level.trim())) errors.level = 'A level from 0 (store) to 9 (smallest).';
  return errors;
}

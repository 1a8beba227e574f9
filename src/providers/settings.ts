import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The extension's settings, read in one place so every provider sees the same values. */
export interface AlfSettings {
  dataRoots: string[];
  exclude: string[];
  validationEnabled: boolean;
  severity: vscode.DiagnosticSeverity;
}

const SEVERITIES: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function readSettings(): AlfSettings {
  const config = vscode.workspace.getConfiguration('alf');
  const strings = (key: string): string[] => (config.get<unknown[]>(key) ?? []).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return {
    dataRoots: strings('dataRoots'),
    exclude: strings('exclude'),
    validationEnabled: config.get<boolean>('validation.enabled') ?? true,
    severity: SEVERITIES[config.get<string>('validation.severity') ?? 'error'] ?? vscode.DiagnosticSeverity.Error,
  };
}

/** The severity one level below `severity` (for notes about valid but unusual names). */
export function lowerSeverity(severity: vscode.DiagnosticSeverity): vscode.DiagnosticSeverity {
  return Math.min(severity + 1, vscode.DiagnosticSeverity.Hint);
}

/** Absolute folder of an `alf.dataRoots` entry: `~/x`, an absolute path, or relative to the first workspace folder. */
export function resolveDataRoot(entry: string): string | undefined {
  const trimmed = entry.trim();
  if (trimmed === '~' || trimmed.startsWith('~/')) return path.join(os.homedir(), trimmed.slice(1));
  if (path.isAbsolute(trimmed)) return path.normalize(trimmed);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  return base?.scheme === 'file' ? path.join(base.fsPath, trimmed) : undefined;
}

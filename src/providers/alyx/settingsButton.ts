import * as vscode from 'vscode';
import { AlyxSettingError } from './connection';

/** The command behind an Open Settings button: the Settings editor filtered to one setting. */
export function openSettingCommand(setting: string): { command: string; args: [string] } {
  return { command: 'workbench.action.openSettings', args: [setting] };
}

/**
 * Shows an error that a setting fixes (no Alyx server, an http URL refused) with an Open
 * Settings button; true when `err` was such an error.
 */
export function showSettingError(err: unknown, log?: (line: string) => void): boolean {
  if (!(err instanceof AlyxSettingError)) return false;
  log?.(err.message);
  void vscode.window.showErrorMessage(`ALF: ${err.message}`, 'Open Settings').then((pick) => {
    if (!pick) return;
    const { command, args } = openSettingCommand(err.setting);
    void vscode.commands.executeCommand(command, ...args);
  });
  return true;
}

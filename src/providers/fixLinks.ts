import * as vscode from 'vscode';

/**
 * The link on an ALF diagnostic's code in the Problems panel: one click runs the rename for that
 * problem (after the usual confirmation). Data files are binary, so VS Code never offers code
 * actions for them there; a link on the code works for any file and any folder.
 */
export const FIX_PROBLEM_COMMAND = 'alf.fixProblem';

export interface FixTarget {
  file: vscode.Uri;
  code: string;
}

/**
 * `command:alf.fixProblem?["<base64url>"]`. The path travels base64url-encoded: the Problems
 * panel prints the link and VS Code parses it back, decoding percent escapes on the way, which
 * would turn a file named `a%20b.npy` into `a b.npy`.
 */
export function fixLinkUri(file: vscode.Uri, code: string): vscode.Uri {
  const token = Buffer.from(JSON.stringify({ path: file.fsPath, code }), 'utf8').toString('base64url');
  return vscode.Uri.parse(`command:${FIX_PROBLEM_COMMAND}?${encodeURIComponent(JSON.stringify([token]))}`);
}

/** The file and problem code a fix link carries (the command's argument), or undefined. */
export function parseFixArg(arg: unknown): FixTarget | undefined {
  if (typeof arg !== 'string' || !/^[A-Za-z0-9_-]+$/.test(arg)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(arg, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { path, code } = value as { path?: unknown; code?: unknown };
    if (typeof path !== 'string' || typeof code !== 'string') return undefined;
    return { file: vscode.Uri.file(path), code };
  } catch {
    return undefined;
  }
}

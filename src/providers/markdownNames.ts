import type * as vscode from 'vscode';
import { escapeControls } from '../core/escape';

/**
 * File and folder names inside Markdown hovers and tooltips, shown exactly: a code span, never
 * `MarkdownString.appendText` (which backslash-escapes `_`, `*`, … and turns spaces into
 * non-breaking ones — inside a code span those backslashes are shown, and users copy them).
 * Control characters are shown escaped (`\n`), as the CLI shows them.
 */
export function codeSpan(name: string): string {
  const text = escapeControls(name);
  if (text.length === 0) return '(empty name)';
  // A code span is fenced by a run of backticks longer than any run inside it.
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from each end when both ends have one, and a backtick at either
  // end would join the fence: a space on both sides keeps the name as it is.
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function appendCode(md: vscode.MarkdownString, name: string): vscode.MarkdownString {
  return md.appendMarkdown(codeSpan(name));
}

/**
 * Text (a message that quotes names) as Markdown that renders to exactly that text: ASCII
 * punctuation backslash-escaped, ordinary spaces kept (`appendText` makes every space a
 * non-breaking one, so a name copied from the hover no longer matches the file).
 */
export function plainMarkdown(text: string): string {
  return escapeControls(text)
    .replace(/[!-/:-@[-`{-~]/g, '\\$&')
    .replace(/ {2,}/g, (run) => ` ${'&nbsp;'.repeat(run.length - 1)}`);
}

export function appendPlain(md: vscode.MarkdownString, text: string): vscode.MarkdownString {
  return md.appendMarkdown(plainMarkdown(text));
}

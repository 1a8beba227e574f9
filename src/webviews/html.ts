import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebviewKind } from '../protocol/webview';

/** Webviews load only the browser bundle and the stylesheet: nothing else is reachable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * The page of every webview: one nonce-tagged script (dist/webview.js) and one stylesheet, under
 * a Content-Security-Policy that allows nothing else (no inline script, no network).
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, kind: WebviewKind, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  // CSS imported by the browser bundle (uPlot's), written by esbuild beside dist/webview.js.
  const bundleStyle = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // Lit components style themselves through constructed stylesheets; our own CSS is one file.
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}" nonce="${nonce}">
<link rel="stylesheet" href="${bundleStyle.toString()}" nonce="${nonce}">
<title>${escapeHtml(title)}</title>
</head>
<body data-view="${kind}">
<main id="app" aria-busy="true"></main>
<script type="module" nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Browser entry of every ALF webview (bundled into dist/webview.js, one file: esbuild inlines
 * the import below). The UI lives in ./ui as ES modules, because its web components are
 * ESM-only; each UI talks to the extension only through the typed messages of src/protocol/.
 */
void import('./ui/boot.js').then((ui) => ui.boot());

// Bundles the extension, the CLI and the core library (CommonJS, Node 20), and the webview
// bundle for the browser. `vscode` stays external: the extension host provides it.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// ALF_BUILD_NAMES=1 keeps the functions' names in a production build, so CPU profiles of the
// packaged extension (E2E_PROFILE=1) name our functions instead of their one-letter minified names.
const keepIdentifiers = process.env.ALF_BUILD_NAMES === '1';

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: production ? false : 'linked',
  ...(production ? { minifyWhitespace: true, minifySyntax: true, minifyIdentifiers: !keepIdentifiers } : {}),
  logLevel: 'warning',
};

const entries = [
  { ...node, entryPoints: { core: 'src/core/index.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync('src/extension.ts')) entries.push({ ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' });
// The extension's worker thread: scans, cache builds and Parquet reads off the extension host.
if (existsSync('src/model/worker/main.ts')) entries.push({ ...node, entryPoints: { 'alf-worker': 'src/model/worker/main.ts' }, outdir: 'dist' });
if (existsSync('src/webviews/main.ts')) {
  entries.push({
    entryPoints: { webview: 'src/webviews/main.ts' }, outdir: 'dist', bundle: true, platform: 'browser',
    target: 'es2022', format: 'esm', sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning',
  });
}
if (watch) console.warn('--watch is not supported; run the build again');
await Promise.all(entries.map((e) => build(e)));

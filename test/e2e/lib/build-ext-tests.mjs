// Bundles the extension-host tests (test/ext/index.ts and its suites) into one CommonJS file
// that VS Code can require() as extensionTestsPath. `vscode` comes from the extension host and
// `mocha` from the project's node_modules (resolved from the output folder, which is inside
// the project).
//   node build-ext-tests.mjs OUT_DIR
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = path.resolve(process.argv[2] ?? 'test/e2e/out/ext-tests');
const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
await build({
  entryPoints: { index: path.join(project, 'test/ext/index.ts') },
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
});

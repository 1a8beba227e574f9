// Bundles each unit-test file with esbuild into .tmp/unit/, so `node --test` loads one
// CommonJS file per test process instead of compiling hundreds of modules through tsx in each.
// __dirname/__filename keep their source meaning, and module.require (used to load a module
// lazily) becomes a bundled, lazily evaluated require; `require.main === module` (the CLI's
// entry-point check) is false.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outdir = path.join(root, '.tmp', 'unit');
const only = process.argv.slice(2);
const entries = (only.length ? only : readdirSync(path.join(root, 'test', 'unit')).filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test', 'unit', f)))
  .map((f) => path.resolve(root, f));

const sourceMeaning = {
  name: 'source-meaning',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = readFileSync(args.path, 'utf8')
        .replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path)))
        .replace(/\b__filename\b/g, JSON.stringify(args.path))
        .replace(/\bmodule\.require\(/g, 'require(')
        // A bundled module is not the program's entry point, whatever require.main says.
        .replace(/\brequire\.main === module\b/g, 'false');
      return { contents: text, loader: 'ts' };
    });
  },
};

if (!only.length) rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir,
  outbase: path.join(root, 'test', 'unit'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Native addons and the tools the tests drive stay in node_modules.
  external: ['vscode', '@duckdb/*', 'sharp', 'playwright-core', 'esbuild', 'eslint'],
  // Linked maps: a failure's lines map back to the .ts with `node --enable-source-maps --test .tmp/unit/X.test.js`.
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [sourceMeaning],
});

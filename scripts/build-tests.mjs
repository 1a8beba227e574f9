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
const all = (only.length ? only : readdirSync(path.join(root, 'test', 'unit')).filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test', 'unit', f)))
  .map((f) => path.resolve(root, f));

// Test files that hold no process-wide state (no environment variables, mocks, process
// handlers, child processes) and spend more on starting a Node test process (~0.4 s of CPU) than
// on their tests run together, a group a process; tests in a file still run in order.
const GROUPS = {
  'pure-together': [
    'alf-classify', 'alf-diagnosis', 'alf-filename', 'alf-misc', 'alf-paths', 'alyx-lists', 'alyxforms-settings',
    'alyxforms-water', 'cache-ids', 'conform-dataset-type', 'conform-iso8601', 'conform-naming', 'conform-paths',
    'errors-rename', 'fixes-hover', 'index-alfIndex', 'one-expression', 'one-regex-terms', 'parquet-writer-pin',
    'registration-core', 'registration-weights', 'viewer-recent', 'welcome-walkthrough',
  ],
  // These write temporary folders or run a server on 127.0.0.1, each cleaning up after itself.
  'light-together': [
    'status-sessions', 'layers-session-form', 'alyx-params', 'alyx-server', 'conventions-shared', 'one-snippet',
    'npy-read', 'alyx-editor-forms', 'errors-listing', 'errors-parquet-types', 'errors-npy', 'arch-classify-reentrant',
    'one-folder-object', 'npy-stats', 'parquet-atomic', 'index-scan', 'status-server-filters', 'alyxforms-closest',
    'cache-hash-pool', 'bigcache-default-revision', 'parquet-encoding',
  ],
};
const testFile = (name) => path.join(root, 'test', 'unit', `${name}.test.ts`);
const groups = only.length ? {} : Object.fromEntries(Object.entries(GROUPS).map(([g, names]) => [g, names.map(testFile).filter((f) => all.includes(f))]));
const grouped = new Set(Object.values(groups).flat());
const entries = [
  ...all.filter((f) => !grouped.has(f)),
  ...Object.keys(groups).map((g) => ({ in: `alf-test-group:${g}`, out: `${g}.test` })),
];

const groupEntry = {
  name: 'group-entry',
  setup(b) {
    b.onResolve({ filter: /^alf-test-group:/ }, (args) => ({ path: args.path, namespace: 'alf-test-group' }));
    b.onLoad({ filter: /.*/, namespace: 'alf-test-group' }, (args) => ({
      contents: groups[args.path.slice('alf-test-group:'.length)].map((f) => `require(${JSON.stringify(f)});`).join('\n'),
      resolveDir: root,
      loader: 'js',
    }));
  },
};

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
  entryNames: '[name]',
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
  plugins: [sourceMeaning, groupEntry],
});

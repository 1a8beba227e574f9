// Bundles each unit-test file with esbuild into .tmp/unit/, so `node --test` loads one
// CommonJS file per test process instead of compiling hundreds of modules through tsx in each.
// __dirname/__filename keep their source meaning, and module.require (used to load a module
// lazily) becomes a bundled, lazily evaluated require; `require.main === module` (the CLI's
// entry-point check) is false.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outdir = path.join(root, '.tmp', 'unit');
const only = process.argv.slice(2);
const all = (only.length ? only : readdirSync(path.join(root, 'test', 'unit')).filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test', 'unit', f)))
  .map((f) => path.resolve(root, f));

// Starting a Node test process and loading its bundle costs ~0.4 s of CPU, more than most files'
// tests: the files run in a few shared processes instead, one file after another in each (a
// file's tests still run in order), dealt out by their CPU seconds so the processes end
// together. A file that changes process-wide state (mocks of Node modules or timers) or measures
// the event loop's turns, which another file's leftovers would disturb, runs alone.
const ALONE = new Set(['release-interrupt', 'cli-progress', 'status-responsive', 'status-slices']);
const GROUP_COUNT = 6;
/** CPU seconds of each heavier file (measured alone, without its process's start); others count 0.2. */
const WEIGHT = {
  'release-zip': 7, 'release-interrupt': 5, 'welcome-vsix': 4.5, 'status-register-unregistered': 4.5, 'bigcache-lazy-listing': 4,
  'release-open': 3.3, 'cache-one-parity': 3.2, 'release-unpack-threads': 3, 'status-responsive': 2.8,
  'cache-update': 2.5, 'release-download': 2.6, 'safety-registration': 2.2, 'parquet-many-rows': 2, 'cli-process': 1.9,
  'parquet-read': 1.9, 'viewer-table': 1.9, 'errors-alyx': 1.8, 'fixes-counts': 1.7, 'one-search': 1.5, 'cache-build': 1.5,
  'registration-protected': 1.5, 'status-core': 1.4, 'bigcache-typed-read': 1.4, 'alyx-cli': 1.3, 'cli-local': 1.3,
  'cache-hash-pool': 1.3, 'release-plan': 1.2, 'registration-files': 1.2, 'status-requests': 1, 'registration-session': 0.9,
  'cli-cache': 0.9, 'status-server-filters': 0.9, 'status-cli': 0.8, 'alyx-client': 0.8, 'registration-md5-memo': 0.8,
  'alf-messy-tree': 0.7, 'one-datasets': 0.7, 'safety-cache-pair': 0.6, 'parquet-writer': 0.6, 'alyx-server': 0.6,
};
const nameOf = (f) => path.basename(f, '.test.ts');
const weightOf = (f) => WEIGHT[nameOf(f)] ?? 0.2;
const groups = {};
if (!only.length) {
  const load = Array.from({ length: GROUP_COUNT }, () => 0);
  const shared = all.filter((f) => !ALONE.has(nameOf(f))).sort((a, b) => weightOf(b) - weightOf(a) || a.localeCompare(b));
  for (const f of shared) {
    const g = load.indexOf(Math.min(...load));
    load[g] += weightOf(f);
    (groups[`together-${g + 1}`] ??= []).push(f);
  }
}
const grouped = new Set(Object.values(groups).flat());
// ALF_TEST_GROUPS=1 prints each group with its weight and files (to check the balance after new tests).
if (process.env.ALF_TEST_GROUPS) for (const [g, files] of Object.entries(groups)) console.log(g, files.reduce((n, f) => n + weightOf(f), 0).toFixed(1), files.map(nameOf).join(" "));
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
// The heaviest first (scripts/unit-tests.mjs reads this), so the light ones fill in at the end.
if (!only.length) {
  const weights = [
    ...all.filter((f) => !grouped.has(f)).map((f) => [`${nameOf(f)}.test.js`, weightOf(f)]),
    ...Object.entries(groups).map(([g, files]) => [`${g}.test.js`, files.reduce((n, f) => n + weightOf(f), 0)]),
  ];
  writeFileSync(path.join(outdir, 'order.json'), JSON.stringify(weights.sort((a, b) => b[1] - a[1]).map(([f]) => f)));
}

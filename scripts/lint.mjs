// `npm run lint`: ESLint on the whole repository with the rules of tools/lint/eslint.config.js.
// ESLint and its plugins are a package of their own (tools/lint): typescript-eslint parses with
// the TypeScript 5 API, which the project's TypeScript 7 does not have. They are installed from
// tools/lint/package-lock.json the first time, and again when that lock file changes.
// Extra arguments go to ESLint (e.g. `npm run lint -- src/core --fix`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(repo, 'tools', 'lint');
const eslint = join(tools, 'node_modules', 'eslint', 'bin', 'eslint.js');
const installed = join(tools, 'node_modules', '.package-lock.json');

// npm writes node_modules/.package-lock.json on install: a package missing or of another version than the lock file's means install again.
const packagesOf = (file) => new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')).packages ?? {}).filter(([k]) => k.startsWith('node_modules/')));
const upToDate = () => {
  if (!existsSync(eslint) || !existsSync(installed)) return false;
  const have = packagesOf(installed);
  return [...packagesOf(join(tools, 'package-lock.json'))].every(([name, p]) => (p.optional && !have.has(name)) || have.get(name)?.version === p.version);
};
if (!upToDate()) {
  console.log('lint: installing ESLint into tools/lint (npm ci)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const ci = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--prefix', tools], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (ci.status !== 0) {
    console.error('lint: could not install ESLint into tools/lint: run `npm ci --prefix tools/lint` and read its error');
    process.exit(ci.status ?? 1);
  }
}

const args = process.argv.slice(2);
const started = performance.now();
// The cache skips unchanged files on the next run; a new import cycle is still found, from the changed file that closes it.
const run = spawnSync(process.execPath, [eslint, '--cache', '--cache-location', join(repo, '.tmp', 'eslintcache'), ...(args.length ? args : ['.'])], { cwd: repo, stdio: 'inherit' });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (run.status !== 0) process.exit(run.status ?? 1);
console.log(`lint: no problems (${seconds} s)`);
// A whole-tree lint also shows that each layer rule still fires on a deliberate violation
// (test/lint/): a rule that silently stopped matching would otherwise pass everything.
if (!args.length) {
  const rules = spawnSync(process.execPath, ['--require', 'tsx/cjs', '--test', '--test-reporter=dot', join(repo, 'test', 'lint', 'layer-rules.test.ts')], { cwd: repo, stdio: 'inherit' });
  if (rules.status !== 0) {
    console.error('lint: a layer rule no longer fires on its violation (test/lint/layer-rules.test.ts)');
    process.exit(rules.status ?? 1);
  }
  console.log('lint: every layer rule fires on its violation');
}

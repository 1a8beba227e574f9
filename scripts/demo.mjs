#!/usr/bin/env node
// `npm run demo`: makes a small messy ALF tree with the project's own generator, builds its ONE
// cache with the bundled CLI, shows what was found and what was skipped, then searches the cache
// and loads an ALF object from it (local mode, as Python ONE's search and load_object).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'example-data');
const marker = join(root, '.alf-workbench-example');
if (existsSync(root) && readdirSync(root).length > 0) {
  if (!existsSync(marker)) {
    console.error(`demo: ${root} exists and was not made by the demo; give another folder: npm run demo -- DIR`);
    process.exit(2);
  }
  rmSync(root, { recursive: true }); // our own example data from an earlier run
}

const run = (title, args) => {
  console.log(`\n$ ${title}`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  return r.status ?? 1;
};

if (run('node scripts/make-example-data.mjs --out example-data --messy --sessions 12', ['scripts/make-example-data.mjs', '--out', root, '--messy', '--sessions', '12']) !== 0) process.exit(1);
writeFileSync(marker, 'made by npm run demo; deleted and remade by the next run\n');
if (run(`alf build-cache ${root} --all`, ['dist/cli.js', 'build-cache', root, '--all', '--exclude', '.alf-workbench-example']) !== 0) process.exit(1);
run(`alf sessions ${root}`, ['dist/cli.js', 'sessions', root, '--exclude', '.alf-workbench-example']);
// validate exits 1 when it finds problems, which is the point of the messy example.
run(`alf validate ${root}`, ['dist/cli.js', 'validate', root, '--exclude', '.alf-workbench-example']);

// Local mode on the cache just built: ONE's search, then load_object on the newest match.
if (run(`alf search ${root} --subject SWC --date-range 2020-01-07,`, ['dist/cli.js', 'search', root, '--subject', 'SWC', '--date-range', '2020-01-07,']) !== 0) process.exit(1);
const found = spawnSync(process.execPath, ['dist/cli.js', 'search', root, '--subject', 'SWC', '--date-range', '2020-01-07,', '--json'], { encoding: 'utf8' });
const newest = found.status === 0 ? JSON.parse(found.stdout)[0] : undefined;
if (!newest) {
  console.error('demo: the search found no session');
  process.exit(1);
}
const expr = 'feedback_times - goCue_times';
if (run(`alf load-object ${root} ${newest.path} trials --expr "${expr}"`, ['dist/cli.js', 'load-object', root, newest.path, 'trials', '--expr', expr]) !== 0) process.exit(1);
console.log(`\nThe cache is in ${root}: open it in Python with One(cache_dir='${root}', mode='local'),`);
console.log(`or go on here: alf list-datasets ${root} ${newest.eid}; alf load-object … --csv trials.csv; alf npy FILE.npy`);

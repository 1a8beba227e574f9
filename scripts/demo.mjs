#!/usr/bin/env node
// `npm run demo`: makes a small messy ALF tree with the project's own generator, builds its ONE
// cache with the bundled CLI, and shows what was found and what was skipped.
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
console.log(`\nThe cache is in ${root}: open it in Python with One(cache_dir='${root}', mode='local').`);

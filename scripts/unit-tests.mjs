#!/usr/bin/env node
// Runs the bundled unit tests (.tmp/unit/*.test.js, made by scripts/build-tests.mjs) with Node's
// test runner, three files at a time. Their temporary folders go to a RAM disk when the machine
// has one (/dev/shm with room to spare): the tests create tens of thousands of small files, and
// on a virtual disk creating them costs more system time than the tests themselves. The folder is
// removed afterwards; ALF_TEST_TMPDIR overrides the choice ('' keeps the system's).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.join(root, '.tmp', 'unit');
// In the order build-tests.mjs wrote (the heaviest first), else by name.
const names = readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort();
const order = existsSync(path.join(dir, 'order.json')) ? JSON.parse(readFileSync(path.join(dir, 'order.json'), 'utf8')) : [];
const rank = (f) => (order.includes(f) ? order.indexOf(f) : order.length);
const files = names.sort((a, b) => rank(a) - rank(b)).map((f) => path.join(dir, f));

function ramDisk() {
  if (process.env.ALF_TEST_TMPDIR !== undefined) return process.env.ALF_TEST_TMPDIR || undefined;
  try {
    const s = statfsSync('/dev/shm');
    const free = s.bavail * s.bsize;
    return free > 4 * 1024 ** 3 ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}

const base = ramDisk();
const tmp = base ? mkdtempSync(path.join(base, 'alf-unit-')) : tmpdir();
if (base) console.log(`unit tests: temporary folders in ${tmp}`);
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=3', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: tmp },
});
if (base) rmSync(tmp, { recursive: true, force: true });
process.exit(run.status ?? 1);

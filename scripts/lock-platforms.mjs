#!/usr/bin/env node
// Adds lock entries for DuckDB's native bindings of other platforms. The npm registry this
// project is built against serves only the linux-x64 bindings, so `npm install` leaves the
// others out of package-lock.json, and `npm ci` then refuses the lock as out of sync. Entries
// with os/cpu set are skipped on other platforms without being fetched. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const parent = 'node_modules/@duckdb/node-bindings';
const version = lock.packages[parent]?.version;
const wanted = Object.keys(lock.packages[parent]?.optionalDependencies ?? {});
const platform = (name) => {
  const [os, cpu, libc] = name.replace('@duckdb/node-bindings-', '').split('-');
  return { os: [os], cpu: [cpu], ...(os === 'linux' ? { libc: [libc ?? 'glibc'] } : {}) };
};
const packages = {};
let added = 0;
for (const [key, value] of Object.entries(lock.packages)) {
  packages[key] = value;
  if (key !== parent) continue;
  for (const name of wanted) {
    const entry = `node_modules/${name}`;
    if (lock.packages[entry]) continue;
    const { os, cpu, libc } = platform(name);
    packages[entry] = { version, cpu, dev: true, ...(libc ? { libc } : {}), license: 'MIT', optional: true, os };
    added += 1;
  }
}
lock.packages = packages;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platforms: added ${added} entries`);

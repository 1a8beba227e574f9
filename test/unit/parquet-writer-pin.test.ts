// src/core/parquet/deps.ts deep-imports hyparquet-writer's private files (src/bytewriter.js,
// src/thrift.js, src/encoding.js), which may change in any release, even a patch. So the version is
// pinned exactly, and this test stops an upgrade that was not re-checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadWriterPrimitives } from '../../src/core/parquet/deps';
import { PROJECT } from '../helpers';

/** The hyparquet-writer release whose private files the Parquet writer was written against. */
const WRITTEN_FOR = '0.17.0';

const RECHECK =
  'src/core/parquet/deps.ts deep-imports its private files (src/bytewriter.js, src/thrift.js, src/encoding.js): ' +
  're-check their exports and behaviour against src/core/parquet/writer.ts, run the parquet-* unit tests and `npm run test:interop`, ' +
  `then set the exact version in package.json and WRITTEN_FOR in ${path.relative(PROJECT, __filename)}`;

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { version?: string; dependencies?: Record<string, string> };

test('hyparquet-writer is pinned exactly, in package.json and the lock file', () => {
  const wanted = readJson(path.join(PROJECT, 'package.json')).dependencies?.['hyparquet-writer'];
  assert.equal(wanted, WRITTEN_FOR, `package.json asks for hyparquet-writer "${wanted}", not exactly ${WRITTEN_FOR}: ${RECHECK}`);
  const lock = JSON.parse(readFileSync(path.join(PROJECT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };
  assert.equal(lock.packages['']?.dependencies?.['hyparquet-writer'], WRITTEN_FOR, `package-lock.json does not pin hyparquet-writer ${WRITTEN_FOR}: run npm install`);
  assert.equal(lock.packages['node_modules/hyparquet-writer']?.version, WRITTEN_FOR, `package-lock.json locks another hyparquet-writer: ${RECHECK}`);
});

test('the installed hyparquet-writer is the version the deep imports were written for', async () => {
  const installed = readJson(path.join(PROJECT, 'node_modules/hyparquet-writer/package.json')).version;
  assert.equal(installed, WRITTEN_FOR, `hyparquet-writer ${installed} is installed, but ${RECHECK} (or run npm ci to get ${WRITTEN_FOR})`);
  const w = await loadWriterPrimitives();
  for (const [name, value] of Object.entries(w)) assert.equal(typeof value, 'function', `hyparquet-writer no longer exports ${name}: ${RECHECK}`);
});

/**
 * Entry point of the extension-host tests (bundled by test/e2e/lib/build-ext-tests.mjs and
 * given to VS Code as extensionTestsPath). VS Code calls run() inside its extension host, where
 * `vscode` is the real API and the extension under test is the installed .vsix.
 *
 * The suites are bundled into this file, so they are registered by calling them after mocha
 * has defined its globals (suite, test, …) instead of through mocha.addFile.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { suites } from './suites';

export function run(): Promise<void> {
  // E2E_EXT_GREP runs only the tests whose full title matches (a suite being worked on).
  const grep = process.env.E2E_EXT_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  mocha.suite.emit('pre-require', globalThis, 'alf-ext-tests', mocha);
  for (const register of suites) register();
  const results = { passed: [] as string[], failed: [] as { title: string; error: string }[], pending: [] as string[] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.E2E_TEST_RESULTS;
      if (out) {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, JSON.stringify({ failures, ...results }, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.passed.push(t.fullTitle()));
    runner.on('fail', (t, err: unknown) => results.failed.push({ title: t.fullTitle(), error: err instanceof Error ? err.message : String(err) }));
    runner.on('pending', (t) => results.pending.push(t.fullTitle()));
  });
}

// Drives a running code-server with chromium (playwright-core) in one of two modes:
//   --scenario FILE   opens the workspace and runs the scenario module's default export with
//                     { page, wb, check, mark, log, assert, workspace, outDir, projectDir };
//                     every check() is recorded in scenario-results.json (with --name N:
//                     scenario-N-results.json, and screenshots named N-NN-name.png).
//   --ext-tests FILE  opens the workbench with ?payload=[[extensionDevelopmentPath,…],
//                     [extensionTestsPath,…]]: VS Code runs FILE's run() inside the extension
//                     host and reports back through window.codeAutomationExit/Log (code-server
//                     must run with --vscode-option enable-smoke-test-driver for that).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, parseArgs } from 'node:util';
import { Workbench } from './workbench.mjs';

const require = createRequire(import.meta.url);
const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { chromium } = require('playwright-core');

const { values: opt } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    workspace: { type: 'string' },
    out: { type: 'string' },
    scenario: { type: 'string' },
    name: { type: 'string', default: '' },
    'ext-tests': { type: 'string' },
    'ext-dev-path': { type: 'string' },
    'pid-file': { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    'cs-start-ms': { type: 'string' },
    'http-ready-ms': { type: 'string' },
    timeout: { type: 'string', default: '180000' },
  },
});

const mode = opt.scenario ? (opt.name ? `scenario-${opt.name}` : 'scenario') : 'ext-tests';
const baseUrl = opt['base-url'].replace(/\/$/, '');
const outDir = path.resolve(opt.out);
const timeout = Number(opt.timeout);
fs.mkdirSync(outDir, { recursive: true });
const logStream = fs.createWriteStream(path.join(outDir, `${mode}-driver.log`));
const log = (...args) => {
  const line = format(...args);
  console.log(line);
  logStream.write(`${line}\n`);
};

const csStart = Number(opt['cs-start-ms']) || Date.now();
const timings = {};
if (opt['http-ready-ms']) timings.codeServerHttpReady = Number(opt['http-ready-ms']) - csStart;
/** Records the time since code-server started under a name (timings.json). */
const mark = (name) => {
  timings[name] = Date.now() - csStart;
  log(`mark ${name}: ${timings[name]} ms after code-server start`);
};

/** Process groups of our children: playwright starts chromium in its own group. */
function childProcessGroups() {
  const ownGroup = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[2];
  const groups = new Set();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [, ppid, pgrp] = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(ppid) === process.pid && pgrp !== ownGroup) groups.add(pgrp);
    } catch {
      // the process ended meanwhile
    }
  }
  return [...groups];
}

const t0 = Date.now();
const browser = await chromium.launch({
  executablePath: opt.chromium,
  headless: true,
  timeout: 60000,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--no-default-browser-check', '--password-store=basic',
  ],
});
if (opt['pid-file']) fs.writeFileSync(opt['pid-file'], childProcessGroups().join(' '));
const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
timings.browserLaunch = Date.now() - t0;
const folderUrl = (extra = '') => `${baseUrl}/?folder=${encodeURIComponent(opt.workspace)}${extra}`;

function recordConsole(page) {
  const stream = fs.createWriteStream(path.join(outDir, `${mode}-browser-console.log`));
  page.on('console', (m) => stream.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => stream.write(`[pageerror] ${e.stack || e}\n`));
}

let exitCode = 0;

async function runScenario() {
  const page = await context.newPage();
  recordConsole(page);
  const wb = new Workbench(page, { outDir, log, prefix: opt.name ? `${opt.name}-` : '' });
  const checks = [];
  const resultsFile = path.join(outDir, `${mode}-results.json`);
  const save = () => fs.writeFileSync(resultsFile, JSON.stringify({ checks }, null, 2));
  /** One named step of the scenario: recorded as passed or failed; a failure stops the scenario. */
  const check = async (name, fn) => {
    const started = Date.now();
    try {
      const value = await fn();
      checks.push({ name, ok: true, ms: Date.now() - started });
      log(`ok   ${name} (${Date.now() - started} ms)`);
      save();
      return value;
    } catch (err) {
      checks.push({ name, ok: false, error: String(err?.message ?? err).split('\n')[0], ms: Date.now() - started });
      log(`FAIL ${name}: ${err?.stack ?? err}`);
      save();
      await page.screenshot({ path: path.join(outDir, `${mode}-failure.png`) }).catch(() => {});
      throw err;
    }
  };
  await page.goto(folderUrl(), { timeout });
  await page.waitForSelector('.monaco-workbench', { timeout });
  mark('workbenchDom');
  await wb.waitForReady({ timeout });
  mark('workbenchReady');
  const scenario = (await import(pathToFileURL(path.resolve(opt.scenario)).href)).default;
  const started = Date.now();
  try {
    await scenario({ page, context, wb, check, mark, log, assert, workspace: opt.workspace, outDir, projectDir: PROJECT_DIR });
    log('SCENARIO PASSED');
  } catch (err) {
    exitCode = 1;
    if (!checks.some((c) => !c.ok)) {
      checks.push({ name: 'scenario', ok: false, error: String(err?.message ?? err).split('\n')[0] });
      save();
    }
    log(`SCENARIO FAILED: ${err?.stack ?? err}`);
  }
  timings.scenario = Date.now() - started;
  save();
}

// Workbench noise that has nothing to do with the extension (offline, no accounts).
const KNOWN_NOISE = /^Canceled|open-vsx\.org|authentication provider 'github'|Failed to load resource|ERR_NAME_NOT_RESOLVED/;

async function runExtensionTests() {
  const page = await context.newPage();
  recordConsole(page);
  const testLog = fs.createWriteStream(path.join(outDir, 'ext-tests.log'));
  let resolveExit;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    testLog.write(`[${type}] ${line}\n`);
    if (type === 'info' && !/^(Resolving|Resolved|Creating|Updating|\[)/.test(line)) log(`  | ${line}`);
    else if (type === 'error' && !KNOWN_NOISE.test(line)) log(`  | [error] ${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  const authority = new URL(baseUrl).host;
  const remote = (p) => `vscode-remote://${authority}${path.resolve(p)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(opt['ext-dev-path'])],
    ['extensionTestsPath', remote(opt['ext-tests'])],
  ];
  const started = Date.now();
  await page.goto(folderUrl(`&payload=${encodeURIComponent(JSON.stringify(payload))}`), { timeout });
  let timer;
  const code = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeout * 2)))]);
  clearTimeout(timer);
  timings.extensionTests = Date.now() - started;
  await page.screenshot({ path: path.join(outDir, 'ext-tests-end.png') }).catch(() => {});
  if (code === 0) log(`EXTENSION TESTS PASSED (${timings.extensionTests} ms)`);
  else {
    exitCode = 1;
    log(`EXTENSION TESTS FAILED: exit code ${code}`);
  }
}

try {
  if (opt.scenario) await runScenario();
  else await runExtensionTests();
} catch (err) {
  exitCode = 1;
  log(`DRIVER ERROR: ${err?.stack ?? err}`);
} finally {
  await browser.close().catch(() => {});
  const file = path.join(outDir, 'timings.json');
  let all = {};
  try {
    all = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // first phase
  }
  all[mode] = timings;
  fs.writeFileSync(file, JSON.stringify(all, null, 2));
  logStream.end();
}
process.exitCode = exitCode;

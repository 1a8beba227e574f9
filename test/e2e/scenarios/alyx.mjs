// Registration in the editor against the project's test Alyx server (test/alyx-server, bundled
// with esbuild in prepareWorkspace and started here, in the scenario's process): log in (a bad
// password first), Register Session from the Explorer with Preview and Register, a protected
// dataset that asks before any move, Register Weight, and an unreachable server.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SESSION = 'cortexlab/Subjects/algernon/2024-05-02/001';
const PROTECTED_SESSION = 'cortexlab/Subjects/KS005/2024-05-03/001';
const FILES = {
  'alf/_ibl_trials.choice.npy': Buffer.from('choice-bytes-'.repeat(40)),
  'alf/_ibl_trials.intervals.npy': Buffer.from('intervals-bytes-'.repeat(64)),
  'alf/_ibl_wheel.position.npy': Buffer.alloc(300_000, 7),
  'algernon-notes.txt': 'not an ALF dataset: the form lists it as skipped\n',
};

export async function prepareWorkspace(dir, { projectDir }) {
  for (const [rel, content] of Object.entries(FILES)) write(path.join(dir, SESSION, rel), content);
  write(path.join(dir, PROTECTED_SESSION, 'alf/spikes.times.npy'), Buffer.from('spikes-v2-'.repeat(50)));
  write(path.join(dir, PROTECTED_SESSION, 'ks005-notes.txt'), 'second session\n');
  // The test server is TypeScript with extension-less imports: one ESM bundle the scenario (Node 24) can import.
  const require = createRequire(path.join(projectDir, 'package.json'));
  const { build } = require('esbuild');
  await build({
    entryPoints: [path.join(projectDir, 'test/alyx-server/index.ts')],
    outfile: path.join(path.dirname(dir), 'alyx-server.mjs'),
    bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning',
  });
}

function write(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

async function until(probe, what, timeout = 15000) {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

export default async function scenario({ page, wb, check, log, assert, workspace, projectDir }) {
  const { startAlyxServer } = await import(pathToFileURL(path.join(path.dirname(workspace), 'alyx-server.mjs')).href);
  const server = await startAlyxServer();
  log(`test Alyx server on ${server.url}`);
  const host = new URL(server.url).host;
  const core = createRequire(path.join(projectDir, 'package.json'))(path.join(projectDir, 'dist/core.js'));
  const sessionDir = path.join(workspace, SESSION);
  const protectedDir = path.join(workspace, PROTECTED_SESSION);
  const statusBar = page.locator('.part.statusbar');
  const statusText = async () => (await statusBar.innerText()).replace(/\s+/g, ' ');

  // Someone registered KS005's spikes.times.npy earlier, and it was then protected (e.g. released).
  const seeded = new core.AlyxClient({ baseUrl: server.url, username: 'test_user', token: server.tokenFor('test_user') });
  const seedReg = await core.RegistrationClient.create(seeded);
  await seedReg.registerSession(protectedDir, { fileList: [path.join(protectedDir, 'alf/spikes.times.npy')] });
  assert.equal(server.protect((d) => d.name === 'spikes.times.npy'), 1);

  try {
    await check('alf.alyx.url in the workspace settings shows "logged out" in the status bar', async () => {
      write(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'alf.alyx.url': server.url }, null, 2));
      await until(async () => /Alyx: logged out/.test(await statusText()), 'the status bar item', 30000);
    });

    const login = async (password) => {
      await wb.runCommand('ALF: Log In to Alyx');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill('test_user');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget .quick-input-message', { hasText: /Password/ }).or(page.locator('.quick-input-widget', { hasText: /Password of/ })).first().waitFor();
      assert.equal(await input.getAttribute('type'), 'password', 'the password box hides what is typed');
      await input.fill(password);
      await page.keyboard.press('Enter');
    };

    await check('a bad password says so clearly, and stores nothing', async () => {
      await login('not-the-password');
      const note = await wb.waitForNotification(/login failed/i);
      log('notification:', note);
      assert.match(note, /Alyx login failed for user "test_user"/);
      assert.match(await statusText(), /Alyx: logged out/);
      await wb.clearNotifications();
    });

    await check('the right password logs in; the status bar shows user@server', async () => {
      await login('test-password-1');
      await until(async () => (await statusText()).includes(`test_user@${host}`), 'user@server in the status bar');
      // The token went to SecretStorage, not to the workspace or the settings.
      const settings = fs.readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8');
      const token = [...server.state.tokens.keys()].find((t) => server.state.tokens.get(t) === 'test_user');
      assert.ok(token && !settings.includes(token));
      await wb.clearNotifications();
    });

    /** Right-clicks a session folder in the Explorer (revealed through a file inside it) and picks an entry. */
    const explorerSessionMenu = async (notesFile, date, entry) => {
      await wb.quickOpen(notesFile);
      await wb.runCommand('File: Reveal Active File in Explorer View');
      let index;
      // The Explorer expands the path to the revealed file over a few frames.
      await until(async () => {
        index = await page.locator('.explorer-folders-view .monaco-list-row').evaluateAll(
          (rows, d) => rows.find((r) => r.getAttribute('aria-label') === d && r.getAttribute('aria-expanded') === 'true')?.getAttribute('data-index'),
          date,
        );
        return index !== undefined && index !== null;
      }, `the ${date} folder expanded in the Explorer`);
      const row = page.locator(`.explorer-folders-view .monaco-list-row[data-index="${Number(index) + 1}"]`);
      assert.equal(await row.getAttribute('aria-label'), '001');
      await row.click({ button: 'right' });
      await wb.pickContextMenuItem(entry);
    };

    let form;
    await check('right-click a session in the Explorer → Register Session opens the form, filled from the path and the server', async () => {
      await wb.runCommand('View: Close All Editors');
      await explorerSessionMenu('algernon-notes.txt', '2024-05-02', 'Register Session');
      form = wb.webview();
      await form.locator('table.files tr[data-file="alf/_ibl_trials.choice.npy"]').waitFor({ timeout: 30000 });
      assert.equal(await form.locator('#subject').evaluate((e) => e.value), 'algernon');
      assert.equal(await form.locator('#lab').evaluate((e) => e.value), 'cortexlab');
      assert.equal(await form.locator('#number').evaluate((e) => e.value), '001');
      assert.deepEqual(await form.locator('#users').evaluate((e) => e.value), ['test_user']);
      const notes = await form.locator('tr[data-file="algernon-notes.txt"]').innerText();
      assert.match(notes, /skipped/);
      assert.match(await form.locator('tr[data-file="alf/_ibl_wheel.position.npy"]').innerText(), /wheel\.position/);
      await form.locator('#taskProtocol input').fill('_iblrig_tasks_trainingChoiceWorld6.4.2');
      await form.locator('#nTrials input').fill('400');
      await form.locator('#nCorrectTrials input').fill('321');
      await form.locator('#startTime').evaluate((e) => { e.value = '2024-05-02T09:30'; e.dispatchEvent(new Event('change', { bubbles: true })); });
      await wb.setSideBarVisible(false);
      await wb.shot('readme-register-form', { clip: { x: 0, y: 0, width: 1100, height: 860 } });
    });

    await check('Preview shows the exact request bodies with md5s, and sends nothing', async () => {
      const before = server.requests.filter((r) => r.method !== 'GET').length;
      await form.locator('#preview').click();
      await form.locator('pre.request-body').nth(1).waitFor({ timeout: 30000 });
      const bodies = await form.locator('pre.request-body').allInnerTexts();
      const session = JSON.parse(bodies[0]);
      assert.equal(session.subject, 'algernon');
      assert.equal(session.n_trials, 400);
      assert.equal(session.start_time, '2024-05-02T09:30:00');
      const files = JSON.parse(bodies[1]);
      const md5 = createHash('md5').update(FILES['alf/_ibl_trials.choice.npy']).digest('hex');
      assert.deepEqual(files.filenames, ['alf/_ibl_trials.choice.npy', 'alf/_ibl_trials.intervals.npy', 'alf/_ibl_wheel.position.npy']);
      assert.equal(files.hashes[0], md5);
      assert.equal(server.requests.filter((r) => r.method !== 'GET').length, before, 'a dry run posts nothing');
      assert.equal(server.state.sessions.filter((s) => s.subject === 'algernon').length, 0);
      await form.locator('#preview-out').scrollIntoViewIfNeeded();
      await wb.shot('readme-register-preview', { clip: { x: 0, y: 0, width: 1100, height: 860 } });
    });

    await check('Register creates the session and the datasets on the server, and lists each dataset id', async () => {
      await form.locator('#register').click();
      await form.locator('#registered td.dataset-id').nth(2).waitFor({ timeout: 60000 });
      const session = server.state.sessions.find((s) => s.subject === 'algernon');
      assert.ok(session, 'the session exists on the server');
      assert.equal(session.n_trials, 400);
      assert.equal(session.task_protocol, '_iblrig_tasks_trainingChoiceWorld6.4.2');
      const datasets = server.state.datasets.filter((d) => d.session === session.id).map((d) => `${d.collection}/${d.name}`).sort();
      assert.deepEqual(datasets, ['alf/_ibl_trials.choice.npy', 'alf/_ibl_trials.intervals.npy', 'alf/_ibl_wheel.position.npy']);
      const ids = await form.locator('#registered td.dataset-id').allInnerTexts();
      for (const id of ids) assert.ok(server.state.datasets.some((d) => d.id === id.trim()), id);
      await form.locator('#result').scrollIntoViewIfNeeded();
      await wb.shot('register-result');
    });

    await check('a protected dataset: the planned move is shown for confirmation before any file moves', async () => {
      await wb.setSideBarVisible(true);
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      await explorerSessionMenu('ks005-notes.txt', '2024-05-03', 'Register Session');
      const ks = wb.webview();
      await ks.locator('table.files tr[data-file="alf/spikes.times.npy"]').waitFor({ timeout: 30000 });
      await ks.locator('#register').click();
      const question = await wb.dialogText({ timeout: 30000 });
      log('dialog:', question);
      assert.match(question, /protected on Alyx/);
      assert.match(question, /alf\/spikes\.times\.npy → alf\/#\d{4}-\d{2}-\d{2}#\/spikes\.times\.npy/);
      const original = path.join(protectedDir, 'alf/spikes.times.npy');
      assert.ok(fs.existsSync(original), 'nothing moved while the dialog is open');
      await wb.shot('protected-confirmation');
      await wb.answerDialog('Cancel');
      await ks.locator('#status-message', { hasText: 'Nothing was moved or registered' }).waitFor();
      assert.ok(fs.existsSync(original), 'declining moves nothing');
      assert.equal(server.state.datasets.filter((d) => d.name === 'spikes.times.npy').length, 1);

      await ks.locator('#register').click();
      await wb.answerDialog('Move and Register', { timeout: 30000 });
      await ks.locator('#registered td.dataset-id').first().waitFor({ timeout: 60000 });
      assert.ok(!fs.existsSync(original), 'moved after the confirmation');
      const revisions = fs.readdirSync(path.join(protectedDir, 'alf')).filter((n) => /^#.*#$/.test(n));
      assert.equal(revisions.length, 1);
      const revised = server.state.datasets.filter((d) => d.name === 'spikes.times.npy').map((d) => d.revision).sort();
      assert.deepEqual(revised, ['', revisions[0].slice(1, -1)]);
    });

    let weight;
    await check('Register Weight… creates a weighing; a bad amount is refused under its field', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      await wb.setSideBarVisible(false);
      await wb.runCommand('ALF: Register Weight…');
      weight = wb.webview();
      await weight.locator('#subject').waitFor({ timeout: 30000 });
      await until(async () => (await weight.locator('#user').evaluate((e) => e.value)) === 'test_user', 'the user filled in');
      await weight.locator('#subject').evaluate((e) => { e.value = 'algernon'; e.dispatchEvent(new Event('change', { bubbles: true })); });
      await weight.locator('#amount input').fill('-3');
      await weight.locator('#submit').click();
      await weight.locator('[data-error-for="amount"]', { hasText: /positive number of grams/ }).waitFor();
      await weight.locator('#amount input').fill('23.4');
      await until(async () => (await weight.locator('[data-error-for="amount"]').innerText()) === '', 'the error cleared on edit');
      await weight.locator('#dateTime').evaluate((e) => { e.value = '2024-05-02T08:15'; e.dispatchEvent(new Event('change', { bubbles: true })); });
      await wb.shot('readme-weight-form', { clip: { x: 0, y: 0, width: 900, height: 560 } });
      await weight.locator('#submit').click();
      await weight.locator('#record-url').waitFor({ timeout: 30000 });
      assert.equal(server.state.weighings.length, 1);
      const w = server.state.weighings[0];
      assert.equal(w.subject, 'algernon');
      assert.equal(w.weight, 23.4);
      assert.equal(w.user, 'test_user');
      assert.match(w.date_time, /^2024-05-02T08:15/);
    });

    await check('an unreachable server: the form says so and keeps what was typed', async () => {
      await server.close();
      await weight.locator('#amount input').fill('19.5');
      await weight.locator('#submit').click();
      const failure = await weight.locator('#failure').innerText({ timeout: 60000 });
      log('form says:', failure);
      assert.match(failure, /Cannot reach Alyx at .*connection refused.*entries are kept/);
      assert.equal(await weight.locator('#amount').evaluate((e) => e.value), '19.5');
      assert.equal(await weight.locator('#subject').evaluate((e) => e.value), 'algernon');
      await wb.shot('unreachable');
    });
  } finally {
    await server.close().catch(() => {});
  }
}

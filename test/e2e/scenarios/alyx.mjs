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
  // A typo: no dataset type matches; the form names trials.choice as the closest.
  'alf/_ibl_trails.choice.npy': Buffer.from('typo-'.repeat(10)),
  'algernon-notes.txt': 'not an ALF dataset: the form lists it as skipped\n',
};

const FAILING_SESSION = 'mainenlab/Subjects/ZM_1085/2024-05-04/001';
const FAILING_FILES = {
  'alf/_ibl_trials.feedbackType.npy': Buffer.from('feedback-'.repeat(30)),
  'alf/_ibl_trials.intervals.npy': Buffer.from('zm-intervals-'.repeat(30)),
  'zm-notes.txt': 'third session\n',
};
const FLAGS = ['cortexlab/Subjects/KS005/2024-06-02/001', 'mainenlab/Subjects/ZM_1085/2024-06-02/001'];

export async function prepareWorkspace(dir, { projectDir }) {
  for (const [rel, content] of Object.entries(FILES)) write(path.join(dir, SESSION, rel), content);
  write(path.join(dir, PROTECTED_SESSION, 'alf/spikes.times.npy'), Buffer.from('spikes-v2-'.repeat(50)));
  write(path.join(dir, PROTECTED_SESSION, 'ks005-notes.txt'), 'second session\n');
  for (const [rel, content] of Object.entries(FAILING_FILES)) write(path.join(dir, FAILING_SESSION, rel), content);
  // Create New Session… finds 001 taken and makes 002.
  write(path.join(dir, 'algernon/2024-06-01/001/taken.txt'), 'an earlier session\n');
  for (const flag of FLAGS) write(path.join(dir, 'flagged', flag, 'create_me.flag'), '');
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

/** Every file below `dir` whose name passes `test`. */
function findFiles(dir, test, found = []) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isFile() && test(e.name)) found.push(full);
    if (e.isDirectory()) findFiles(full, test, found);
  }
  return found;
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
  /** The text the Output panel shows once it has a line matching `match` (panel maximised so the last lines fit). */
  const outputText = async (match) => {
    const lines = page.locator('.part.panel .output-view .view-lines, .part.panel .monaco-editor .view-lines').first();
    await lines.waitFor({ timeout: 30000 });
    await until(async () => (await page.locator('.part.panel').innerText()).includes('ALF Alyx') || /ALF Alyx/.test(await page.locator('.part.panel').innerHTML()), 'the ALF Alyx channel');
    let text = '';
    await until(async () => {
      text = await lines.evaluate((e) => [...e.querySelectorAll('.view-line')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n'));
      return match.test(text);
    }, `output matching ${match}`);
    return text;
  };

  // Someone registered KS005's spikes.times.npy earlier, and it was then protected (e.g. released).
  const seeded = new core.AlyxClient({ baseUrl: server.url, username: 'test_user', token: server.tokenFor('test_user') });
  const seedReg = await core.RegistrationClient.create(seeded);
  await seedReg.registerSession(protectedDir, { fileList: [path.join(protectedDir, 'alf/spikes.times.npy')] });
  assert.equal(server.protect((d) => d.name === 'spikes.times.npy'), 1);

  // algernon and KS005 are under water restriction: weighed this morning, some water given today.
  const today = new Date().toISOString().slice(0, 10);
  const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  server.state.waterRestrictions.push(
    { id: 'wr-algernon', subject: 'algernon', start_time: `${daysAgo(3)}T08:00:00`, end_time: null, reference_weight: 25 },
    { id: 'wr-ks005', subject: 'KS005', start_time: `${daysAgo(2)}T08:00:00`, end_time: null, reference_weight: 27 },
  );
  server.state.weighings.push(
    { id: 'w-algernon', subject: 'algernon', date_time: `${today}T00:30:00`, weight: 21.5, user: 'test_user' },
    { id: 'w-ks005', subject: 'KS005', date_time: `${today}T00:40:00`, weight: 23, user: 'test_user' },
  );
  server.state.waterAdministrations.push({ id: 'a-ks005', subject: 'KS005', date_time: `${today}T00:45:00`, water_administered: 0.4, water_type: 'Water', user: 'test_user', adlib: false, session: null });

  // code-server's window is a remote window: the User settings are the ones a remote window must honour.
  const userSettingsFile = path.resolve(workspace, '../../user-data/User/settings.json');
  const userSettingsBefore = fs.readFileSync(userSettingsFile, 'utf8');

  try {
    await check('no Alyx server: the error offers Open Settings, which opens alf.alyx.url', async () => {
      await wb.clearNotifications();
      await wb.runCommand('ALF: Register Weight…');
      const note = await wb.waitForNotification(/No Alyx server/);
      log('notification:', note);
      await wb.clickNotificationButton(/No Alyx server/, 'Open Settings');
      const setting = page.locator('.settings-editor .setting-item-contents', { hasText: 'Alyx server for registration' }).first();
      await setting.waitFor({ timeout: 30000 });
      assert.match(await setting.innerText(), /Read from User settings in local and remote windows/);
      await wb.shot('no-server-open-settings');
    });

    await check('the URL typed into that Settings editor (User tab) reaches this remote window: "logged out" in the status bar', async () => {
      // What the issue saw: a User setting of scope machine-overridable is ignored in a remote window (code-server's is one).
      const setting = page.locator('.settings-editor .setting-item-contents', { hasText: 'Alyx server for registration' }).first();
      await setting.locator('input').first().fill(server.url);
      await until(() => fs.readFileSync(userSettingsFile, 'utf8').includes(server.url), 'the URL in the User settings file (not the Remote one)', 15000);
      // The Settings editor may open as a modal, which keeps F1 to itself: close it first.
      const editor = page.locator('.settings-editor').first();
      for (let i = 0; i < 4 && (await editor.isVisible()); i++) {
        await page.keyboard.press('Escape');
        await page.waitForTimeout(300);
      }
      if (await editor.isVisible()) await page.locator('[aria-label^="Close"]:visible').first().click();
      await until(async () => !(await editor.isVisible()), 'the Settings editor closed');
      await until(async () => /Alyx: logged out/.test(await statusText()), 'the status bar item', 30000);
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
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

    await check('a bad password: the box stays open with the reason; the right password typed into it logs in', async () => {
      await login('not-the-password');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      const message = page.locator('.quick-input-widget .quick-input-message', { hasText: /login failed/i });
      await message.waitFor({ timeout: 30000 });
      log('password box says:', (await message.innerText()).trim());
      assert.match(await message.innerText(), /Alyx login failed for user "test_user".*Type the password again/s);
      assert.equal(await input.getAttribute('type'), 'password', 'still the hidden password box');
      assert.equal(await input.inputValue(), '', 'the refused password is cleared');
      assert.match(await statusText(), /Alyx: logged out/);
      await wb.shot('bad-password');
      await input.fill('test-password-1');
      await page.keyboard.press('Enter');
      await until(async () => (await statusText()).includes(`test_user@${host}`), 'user@server in the status bar');
      // The token went to SecretStorage, not to the settings.
      const settings = fs.readFileSync(userSettingsFile, 'utf8');
      const token = [...server.state.tokens.keys()].find((t) => server.state.tokens.get(t) === 'test_user');
      assert.ok(token && !settings.includes(token));
      await wb.clearNotifications();
    });

    await check('Escape in the password box after a refusal backs out quietly and stays logged in as before', async () => {
      await wb.runCommand('ALF: Log In to Alyx');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill('test_user');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: /Password of/ }).first().waitFor();
      await input.fill('wrong-again');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget .quick-input-message', { hasText: /login failed/i }).waitFor({ timeout: 30000 });
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      assert.ok((await statusText()).includes(`test_user@${host}`), 'the earlier login stands');
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
      // The Explorer may still be re-rendering the revealed path, which closes a menu just opened: one more try.
      for (let attempt = 1; ; attempt++) {
        await row.click({ button: 'right' });
        try {
          await wb.pickContextMenuItem(entry);
          return;
        } catch (err) {
          if (attempt >= 2) throw err;
          log(`context menu closed before "${entry}" was picked; again`);
          await page.keyboard.press('Escape');
        }
      }
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
      const typo = await form.locator('tr[data-file="alf/_ibl_trails.choice.npy"]').innerText();
      log('typo row:', typo.replace(/\s+/g, ' '));
      assert.match(typo, /No dataset type found.*\n?.*closest dataset types: trials\.choice \(\*trials\.choice\.\*\)/s);
      assert.match(await form.locator('#dataset-type-hint').innerText(), /Alyx admin → Data → Dataset types → Add.*\/admin\/data\/datasettype\/add\//);
      // The users multi-select shows who, not "1 Selected".
      const face = (await form.locator('#users .select-face-badge').allInnerTexts()).map((t) => t.trim());
      assert.deepEqual(face, ['test_user']);
      assert.notEqual(await form.locator('#startTime').getAttribute('type'), 'datetime-local', 'a text field, not the locale-formatted datetime-local');
      assert.match(await form.locator('tr[data-file="alf/_ibl_wheel.position.npy"]').innerText(), /wheel\.position/);
      await form.locator('#taskProtocol input').fill('_iblrig_tasks_trainingChoiceWorld6.4.2');
      await form.locator('#nTrials input').fill('400');
      await form.locator('#nCorrectTrials input').fill('321');
      await form.locator('#startTime input').fill('2024-05-02 09:30');
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

    await check('ALF: Refresh Alyx Status: the registered session and its datasets say "on Alyx" with a ✓ badge; an unregistered one says "not on Alyx"', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      await wb.setSideBarVisible(true);
      await wb.openViewContainer('ALF');
      const before = server.requests.length;
      await wb.runCommand('ALF: Refresh Alyx Status');
      await wb.expandTreeRow('Sessions', 'cortexlab');
      await wb.expandTreeRow('Sessions', 'algernon');
      // Decoration badges are drawn by CSS (::after), so they are not in the row's text.
      const badges = (text) => wb.treeRow('Sessions', text).evaluate((row) =>
        [row, ...row.querySelectorAll('*')].map((el) => getComputedStyle(el, '::after').content).filter((c) => c && c !== 'none' && c !== 'normal').join(' '));
      const session = await wb.waitForTreeRow('Sessions', /2024-05-02\/001.*· on Alyx/, { timeout: 60000 });
      // VS Code asks for decorations again after the tree shows the new descriptions: wait for the badge.
      let sessionBadges = '';
      await until(async () => /✓/.test((sessionBadges = await badges('2024-05-02/001'))), `the ✓ badge on ${session.text} (badges: ${sessionBadges})`);
      await wb.expandTreeRow('Sessions', '2024-05-02/001');
      await wb.expandTreeRow('Sessions', 'alf');
      const dataset = await wb.waitForTreeRow('Sessions', /_ibl_trials\.choice\.npy.*on Alyx/);
      await until(async () => /✓/.test(await badges('_ibl_trials.choice.npy')), 'the ✓ badge on _ibl_trials.choice.npy');
      await wb.expandTreeRow('Sessions', 'KS005');
      // KS005/2024-05-03/001 is seeded on the server (its protected dataset); 2024-06-02/001 is only on disk.
      const other = await wb.waitForTreeRow('Sessions', /2024-06-02\/001.*· not on Alyx/);
      await until(async () => /U/.test(await badges('2024-06-02/001')), 'the U badge on 2024-06-02/001');
      log('status rows:', session.text, sessionBadges, '|', dataset.text, '|', other.text);
      const asked = server.requests.slice(before).filter((r) => r.path === '/sessions' || r.path === '/datasets');
      assert.ok(asked.every((r) => r.query.subject), 'asked per subject');
      await wb.shot('alyx-status-tree');
    });

    await check('Register Unregistered… on a subject of the Sessions view: one form with the preview of each session, Register creates them, and their rows turn "on Alyx"', async () => {
      // KS_001 (cortexlab) has generated sessions only on disk; the server learns the subject.
      server.state.subjects.push({ id: crypto.randomUUID(), nickname: 'KS_001', lab: 'cortexlab', responsible_user: 'test_user', projects: [] });
      await wb.runCommand('ALF: Refresh Alyx Status');
      await wb.waitForTreeRow('Sessions', /KS_001/);
      for (let attempt = 1; ; attempt++) {
        await wb.treeRow('Sessions', 'KS_001').click({ button: 'right' });
        try {
          await wb.pickContextMenuItem('Register Unregistered…');
          break;
        } catch (err) {
          if (attempt >= 2) throw err;
          await page.keyboard.press('Escape');
        }
      }
      const unregistered = wb.webview();
      await unregistered.locator('#status-message', { hasText: 'Preview ready' }).waitFor({ timeout: 60000 });
      assert.match(await unregistered.locator('h1').innerText(), /Register Unregistered: subject KS_001/);
      const counts = await unregistered.locator('#summary-counts').innerText();
      const n = Number(/^(\d+) session\(s\): (\d+) to create/.exec(counts)?.[1]);
      assert.ok(n > 0 && counts.startsWith(`${n} session(s): ${n} to create`), counts);
      assert.equal(await unregistered.locator('section.session details summary').count(), n, 'each session shows its preview requests');
      assert.equal(server.state.sessions.filter((s) => s.subject === 'KS_001').length, 0, 'the preview creates nothing');
      await wb.shot('register-unregistered-preview');
      await unregistered.locator('#register').click();
      await unregistered.locator('#run-summary').waitFor({ timeout: 120000 });
      const summary = await unregistered.locator('#run-summary').innerText();
      log('register unregistered:', summary);
      assert.match(summary, new RegExp(`registered ${n} of ${n} session\\(s\\)`));
      assert.equal(server.state.sessions.filter((s) => s.subject === 'KS_001').length, n);
      assert.equal(await unregistered.locator('.result[data-outcome="registered"]').count(), n);
      await wb.shot('register-unregistered-result');
      await wb.runCommand('View: Close All Editors');
      await wb.expandTreeRow('Sessions', 'KS_001');
      const first = server.state.sessions.find((x) => x.subject === 'KS_001');
      await wb.waitForTreeRow('Sessions', new RegExp(`${first.start_time.slice(0, 10)}/00${first.number}.*· on Alyx`), { timeout: 60000 });
      await wb.clearNotifications();
    });


    await check('Register Files on two files selected in the Explorer: asks, registers both, reports them', async () => {
      await wb.setSideBarVisible(true);
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      // .csv, not .npy: opening a .npy would give the focus to its array editor (a webview).
      const added = { 'alf/_ibl_wheel.timestamps.csv': 't\n0.1\n0.2\n', 'alf/_ibl_wheel.velocity.csv': 'v\n1.5\n-0.5\n' };
      for (const [rel, content] of Object.entries(added)) write(path.join(sessionDir, rel), content);
      await wb.quickOpen('_ibl_wheel.timestamps.csv');
      await wb.runCommand('File: Reveal Active File in Explorer View');
      const row = (name) => page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
      await row('_ibl_wheel.velocity.csv').waitFor();
      await row('_ibl_wheel.timestamps.csv').click();
      await row('_ibl_wheel.velocity.csv').click({ modifiers: ['Control'] });
      await until(async () => (await page.locator('.explorer-folders-view .monaco-list-row.selected').count()) === 2, 'two files selected');
      await row('_ibl_wheel.velocity.csv').click({ button: 'right' });
      await wb.pickContextMenuItem('Register Files');
      const question = await wb.answerDialog('Register', { timeout: 30000 });
      log('dialog:', question);
      assert.match(question, /Register 2 file\(s\) on http:\/\/127\.0\.0\.1/);
      const note = await wb.waitForNotification(/registered 2 of 2 file/, { timeout: 60000 });
      log('notification:', note);
      const session = server.state.sessions.find((s) => s.subject === 'algernon' && s.start_time.startsWith('2024-05-02'));
      const names = server.state.datasets.filter((d) => d.session === session.id).map((d) => d.name);
      for (const [rel, content] of Object.entries(added)) {
        const name = path.posix.basename(rel);
        assert.ok(names.includes(name), `${name} on the server`);
        const ds = server.state.datasets.find((d) => d.session === session.id && d.name === name);
        assert.equal(ds.hash, createHash('md5').update(content).digest('hex'));
      }
    });

    await check('Check Protected Files on a session (Explorer): names the protected file and its revision', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      await explorerSessionMenu('ks005-notes.txt', '2024-05-03', 'Check Protected Files');
      const note = await wb.waitForNotification(/protected/, { timeout: 60000 });
      log('notification:', note);
      assert.match(note, /1 of 1 file\(s\) are protected: spikes\.times\.npy \(\(no revision\)\)/);
      assert.ok(fs.existsSync(path.join(protectedDir, 'alf/spikes.times.npy')), 'checking moves nothing');
      await wb.clickNotificationButton(/are protected/, 'Show details');
      const text = await outputText(/alf\/spikes\.times\.npy: protected in/);
      assert.match(text, /cortexlab\/Subjects\/KS005\/2024-05-03\/001\/alf\/spikes\.times\.npy: protected in \(no revision\)|KS005\/2024-05-03\/001\/alf\/spikes\.times\.npy: protected in \(no revision\)/);
      await wb.hidePanel();
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


    await check('files refused after the session was created: each file shows the error, the form gives the session id; Show details shows request and response, never the token', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      server.inject({ method: 'POST', path: '/register-file', status: 500, body: { detail: 'Storage backend unavailable' } });
      await explorerSessionMenu('zm-notes.txt', '2024-05-04', 'Register Session');
      const zm = wb.webview();
      await zm.locator('table.files tr[data-file="alf/_ibl_trials.feedbackType.npy"]').waitFor({ timeout: 30000 });
      await zm.locator('#register').click();
      await zm.locator('#files-error').waitFor({ timeout: 60000 });
      const session = server.state.sessions.find((s) => s.subject === 'ZM_1085' && s.start_time.startsWith('2024-05-04'));
      assert.ok(session, 'the session was created');
      assert.equal(server.state.datasets.filter((d) => d.session === session.id).length, 0, 'no dataset yet');
      assert.equal((await zm.locator('#session-eid').innerText()).trim(), session.id);
      const rows = await zm.locator('#registered tbody tr').allInnerTexts();
      log('per-file results:', rows.join(' | '));
      assert.equal(rows.length, 2);
      for (const r of rows) assert.match(r, /Storage backend unavailable/);
      assert.match(await zm.locator('#status-message').innerText(), /created on Alyx, but its files were not registered.*Register again/);
      await wb.shot('register-files-failed');
      const note = await wb.waitForNotification(/registering its files failed/);
      assert.match(note, new RegExp(session.id));
      await wb.clickNotificationButton(/registering its files failed/, 'Show details');
      // The Output panel shows the channel with the response; the whole channel is read from its log file.
      const shown = await outputText(/Storage backend unavailable/);
      for (const token of server.state.tokens.keys()) assert.ok(!shown.includes(token), 'no token in the output panel');
      // The user-data folder is shared by the e2e phases, each with its own logs folder: this window's is the newest.
      const logFile = findFiles(path.resolve(workspace, '../../user-data'), (n) => n === 'ALF Alyx.log').sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
      assert.ok(logFile, 'the ALF Alyx channel has a log file under the user-data folder');
      // VS Code writes a log channel to its file in batches: wait until the response is in it.
      let text = '';
      await until(() => /response: HTTP 500/.test((text = fs.readFileSync(logFile, 'utf8'))), 'the ALF Alyx log file to hold the response', 20000);
      assert.match(text, /request: POST \/register-file/);
      assert.match(text, /response: HTTP 500 from POST http:\/\/127\.0\.0\.1:\d+\/register-file/);
      assert.match(text, new RegExp(createHash('md5').update(FAILING_FILES['alf/_ibl_trials.feedbackType.npy']).digest('hex')), 'the body as sent, with md5s');
      for (const token of server.state.tokens.keys()) assert.ok(!text.includes(token), 'no token anywhere in the channel');
      assert.ok(!text.includes('test-password-1'), 'no password in the channel');
      await wb.hidePanel();
      // Retry: the session is updated (not created twice) and the files registered.
      await zm.locator('#register').click();
      await zm.locator('#registered td.dataset-id').nth(1).waitFor({ timeout: 60000 });
      assert.equal(server.state.sessions.filter((s) => s.subject === 'ZM_1085' && s.start_time.startsWith('2024-05-04')).length, 1);
      assert.equal(server.state.datasets.filter((d) => d.session === session.id).length, 2);
    });

    await check('Create New Session…: subject, date, root; the next number folder is made, registered and revealed', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      await wb.runCommand('ALF: Create New Session…');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'ZM_1085' }).waitFor({ timeout: 30000 });
      await input.fill('alger');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'algernon' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: /date/ }).first().waitFor();
      await input.fill('2024-06-01');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: /data root/ }).first().waitFor();
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'alf-data' }).first().click();
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Create the folder and the session on Alyx' }).first().click();
      const made = path.join(workspace, 'algernon/2024-06-01/002');
      await until(async () => fs.existsSync(made), 'the 002 folder');
      const note = await wb.waitForNotification(/created .*002/, { timeout: 30000 });
      log('notification:', note);
      const session = server.state.sessions.find((s) => s.subject === 'algernon' && s.start_time.startsWith('2024-06-01'));
      assert.ok(session && Number(session.number) === 2, 'session 2 of that day on the server');
      assert.match(note, new RegExp(session.id));
      await until(async () => (await page.locator('.explorer-folders-view .monaco-list-row.selected[aria-label="002"]').count()) === 1, 'the new folder revealed and selected');
      await wb.shot('create-session');
    });

    await check('Create Sessions from Flag Files: lists them, a failure keeps its flag, a rerun finishes', async () => {
      await wb.clearNotifications();
      const flags = FLAGS.map((f) => path.join(workspace, 'flagged', f, 'create_me.flag'));
      const onServer = () => server.state.sessions.filter((s) => s.start_time.startsWith('2024-06-02')).map((s) => s.subject).sort();
      const run = async (answer) => {
        await wb.runCommand('Collapse Folders in Explorer');
        const row = page.locator('.explorer-folders-view .monaco-list-row[aria-label="flagged"]');
        await row.waitFor();
        await row.click({ button: 'right' });
        await wb.pickContextMenuItem('Create Sessions from Flag Files');
        return wb.answerDialog(answer, { timeout: 30000 });
      };
      // The second session's POST fails once.
      server.inject({ method: 'POST', path: '/sessions', after: 1, status: 500, body: { detail: 'database is locked' } });
      const first = await run('Create Sessions');
      log('dialog:', first);
      assert.match(first, /Create 2 session\(s\)/);
      assert.match(first, /KS005\/2024-06-02\/001/);
      assert.match(first, /ZM_1085\/2024-06-02\/001/);
      const error = await wb.waitForNotification(/database is locked/, { timeout: 60000 });
      log('notification:', error);
      assert.match(error, /created 1 of 2 session\(s\); mainenlab\/Subjects\/ZM_1085\/2024-06-02\/001 failed: database is locked.*Its flag is kept: run the command again/);
      assert.deepEqual(onServer(), ['KS005']);
      assert.ok(!fs.existsSync(flags[0]), 'the created session\'s flag is removed');
      assert.ok(fs.existsSync(flags[1]), 'the failed session keeps its flag');
      await wb.clearNotifications();
      const second = await run('Create Sessions');
      assert.match(second, /Create 1 session\(s\)/);
      await wb.waitForNotification(/created 1 session/, { timeout: 60000 });
      assert.deepEqual(onServer(), ['KS005', 'ZM_1085']);
      assert.ok(!fs.existsSync(flags[1]));
      assert.ok(fs.existsSync(path.dirname(flags[1])), 'the session folder stays');
    });

    await check('Register Water…: creates a water administration with the chosen type', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
      await wb.setSideBarVisible(false);
      await wb.runCommand('ALF: Register Water…');
      const water = wb.webview();
      await water.locator('#subject').waitFor({ timeout: 30000 });
      await until(async () => (await water.locator('#user').evaluate((e) => e.value)) === 'test_user', 'the user filled in');
      await water.locator('#subject').evaluate((e) => { e.value = 'KS005'; e.dispatchEvent(new Event('change', { bubbles: true })); });
      const status = water.locator('#subject-status table');
      await status.waitFor({ timeout: 30000 });
      const shown = (await status.innerText()).replace(/[ \t]+/g, ' ');
      log('subject status:', shown.replace(/\n/g, ' | '));
      // 23 g of 27: 85 %, above the lab's 80 %: 4 % of 23 g = 0.92 ml a day, 0.4 ml given.
      assert.match(shown, /Water restriction\s+since /);
      assert.match(shown, /Water required \d{4}-\d{2}-\d{2}\s+0\.92 ml/);
      assert.match(shown, /Water given \d{4}-\d{2}-\d{2}\s+0\.4 ml/);
      assert.match(shown, /Water remaining\s+0\.52 ml/);
      const types = await water.locator('#waterType vscode-option').allInnerTexts();
      log('water types:', types.join(', '));
      const type = types.find((t) => t.trim() !== 'Water')?.trim() ?? 'Water';
      await water.locator('#waterType').evaluate((e, t) => { e.value = t; e.dispatchEvent(new Event('change', { bubbles: true })); }, type);
      await water.locator('#amount input').fill('0');
      await water.locator('#submit').click();
      await water.locator('[data-error-for="amount"]', { hasText: /positive number/ }).waitFor();
      await water.locator('#amount input').fill('1.25');
      await water.locator('#dateTime input').fill('2024-05-03 17:05');
      // The server may already hold the subject's earlier water (seeded for the water status rows): count the new one.
      const waterBefore = server.state.waterAdministrations.length;
      await water.locator('#submit').click();
      await water.locator('#record-url').waitFor({ timeout: 30000 });
      assert.equal(server.state.waterAdministrations.length, waterBefore + 1);
      const w = server.state.waterAdministrations.at(-1);
      assert.equal(w.subject, 'KS005');
      assert.equal(w.water_administered, 1.25);
      assert.equal(w.water_type, type);
      assert.equal(w.user, 'test_user');
      assert.match(w.date_time, /^2024-05-03T17:05/);
      await wb.shot('water-created');
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
      assert.match(await weight.locator('#dateTime').evaluate((e) => e.value), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'now, in ISO order');
      await weight.locator('#subject').evaluate((e) => { e.value = 'algernon'; e.dispatchEvent(new Event('change', { bubbles: true })); });
      const status = weight.locator('#subject-status table');
      await status.waitFor({ timeout: 30000 });
      const shown = (await status.innerText()).replace(/[ \t]+/g, ' ');
      log('subject status:', shown.replace(/\n/g, ' | '));
      assert.match(shown, new RegExp(`Last weight\\s+21\\.5 g on ${today} 00:30`));
      assert.match(shown, /Reference weight\s+25 g/);
      assert.match(shown, /Weight, % of reference\s+86 %/);
      assert.match(shown, /Water required \d{4}-\d{2}-\d{2}\s+0\.86 ml/);
      await weight.locator('#amount input').fill('-3');
      await weight.locator('#submit').click();
      await weight.locator('[data-error-for="amount"]', { hasText: /positive number of grams/ }).waitFor();
      await weight.locator('#amount input').fill('23.4');
      await until(async () => (await weight.locator('[data-error-for="amount"]').innerText()) === '', 'the error cleared on edit');
      await weight.locator('#dateTime input').fill('2024-05-02 08:15');
      await wb.shot('readme-weight-form', { clip: { x: 0, y: 0, width: 900, height: 560 } });
      // The server holds seeded weighings (for the status rows): count the one this adds.
      const weighingsBefore = server.state.weighings.length;
      await weight.locator('#submit').click();
      await weight.locator('#record-url').waitFor({ timeout: 30000 });
      assert.equal(server.state.weighings.length, weighingsBefore + 1);
      const w = server.state.weighings.at(-1);
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
    fs.writeFileSync(userSettingsFile, userSettingsBefore);
    await server.close().catch(() => {});
  }
}

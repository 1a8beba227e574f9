// The ALF Workbench as a user meets it, in a real VS Code on a messy generated tree. Each
// check() is one thing a user would look for; screenshots named readme-* illustrate the README.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const VIEW = 'Sessions';

async function until(probe, what, timeout = 10000) {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A real .npy file (float64, 4 values): binary, so VS Code will not open it as text. */
function npyBytes() {
  let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }";
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(prefix, 0);
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(32);
  [0.5, 1.5, 2.5, 3.5].forEach((v, i) => data.writeDoubleLE(v, i * 8));
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]);
}

/** Numbers in a status-bar text, e.g. "ALF: 5 invalid file names, 2 warnings" → {invalid: 5, warnings: 2}. */
function alfStatusCounts(text) {
  const n = (re) => Number((text.match(re) ?? [0, 0])[1]);
  return { errors: n(/(\d+) invalid file names?/) + n(/(\d+) invalid folders?/), warnings: n(/(\d+) warnings?/), infos: n(/(\d+) skipped/) };
}

function findFile(dir, name) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const hit = findFile(full, name);
      if (hit) return hit;
    } else if (entry.name === name) return full;
  }
  return null;
}

// The README's screenshots are taken in the default light theme, then in a dark and a
// high-contrast theme (readme-NAME.png, readme-NAME-dark.png, readme-NAME-hc.png). The theme is
// picked as a user would, with Preferences: Color Theme; the workbench's class says when it applied.
const THEMES = [
  { suffix: '', label: 'Light 2026', workbenchClass: 'vs' },
  { suffix: '-dark', label: 'Dark 2026', workbenchClass: 'vs-dark' },
  { suffix: '-hc', label: 'Dark High Contrast', workbenchClass: 'hc-black' },
];

/** Clicks the row of the open quick input whose text starts with `label` (Enter would take the top row, not this one). */
async function clickQuickInputRow(page, label) {
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    // Row text runs into the keybinding ("…Color ThemeCtrl+K"): only a lower-case letter would continue the label.
    .filter({ hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z])`) })
    .first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}

async function setColorTheme(page, wb, theme) {
  const workbench = page.locator('.monaco-workbench').first();
  if (((await workbench.getAttribute('class')) ?? '').split(/\s+/).includes(theme.workbenchClass)) return;
  await wb.focusWorkbench();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  await clickQuickInputRow(page, 'Preferences: Color Theme');
  // The theme picker replaces the palette in the same widget.
  await page.waitForTimeout(300);
  await input.waitFor({ state: 'visible' });
  await input.fill(theme.label);
  await clickQuickInputRow(page, theme.label);
  await page.waitForFunction((cls) => document.querySelector('.monaco-workbench')?.classList.contains(cls), theme.workbenchClass);
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden' }).catch(() => {});
  // Webviews restyle from the theme's CSS variables a moment after the workbench does.
  await page.waitForTimeout(700);
}

/** One screenshot per theme; `redo` brings back what the theme picker closed (a hover). Ends in the light theme. */
async function themedShots(page, wb, name, options = {}, redo = async () => {}) {
  const files = [];
  for (const [i, theme] of THEMES.entries()) {
    if (i > 0) {
      await setColorTheme(page, wb, theme);
      await redo();
    }
    files.push(await wb.shot(`${name}${theme.suffix}`, options));
  }
  await setColorTheme(page, wb, THEMES[0]);
  return files;
}

export default async function scenario({ page, wb, check, mark, log, assert, workspace, projectDir }) {
  // Parquet files written by pyarrow 5 → 22 (when ../shared is here), copied in before VS Code
  // indexes the workspace for Quick Open.
  const fixtures = path.join(projectDir, '..', 'shared', 'fixtures', 'pyarrow');
  const fixtureFiles = fs.existsSync(fixtures) ? fs.readdirSync(fixtures).filter((f) => /\.(pqt|parquet)$/.test(f)) : [];
  if (fixtureFiles.length > 0) {
    fs.mkdirSync(path.join(workspace, 'pyarrow-fixtures'), { recursive: true });
    for (const f of fixtureFiles) fs.copyFileSync(path.join(fixtures, f), path.join(workspace, 'pyarrow-fixtures', f));
  }
  const badFile = findFile(workspace, 'trials choice.npy');
  assert.ok(badFile, 'the generated tree has trials choice.npy');
  const [lab, , subject, date, number] = path.relative(workspace, badFile).split(path.sep);
  const sessionLabel = `${date}/${number}`;

  await check('the ALF view lists labs, subjects and sessions', async () => {
    await wb.openViewContainer('ALF');
    await wb.waitForTreeRow(VIEW, lab, { timeout: 60000 });
    mark('sessionsViewFilled');
    await wb.setSideBarWidth(480);
    await wb.expandTreeRow(VIEW, lab);
    await wb.expandTreeRow(VIEW, subject);
    const session = await wb.waitForTreeRow(VIEW, sessionLabel);
    assert.match(session.text, /\d+ datasets · 1 invalid/);
  });

  await check('an invalid file is flagged in the tree, with the reason in its tooltip', async () => {
    await wb.expandTreeRow(VIEW, sessionLabel);
    const row = await wb.waitForTreeRow(VIEW, 'alf/trials choice.npy');
    assert.match(row.text, /invalid file name/);
    const icon = await wb.treeRow(VIEW, 'alf/trials choice.npy').locator('.codicon-error').count();
    assert.equal(icon, 1, 'error icon');
    // Markdown tooltips keep spaces as no-break spaces: match any white space.
    const hover = () => wb.hoverFor(wb.treeRow(VIEW, 'alf/trials choice.npy'), /contains\sa\sspace/);
    await hover();
    await themedShots(page, wb, 'readme-sessions-tree', { clip: { x: 0, y: 0, width: 840, height: 430 } }, hover);
    await page.mouse.move(5, 400);
  });

  await check('the Problems panel lists it, with source ALF and its code', async () => {
    await wb.openProblems();
    const problem = await wb.waitForProblem(/contains\sa\sspace/);
    log('problem row:', problem.text);
    assert.match(problem.text, /ALF/);
    assert.match(problem.text, /whitespace/);
    await themedShots(page, wb, 'readme-problems');
  });

  await check('the status bar counts what the Problems panel counts, in the words of alf validate', async () => {
    const ours = page.locator('.part.statusbar .statusbar-item', { hasText: 'ALF:' }).first();
    await ours.waitFor({ state: 'visible', timeout: 15000 });
    const vscodeCounts = async () => {
      // VS Code's own item: "$(error) N $(warning) M [$(info) K]"; the icons have no text.
      const text = await page.locator('.part.statusbar [id="status.problems"]').first().innerText();
      const [errors = 0, warnings = 0, infos = 0] = (text.match(/\d+/g) ?? []).map(Number);
      return { errors, warnings, infos };
    };
    let last = '';
    await until(async () => {
      const alfText = await ours.innerText();
      const mine = alfStatusCounts(alfText);
      const theirs = await vscodeCounts();
      last = `${alfText} | VS Code: ${JSON.stringify(theirs)}`;
      return mine.errors === theirs.errors && mine.warnings === theirs.warnings && mine.infos === theirs.infos;
    }, 'the same counts', 15000).catch(() => {
      throw new Error(`status bar: ${last}`);
    });
    log('status bar:', last);
    assert.match(last, /ALF: \d+ invalid file names?/);
  });

  await check('a fix from a Problems entry of a binary file: the code link, then Rename', async () => {
    // A real .npy whose name ends with a space: the array editor does not claim it, the text
    // editor calls it binary, and VS Code offers no quick fix for it in Problems.
    const alfFolder = path.dirname(badFile);
    const odd = path.join(alfFolder, '_ibl_trials.wheelMoves.npy ');
    const fixed = path.join(alfFolder, '_ibl_trials.wheelMoves.npy');
    fs.writeFileSync(odd, npyBytes());
    await wb.openProblems();
    // The Problems panel's filter box keeps the row in view (the list only renders what is visible).
    const filter = page.locator('.part.panel input[placeholder^="Filter"], .part.panel .viewpane-filter input').first();
    const filtered = await filter.isVisible().catch(() => false);
    if (filtered) await filter.fill('wheelMoves');
    log(filtered ? 'Problems filtered on wheelMoves' : 'no Problems filter box found: looking for the row unfiltered');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'ends with a space' }).filter({ hasText: 'wheelMoves' }).first();
    await row.waitFor({ state: 'visible', timeout: 30000 });
    const link = row.locator('.monaco-link, a', { hasText: 'leading-trailing-whitespace' }).first();
    await link.waitFor({ state: 'visible', timeout: 10000 });
    await wb.shot('fix-from-problems');
    const started = Date.now();
    // click 1, then click 2 on the dialog. A click that lands while the list re-renders its row
    // (diagnostics still arriving) selects the row instead of following the link: click again.
    let question = '';
    for (let attempt = 1; ; attempt++) {
      await link.click();
      try {
        question = await wb.answerDialog('Rename', { timeout: attempt < 3 ? 5000 : 15000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        log(`no dialog ${attempt === 1 ? '5 s after the click' : 'again'}: clicking the link again`);
      }
    }
    assert.match(question, /Rename '_ibl_trials\.wheelMoves\.npy ' to '_ibl_trials\.wheelMoves\.npy'\?/);
    await until(() => fs.existsSync(fixed) && !fs.existsSync(odd), 'the file renamed', 30000);
    log(`renamed ${Date.now() - started} ms after the click on the code (2 clicks)`);
    await wb.waitForNotification(/ALF: renamed '_ibl_trials\.wheelMoves\.npy ' to '_ibl_trials\.wheelMoves\.npy'/);
    if (filtered) await filter.fill('');
    await wb.clearNotifications();
  });

  await check('the Explorer marks the file and the folders above it', async () => {
    await wb.runCommand('View: Show Explorer');
    const badge = async (label) =>
      page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${label}"] .monaco-icon-label`).first().evaluate((el) => getComputedStyle(el, '::after').content);
    await page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${lab}"]`).first().waitFor();
    // The Explorer reuses row elements while it renders: read the badge once it has settled.
    let labBadge = '';
    await until(async () => /"\d+"/.test((labBadge = await badge(lab))), `a count badge on ${lab}`).catch(() => {
      throw new Error(`badge of ${lab}: ${labBadge}`);
    });
  });

  await check('the quick fix renames the file after confirmation', async () => {
    await wb.openViewContainer('ALF');
    await wb.waitForTreeRow(VIEW, 'alf/trials choice.npy');
    await wb.quickOpen('trials choice', 'trials choice.npy');
    // .npy files open in the array editor by default; the quick fix is tried in the text editor.
    await wb.runCommand('View: Reopen Editor With Text Editor');
    await page.locator('.monaco-editor .view-lines').first().waitFor();
    await page.waitForTimeout(500);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: "Rename to 'trials.choice.npy'" }).first();
    await action.waitFor({ state: 'visible', timeout: 15000 });
    await wb.shot('quick-fix');
    await action.click();
    const question = await wb.dialogText();
    assert.match(question, /Rename 'trials choice\.npy' to 'trials\.choice\.npy'\?/);
    assert.ok(fs.existsSync(badFile), 'nothing renamed before the confirmation');
    await wb.answerDialog('Rename');
    const started = Date.now();
    await wb.waitForNoTreeRow(VIEW, 'alf/trials choice.npy', { timeout: 10000 });
    const ms = Date.now() - started;
    mark('renameShownInTree');
    log(`the Sessions view dropped the invalid item ${ms} ms after the dialog closed`);
    // The figure is logged (about 100-300 ms on a quiet machine); the bound catches a view that
    // is not refreshed by the rename, with room for a loaded machine (1.3 s seen at load 9).
    assert.ok(ms < 3000, `${ms} ms`);
    assert.ok(fs.existsSync(path.join(path.dirname(badFile), 'trials.choice.npy')));
    assert.ok(!fs.existsSync(badFile));
    await wb.runCommand('View: Close All Editors');
  });

  await check('Fix Names in Folder previews every rename and applies them after confirmation, never overwriting', async () => {
    const upperCase = findFile(workspace, 'Trials.Choice.NPY');
    const doubleDot = findFile(workspace, '_ibl_trials.choice..npy');
    assert.ok(upperCase && doubleDot, 'the generated tree has Trials.Choice.NPY and _ibl_trials.choice..npy');
    const folder = path.relative(workspace, doubleDot).split(path.sep)[0];
    assert.equal(path.relative(workspace, upperCase).split(path.sep)[0], folder, 'both in one lab folder');
    await wb.runCommand('View: Show Explorer');
    // The Explorer revealed the file opened above: collapse it so the lab folders are in view.
    await page.locator('.explorer-folders-view').first().hover();
    await page.locator('.part.sidebar .action-label[aria-label^="Collapse Folders in Explorer"]').first().click();
    const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${folder}"]`).first();
    await row.waitFor();
    await row.click({ button: 'right' });
    await wb.pickContextMenuItem('Fix Names in Folder…');
    const rows = await wb.quickPickRows();
    log('renames offered:', rows);
    assert.ok(rows.some((r) => r.includes('_ibl_trials.choice.npy') && r.includes('_ibl_trials.choice..npy')), rows.join(' | '));
    assert.ok(rows.some((r) => r.includes('Trials.Choice.npy') && r.includes('Trials.Choice.NPY')), rows.join(' | '));
    await wb.shot('fix-names-preview');
    await page.keyboard.press('Enter');
    const question = await wb.dialogText();
    assert.match(question, /Rename \d+ files and folders/);
    assert.ok(fs.existsSync(upperCase), 'nothing renamed before the confirmation');
    await wb.answerDialog('Rename');
    await wb.waitForNotification(/ALF: renamed \d+ of \d+/);
    assert.ok(fs.existsSync(path.join(path.dirname(upperCase), 'Trials.Choice.npy')), 'Trials.Choice.NPY renamed');
    // The generator leaves _ibl_trials.choice.npy next to its broken copy: that rename must not overwrite it.
    await wb.waitForNotification(/not renamed, because a file with the new name already exists/);
    assert.ok(fs.existsSync(doubleDot), 'a rename onto an existing file is refused');
    await wb.clearNotifications();
  });

  await check('an invalid folder is renamed from the Explorer context menu, after confirmation', async () => {
    const badLab = path.join(workspace, 'bad-lab');
    assert.ok(fs.existsSync(badLab), 'the generated tree has bad-lab');
    await wb.runCommand('View: Show Explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row[aria-label="bad-lab"]').first();
    await row.click({ button: 'right' });
    await wb.pickContextMenuItem('Rename to Valid ALF Name…');
    assert.match(await wb.answerDialog('Rename'), /Rename 'bad-lab' to 'badlab'\?/);
    await until(() => fs.existsSync(path.join(workspace, 'badlab')), 'the folder renamed');
    await wb.openViewContainer('ALF');
    await wb.waitForTreeRow(VIEW, /^badlab/, { timeout: 10000 });
  });

  const cacheDir = path.join(path.dirname(workspace), 'one-cache');
  fs.mkdirSync(cacheDir, { recursive: true });

  await check('ALF: Build ONE Cache from the palette opens the form and builds with progress and a summary', async () => {
    await wb.hidePanel();
    await wb.setSideBarVisible(false);
    await wb.runCommand('ALF: Build ONE Cache');
    const form = wb.webview();
    await form.locator('#folder').waitFor({ timeout: 30000 });
    // The form fills in once the extension answers the page's 'ready' message.
    await until(async () => (await form.locator('#folder').evaluate((el) => el.value)) === workspace, 'the folder filled in');
    await form.locator('#outDir input').fill(cacheDir);
    await form.locator('#hashFiles').click();
    await themedShots(page, wb, 'readme-build-form', { clip: { x: 0, y: 0, width: 900, height: 590 } });
    await form.locator('#build').click();
    const note = await wb.waitForNotification(/ONE cache built/, { timeout: 60000 });
    log('notification:', note);
    assert.match(note, /\d+ sessions, \d+ datasets/);
    await form.locator('#summary table.summary').waitFor({ timeout: 10000 });
    await form.locator('#summary').scrollIntoViewIfNeeded();
    await wb.shot('build-summary');
    assert.ok(fs.existsSync(path.join(cacheDir, 'sessions.pqt')) && fs.existsSync(path.join(cacheDir, 'datasets.pqt')));
  });

  await check('the tables pass one-cache-check (or read back with our reader)', async () => {
    const checker = path.join(projectDir, '..', 'shared', 'tools', 'one-cache-check', 'run.sh');
    if (fs.existsSync(checker)) {
      const run = spawnSync('bash', [checker, cacheDir], { encoding: 'utf8', timeout: 300000 });
      const last = (run.stdout ?? '').trim().split('\n').pop();
      log(`one-cache-check: ${last}`);
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    } else {
      log('one-cache-check skipped: ../shared is not here; reading the tables back with dist/core.js');
      const out = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(projectDir, 'dist/core.js'))}).loadCache(${JSON.stringify(cacheDir)}).then((c) => console.log(c.sessions.length, c.datasets.length))`], { encoding: 'utf8' });
      assert.match(out, /^\d+ \d+/);
    }
  });

  await check('Open sessions table shows a paged, sortable table with its metadata', async () => {
    await wb.clickNotificationButton(/ONE cache built/, 'Open sessions table');
    const table = wb.webview();
    await table.locator('#rows tbody tr').first().waitFor({ timeout: 30000 });
    const range = await table.locator('#range').innerText();
    assert.match(range, /Rows 1–\d+ of \d+/);
    await table.locator('th button.sort', { hasText: 'subject' }).click();
    await table.locator('th[aria-sort="ascending"]').waitFor();
    await wb.shot('readme-sessions-table', { clip: { x: 0, y: 0, width: 1260, height: 770 } });
    await table.locator('details.metadata > summary').click();
    await table.locator('#one-metadata').waitFor();
    assert.match(await table.locator('#one-metadata').innerText(), /date_created/);
    await wb.shot('table-metadata');
    await wb.setSideBarVisible(true);
  });

  await check('the form keeps its values and its summary after being hidden', async () => {
    // The table editor opened in front of the form: bring the form's tab back.
    await page.locator('.tabs-container .tab', { hasText: 'Build ONE Cache' }).first().click();
    const form = wb.webview();
    await form.locator('#summary table.summary').waitFor({ timeout: 15000 });
    assert.equal(await form.locator('#outDir').evaluate((el) => el.value), cacheDir);
    assert.equal(await form.locator('#hashFiles').evaluate((el) => el.checked), true);
    await wb.runCommand('View: Close All Editors');
  });

  await check('the walkthrough has ticked off what the user did: the data folder, a fix, the cache', async () => {
    await wb.focusWorkbench();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Welcome: Open Walkthrough');
    await clickQuickInputRow(page, 'Welcome: Open Walkthrough');
    await page.waitForTimeout(300);
    await input.fill('ALF Workbench');
    await clickQuickInputRow(page, 'Get Started with ALF Workbench');
    const step = (id) => page.locator(`button.getting-started-step[data-step-id*="${id}"]`).first();
    await step('openData').waitFor({ state: 'visible', timeout: 15000 });
    const checked = {};
    for (const id of ['openData', 'fixProblems', 'buildCache', 'searchObject', 'registerAlyx']) checked[id] = await step(id).getAttribute('aria-checked');
    log('walkthrough steps ticked:', JSON.stringify(checked));
    // Opened the folder (the tree filled), renamed with the quick fix and Fix Names, built a cache;
    // nothing searched or registered yet.
    assert.deepEqual(checked, { openData: 'true', fixProblems: 'true', buildCache: 'true', searchObject: 'false', registerAlyx: 'false' });
    // Each step's buttons run the extension's commands.
    await step('buildCache').click();
    await page.locator('.getting-started-step.expanded .button-container', { hasText: 'Build ONE Cache' }).first().waitFor({ state: 'visible' });
    await wb.setSideBarVisible(false);
    // The step's screenshot follows the theme: light, dark and high-contrast images (package.json).
    const image = page.locator('.getting-started-media img').first();
    for (const [i, theme] of THEMES.entries()) {
      await setColorTheme(page, wb, theme);
      const file = `build-form${theme.suffix}.png`;
      const shown = (name) => {
        const img = document.querySelector('.getting-started-media img');
        // VS Code sets the theme's image as the img's srcset, and changes it with the theme.
        return !!img && img.complete && img.naturalWidth > 0 && (img.getAttribute('srcset') ?? '').includes(name);
      };
      await page.waitForFunction(shown, file, { timeout: 10000 }).catch(async () => {
        throw new Error(`the step's image is ${await image.getAttribute('srcset')}, not ${file}`);
      });
      await wb.shot(i === 0 ? 'readme-walkthrough' : `walkthrough${theme.suffix}`);
    }
    await setColorTheme(page, wb, THEMES[0]);
    await wb.setSideBarVisible(true);
    await wb.runCommand('View: Close All Editors');
  });

  await check('every pyarrow-written Parquet file opens in the table editor', async () => {
    if (fixtureFiles.length === 0) {
      log('skipped: ../shared/fixtures/pyarrow is not here');
      return;
    }
    for (const f of fixtureFiles) {
      await wb.quickOpen(f.replace(/\.[^.]+$/, ''), f);
      const table = wb.webview();
      await table.locator('#rows tbody tr').first().waitFor({ timeout: 30000 });
      const range = await table.locator('#range').innerText();
      log(`${f}: ${range}`);
      assert.match(range, /Rows 1–\d[\d,]* of \d[\d,]*/);
    }
    await wb.shot('pyarrow-fixture');
    await wb.runCommand('View: Close All Editors');
  });

  await check('a change after the build shows the cache as out of date, and Update cache brings it up to date', async () => {
    const dataset = findFile(workspace, '_ibl_trials.feedbackType.npy');
    fs.appendFileSync(dataset, 'x');
    await wb.openViewContainer('ALF');
    await wb.waitForTreeRow(VIEW, 'ONE cache is out of date', { timeout: 15000 });
    await wb.shot('stale-cache');
    await wb.treeRow(VIEW, 'ONE cache is out of date').click();
    await wb.waitForNotification(/ONE cache updated/, { timeout: 60000 });
    await wb.waitForNoTreeRow(VIEW, 'ONE cache is out of date', { timeout: 15000 });
  });

  await check('the title-bar toggle shows only problems', async () => {
    await wb.clearNotifications();
    await wb.viewTitleAction(VIEW, 'Show Only Problems');
    await wb.waitForTreeRow(VIEW, /invalid/);
    const rows = await wb.treeRows(VIEW);
    assert.ok(rows.every((r) => !/^_ibl_trials\.\w+\.npy$/.test(r.text)), 'no plain datasets while filtered');
    await wb.shot('problems-only');
    await wb.viewTitleAction(VIEW, 'Show All Items');
  });
}

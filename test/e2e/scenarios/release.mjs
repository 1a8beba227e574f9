// Data releases in the editor (issue #10): ALF: Package Data Release… (the form shows what is
// left out before writing, then size, entries and sha256) and ALF: Open Data Release… from a
// loopback URL (progress, then Add to Workspace: the Sessions view shows the release).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** A tiny valid .npy (float64, 1-D). */
function npy(values) {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${values.length},), }`;
  const pad = (64 - ((10 + dict.length + 1) % 64)) % 64;
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(dict.length + pad + 1, 8);
  const body = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => body.writeDoubleLE(v, i * 8));
  return Buffer.concat([head, Buffer.from(dict + ' '.repeat(pad) + '\n', 'latin1'), body]);
}

function writeSessions(root, lab, subjects) {
  for (const subject of subjects) {
    const alf = path.join(root, lab, 'Subjects', subject, '2021-03-04', '001', 'alf');
    fs.mkdirSync(alf, { recursive: true });
    fs.writeFileSync(path.join(alf, '_ibl_trials.goCue_times.npy'), npy([1, 2, 3]));
    fs.writeFileSync(path.join(alf, '_ibl_wheel.position.npy'), npy([0.5, 0.25]));
  }
}

export async function prepareWorkspace(dir, { projectDir }) {
  // The folder packaged: beside the workspace's own (messy) tree, so its counts are known.
  const data = path.join(dir, 'release-data');
  writeSessions(data, 'cortexlab', ['KS001', 'KS002']);
  fs.writeFileSync(path.join(data, 'cortexlab/Subjects/KS001/2021-03-04/001/alf/trials choice.npy'), npy([1]));
  fs.writeFileSync(path.join(data, 'README.md'), '# A data release\n');
  // A second folder, packaged from the Explorer while the form is open on the first.
  writeSessions(path.join(dir, 'second-release'), 'churchlandlab', ['CSHL001']);
  // The release opened from a URL: another lab, packed by the CLI beside the workspace.
  const other = `${dir}-other`;
  writeSessions(other, 'openedlab', ['NYU-11']);
  execFileSync(process.execPath, [path.join(projectDir, 'dist/cli.js'), 'release', other, '--out', `${dir}-other.zip`], { stdio: 'inherit' });
}

async function until(probe, what, timeout = 15000) {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function viewFrame(page, kind, timeout = 30000) {
  let found = null;
  await until(async () => {
    for (const f of page.frames()) {
      if (await f.$(`body[data-view="${kind}"]`).catch(() => null)) {
        found = f;
        return true;
      }
    }
    return false;
  }, `the ${kind} webview`, timeout);
  return found;
}

export default async function scenario({ page, wb, check, log, assert, workspace }) {
  const input = page.locator('.quick-input-widget .quick-input-box input');

  await check('Package Data Release…: the form lists what is left out, then writes the zip and shows its sha256', async () => {
    await wb.openViewContainer('ALF');
    await wb.runCommand('ALF: Package Data Release…');
    const form = await viewFrame(page, 'packageRelease');
    await until(async () => (await form.locator('#folder').evaluate((e) => e.value)) !== '', 'the folder filled in');
    log('folder offered:', await form.locator('#folder').evaluate((e) => e.value));
    await form.locator('#folder input').fill(path.join(workspace, 'release-data'));
    await form.locator('#preview').click();
    await form.locator('#left-out').waitFor({ timeout: 30000 });
    const left = await form.locator('#left-out').innerText();
    log('left out:', left.replace(/\s+/g, ' ').slice(0, 300));
    assert.match(left, /trials choice\.npy/);
    assert.match(await form.locator('#plan-summary').innerText(), /7 entries .*README\.md/);
    await form.locator('#package').click();
    await form.locator('#result-sha256').waitFor({ timeout: 60000 });
    const sha = (await form.locator('#result-sha256').innerText()).trim();
    const file = (await form.locator('#result-file').innerText()).trim();
    log('written:', file, sha);
    assert.equal(file, `${workspace}.zip`);
    assert.equal(sha, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    assert.equal((await form.locator('#result-entries').innerText()).trim(), '7');
    await wb.shot('release-form');
  });

  await check('Package Data Release… from the Explorer on another folder: the open form takes that folder', async () => {
    await wb.runCommand('View: Show Explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row[aria-label="second-release"]').first();
    await row.waitFor();
    await row.click({ button: 'right' });
    await wb.pickContextMenuItem('Package Data Release…');
    const form = await viewFrame(page, 'packageRelease');
    const second = path.join(workspace, 'second-release');
    await until(async () => (await form.locator('#folder').evaluate((e) => e.value)) === second, `the form's folder to become ${second}`);
    assert.equal(await form.locator('#outFile').evaluate((e) => e.value), `${second}.zip`);
  });

  await check('Open Data Release… from a URL: unpacked, tables checked, Add to Workspace shows its sessions', async () => {
    const zip = `${workspace}-other.zip`;
    const body = fs.readFileSync(zip);
    const server = http.createServer((req, res) => res.writeHead(200, { 'Content-Length': body.length }).end(body));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${server.address().port}/other.zip`;
    const parent = path.dirname(workspace);
    const name = `${path.basename(workspace)}-opened`;
    try {
      await wb.runCommand('ALF: Open Data Release…');
      await wb.quickPickRows();
      await input.fill('From a URL');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget .quick-input-message', { hasText: /URL/ }).or(page.locator('.quick-input-widget', { hasText: 'URL of the release zip' })).first().waitFor();
      await input.fill(url);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'Expected sha256' }).first().waitFor();
      await input.fill(createHash('sha256').update(body).digest('hex'));
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'Destination folder' }).first().waitFor({ timeout: 15000 });
      log('destination offered:', await input.inputValue());
      await input.fill(path.join(parent, name));
      await page.keyboard.press('Enter');
      const text = await wb.waitForNotification(/Release unpacked/, { timeout: 60000 });
      log('notification:', text);
      assert.match(text, /4 files/);
      assert.match(text, /tables checked \(1 sessions, 2 datasets\)/);
      assert.ok(fs.existsSync(path.join(parent, name, 'openedlab/Subjects/NYU-11/2021-03-04/001/alf/_ibl_wheel.position.npy')));
      // A second folder turns the window into an (untitled) multi-root workspace: VS Code
      // reloads the page, so wait for that before looking at the views again.
      const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30000 }).then(() => true, () => false);
      await wb.clickNotificationButton(/Release unpacked/, 'Add to Workspace');
      if (await reloaded) {
        log('the window reloaded into a multi-root workspace');
        await wb.waitForReady();
      }
      await wb.openViewContainer('ALF', { timeout: 90000 });
      // Two roots now: the Sessions view lists each folder, the release's with its own lab.
      await wb.waitForTreeRow('Sessions', name, { timeout: 90000 });
      await wb.expandTreeRow('Sessions', name);
      await wb.waitForTreeRow('Sessions', 'openedlab', { timeout: 30000 });
      log('sessions view:', (await wb.treeRows('Sessions')).join(' | '));
      await wb.shot('release-opened');
    } finally {
      server.close();
    }
  });
}

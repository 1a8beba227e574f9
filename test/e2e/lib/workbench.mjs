// What a user does in the VS Code workbench, as playwright-core calls. The selectors are VS
// Code's own DOM (.monaco-workbench, .quick-input-widget, .markers-panel, .monaco-dialog-box…),
// as rendered by code-server 4.139 (VS Code 1.139).
import path from 'node:path';

export class Workbench {
  constructor(page, { outDir, log = console.log, prefix = '' }) {
    this.page = page;
    this.prefix = prefix;
    this.outDir = outDir;
    this.log = log;
    this.shots = 0;
  }

  /** Screenshot of the window as <outDir>/[prefix]NN-name.png. */
  async shot(name, options = {}) {
    const file = path.join(this.outDir, `${this.prefix}${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file, animations: 'disabled', ...options });
    this.log(`screenshot ${file}`);
    return file;
  }

  /** The workbench is up and no "Activating Extensions..." shows in the status bar. */
  async waitForReady({ timeout = 120000 } = {}) {
    const { page } = this;
    await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout });
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout });
    if (await page.evaluate(() => typeof window.driver?.whenWorkbenchRestored === 'function')) {
      await page.evaluate(() => window.driver.whenWorkbenchRestored());
    }
    await page.waitForFunction(() => !/Activating Extensions/i.test(document.querySelector('.part.statusbar')?.textContent ?? ''), null, {
      timeout,
      polling: 250,
    });
  }

  async focusWorkbench() {
    const tag = await this.page.evaluate(() => document.activeElement?.tagName);
    if (!tag || tag === 'BODY') await this.page.locator('.part.statusbar').click({ position: { x: 2, y: 2 } }).catch(() => {});
  }

  /** F1, the command's palette label, Enter; retries while the command is not registered yet. */
  async runCommand(label, { timeout = 30000 } = {}) {
    const { page } = this;
    const started = Date.now();
    for (;;) {
      await this.focusWorkbench();
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout });
      await input.fill(`>${label}`);
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
      if (await row.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false)) {
        await page.keyboard.press('Enter');
        return;
      }
      await page.keyboard.press('Escape');
      if (Date.now() - started > timeout) throw new Error(`command not in the palette: ${label}`);
      await page.waitForTimeout(500);
    }
  }

  /** Waits for a notification toast whose text matches (string or RegExp); returns its text. */
  async waitForNotification(match, { timeout = 30000 } = {}) {
    const toast = this.page.locator('.notifications-toasts .notification-list-item', { hasText: match }).first();
    await toast.waitFor({ state: 'visible', timeout });
    return (await toast.locator('.notification-list-item-message').textContent()).trim();
  }

  /** Clicks a button of the notification toast that matches. */
  async clickNotificationButton(match, button, { timeout = 30000 } = {}) {
    const toast = this.page.locator('.notifications-toasts .notification-list-item', { hasText: match }).first();
    await toast.waitFor({ state: 'visible', timeout });
    await toast.locator('.monaco-button', { hasText: button }).first().click();
  }

  async clearNotifications() {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** Clicks a button of the modal dialog (showWarningMessage {modal: true}); returns the dialog text. */
  async answerDialog(button, { timeout = 15000 } = {}) {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
    await dialog.locator('.monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'hidden', timeout });
    return text;
  }

  async dialogText({ timeout = 15000 } = {}) {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout });
    return (await dialog.innerText()).replace(/\s+/g, ' ').trim();
  }

  /** Opens a view container from the activity bar (by its title). */
  async openViewContainer(title, { timeout = 60000 } = {}) {
    const item = this.page.locator(`.part.activitybar .action-item [aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout });
    const shownTitle = this.page.locator('.part.sidebar .composite.title', { hasText: title }).first();
    // Clicking the container that is already showing would hide the side bar.
    if (!(await shownTitle.isVisible().catch(() => false))) await item.click();
    await shownTitle.waitFor({ state: 'visible', timeout });
  }

  /** Hides the bottom panel (Problems, Terminal…) if it is showing. */
  async hidePanel() {
    if (await this.page.locator('.part.panel.basepanel').first().isVisible().catch(() => false)) {
      await this.focusWorkbench();
      await this.page.keyboard.press('Control+J');
      await this.page.locator('.part.panel.basepanel').first().waitFor({ state: 'hidden' }).catch(() => {});
    }
  }

  /** Shows or hides the primary side bar. */
  async setSideBarVisible(visible) {
    const bar = this.page.locator('.part.sidebar').first();
    if ((await bar.isVisible().catch(() => false)) !== visible) {
      await this.focusWorkbench();
      await this.page.keyboard.press('Control+B');
      await bar.waitFor({ state: visible ? 'visible' : 'hidden' });
    }
  }

  /** Drags the side bar's edge so that it is `width` pixels wide (for readable screenshots). */
  async setSideBarWidth(width) {
    const bar = await this.page.locator('.part.sidebar').boundingBox();
    if (!bar) return;
    const edge = bar.x + bar.width;
    const sash = await this.page.evaluate((x) => {
      const hit = [...document.querySelectorAll('.monaco-sash.vertical')].map((s) => s.getBoundingClientRect()).find((r) => Math.abs(r.x + r.width / 2 - x) < 6 && r.height > 200);
      return hit ? { x: hit.x + hit.width / 2, y: hit.y + hit.height / 2 } : null;
    }, edge);
    if (!sash) return;
    await this.page.mouse.move(sash.x, sash.y);
    await this.page.mouse.down();
    await this.page.mouse.move(bar.x + width, sash.y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** The pane of a side-bar view, by its name. */
  pane(viewName) {
    return this.page.locator('.part.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: viewName }) }).first();
  }

  /** Visible rows of a side-bar tree: { label (aria-label), text, level, expanded }. */
  async treeRows(viewName) {
    return this.pane(viewName)
      .locator('.pane-body .monaco-list-row')
      .evaluateAll((rows) =>
        rows.map((r) => ({
          label: r.getAttribute('aria-label') ?? '',
          text: r.innerText.replace(/\s+/g, ' ').trim(),
          level: Number(r.getAttribute('aria-level') ?? 0),
          expanded: r.getAttribute('aria-expanded'),
        })),
      );
  }

  /** Waits until a tree row matches (string: substring of its label or text; or RegExp). */
  async waitForTreeRow(viewName, match, { timeout = 30000 } = {}) {
    const test = (s) => (match instanceof RegExp ? match.test(s) : s.includes(match));
    const started = Date.now();
    for (;;) {
      const rows = await this.treeRows(viewName);
      const hit = rows.find((r) => test(r.label) || test(r.text));
      if (hit) return hit;
      if (Date.now() - started > timeout) throw new Error(`no row matching ${match} in ${viewName}: ${rows.map((r) => r.text).join(' | ')}`);
      await this.page.waitForTimeout(100);
    }
  }

  /** Waits until no tree row matches a string; checks on every frame in the page, so the time is exact. */
  async waitForNoTreeRow(viewName, text, { timeout = 30000 } = {}) {
    await this.page.waitForFunction(
      ([view, needle]) => {
        const pane = [...document.querySelectorAll('.part.sidebar .pane')].find((p) => p.querySelector('.pane-header')?.textContent?.includes(view));
        if (!pane) return false;
        return ![...pane.querySelectorAll('.pane-body .monaco-list-row')].some((r) => (r.getAttribute('aria-label') ?? '').includes(needle) || (r.textContent ?? '').includes(needle));
      },
      [viewName, text],
      { timeout, polling: 'raf' },
    );
  }

  /** The row element itself, for clicks. */
  treeRow(viewName, text) {
    return this.pane(viewName).locator('.pane-body .monaco-list-row', { hasText: text }).first();
  }

  /** Expands a collapsed tree row (by its visible text). */
  async expandTreeRow(viewName, text) {
    const row = this.treeRow(viewName, text);
    await row.waitFor({ state: 'visible' });
    for (let i = 0; i < 5 && (await row.getAttribute('aria-expanded')) === 'false'; i++) {
      await row.locator('.monaco-tl-twistie').click();
      await this.page
        .waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: 3000 })
        .catch(() => {});
    }
    if ((await row.getAttribute('aria-expanded')) === 'false') throw new Error(`cannot expand ${text}`);
    return row;
  }

  /** Clicks the view's title-bar action (by its title). A lone view's actions sit in the side bar's title. */
  async viewTitleAction(viewName, title) {
    const pane = this.pane(viewName);
    await pane.hover();
    const action = this.page.locator(`.part.sidebar .action-label[aria-label^="${title}"]`).first();
    await action.waitFor({ state: 'visible' });
    await action.click();
  }

  /** Hovers over `target` until a hover matching `text` shows (VS Code waits for the mouse to rest). */
  async hoverFor(target, text, { tries = 4 } = {}) {
    const hover = this.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: text }).first();
    for (let i = 0; i < tries; i++) {
      await this.page.mouse.move(700, 700);
      await target.hover({ position: { x: 60 + i * 10, y: 10 } });
      if (await hover.waitFor({ state: 'visible', timeout: 4000 }).then(() => true, () => false)) return hover;
    }
    throw new Error(`no hover matching ${text}`);
  }

  /** An entry of the context menu now open (menus live in a shadow root, which locators pierce). */
  contextMenuItem(label) {
    return this.page.locator('.monaco-menu .action-item .action-label', { hasText: label }).filter({ visible: true }).first();
  }

  /**
   * Picks an entry of the open context menu. A click that lands right after the menu opened is
   * sometimes ignored by the menu; the entry is then taken with the keyboard.
   */
  async pickContextMenuItem(label) {
    const item = this.contextMenuItem(label);
    await item.waitFor({ state: 'visible' });
    await item.hover();
    await item.click();
    const menu = this.page.locator('.monaco-menu').filter({ visible: true }).first();
    if (await menu.waitFor({ state: 'hidden', timeout: 1000 }).then(() => false, () => true)) {
      await item.hover();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: 5000 });
    }
  }

  /** Right-clicks a tree row and picks a context-menu entry. */
  async treeContextMenu(viewName, rowText, entry, { shot } = {}) {
    const row = this.treeRow(viewName, rowText);
    await row.click({ button: 'right' });
    const item = this.contextMenuItem(entry);
    await item.waitFor({ state: 'visible' });
    if (shot) {
      await item.hover();
      await this.shot(shot);
    }
    await this.pickContextMenuItem(entry);
  }

  /** Opens the Problems panel; returns its rows. */
  async openProblems() {
    await this.runCommand('View: Focus Problems');
    await this.page.locator('.markers-panel').first().waitFor({ state: 'visible' });
    return this.problems();
  }

  async problems() {
    return this.page.$$eval('.markers-panel .monaco-list-row', (rows) =>
      rows.map((r) => ({ label: r.getAttribute('aria-label') ?? '', text: r.innerText.replace(/\s+/g, ' ').trim() })),
    );
  }

  async waitForProblem(match, { timeout = 30000 } = {}) {
    const test = (s) => (match instanceof RegExp ? match.test(s) : s.includes(match));
    const started = Date.now();
    for (;;) {
      const rows = await this.problems();
      const hit = rows.find((r) => test(r.label) || test(r.text));
      if (hit) return hit;
      if (Date.now() - started > timeout) throw new Error(`no problem matching ${match}; rows: ${rows.map((r) => r.text).join(' | ')}`);
      await this.page.waitForTimeout(200);
    }
  }

  /** Quick Open (Ctrl+P) a workspace file by a name fragment. */
  /**
   * Opens a file with Quick Open. A file written moments ago may not be in Quick Open's file
   * list yet (it is cached while the picker is open): close and ask again until it shows.
   */
  async quickOpen(text, pick, { timeout = 45000 } = {}) {
    const { page } = this;
    const started = Date.now();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: pick ?? text }).first();
    for (;;) {
      await this.focusWorkbench();
      await page.keyboard.press('Control+P');
      await input.waitFor({ state: 'visible' });
      await input.fill(text);
      try {
        await row.waitFor({ state: 'visible', timeout: Math.min(8000, Math.max(1000, timeout - (Date.now() - started))) });
        break;
      } catch (err) {
        if (Date.now() - started > timeout) throw err;
        this.log(`quick open: "${text}" not listed yet; asking again`);
        await page.keyboard.press('Escape');
        await page.waitForTimeout(500);
      }
    }
    await page.keyboard.press('Enter');
  }

  /** Rows of the open quick pick. */
  async quickPickRows() {
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    return rows.evaluateAll((els) => els.map((e) => e.innerText.replace(/\s+/g, ' ').trim()));
  }

  /** The frame inside the active webview (editor or panel). */
  webview() {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  }
}

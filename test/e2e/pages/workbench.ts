/** Page object for the VS Code workbench that code-server serves. */
import type { Locator, Page } from 'playwright-core';

export class Workbench {
  constructor(readonly page: Page) {}

  /** Opens the workbench at `url` and waits for it to be laid out. */
  async open(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded' });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.activitybar').waitFor({ timeout: 30_000 });
  }

  /** An activity-bar item whose aria-label starts with `prefix`. */
  activityItem(prefix: string): Locator {
    return this.page.locator(`.activitybar .action-item [aria-label^="${prefix}"]`).first();
  }

  /** Opens a view container from the activity bar (if it is not open already). */
  async openActivity(prefix: string): Promise<void> {
    const item = this.activityItem(prefix);
    await item.waitFor({ timeout: 30_000 });
    const li = this.page.locator(`.activitybar .action-item:has([aria-label^="${prefix}"])`).first();
    const checked =
      (await li.getAttribute('aria-pressed')) === 'true' || (await li.getAttribute('class'))?.includes('checked');
    if (!checked) await item.click();
  }

  /** The pane (view) with this title in the side bar. */
  view(title: string): Locator {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator(`.pane-header h3.title`, { hasText: title }) });
  }

  /** Visible tree rows of a view, by their label. */
  treeRow(view: Locator, label: string | RegExp): Locator {
    return view
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.monaco-icon-label .label-name', { hasText: label }) });
  }

  /**
   * Expands a path of tree rows by their labels and clicks the last one, e.g.
   * ["data/hi_vtg_charades.json", "E6DLK.mp4", "person runs to the window to look out."].
   */
  async clickTreePath(view: Locator, labels: string[]): Promise<void> {
    for (const [i, label] of labels.entries()) {
      const row = view
        .locator('.monaco-list-row')
        .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
        .first();
      await row.waitFor({ timeout: 30_000 });
      await this.scrollIntoList(view, row);
      if (i === labels.length - 1) {
        await row.click();
        // A click that lands while the tree re-renders can be lost: the row must end up selected.
        const selected = () => row.getAttribute('aria-selected').then((v) => v === 'true');
        for (let t = 0; t < 30 && !(await selected()); t++) await this.page.waitForTimeout(100);
        if (!(await selected())) await row.click();
      } else if ((await row.getAttribute('aria-expanded')) !== 'true') {
        await row.click();
        await view
          .locator('.monaco-list-row[aria-expanded="true"]')
          .filter({ has: this.page.locator('.label-name', { hasText: label }) })
          .first()
          .waitFor({ timeout: 10_000 });
      }
    }
  }

  /**
   * Scrolls a view's list (with the mouse wheel, as its rows are virtual) until `row` lies wholly
   * inside the list's visible area, so a click cannot land on a pane header below it.
   */
  async scrollIntoList(view: Locator, row: Locator): Promise<void> {
    const list = view.locator('.monaco-list').first();
    for (let i = 0; i < 40; i++) {
      const [r, l] = await Promise.all([row.boundingBox(), list.boundingBox()]);
      if (!r || !l) return;
      if (r.y >= l.y && r.y + r.height <= l.y + l.height) return;
      await this.page.mouse.move(l.x + l.width / 2, l.y + l.height / 2);
      await this.page.mouse.wheel(0, r.y + r.height > l.y + l.height ? 44 : -44);
      await this.page.waitForTimeout(50);
    }
  }

  /** Collapses an expanded tree row (so rows below it come into view). */
  async collapseTreeRow(view: Locator, label: string): Promise<void> {
    const row = view
      .locator('.monaco-list-row[aria-expanded="true"]')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
    if (await row.count()) await row.click();
  }

  /** Runs a command by its palette title (e.g. "RA-RFT: Show Index Summary"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    // The row whose label is exactly the title (fuzzy matching may put another command first).
    const row = this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
      .first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
  }

  /** Picks a colour theme by its label in "Preferences: Color Theme" (e.g. "Dark High Contrast"). */
  async setColorTheme(label: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(label);
    await this.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: label })
      .first()
      .waitFor({ timeout: 10_000 });
    await input.press('Enter');
  }

  /** Notification toasts' texts. */
  async notifications(): Promise<string[]> {
    return this.page
      .locator('.notifications-toasts .notification-toast .notification-list-item-message')
      .allInnerTexts();
  }

  /** The status-bar item whose text starts with `prefix`. */
  statusItem(prefix: string): Locator {
    return this.page
      .locator('.statusbar .statusbar-item', { hasText: new RegExp(`^\\s*(\\$\\([^)]*\\)\\s*)?${prefix}`) })
      .first();
  }

  /** Texts of every status-bar item. */
  async statusTexts(): Promise<string[]> {
    return (await this.page.locator('.statusbar .statusbar-item').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  /** The editor tab with this title. */
  editorTab(title: string): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: title }).first();
  }
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

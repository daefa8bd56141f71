/**
 * Page object for the VS Code workbench that code-server serves.
 *
 * Rules every method keeps (CONTRACT.md, "Driving the workbench"): a key press is sent only once
 * the element that must receive it has focus (a key pressed while a webview has focus goes to the
 * webview's own document, which may drop it), and each step waits for the state the next step
 * needs, never for a fixed time.
 */
import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../support/wait';

/** How long a step may take on a loaded machine (2 cores shared by many jobs). */
export const STEP_MS = 30_000;

export class Workbench {
  constructor(readonly page: Page) {}

  /** Opens the workbench at `url` and waits for it to be laid out. */
  async open(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded' });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.page.locator('.activitybar').waitFor({ timeout: 60_000 });
  }

  /**
   * Moves the keyboard focus out of any webview (an iframe) into the workbench's own document, so
   * the next key press reaches VS Code's keybindings; resolves once that is so.
   */
  async focusWorkbench(): Promise<void> {
    await waitFor(
      'keyboard focus in the workbench document (not in a webview)',
      () =>
        this.page.evaluate(() => {
          const active = document.activeElement as HTMLElement | null;
          if (active?.tagName === 'IFRAME') active.blur();
          return document.activeElement?.tagName !== 'IFRAME';
        }),
      STEP_MS,
    );
  }

  /** Presses `key` once `target` holds the keyboard focus (it or an element inside it). */
  async pressIn(target: Locator, key: string, what = 'the target'): Promise<void> {
    await waitFor(
      `keyboard focus in ${what} before pressing ${key}`,
      () => target.evaluate((el) => el.matches(':focus-within') || el.classList.contains('focused')),
      STEP_MS,
    );
    await this.page.keyboard.press(key);
  }

  /**
   * Moves the mouse off any hover (a tree row's tooltip stays while the mouse is on it and covers
   * the rows below) and waits until no hover is shown.
   */
  async clearHover(): Promise<void> {
    const hover = this.page.locator('.context-view:not(:has(.monaco-menu)):visible, .monaco-hover:visible');
    if (!(await hover.count())) return;
    await this.mouseAway();
    await waitFor('the hover to go away', async () => (await hover.count()) === 0, STEP_MS);
  }

  /** Moves the mouse to a point with nothing to hover: the empty middle of the activity bar. */
  private async mouseAway(): Promise<void> {
    const bar = await this.page.locator('.activitybar').boundingBox();
    if (bar) await this.page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height * 0.6);
  }

  /** An activity-bar item whose aria-label starts with `prefix`. */
  activityItem(prefix: string): Locator {
    return this.page.locator(`.activitybar .action-item [aria-label^="${prefix}"]`).first();
  }

  /** Opens a view container from the activity bar (if it is not open already) and waits until it is. */
  async openActivity(prefix: string): Promise<void> {
    const item = this.activityItem(prefix);
    await item.waitFor({ timeout: STEP_MS });
    const li = this.page.locator(`.activitybar .action-item:has([aria-label^="${prefix}"])`).first();
    const open = async () =>
      (await li.getAttribute('aria-pressed')) === 'true' || !!(await li.getAttribute('class'))?.includes('checked');
    // Right after a window reload the workbench may still be restoring its layout and drop (or undo)
    // a click: click again while the container is still closed, each time waiting a while for it.
    const deadline = Date.now() + STEP_MS * 2;
    while (!(await open())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the ${prefix} view container open`);
      await item.click();
      await waitFor(`the ${prefix} view container open`, open, 5_000).catch(() => undefined);
    }
  }

  /** The pane (view) with this title in the side bar. */
  view(title: string): Locator {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator(`.pane-header h3.title`, { hasText: title }) });
  }

  /** Expands a side-bar view that starts collapsed (Audit, Jobs), and waits until it is. */
  async expandView(title: string): Promise<Locator> {
    const header = this.view(title).locator('.pane-header').first();
    await header.waitFor({ timeout: STEP_MS });
    const expanded = async () => (await header.getAttribute('aria-expanded')) === 'true';
    if (!(await expanded())) await header.click();
    await waitFor(`the ${title} view expanded`, expanded, STEP_MS);
    return this.view(title);
  }

  /** Visible tree rows of a view, by their label. */
  treeRow(view: Locator, label: string | RegExp): Locator {
    return view
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.monaco-icon-label .label-name', { hasText: label }) });
  }

  /** The first tree row whose label is exactly `label`. */
  exactRow(view: Locator, label: string): Locator {
    return this.treeRow(view, new RegExp(`^${escapeRegExp(label)}$`)).first();
  }

  /**
   * Expands a path of tree rows by their labels and clicks the last one, e.g.
   * ["data/hi_vtg_charades.json", "E6DLK.mp4", "person runs to the window to look out."].
   * Resolves once that row is selected and the tree has the keyboard focus.
   */
  async clickTreePath(view: Locator, labels: string[]): Promise<void> {
    for (const [i, label] of labels.entries()) {
      const row = await this.findRow(view, label);
      if (i === labels.length - 1) await this.selectRow(view, row, label);
      else await this.expandRow(view, row, label);
    }
  }

  /**
   * Expands a tree row. A click toggles, and the tree can expand or collapse the row by itself
   * meanwhile (restoring its state after a reload, redrawing after a filter: seen once, a click
   * that collapsed a row the tree had just re-expanded, then 30 s waiting for it to expand). So
   * the row is clicked only while it is not the tree's focused row; once it is (the first click
   * made it so), ArrowRight finishes the job: it expands a collapsed row and never collapses one.
   */
  private async expandRow(view: Locator, row: Locator, label: string): Promise<void> {
    const what = `"${label}" expanded`;
    const expanded = async () => (await row.getAttribute('aria-expanded')) === 'true';
    const list = view.locator('.monaco-list').first();
    const deadline = Date.now() + STEP_MS * 2;
    while (!(await expanded())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await this.scrollIntoList(view, row);
      const focused =
        (await row.evaluate((r) => r.classList.contains('focused')).catch(() => false)) &&
        (await list.evaluate((l) => l.matches(':focus-within')).catch(() => false));
      if (focused) await this.page.keyboard.press('ArrowRight');
      else {
        await this.clearHover();
        await row.click({ timeout: 5_000 }).catch(() => undefined);
        await this.mouseAway();
      }
      await waitFor(what, expanded, 5_000).catch(() => undefined);
    }
  }

  /**
   * The row labelled `label`, scrolling the list (its rows are virtual: only those in view exist)
   * down, then up, until the row is rendered.
   */
  private async findRow(view: Locator, label: string): Promise<Locator> {
    const row = this.exactRow(view, label);
    const list = view.locator('.monaco-list').first();
    const lastIndex = () =>
      list.evaluate((l) => [...l.querySelectorAll('.monaco-list-row')].map((r) => r.getAttribute('data-index')).join());
    // A parent's rows appear a moment after it expands: give them that moment before scrolling
    // (scrolling first can carry the list far past a row that was about to be drawn).
    const drawn = await waitFor(`the tree row "${label}" drawn`, async () => (await row.count()) > 0, 5_000, 50).then(
      () => true,
      () => false,
    );
    if (drawn) return row;
    const deadline = Date.now() + STEP_MS * 2;
    let step = 200;
    await waitFor(
      `the tree row "${label}"`,
      async () => {
        if (await row.count()) return true;
        const box = await list.boundingBox();
        if (!box) return false;
        const before = await lastIndex();
        await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await this.page.mouse.wheel(0, step);
        await waitFor('the list to scroll', async () => (await lastIndex()) !== before, 2_000, 25).catch(() => {
          step = -step; // the end of the list: turn round
        });
        return (await row.count()) > 0;
      },
      Math.max(1000, deadline - Date.now()),
      50,
    );
    await this.mouseAway();
    return row;
  }

  /** Clicks a row until it is selected and focused (a click that lands while the tree re-renders is lost). */
  private async selectRow(view: Locator, row: Locator, label: string): Promise<void> {
    const list = view.locator('.monaco-list').first();
    await this.clickRowUntil(
      view,
      row,
      `"${label}" selected and focused`,
      async () => {
        return (
          (await row.getAttribute('aria-selected')) === 'true' &&
          (await list.evaluate((l) => l.matches(':focus-within')))
        );
      },
      false,
    );
  }

  /**
   * Clicks a tree row until `done`. After each click the mouse leaves the list, so the row's tooltip
   * (which stays while the mouse is on it) cannot cover the next row to click; a click kept waiting
   * by a hover gives up soon and goes round again. A click that landed is clicked again only when
   * it can be lost harmlessly (`toggles` false: selecting twice selects); a toggle waits its full time.
   */
  private async clickRowUntil(
    view: Locator,
    row: Locator,
    what: string,
    done: () => Promise<boolean>,
    toggles = true,
  ): Promise<void> {
    const deadline = Date.now() + STEP_MS * 2;
    for (;;) {
      await this.scrollIntoList(view, row);
      await this.clearHover();
      const clicked = await row.click({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      await this.mouseAway();
      if (clicked && (await waitFor(what, done, toggles ? STEP_MS : 5_000).catch(() => false))) return;
      if (clicked && toggles) throw new Error(`timed out waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
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
      if (r.y >= l.y && r.y + r.height <= l.y + l.height) {
        // The wheel left the mouse on a row, whose tooltip would soon cover the rows below it.
        if (i > 0) await this.mouseAway();
        return;
      }
      await this.page.mouse.move(l.x + l.width / 2, l.y + l.height / 2);
      await this.page.mouse.wheel(0, r.y + r.height > l.y + l.height ? 44 : -44);
      // The list scrolls on the next frame: wait until the row has moved (or left the DOM).
      await waitFor(
        'the list to scroll',
        async () => {
          const b = await row.boundingBox();
          return !b || b.y !== r.y;
        },
        5_000,
        25,
      ).catch(() => undefined);
    }
  }

  /** Collapses an expanded tree row (so rows below it come into view). */
  async collapseTreeRow(view: Locator, label: string): Promise<void> {
    const row = view
      .locator('.monaco-list-row[aria-expanded="true"]')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
    if (!(await row.count())) return;
    await this.clickRowUntil(view, row, `"${label}" collapsed`, async () => (await row.count()) === 0);
  }

  /** The quick-input box (command palette, quick picks). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /** Opens the command palette with F1 from the workbench (never from inside a webview). */
  async openPalette(): Promise<Locator> {
    await this.focusWorkbench();
    await this.page.keyboard.press('F1');
    const input = this.quickInput;
    await input.waitFor({ timeout: STEP_MS });
    // Seen in a fresh run after a window reload: the palette showed but the focus stayed where the
    // restoring workbench put it. The state wanted is "the input has the focus": give it the focus.
    await waitFor('the command palette input focused', async () => {
      if (await input.evaluate((el) => el === document.activeElement)) return true;
      // A webview taking the focus back closes the palette (seen once beside the dashboard): open it again.
      if (!(await input.isVisible())) {
        await this.focusWorkbench();
        await this.page.keyboard.press('F1');
        return false;
      }
      await input.focus().catch(() => {});
      return false;
    });
    return input;
  }

  /** Clicks the quick-pick row whose label is exactly `label` (fuzzy matching may put another first). */
  private async pickExact(label: string): Promise<void> {
    const row = this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
    await row.waitFor({ timeout: STEP_MS });
    await row.click();
  }

  /** Runs a command by its palette title (e.g. "RA-RFT: Show Index Summary"); resolves once the palette let go of it. */
  async runCommand(title: string): Promise<void> {
    const input = await this.openPalette();
    await input.fill(`>${title}`);
    await this.pickExact(title);
    // Accepted: the palette closed, or it now holds the command's own quick pick.
    await waitFor(
      `the palette to accept "${title}"`,
      async () => !(await input.isVisible()) || (await input.inputValue()) !== `>${title}`,
      STEP_MS,
    );
  }

  /** Picks a colour theme by its label in "Preferences: Color Theme" (e.g. "Dark High Contrast"). */
  async setColorTheme(label: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    const input = this.quickInput;
    await waitFor('the colour theme picker', () => input.isVisible(), STEP_MS);
    await input.fill(label);
    await this.pickExact(label);
    await waitFor('the theme picker to close', async () => !(await input.isVisible()), STEP_MS);
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
  editorTab(title: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: title }).first();
  }

  /** Closes the editor tab with this title by its close button; resolves once the tab is gone. */
  async closeEditor(title: string | RegExp): Promise<void> {
    const tab = this.editorTab(title);
    await tab.waitFor({ timeout: STEP_MS });
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await waitFor(`the "${title}" tab closed`, async () => (await tab.count()) === 0, STEP_MS);
  }
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Page object for the Problems panel. */
import type { Locator, Page } from 'playwright-core';
import type { Workbench } from './workbench';

export class ProblemsPanel {
  constructor(
    readonly page: Page,
    readonly workbench: Workbench,
  ) {}

  get root(): Locator {
    return this.page.locator('.markers-panel');
  }

  /** Opens the Problems panel. */
  async open(): Promise<void> {
    await this.workbench.runCommand('View: Focus Problems (Problems)');
    await this.root.waitFor({ timeout: 15_000 });
  }

  private get filterInput(): Locator {
    return this.page.locator('.viewpane-filter input, .markers-panel-action-filter input').first();
  }

  /** Types a filter; the panel then shows only problems whose file or message matches. */
  async filter(text: string): Promise<void> {
    await this.filterInput.fill(text);
  }

  /** The "Showing X of Y" badge of the filter box, as numbers (undefined while unfiltered). */
  async shownOfTotal(): Promise<{ shown: number; total: number } | undefined> {
    const texts = await this.page.locator('.viewpane-filter .viewpane-filter-badge, .markers-panel-filter-badge, .viewpane-filter-controls .monaco-count-badge').allInnerTexts();
    for (const t of texts) {
      const m = /(\d[\d,]*)\D+(\d[\d,]*)/.exec(t);
      if (m) return { shown: Number(m[1].replace(/,/g, '')), total: Number(m[2].replace(/,/g, '')) };
    }
    return undefined;
  }

  /** Visible problem rows' texts (the list is virtualized: only what fits is rendered). */
  async visibleRows(): Promise<string[]> {
    return this.root.locator('.monaco-list-row').allInnerTexts();
  }

  /** The file rows' labels with their counts, e.g. ["human_anno.json data 21"]. */
  async fileRows(): Promise<string[]> {
    return this.root.locator('.monaco-list-row:has(.file-icon), .monaco-list-row:has(.markers-panel-container-resource)').allInnerTexts();
  }
}

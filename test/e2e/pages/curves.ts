/**
 * Page objects for the "RA-RFT Training Curves" and "RA-RFT Rollouts" webviews: find the frame
 * whose document has the page's title, read everything in one evaluate round trip, by the
 * data-testid hooks in test/e2e/CONTRACT.md.
 */
import type { Frame, Page } from 'playwright-core';
import { waitFor } from '../support/wait';

export const CURVES_TITLE = 'RA-RFT Training Curves';
export const ROLLOUTS_TITLE = 'RA-RFT Rollouts';

/** What the curves page shows. */
export interface CurvesSnapshot {
  ready: boolean;
  steps: number;
  lastStep: number;
  status: string;
  progress: string;
  /** Panel id → points drawn (values that are numbers). */
  points: Record<string, number>;
  alerts: string[];
  error: string;
}

/** What the rollouts page shows. */
export interface RolloutsSnapshot {
  ready: boolean;
  groups: {
    query: string;
    zero: boolean;
    tagged: boolean;
    gt: string;
    completions: number;
    gtSpans: number;
    predSpans: number;
  }[];
}

/** One webview page found by its document title. */
class WebviewPage {
  private cached: Frame | undefined;

  constructor(
    readonly page: Page,
    readonly title: string,
  ) {}

  /** The page's editor tab (its title starts with "Training Curves:" or "Rollouts:"). */
  tab(prefix: string) {
    return this.page.locator('.tabs-container .tab', { hasText: prefix }).first();
  }

  private async is(frame: Frame): Promise<boolean> {
    if (frame.isDetached()) return false;
    try {
      return await frame.evaluate((t) => document.title === t && document.body?.dataset.ready === '1', this.title);
    } catch {
      return false;
    }
  }

  /** The frame, once the page rendered its first snapshot. */
  async frame(timeoutMs = 60_000): Promise<Frame> {
    if (this.cached && (await this.is(this.cached))) return this.cached;
    this.cached = await waitFor(
      `the ${this.title} webview frame`,
      async () => {
        for (const f of this.page.frames()) if (await this.is(f)) return f;
        return undefined;
      },
      timeoutMs,
      200,
    );
    await this.cached.evaluate('globalThis.__name ??= (f) => f');
    return this.cached;
  }

  /** Forgets the frame (after a reload the page is a new document). */
  forget(): void {
    this.cached = undefined;
  }

  /** Clicks a `data-testid` button in the page. */
  async click(testId: string): Promise<void> {
    const f = await this.frame();
    await f.locator(`[data-testid="${testId}"]`).first().click();
  }
}

/** The training-curves page. */
export class CurvesView extends WebviewPage {
  constructor(page: Page) {
    super(page, CURVES_TITLE);
  }

  async snapshot(): Promise<CurvesSnapshot> {
    const f = await this.frame();
    return f.evaluate(() => {
      const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
      const points: Record<string, number> = {};
      for (const c of document.querySelectorAll<HTMLCanvasElement>('canvas[data-testid="curves-chart"]'))
        points[c.dataset.panel ?? ''] = Number(c.dataset.points ?? 0);
      return {
        ready: document.body.dataset.ready === '1',
        steps: Number(document.body.dataset.steps ?? 0),
        lastStep: Number(document.body.dataset.lastStep ?? 0),
        status: text('status'),
        progress: text('progress'),
        points,
        alerts: [...document.querySelectorAll('[data-testid="alert"]')].map((a) => a.textContent ?? ''),
        error: text('error'),
      };
    });
  }

  /** Waits until the chart of `panel` has `n` points; returns the snapshot. */
  async waitForPoints(panel: string, n: number, timeoutMs = 30_000): Promise<CurvesSnapshot> {
    return waitFor(
      `the ${panel} chart to have ${n} points`,
      async () => {
        const s = await this.snapshot();
        return s.points[panel] === n ? s : undefined;
      },
      timeoutMs,
      20,
    );
  }
}

/** The rollouts page. */
export class RolloutsView extends WebviewPage {
  constructor(page: Page) {
    super(page, ROLLOUTS_TITLE);
  }

  async snapshot(): Promise<RolloutsSnapshot> {
    const f = await this.frame();
    return f.evaluate(() => ({
      ready: document.body.dataset.ready === '1',
      groups: [...document.querySelectorAll<HTMLElement>('[data-testid="group"]')].map((g) => ({
        query: g.querySelector('[data-testid="group-query"]')?.textContent ?? '',
        zero: g.dataset.zeroVariance === '1',
        tagged: !!g.querySelector('[data-testid="zero-variance-tag"]'),
        gt: g.querySelector('[data-testid="group-gt"]')?.textContent ?? '',
        completions: g.querySelectorAll('[data-testid="completion"]').length,
        gtSpans: g.querySelectorAll('[data-testid="gt-span"]').length,
        predSpans: g.querySelectorAll('[data-testid="pred-span"]').length,
      })),
    }));
  }
}

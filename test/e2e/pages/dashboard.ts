/**
 * Page object for the "RA-RFT Dashboard" webview (nested iframes like the inspector's): finds the
 * frame whose document is the dashboard and reads and clicks it by its data-testid hooks.
 */
import type { Frame, Page } from 'playwright-core';
import { waitFor } from '../support/wait';

/** A bar's centre on its canvas, as the dashboard records it (data-hits). */
export interface BarHit {
  d: number;
  i: number;
  x: number;
  y: number;
}

export class Dashboard {
  constructor(readonly page: Page) {}

  private static async isDashboard(frame: Frame): Promise<boolean> {
    if (frame.isDetached()) return false;
    try {
      return await frame.evaluate('document.title === "RA-RFT Dashboard" && document.body?.dataset.ready === "1"');
    } catch {
      return false;
    }
  }

  /** The dashboard's frame once it has drawn (body[data-ready=1]) something with `testid`. */
  async frame(testid = 'chart-levels', timeoutMs = 90_000): Promise<Frame> {
    return waitFor(
      `the RA-RFT Dashboard webview with [data-testid=${testid}]`,
      async () => {
        for (const f of this.page.frames())
          if ((await Dashboard.isDashboard(f)) && (await f.locator(`[data-testid="${testid}"]`).count())) return f;
        return undefined;
      },
      timeoutMs,
      250,
    );
  }

  /** Bars drawn on a chart canvas (data-bars) and where each one is (data-hits). */
  async bars(frame: Frame, chart: string): Promise<{ count: number; hits: BarHit[] }> {
    const canvas = frame.locator(`[data-testid="chart-${chart}"]`);
    await waitFor(`bars on ${chart}`, async () => (await canvas.getAttribute('data-hits')) !== null, 30_000);
    return {
      count: Number(await canvas.getAttribute('data-bars')),
      hits: JSON.parse((await canvas.getAttribute('data-hits')) ?? '[]'),
    };
  }

  /** Clicks bar `i` of dataset `d` on a chart canvas. */
  async clickBar(frame: Frame, chart: string, d: number, i: number): Promise<void> {
    const { hits } = await this.bars(frame, chart);
    const hit = hits.find((h) => h.d === d && h.i === i);
    if (!hit) throw new Error(`no bar ${d}/${i} on ${chart}: ${JSON.stringify(hits)}`);
    await frame.locator(`[data-testid="chart-${chart}"]`).click({ position: { x: hit.x, y: hit.y } });
  }

  /** Whether a canvas has ink (any non-transparent pixel). */
  async inked(frame: Frame, chart: string): Promise<number> {
    return frame.evaluate(`(() => {
      const c = document.querySelector('[data-testid="chart-${chart}"]');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    })()`);
  }
}

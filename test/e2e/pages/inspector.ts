/**
 * Page object for the "RA-RFT Inspector" webview. Its document lives in nested iframes (the
 * webview host frame, then the content frame); we find the frame whose document is the
 * inspector's and talk to it by the data-testid hooks in test/e2e/CONTRACT.md.
 */
import type { Frame, Page } from 'playwright-core';
import { join } from 'node:path';
import { RESULTS } from '../support/session';
import { waitFor } from '../support/wait';

export interface TimelineBox {
  left: number;
  width: number;
}

export interface InspectorSnapshot {
  ready: boolean;
  /** How many samples the page has rendered (body[data-renders]). */
  renders: number;
  query: string;
  gtAnswer: string;
  modelOutput: string;
  videoState: string | null;
  readyState: number;
  currentTime: number;
  duration: number;
  videoSrc: string;
  playheadTime: number | null;
  timeline: TimelineBox | null;
  gtSpan: TimelineBox | null;
  predSpan: TimelineBox | null;
  iou: string;
  rewards: string;
  queryItems: string[];
}

export interface SpanEditorState {
  start: number | null;
  end: number | null;
  /** An edit sent and not yet answered (the host answers after the repaint from the document). */
  pending: boolean;
  error: string;
  startInput: string;
  endInput: string;
  focused: string | null;
  renders: number;
}

export const TITLE = 'RA-RFT Inspector';

export class Inspector {
  private cached: Frame | undefined;

  constructor(readonly page: Page) {}

  /** The inspector's editor tab. */
  tab() {
    return this.page.locator('.tabs-container .tab', { hasText: TITLE }).first();
  }

  private static async isInspector(frame: Frame): Promise<boolean> {
    if (frame.isDetached()) return false;
    try {
      return await frame.evaluate(
        () => document.title === 'RA-RFT Inspector' && document.body?.dataset.ready !== undefined,
      );
    } catch {
      return false;
    }
  }

  /**
   * The inspector document's frame, once the panel has loaded it. Functions passed to evaluate()
   * are compiled by tsx (esbuild keepNames), which wraps named inner functions in `__name(...)`:
   * define it in the frame, as a string so it is not compiled itself.
   */
  async frame(timeoutMs = 45_000): Promise<Frame> {
    const frame = await this.findFrame(timeoutMs);
    await frame.evaluate('globalThis.__name ??= (f) => f');
    return frame;
  }

  private async findFrame(timeoutMs: number): Promise<Frame> {
    if (this.cached && (await Inspector.isInspector(this.cached))) return this.cached;
    this.cached = await waitFor(
      'the RA-RFT Inspector webview frame',
      async () => {
        for (const f of this.page.frames()) if (await Inspector.isInspector(f)) return f;
        return undefined;
      },
      timeoutMs,
      250,
    );
    return this.cached;
  }

  /** Waits until the first sample is rendered (body[data-ready=1]). */
  async waitReady(timeoutMs = 60_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    const frame = await this.frame(timeoutMs);
    await frame.waitForFunction(() => document.body.dataset.ready === '1', undefined, {
      timeout: Math.max(1000, deadline - Date.now()),
    });
    return frame;
  }

  /** Waits until the inspector shows `query` and returns the frame. */
  async waitForQuery(query: string, timeoutMs = 45_000): Promise<Frame> {
    await waitFor(
      `the inspector to show "${query}"`,
      async () => (await this.snapshot()).query === query,
      timeoutMs,
      100,
    ).catch(async (e: Error) => {
      const shot = join(RESULTS, `inspector-failed-${Date.now()}.png`);
      await this.page.screenshot({ path: shot }).catch(() => {});
      throw new Error(
        `${e.message} (it shows "${await this.snapshot().then(
          (s) => s.query,
          () => '?',
        )}"; screenshot ${shot})`,
      );
    });
    return this.frame();
  }

  /** Everything the tests look at, read in one round trip. */
  async snapshot(): Promise<InspectorSnapshot> {
    const frame = await this.frame();
    return frame.evaluate(() => {
      const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      const text = (id: string) => q(id)?.textContent ?? '';
      const box = (el: Element | null) => {
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return { left: r.left, width: r.width };
      };
      const video = document.querySelector<HTMLVideoElement>('video[data-testid="video"]');
      const playhead = q('playhead');
      const t = playhead?.dataset.time;
      return {
        ready: document.body.dataset.ready === '1',
        renders: Number(document.body.dataset.renders ?? 0),
        query: text('query-text'),
        gtAnswer: text('gt-answer'),
        modelOutput: text('model-output'),
        videoState: q('video-state')?.dataset.state ?? null,
        readyState: video?.readyState ?? -1,
        currentTime: video?.currentTime ?? NaN,
        duration: video?.duration ?? NaN,
        videoSrc: video?.currentSrc || video?.getAttribute('src') || '',
        playheadTime: t === undefined ? null : Number(t),
        timeline: box(q('timeline')),
        gtSpan: box(document.querySelector('[data-testid="timeline"] [data-testid="gt-span"]')),
        predSpan: box(document.querySelector('[data-testid="timeline"] [data-testid="pred-span"]')),
        iou: text('iou'),
        rewards: text('rewards'),
        queryItems: [...document.querySelectorAll('[data-testid="query-list"] [data-testid="query-item"]')].map(
          (e) => e.textContent ?? '',
        ),
      };
    });
  }

  /** Waits until the video can play: data-state=playable or readyState ≥ 3. Returns the states seen on the way. */
  async waitPlayable(timeoutMs = 60_000): Promise<string[]> {
    const seen: string[] = [];
    await waitFor(
      'the video to become playable',
      async () => {
        const s = await this.snapshot();
        if (s.videoState && seen[seen.length - 1] !== s.videoState) seen.push(s.videoState);
        if (s.videoState === 'error' || s.videoState === 'missing' || s.videoState === 'no-ffmpeg')
          throw new Error(`video state ${s.videoState}`);
        return s.videoState === 'playable' && s.readyState >= 3
          ? s
          : s.readyState >= 3 && s.videoState !== 'transcoding'
            ? s
            : undefined;
      },
      timeoutMs,
      50,
    ).catch((e: Error) => {
      throw new Error(`${e.message} (states seen: ${seen.join(' → ') || 'none'})`);
    });
    return seen;
  }

  /** Waits until [data-testid=video-state] has data-state `state`; returns the states seen. */
  async waitForVideoState(state: string, timeoutMs = 60_000): Promise<string[]> {
    const seen: string[] = [];
    await waitFor(
      `video state "${state}"`,
      async () => {
        const s = (await this.snapshot()).videoState;
        if (s && seen[seen.length - 1] !== s) seen.push(s);
        return s === state;
      },
      timeoutMs,
      100,
    ).catch((e: Error) => {
      throw new Error(`${e.message} (states seen: ${seen.join(' → ') || 'none'})`);
    });
    return seen;
  }

  /**
   * Presses a key in the inspector's page once its document has the keyboard focus (clicking the
   * query text gives it focus, as a user's click would).
   */
  async press(key: string): Promise<void> {
    const frame = await this.frame();
    const focused = () => frame.evaluate(() => document.hasFocus());
    if (!(await focused())) await frame.locator('[data-testid="query-text"]').click();
    await waitFor('keyboard focus in the inspector page', focused, 30_000);
    await this.page.keyboard.press(key);
  }

  /** The video element's play state. */
  async playState(): Promise<{ paused: boolean; rate: number }> {
    const frame = await this.frame();
    return frame.evaluate(() => {
      const v = document.querySelector('video')!;
      return { paused: v.paused, rate: v.playbackRate };
    });
  }

  /** Pauses the video with the K key (CONTRACT.md) and waits until it is paused. */
  async pause(): Promise<void> {
    if ((await this.playState()).paused) return;
    await this.press('k');
    await waitFor('the video paused', async () => (await this.playState()).paused, 30_000);
  }

  /** Clicks a control inside the webview by its data-testid. */
  async click(testId: string): Promise<void> {
    const frame = await this.frame();
    await frame.locator(`[data-testid="${testId}"]`).first().click();
  }

  /**
   * Clicks the query-list entry whose text holds `query` and measures, inside the webview, the time
   * from the click to the first animation frame after the query text shows it (the repaint).
   */
  async switchTo(query: string, timeoutMs = 30_000): Promise<{ ms: number; renderMs: number }> {
    const frame = await this.frame();
    const ms = await frame.evaluate(
      ({ query, timeoutMs }) =>
        new Promise<number>((resolve, reject) => {
          const items = [
            ...document.querySelectorAll<HTMLElement>('[data-testid="query-list"] [data-testid="query-item"]'),
          ];
          const item = items.find((e) => (e.textContent ?? '').includes(query));
          if (!item)
            return reject(
              new Error(`no query-item holds "${query}"; items: ${items.map((e) => e.textContent).join(' | ')}`),
            );
          const shows = () => document.querySelector('[data-testid="query-text"]')?.textContent === query;
          const t0 = performance.now();
          const timer = setTimeout(() => {
            obs.disconnect();
            reject(new Error(`the inspector did not switch to "${query}" within ${timeoutMs} ms`));
          }, timeoutMs);
          const done = () => {
            obs.disconnect();
            clearTimeout(timer);
            requestAnimationFrame(() => resolve(performance.now() - t0));
          };
          const obs = new MutationObserver(() => shows() && done());
          obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
          item.click();
          if (shows()) done();
        }),
      { query, timeoutMs },
    );
    // The webview's own measure of its last repaint (CONTRACT.md: body[data-render-ms]).
    const renderMs = Number(await frame.evaluate(() => document.body.dataset.renderMs));
    return { ms, renderMs };
  }

  /** A span's data-start/data-end in seconds (null when the span is not drawn). */
  async spanTimes(testId: 'gt-span' | 'pred-span'): Promise<[number, number] | null> {
    const frame = await this.frame();
    return frame.evaluate((id) => {
      const el = document.querySelector<HTMLElement>(`[data-testid="timeline"] [data-testid="${id}"]`);
      return el ? [Number(el.dataset.start), Number(el.dataset.end)] : null;
    }, testId);
  }

  /** data-status of the query-list entry marked current. */
  async currentItemStatus(): Promise<string | null> {
    const frame = await this.frame();
    return frame.evaluate(
      () =>
        document.querySelector<HTMLElement>(
          '[data-testid="query-list"] [data-testid="query-item"][aria-selected="true"]',
        )?.dataset.status ?? null,
    );
  }

  /** Elements matching a selector in the inspector document (light DOM). */
  async count(selector: string): Promise<number> {
    const frame = await this.frame();
    return frame.evaluate((sel) => document.querySelectorAll(sel).length, selector);
  }

  /** The GT span editor as shown: bar times, whether an edit is on its way, the error, the focused element's testid. */
  async spanEditor(): Promise<SpanEditorState> {
    const frame = await this.frame();
    return frame.evaluate(() => {
      const bar = document.querySelector<HTMLElement>('[data-testid="timeline"] [data-testid="gt-span"]');
      const input = (id: string) => document.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)?.value ?? '';
      return {
        start: bar ? Number(bar.dataset.start) : null,
        end: bar ? Number(bar.dataset.end) : null,
        pending: bar?.dataset.pending !== undefined,
        error: document.querySelector('[data-testid="span-error"]')?.textContent ?? '',
        startInput: input('gt-start-input'),
        endInput: input('gt-end-input'),
        focused: (document.activeElement as HTMLElement | null)?.dataset?.testid ?? null,
        renders: Number(document.body.dataset.renders ?? 0),
      };
    });
  }

  /**
   * Drags a GT span edge handle with the mouse to `time` seconds of a timeline `duration` seconds
   * long: presses on the handle, waits until the page says the drag of that edge started, moves,
   * lets go, and waits until the page says the drag ended (boxes are read at each step: the
   * layout may move while the video loads).
   */
  async dragSpanEdge(edge: 'start' | 'end', time: number, duration: number): Promise<void> {
    const frame = await this.frame();
    const handle = frame.locator(`[data-testid="gt-${edge}-handle"]`);
    await handle.waitFor({ state: 'visible', timeout: 30_000 });
    const dragging = () =>
      frame.evaluate(() => document.querySelector<HTMLElement>('[data-testid="gt-span"]')?.dataset.dragging ?? null);
    const hb = await handle.boundingBox();
    if (!hb) throw new Error('the GT handle is not laid out');
    const y = hb.y + hb.height / 2;
    await this.page.mouse.move(hb.x + hb.width / 2, y);
    await this.page.mouse.down();
    await waitFor(`the drag of the GT ${edge} to start`, async () => (await dragging()) === edge, 30_000);
    const tb = await frame.locator('[data-testid="timeline"]').boundingBox();
    if (!tb) throw new Error('the timeline is not laid out');
    await this.page.mouse.move(tb.x + (tb.width * time) / duration, y, { steps: 8 });
    await this.page.mouse.up();
    await waitFor(`the drag of the GT ${edge} to end`, async () => (await dragging()) === null, 30_000);
  }

  /** Gives a GT edge handle the keyboard focus (a click, as a user's) and waits until it has it. */
  async focusHandle(edge: 'start' | 'end'): Promise<void> {
    const frame = await this.frame();
    await frame.locator(`[data-testid="gt-${edge}-handle"]`).click();
    await waitFor(
      `keyboard focus on the GT ${edge} handle`,
      () =>
        frame.evaluate(
          (id) => document.hasFocus() && document.activeElement?.getAttribute('data-testid') === id,
          `gt-${edge}-handle`,
        ),
      30_000,
    );
  }
}

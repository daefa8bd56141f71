/** Inspector e2e, the workbench around it: themes, reload, Open in file, videos outside the mapped folders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/session';
import type { InspectorContext } from './context';

/** Registers this group's tests (in order) on the shared session. */
export function workbenchTests(ctx: InspectorContext): void {
  test('the inspector follows the light, dark and high-contrast themes', async () => {
    const seen = new Map<string, { kind: string; fg: string; bg: string }>();
    for (const [theme, kind] of [
      ['Dark High Contrast', 'vscode-high-contrast'],
      ['Dark Modern', 'vscode-dark'],
      ['Light Modern', 'vscode-light'],
    ]) {
      await ctx.s.workbench.setColorTheme(theme);
      let last: unknown;
      const look = await waitFor(
        `the inspector in ${theme}`,
        async () => {
          const frame = await ctx.inspector.frame();
          const x = await frame.evaluate(() => {
            const q = document.querySelector('[data-testid="query-text"]');
            return {
              kind: document.body.className,
              fg: q ? getComputedStyle(q).color : '',
              bg: getComputedStyle(document.body).backgroundColor,
            };
          });
          last = x;
          return x.kind.split(/\s+/).includes(kind) ? x : undefined;
        },
        45_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; the inspector shows ${JSON.stringify(last)}`);
      });
      seen.set(theme, look);
      await ctx.s.screenshot(`theme-${kind}`);
    }
    // Colours come from the theme, not from the page: they differ between the themes.
    const looks = [...seen.values()];
    assert.equal(
      new Set(looks.map((l) => l.fg)).size,
      looks.length,
      `text colours per theme: ${JSON.stringify(looks)}`,
    );
    assert.equal(new Set(looks.map((l) => l.bg)).size, looks.length, `backgrounds per theme: ${JSON.stringify(looks)}`);
  });

  test('after a reload of the window the inspector comes back on the same sample', async () => {
    const before = (await ctx.inspector.snapshot()).query;
    // Listen before the command runs, so the load cannot happen unseen.
    const loaded = ctx.s.page.waitForEvent('load', { timeout: 120_000 });
    await ctx.s.workbench.runCommand('Developer: Reload Window');
    await loaded;
    await ctx.s.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await ctx.inspector.tab().waitFor({ timeout: 60_000 });
    await ctx.inspector.waitReady(60_000);
    await ctx.inspector.waitForQuery(before, 60_000);
    await ctx.s.screenshot('inspector-after-reload');
  });

  test('"Open in file" shows the sample\'s JSON beside the inspector, which stays in view', async () => {
    const query = (await ctx.inspector.snapshot()).query;
    await ctx.inspector.click('reveal');
    const json = ctx.s.page.locator('.editor-group-container .tab', { hasText: /\.json/ }).first();
    await json.waitFor({ timeout: 30_000 });
    await waitFor(
      'the JSON editor at the query',
      async () =>
        (await ctx.s.page.locator('.monaco-editor .view-line').allInnerTexts()).some((t) =>
          t.replace(/\u00a0/g, ' ').includes(JSON.stringify(query)),
        ),
      30_000,
    );
    // Both are visible: the inspector's tab is the active one of its own group.
    const groups = await ctx.s.page
      .locator('.editor-group-container')
      .evaluateAll((gs) => gs.map((g) => g.querySelector('.tab.active')?.textContent ?? ''));
    assert.ok(
      groups.some((t) => t.includes('RA-RFT Inspector')),
      `the inspector is still shown: active tabs ${JSON.stringify(groups)}`,
    );
    assert.ok(
      groups.some((t) => /\.json/.test(t)),
      `the JSON is shown: active tabs ${JSON.stringify(groups)}`,
    );
    await ctx.s.workbench.closeEditor(/\.json/);
  });

  test('a video found at its recorded path opens that file to the page, not its whole folder', async () => {
    // A recorded absolute path outside every mapped folder, beside another file of that folder.
    const outside = mkdtempSync(join(tmpdir(), 'rarft-e2e-outside-'));
    try {
      copyFileSync(join(ctx.s.workspace, 'videos/VXZBA.mp4'), join(outside, 'clip.mp4'));
      copyFileSync(join(ctx.s.workspace, 'videos/VXZBA.mp4'), join(outside, 'sibling.mp4'));
      const query = 'a clip recorded outside the mapped folders.';
      const [entry] = JSON.parse(readFileSync(join(ctx.s.workspace, 'data/hi_vtg_markup.json'), 'utf8'));
      const anno = [
        {
          ...entry,
          video: join(outside, 'clip.mp4'),
          query_text: query,
          GRPO: [{ ...entry.GRPO[0], q: query, q_origin: query }],
        },
      ];
      writeFileSync(join(ctx.s.workspace, 'data/hi_vtg_outside.json'), JSON.stringify(anno, null, 2));
      const view = await ctx.openDatasets();
      await ctx.s.workbench.collapseTreeRow(view, 'data/hi_vtg_charades.json');
      await ctx.s.workbench.clickTreePath(view, ['data/hi_vtg_outside.json', 'clip.mp4', query]);
      await ctx.inspector.waitForQuery(query, 30_000);
      await ctx.inspector.waitPlayable(60_000);
      const src = (await ctx.inspector.snapshot()).videoSrc;
      assert.match(src, /clip\.mp4/);
      const frame = await ctx.inspector.frame();
      const loads = (url: string) =>
        frame.evaluate(
          (u) =>
            new Promise<string>((done) => {
              const v = document.createElement('video');
              v.muted = true;
              v.onloadedmetadata = () => done('loaded');
              v.onerror = () => done('error');
              setTimeout(() => done('timeout'), 30_000); // a deadline, not a wait
              v.src = u;
            }),
          url,
        );
      assert.equal(await loads(src), 'loaded', 'the page can load the video it was given');
      assert.equal(
        await loads(src.replace('clip.mp4', 'sibling.mp4')),
        'error',
        "the video's folder is not opened to the page",
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a video under a recorded folder that is not mapped offers to map that folder', async () => {
    // The positive case of the missing-video test's "no toast for a mapped folder".
    const query = 'a clip whose folder is on another machine.';
    const folder = '/recorded/on/another/machine';
    const [entry] = JSON.parse(readFileSync(join(ctx.s.workspace, 'data/hi_vtg_markup.json'), 'utf8'));
    const anno = [
      { ...entry, video: `${folder}/ELSEWHERE.mp4`, GRPO: [{ ...entry.GRPO[0], q: query, q_origin: query }] },
    ];
    writeFileSync(join(ctx.s.workspace, 'data/hi_vtg_unmapped.json'), JSON.stringify(anno, null, 2));
    const view = await ctx.openDatasets();
    await ctx.s.workbench.collapseTreeRow(view, 'data/hi_vtg_outside.json');
    await ctx.s.workbench.clickTreePath(view, ['data/hi_vtg_unmapped.json', 'ELSEWHERE.mp4', query]);
    await ctx.inspector.waitForQuery(query);
    await ctx.inspector.waitForVideoState('missing');
    const toast = await waitFor(
      'the "map that folder" toast',
      async () => (await ctx.s.workbench.notifications()).find((t) => /not on this machine/.test(t)),
      30_000,
    );
    assert.ok(toast.includes(folder), `the toast names the recorded folder: ${toast}`);
  });
}

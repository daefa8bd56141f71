import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { rarft } from '../../support/cli';
import { referencePath, samplePath, tempDir, text } from '../../support/fixtures';

const CHROMIUM = '/usr/bin/chromium';
const XSS = '</script><img src=x onerror="document.title=\'pwned\'"> person opens a door';

test('report: one file that draws in Chromium with every request blocked; clicks list the samples as text', {
  skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} missing (npm test installs it)`,
}, async () => {
  const dir = tempDir();
  const items = JSON.parse(readFileSync(referencePath('charades.items.json'), 'utf8'));
  items.unshift({ ...items[0], query: XSS }); // dataset text must stay text
  const a = join(dir, 'metrics_items.json');
  writeFileSync(a, text(items));
  const rw = rarft(['rewards', a, '--anno', samplePath('hi_vtg_charades.json'), '--out', join(dir, 'rewards.json')]);
  assert.equal(rw.status, 0, rw.stderr);
  const out = join(dir, 'report.html');
  const b = referencePath('charades.offline.items.json');
  const r = rarft(['report', a, '--compare', b, '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.items, items.length);
  assert.equal(info.rewards, true);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-/);
  assert.doesNotMatch(html, /<script[^>]+src=|<link /, 'nothing is loaded from elsewhere');
  const flips = JSON.parse(rarft(['compare', a, b, '--json']).stdout).flips;

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.context().route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url() === pathToFileURL(out).href ? route.continue() : route.abort();
    });
    await page.goto(pathToFileURL(out).href);
    // Locator waits, not waitForFunction: a string predicate is eval'd on each poll, which the report's CSP refuses.
    await page.locator('body[data-ready="1"]').waitFor({ state: 'attached', timeout: 60_000 });
    // Levels, categories, IoU, disagreements, and the reward components that have values.
    const rewards = JSON.parse(readFileSync(join(dir, 'rewards.json'), 'utf8')) as Record<string, unknown>[];
    const rewardsWithValues = ['format', 'refuse_iou', 'explain', 'correction', 'explain_correction', 'total'].filter(
      (k) => rewards.some((x) => typeof x[k] === 'number'),
    );
    assert.ok(rewardsWithValues.length >= 3);
    assert.equal(Number(await page.evaluate('document.body.dataset.charts')), 4 + rewardsWithValues.length);
    const inked = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      })`)) as number[];
    assert.equal(inked.length, 4 + rewardsWithValues.length);
    assert.ok(
      inked.every((n) => n > 500),
      `every canvas has ink: ${inked}`,
    );
    // Bars: 4 levels × 5 series, less original's RT-IoU and reasoning.
    assert.equal(await page.getAttribute('[data-testid=chart-levels]', 'data-bars'), '18');
    for (const [o, row] of Object.entries(flips as Record<string, Record<string, number>>))
      for (const [p, n] of Object.entries(row))
        assert.equal(
          await page.getAttribute(`[data-testid=heatmap-flips] [data-row="${o}"][data-col="${p}"]`, 'data-count'),
          String(n),
        );
    // Click the "strong (hard)" bar group's first bar on the canvas: the samples of that level.
    const hits = JSON.parse((await page.getAttribute('[data-testid=chart-levels]', 'data-hits'))!);
    const strong = hits.find((x: { d: number; i: number }) => x.d === 0 && x.i === 3);
    await page.click('[data-testid=chart-levels]', { position: { x: strong.x, y: strong.y } });
    const expected = items.filter((it: Record<string, unknown>) => it.hardness_level === 'strong').length;
    await page.locator(`body[data-selected="${expected}"]`).waitFor({ state: 'attached', timeout: 10_000 });
    // Keyboard: open the levels chart's value table from its summary, Tab to the first value
    // (original, accuracy) and press Enter: the same selection as a click on that bar.
    await page.focus('[data-testid=section-levels] summary');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.className'), 'cell');
    await page.keyboard.press('Enter');
    const original = items.filter((it: Record<string, unknown>) => it.hardness_level === 'original').length;
    await page.locator(`body[data-selected="${original}"]`).waitFor({ state: 'attached', timeout: 10_000 });
    // The sample with markup in its query is listed as text.
    await page.selectOption('[data-testid=slice-level]', '0');
    await page.locator('[data-testid=slice-rows]', { hasText: /^1098 of/ }).waitFor({ state: 'attached' });
    await page.click('[data-testid=heatmap-confusion] [data-row="relevant"][data-col="relevant"]');
    const listed = (await page.textContent('[data-testid=selection-list]'))!;
    assert.ok(listed.includes(XSS), 'the query with markup is shown as text');
    assert.equal(await page.$$eval('img', (els) => els.length), 0);
    assert.notEqual(await page.title(), 'pwned');
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [pathToFileURL(out).href], 'no request leaves the file');
  } finally {
    await browser.close();
  }
});

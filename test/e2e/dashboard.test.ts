/**
 * End to end: the dashboard in code-server + Chromium. "Open Dashboard" draws the sample run (the
 * bars the data has), a click on a hardness bar filters the Runs view to exactly that level's
 * samples and opens the first in the inspector; "Compare Runs…" draws the flips and a flip cell
 * opens its sample.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { RUN_NAME } from '../../scripts/makeSampleWorkspace.mjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUCKET_LABELS, bucketOf } from '../../src/core/buckets';
import { itemLevel } from '../../src/core/dataset/runs';
import { judgeItems } from '../../src/core/eval/evaluate';
import { offlineJudge } from '../../src/core/eval/judge';
import { computeMetrics } from '../../src/core/eval/metrics';
import { HARDNESS_LEVELS } from '../../src/core/taxonomy';
import { answerText, firstTimestamp } from '../../src/core/text';
import { startOpenAiServer, type FakeOpenAi } from '../support/openaiServer';
import { Dashboard } from './pages/dashboard';
import { Inspector } from './pages/inspector';
import { runItems } from './support/expected';
import { missingPrerequisite, startSession, waitFor, type Session } from './support/session';

const skip = missingPrerequisite();
const MERGED = `runs/${RUN_NAME}/inference_results_merged.json`;
const SHARD0 = `runs/${RUN_NAME}/inference_results_gpu0.json`;

describe('dashboard', { skip, timeout: 15 * 60_000 }, () => {
  let s: Session;
  let dashboard: Dashboard;
  let inspector: Inspector;
  let server: FakeOpenAi;
  const MODEL = 'judge-e2e-model';
  before(async () => {
    server = await startOpenAiServer({ latencyMs: 20 });
    s = await startSession('dashboard');
    const settingsFile = join(s.workspace, '.vscode/settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    writeFileSync(
      settingsFile,
      JSON.stringify(
        {
          ...settings,
          'rarft.judge.baseUrl': server.baseUrl,
          'rarft.judge.model': MODEL,
          'rarft.judge.price': { input: 0.15, output: 0.6 },
        },
        null,
        2,
      ),
    );
    dashboard = new Dashboard(s.page);
    inspector = new Inspector(s.page);
  });
  after(async () => {
    await s?.close();
    await server?.close();
  });

  /** Picks the quick-pick row whose label is exactly `label`. */
  async function pick(label: string): Promise<void> {
    const input = s.workbench.quickInput;
    await waitFor(`a quick pick offering ${label}`, () => input.isVisible());
    await input.fill(label);
    const row = s.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: s.page.locator('.label-name', { hasText: label }) })
      .first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
  }

  /** Sum of the bucket rows' counts under the run file in the Runs view. */
  async function runsViewCount(view: Locator): Promise<number> {
    const rows = view.locator('.monaco-list-row[aria-level="2"]');
    await rows.first().waitFor({ timeout: 30_000 });
    const texts = await rows.locator('.label-description').allInnerTexts();
    return texts.reduce((a, t) => a + Number(t.trim()), 0);
  }

  test('Open Dashboard draws the run; a hardness bar filters the Runs view and opens the inspector', async () => {
    const items = runItems(s.workspace) as unknown as Record<string, unknown>[];
    const levels = items.map((it) => itemLevel(it));
    await s.workbench.openActivity('RA-RFT');
    await s.workbench.runCommand('RA-RFT: Open Dashboard');
    await pick(MERGED);
    const frame = await dashboard.frame();
    await s.screenshot('dashboard');
    // Grouped bars: accuracy, F1, R@0.5 per level; a refusable level adds RT-IoU only where core
    // computed one (the offline judge on outputs without category tags judges none; never a 0 bar),
    // and no reasoning bar (the offline judge gives no reasoning score).
    const present = new Set(levels.filter(Boolean));
    const offline = computeMetrics(await judgeItems(items, { judge: offlineJudge }));
    const rtIou = (l: string) =>
      !offline.evaluation.not_computed.figures.includes(
        `hardness_level_analysis.metrics_by_hardness_level.${l}.RT-IoU`,
      );
    const expectedBars = HARDNESS_LEVELS.filter((l) => present.has(l)).reduce(
      (n, l) => n + 3 + (l !== 'original' && rtIou(l) ? 1 : 0),
      0,
    );
    const { count } = await dashboard.bars(frame, 'levels');
    assert.equal(count, expectedBars);
    assert.ok((await dashboard.inked(frame, 'levels')) > 500, 'the levels canvas is drawn');
    // Click the strong (hard) accuracy bar.
    await dashboard.clickBar(frame, 'levels', 0, 3);
    const strong = levels.filter((l) => l === 'strong').length;
    const view = s.workbench.view('Runs');
    await waitFor('the Runs view filtered to the strong samples', async () => {
      const msg = await view
        .locator('.message')
        .innerText()
        .catch(() => '');
      return msg.includes(`${strong} samples`);
    });
    assert.equal(await runsViewCount(view), strong, 'the buckets under the run hold exactly the strong samples');
    const first = items[levels.indexOf('strong')];
    await inspector.waitForQuery(String(first.query));
    await s.screenshot('dashboard-strong');
    await s.workbench.runCommand('RA-RFT: Clear Filters');
  });

  test('a sample flagged with "Flag Sample…" appears in a Flag filter on the open dashboard; it keeps the flagged samples', async () => {
    // Flagged through the product's command (the flag store tells the dashboard at once; a file
    // written from outside reaches it through VS Code's file watcher, whose timing no test controls).
    const items = runItems(s.workspace) as unknown as Record<string, unknown>[];
    const judged = await judgeItems(items, { judge: offlineJudge });
    const pos = items.findIndex(
      (it, i) =>
        bucketOf(String(it.model_output), judged[i]) === 'correct' &&
        items.filter((x) => x.query === it.query).length === 1,
    );
    assert.ok(pos >= 0, 'the simulated run has a correct item with a query of its own');
    const item = items[pos];
    await s.workbench.openActivity('RA-RFT');
    const view = s.workbench.view('Runs');
    await view.waitFor({ timeout: 30_000 });
    await s.workbench.clickTreePath(view, [MERGED, BUCKET_LABELS.correct, String(item.query)]);
    await s.workbench.runCommand('RA-RFT: Flag Sample…');
    await pick('needs-review');
    const input = s.workbench.quickInput;
    await waitFor('the note input', async () => (await input.isVisible()) && (await input.inputValue()) === '');
    await s.workbench.pressIn(input, 'Enter', 'the note input');
    const expected = items.filter((it) => it.video === item.video && it.query === item.query).length;
    const frame = await dashboard.frame('slice-flag');
    await frame.locator('[data-testid="slice-flag"]').selectOption({ label: 'needs-review' });
    await waitFor('the slice of the flagged samples', async () =>
      (await frame.locator('[data-testid="slice-rows"]').innerText()).startsWith(`${expected} of ${items.length}`),
    );
    await frame.locator('[data-testid="slice-flag"]').selectOption('-1');
  });

  test('Compare Runs… draws the flips; a flip cell opens its sample in the inspector', async () => {
    await s.workbench.runCommand('RA-RFT: Compare Runs…');
    await pick(MERGED);
    await pick(SHARD0);
    const frame = await dashboard.frame('heatmap-flips');
    await s.screenshot('dashboard-compare');
    // The shard's items are the merged file's first ones, judged alike: every pair on the diagonal.
    const shard = runItems(s.workspace).length; // merged
    const cells = frame.locator('[data-testid="heatmap-flips"] button.heat');
    const counts = await cells.evaluateAll((els) =>
      els.map((e) => [e.dataset.row, e.dataset.col, Number(e.dataset.count)]),
    );
    const total = counts.reduce((a, [, , n]) => a + Number(n), 0);
    assert.ok(total > 0 && total < shard, `paired ${total} of ${shard}`);
    for (const [r, c, n] of counts) if (r !== c) assert.equal(n, 0, `${r} → ${c}`);
    const hit = frame.locator('[data-testid="heatmap-flips"] [data-row="hit"][data-col="hit"]');
    await hit.click();
    const items = runItems(s.workspace);
    await waitFor('the inspector to open a sample', async () => (await inspector.snapshot()).query !== '', 60_000);
    const shown = (await inspector.snapshot()).query;
    assert.ok(
      items.some((it) => it.query === shown),
      `the inspector shows a run sample: ${shown}`,
    );
    // Both runs' predicted spans on the timeline, labelled by run (a hit in both: each has a span).
    const frame2 = await inspector.frame();
    const key = frame2.locator('[data-testid="compared-key"]');
    await key.waitFor({ timeout: 30_000 });
    const keyText = await key.innerText();
    assert.ok(keyText.includes(`A: ${MERGED}`) && keyText.includes(`B: ${SHARD0}`), keyText);
    assert.match(keyText, /\(hit\)[\s\S]*\(hit\)/, keyText);
    // The sample the key was drawn with (a query text can recur across videos: match the video too).
    const video = await frame2.locator('.video-name').getAttribute('title');
    const query = await frame2.locator('[data-testid="query-text"]').innerText();
    const sample = items.find((it) => it.query === query && it.video === video);
    assert.ok(sample, `the compared sample ${video} / ${query} is a run item`);
    const want = firstTimestamp(answerText(String(sample.model_output)));
    assert.ok(want, 'the sample has a predicted span');
    for (const side of ['a', 'b']) {
      const bar = frame2.locator(`[data-testid="compared-span-${side}"]`);
      const at = [Number(await bar.getAttribute('data-start')), Number(await bar.getAttribute('data-end'))];
      assert.deepEqual(at, want, `run ${side.toUpperCase()}'s span on the timeline`);
      assert.equal(await bar.innerText(), side.toUpperCase());
    }
    assert.ok(await frame2.locator('[data-testid="gt-span"]').count(), 'the GT span too');
    await s.screenshot('dashboard-flip');
  });

  test('Evaluate Run… with the LLM judge: key, confirmation with the request count, progress, dashboard', async () => {
    const key = 'sk-e2e-secret';
    await s.workbench.runCommand('RA-RFT: Set Judge API Key');
    const input = s.workbench.quickInput;
    await waitFor('the key input box', () => input.isVisible());
    await input.fill(key);
    await input.press('Enter');
    await waitFor('the key stored', async () => (await s.workbench.notifications()).some((t) => /key stored/.test(t)));
    // The run's step-1 judgments: one request per distinct non-empty answer text.
    const items = runItems(s.workspace);
    const step1 = new Set(items.map((it) => answerText(it.model_output)).filter(Boolean)).size;
    // Wait for the state: the judge pick names this test's server (the settings file has been read).
    await waitFor(
      'the judge pick offering the test server',
      async () => {
        await s.workbench.runCommand('RA-RFT: Evaluate Run…');
        await pick(MERGED);
        // The judge pick opens after the run pick closes: wait for its rows (the offline judge is
        // always one) before reading them, not for a fixed time, and not at once (a pick still
        // opening was read as one without the server, then closed by the Escape below).
        const rows = s.page.locator('.quick-input-widget .monaco-list-row');
        const shown = await rows
          .filter({ hasText: 'rules only, no requests' })
          .first()
          .waitFor({ timeout: 10_000 })
          .then(() => true)
          .catch(() => false);
        if (shown && (await rows.filter({ hasText: server.baseUrl }).count())) return true;
        await s.page.keyboard.press('Escape');
        return false;
      },
      60_000,
      500,
    );
    await pick('LLM');
    const dialog = s.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const said = await dialog.innerText();
    assert.match(said, new RegExp(`sends ${step1} requests for relevance \\(0 cached\\)`), said);
    assert.match(said, /Estimated tokens \(from the prompts' length[^)]*\): [\d,]+ prompt/, said);
    assert.match(said, /Estimated cost at \$0\.15 \/ \$0\.6 per million .*: \$\d+\.\d+ for relevance/, said);
    await s.screenshot('dashboard-confirm');
    await dialog.locator('.monaco-button', { hasText: 'Evaluate' }).click();
    await waitFor(
      'the progress notification',
      async () =>
        (await s.workbench.notifications()).some((t) => /evaluating|\d+\/\d+/.test(t)) ||
        existsSync(join(s.workspace, 'runs', RUN_NAME, 'metrics.json')),
    );
    const metricsFile = join(s.workspace, 'runs', RUN_NAME, 'metrics.json');
    // The one output writer writes metrics_items.json first and metrics.json last: wait for both.
    const itemsFile = join(s.workspace, 'runs', RUN_NAME, 'metrics_items.json');
    await waitFor(
      'metrics.json and metrics_items.json written',
      () => existsSync(itemsFile) && existsSync(metricsFile),
      120_000,
    );
    const metrics = JSON.parse(readFileSync(metricsFile, 'utf8'));
    assert.equal(metrics.evaluation.judge_model, MODEL);
    assert.ok(existsSync(metricsFile));
    assert.equal(
      server.log.filter((r) => r.step === 'relevance').length,
      step1,
      'as many step-1 requests as announced',
    );
    assert.ok(
      server.log.every((r) => r.headers.authorization === `Bearer ${key}`),
      'the stored key is sent',
    );
    // The dashboard of the evaluated run: the LLM judge scores reasoning, so each refusable level has 5 bars.
    const frame = await dashboard.frame();
    await waitFor(
      'the dashboard of metrics_items.json',
      async () => /metrics_items\.json/.test(await frame.locator('h2').innerText()),
      60_000,
    );
    const levels = new Set(items.map((it) => itemLevel(it as unknown as Record<string, unknown>)).filter(Boolean));
    const expected =
      (levels.has('original') ? 3 : 0) +
      5 * ['weak', 'moderate', 'strong'].filter((l) => levels.has(l as never)).length;
    assert.equal((await dashboard.bars(frame, 'levels')).count, expected);
    await s.screenshot('dashboard-llm');
  });
});

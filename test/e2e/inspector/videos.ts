/** Inspector e2e, videos in every state and data as text: HEVC, markup, Runs view, missing, no ffmpeg. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerText } from '../../../src/core/text';
import { judgeItems } from '../../../src/core/eval/evaluate';
import { offlineJudge } from '../../../src/core/eval/judge';
import { BUCKET_LABELS, bucketOf } from '../../../src/core/buckets';
import { MARKUP_QUERY, RUN_NAME } from '../../../scripts/makeSampleWorkspace.mjs';
import { extensionLog, waitForLog } from '../support/session';
import { expectedSample, near, runItems } from '../support/expected';
import type { InspectorContext } from './context';

/** Registers this group's tests (in order) on the shared session. */
export function videosTests(ctx: InspectorContext): void {
  test('the HEVC video is transcoded and becomes playable', async () => {
    const query = 'person puts the glass on the table.';
    const want = expectedSample(ctx.s.workspace, 'hi_vtg_charades.json', 'IV1S7.mp4', query);
    const view = await ctx.openDatasets();
    await ctx.s.workbench.clickTreePath(view, ['data/hi_vtg_charades.json', 'IV1S7.mp4', query]);
    await ctx.inspector.waitForQuery(query);
    const seen = await ctx.inspector.waitPlayable(120_000);
    const snap = await ctx.inspector.snapshot();
    await ctx.s.screenshot('inspector-hevc');
    assert.ok(snap.readyState >= 3, `readyState ${snap.readyState}`);
    near(snap.duration, want.duration, 0.3, 'transcoded video duration');
    // What plays is not the HEVC file in the workspace but a transcoded copy.
    const src = decodeURIComponent(snap.videoSrc);
    assert.ok(
      seen.includes('transcoding') || !src.includes(ctx.s.workspace),
      `transcoded (states: ${seen.join(' → ')}; src ${src})`,
    );
    assert.ok(!src.includes(join(ctx.s.workspace, 'videos', 'IV1S7.mp4')), `does not play the HEVC original (${src})`);
  });

  test('dataset text with markup shows as text, never as HTML', async () => {
    const view = await ctx.openDatasets();
    await ctx.s.workbench.collapseTreeRow(view, 'data/hi_vtg_charades.json');
    await ctx.s.workbench.clickTreePath(view, ['data/hi_vtg_markup.json', 'VXZBA.mp4', MARKUP_QUERY]);
    await ctx.inspector.waitForQuery(MARKUP_QUERY);
    const snap = await ctx.inspector.snapshot();
    assert.equal(snap.query, MARKUP_QUERY);
    assert.ok(
      snap.queryItems.some((t) => t.includes('a person closes the <b>window</b> & leaves.')),
      `query list shows markup as text: ${snap.queryItems.join(' | ')}`,
    );
    assert.ok(snap.modelOutput.includes('<door>'), 'model output keeps its angle brackets');
    assert.equal(await ctx.inspector.count('img'), 0, 'no img element in the inspector');
    // <b>window</b> from the data would make an element whose whole text is "window".
    const frame = await ctx.inspector.frame();
    const made = await frame.evaluate(
      () => [...document.querySelectorAll('body *')].filter((e) => e.textContent === 'window').length,
    );
    assert.equal(made, 0, "no element made from the data's <b> markup");
    // The tree shows it as text too, and nothing ran.
    assert.equal(await ctx.s.page.locator('.monaco-list-row img[src="x"]').count(), 0);
    assert.deepEqual(ctx.dialogs, []);
    await ctx.s.screenshot('inspector-markup');
  });

  test('a query in the Runs view opens in the inspector, in the bucket core puts it in', async () => {
    const run = runItems(ctx.s.workspace);
    const judged = await judgeItems(run as unknown as Record<string, unknown>[], { judge: offlineJudge });
    const pos = run.findIndex(
      (it, i) =>
        bucketOf(it.model_output, judged[i]) === 'false-refusal' &&
        run.filter((x) => x.query === it.query).length === 1,
    );
    assert.ok(pos >= 0, 'the simulated run has a false refusal');
    const item = run[pos];
    await ctx.s.workbench.openActivity('RA-RFT');
    const view = ctx.s.workbench.view('Runs');
    await view.waitFor({ timeout: 30_000 });
    await ctx.s.workbench.clickTreePath(view, [
      `runs/${RUN_NAME}/inference_results_merged.json`,
      BUCKET_LABELS['false-refusal'],
      item.query,
    ]);
    await ctx.inspector.waitForQuery(item.query);
    const snap = await ctx.inspector.snapshot();
    assert.ok(snap.modelOutput.includes(answerText(item.model_output).slice(0, 40)), "shows this item's model output");
    assert.equal(await ctx.inspector.currentItemStatus(), 'false-refusal');
    // A refusal has no predicted span: no pred-span, and the IoU core gives it; the GT span is still drawn.
    assert.equal(await ctx.inspector.spanTimes('pred-span'), null);
    const iou = judged[pos].iou;
    assert.ok(snap.iou.includes(iou === null ? '–' : iou.toFixed(2)), `IoU "${snap.iou}" shows core's ${iou}`);
    assert.deepEqual(await ctx.inspector.spanTimes('gt-span'), item.gt_timestamp);
    await ctx.s.screenshot('inspector-runs-false-refusal');
  });

  test('a video that is not on disk is said to be missing, and the rest of the inspector works', async () => {
    const query = 'a person sits on the bathroom floor.';
    const want = expectedSample(ctx.s.workspace, 'hi_vtg_charades.json', '4VX01.mp4', query);
    const view = await ctx.openDatasets();
    await ctx.s.workbench.collapseTreeRow(view, 'data/hi_vtg_markup.json');
    await ctx.s.workbench.clickTreePath(view, ['data/hi_vtg_charades.json', '4VX01.mp4', query]);
    await ctx.inspector.waitForQuery(query);
    await ctx.inspector.waitForVideoState('missing', 30_000);
    assert.equal(await ctx.inspector.count('[data-testid="map-root"]'), 1, 'offers to map a video root');
    // Its folder is mapped already (the workspace's rarft.videoRoots): the file is missing from
    // the local folder, which is what the inspector says, and no toast claims the folder is unmapped.
    const frame = await ctx.inspector.frame();
    const said = await frame.locator('[data-testid="video-state"]').innerText();
    assert.match(said, /videos/, `names the mapped local folder: ${said}`);
    // No wait needed: the host offers that toast before it answers "missing", and the workbench
    // shows a toast as it receives it, so one would be there by now (the positive case is in the
    // last test: an unmapped folder's toast).
    const toasts = await ctx.s.workbench.notifications();
    assert.ok(
      !toasts.some((t) => /not on this machine/.test(t)),
      `no "map that folder" toast for a mapped folder: ${toasts.join(' | ')}`,
    );
    assert.deepEqual(await ctx.inspector.spanTimes('gt-span'), want.gt);
    assert.deepEqual(await ctx.inspector.spanTimes('pred-span'), want.pred);
    const snap = await ctx.inspector.snapshot();
    assert.ok(snap.gtAnswer.includes(answerText(want.gtAnswer)));
    await ctx.s.screenshot('inspector-missing-video');
  });

  test('without ffmpeg an HEVC video says so, and the rest of the inspector works', async () => {
    // CONTRACT.md: an ffmpeg/ffprobe path that does not exist simulates a machine without them.
    const settingsFile = join(ctx.s.workspace, '.vscode/settings.json');
    const original = readFileSync(settingsFile, 'utf8');
    const settings = {
      ...JSON.parse(original),
      'rarft.video.ffmpegPath': '/nonexistent/ffmpeg',
      'rarft.video.ffprobePath': '/nonexistent/ffprobe',
    };
    const toolsLog = /inspector: video settings changed \(ffmpeg: (.*), ffprobe: (.*)\)/;
    const changes = extensionLog(ctx.s.userDataDir).filter((l) => toolsLog.test(l)).length;
    writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    try {
      // The host has re-read the settings (it logs each change) before the sample is chosen.
      const line = await waitForLog(ctx.s.userDataDir, toolsLog, 'the new video settings', changes + 1);
      assert.match(line, /ffprobe: \/nonexistent\/ffprobe/);
      const query = 'a person opens a box.';
      const want = expectedSample(ctx.s.workspace, 'hi_vtg_charades.json', 'AHBE8.mp4', query);
      const view = await ctx.openDatasets();
      await ctx.s.workbench.clickTreePath(view, ['data/hi_vtg_charades.json', 'AHBE8.mp4', query]);
      await ctx.inspector.waitForQuery(query);
      await ctx.inspector.waitForVideoState('no-ffmpeg', 60_000);
      assert.deepEqual(await ctx.inspector.spanTimes('gt-span'), want.gt);
      const snap = await ctx.inspector.snapshot();
      assert.ok(snap.gtAnswer.includes(answerText(want.gtAnswer)));
      assert.ok(snap.queryItems.length >= 2, 'the query list is there');
      await ctx.s.screenshot('inspector-no-ffmpeg');
    } finally {
      writeFileSync(settingsFile, original);
      // Later tests need ffmpeg back: wait until the host has re-read the restored settings.
      await waitForLog(ctx.s.userDataDir, toolsLog, 'the restored video settings', changes + 2);
    }
  });
}

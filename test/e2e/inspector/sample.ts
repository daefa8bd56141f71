/** Inspector e2e, the sample and its video: what is shown, playback, the timeline and its keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { answerText } from '../../../src/core/text';
import { temporalIou } from '../../../src/core/eval/measures';
import { waitFor } from '../support/session';
import { expectedSample, near } from '../support/expected';
import { E6DLK_QUERY, type InspectorContext } from './context';

/** Registers this group's tests (in order) on the shared session. */
export function sampleTests(ctx: InspectorContext): void {
  test('clicking a query in the Datasets tree opens the inspector on that query', async () => {
    const view = await ctx.openDatasets();
    await ctx.s.workbench.clickTreePath(view, ['data/hi_vtg_charades.json', 'E6DLK.mp4', E6DLK_QUERY]);
    await ctx.inspector.tab().waitFor({ timeout: 30_000 });
    await ctx.inspector.waitReady();
    await ctx.inspector.waitForQuery(E6DLK_QUERY);
    const want = expectedSample(ctx.s.workspace, 'hi_vtg_charades.json', 'E6DLK.mp4', E6DLK_QUERY);
    const snap = await ctx.inspector.snapshot();
    assert.equal(snap.query, E6DLK_QUERY);
    assert.ok(
      snap.gtAnswer.includes(answerText(want.gtAnswer)),
      `GT answer "${snap.gtAnswer}" shows "${answerText(want.gtAnswer)}"`,
    );
    assert.ok(want.item, 'the run has this query');
    assert.ok(
      snap.modelOutput.includes(answerText(want.item.model_output)),
      `model output "${snap.modelOutput.slice(0, 200)}" shows its answer`,
    );
    // Every query of the video is listed.
    for (const q of want.queries)
      assert.ok(
        snap.queryItems.some((t) => t.includes(q)),
        `query list has "${q}"`,
      );
    // IoU as core computes it, to two decimals.
    const iou = temporalIou(want.pred!, want.gt!);
    assert.ok(snap.iou.includes(iou.toFixed(2)), `IoU "${snap.iou}" shows ${iou.toFixed(2)}`);
    assert.notEqual(snap.rewards.trim(), '', 'the reward breakdown is shown');
    await ctx.s.screenshot('inspector-e6dlk');
  });

  test('the H.264 video plays, and jumping to the GT start moves the playhead there', async () => {
    await ctx.inspector.waitForQuery(E6DLK_QUERY);
    const want = expectedSample(ctx.s.workspace, 'hi_vtg_charades.json', 'E6DLK.mp4', E6DLK_QUERY);
    const seen = await ctx.inspector.waitPlayable(60_000);
    let snap = await ctx.inspector.snapshot();
    assert.ok(snap.readyState >= 3, `readyState ${snap.readyState} (states: ${seen.join(' → ')})`);
    // The fixture's length is the annotation's duration: the right file was loaded.
    near(snap.duration, want.duration, 0.2, 'video duration');
    assert.ok(
      decodeURIComponent(snap.videoSrc).includes(join(ctx.s.workspace, 'videos', 'E6DLK.mp4')),
      `plays the mapped file, src ${snap.videoSrc}`,
    );

    await ctx.inspector.click('jump-gt-start');
    snap = await waitFor(
      'the playhead at the GT start',
      async () => {
        const x = await ctx.inspector.snapshot();
        return x.playheadTime !== null && Math.abs(x.playheadTime - want.gt![0]) <= 0.3 ? x : undefined;
      },
      30_000,
    );
    near(snap.currentTime, want.gt![0], 0.3, 'video currentTime after the jump');
    await ctx.s.screenshot('inspector-gt-start');
  });

  test('clicking the timeline scrubs there, and Play GT plays the GT span', async () => {
    await ctx.inspector.waitForQuery(E6DLK_QUERY);
    const want = expectedSample(ctx.s.workspace, 'hi_vtg_charades.json', 'E6DLK.mp4', E6DLK_QUERY);
    const frame = await ctx.inspector.frame();
    const timeline = frame.locator('[data-testid="timeline"]');
    const box = (await timeline.boundingBox())!;
    // 80 % along: past every span and think step of this sample, so the click lands on the track.
    await timeline.click({ position: { x: box.width * 0.8, y: box.height / 2 } });
    const d = (await ctx.inspector.snapshot()).duration;
    const scrubbed = await waitFor(
      'the playhead at 80 %',
      async () => {
        const x = await ctx.inspector.snapshot();
        return x.playheadTime !== null && Math.abs(x.playheadTime - 0.8 * d) <= 0.05 * d ? x : undefined;
      },
      30_000,
    );
    near(scrubbed.currentTime, 0.8 * d, 0.05 * d, 'video time after the click');

    await ctx.inspector.click('play-gt');
    const playing = await waitFor(
      'the video playing inside the GT span',
      async () => {
        const x = await ctx.inspector.snapshot();
        return x.currentTime > want.gt![0] + 0.2 && x.currentTime <= want.gt![1] + 0.3 ? x : undefined;
      },
      30_000,
    );
    assert.ok(playing.playheadTime! >= want.gt![0], `playhead ${playing.playheadTime} follows playback`);
    // Leave the video paused at the GT start for what follows (Play GT would otherwise still be playing).
    await ctx.inspector.pause();
    await ctx.inspector.click('jump-gt-start');
  });

  test('both spans are drawn on the timeline where their times fall', async () => {
    await ctx.inspector.waitForQuery(E6DLK_QUERY);
    const want = expectedSample(ctx.s.workspace, 'hi_vtg_charades.json', 'E6DLK.mp4', E6DLK_QUERY);
    // The spans carry their times (seconds) as the data gives them…
    assert.deepEqual(await ctx.inspector.spanTimes('gt-span'), want.gt);
    assert.deepEqual(await ctx.inspector.spanTimes('pred-span'), want.pred);
    // …and are drawn where those times fall.
    const snap = await ctx.inspector.snapshot();
    assert.ok(snap.timeline && snap.timeline.width > 50, 'the timeline has a width');
    for (const [name, box, span] of [
      ['GT', snap.gtSpan, want.gt],
      ['predicted', snap.predSpan, want.pred],
    ] as const) {
      assert.ok(box && box.width > 0, `${name} span drawn`);
      assert.ok(span);
      // Position along the timeline, against the video's own duration (or the annotation's).
      const d = Number.isFinite(snap.duration) && snap.duration > 0 ? snap.duration : want.duration;
      const tol = snap.timeline!.width * 0.03 + 2;
      near(box.left - snap.timeline!.left, (span[0] / d) * snap.timeline!.width, tol, `${name} span start (px)`);
      near(box.width, ((span[1] - span[0]) / d) * snap.timeline!.width, tol, `${name} span width (px)`);
    }
  });

  test('the timeline keys work in the inspector, and typing g elsewhere still types a g', async () => {
    await ctx.inspector.waitForQuery(E6DLK_QUERY);
    await ctx.inspector.waitPlayable(60_000);
    const want = expectedSample(ctx.s.workspace, 'hi_vtg_charades.json', 'E6DLK.mp4', E6DLK_QUERY);
    // Every step below moves the playhead from where the last one left it: start paused.
    await ctx.inspector.pause();
    const playheadAt = (what: string, t: number) =>
      waitFor(
        what,
        async () => {
          const x = await ctx.inspector.snapshot();
          return x.playheadTime !== null && Math.abs(x.playheadTime - t) < 0.05;
        },
        30_000,
      );
    await ctx.inspector.click('jump-gt-start');
    await playheadAt('the playhead at the GT start', want.gt![0]);
    // The keys of CONTRACT.md, each pressed once the inspector's page has the focus.
    const edges = [...want.gt!, ...want.pred!].sort((a, b) => a - b);
    const next = edges.find((e) => e > want.gt![0] + 0.05)!;
    await ctx.inspector.press(']');
    await playheadAt(`"]" to the next span edge (${next} s)`, next);
    await ctx.inspector.press('[');
    await playheadAt(`"[" back to ${want.gt![0]} s`, want.gt![0]);
    await ctx.inspector.press('j');
    await playheadAt('"j" 5 s back', Math.max(0, want.gt![0] - 5));
    await ctx.inspector.press('l');
    await waitFor('"l" plays', async () => !(await ctx.inspector.playState()).paused, 30_000);
    await ctx.inspector.press('k');
    await waitFor('"k" pauses', async () => (await ctx.inspector.playState()).paused, 30_000);
    await ctx.inspector.press('g');
    await playheadAt('"g" to the GT start', want.gt![0]);

    // The GT-start key belongs to the inspector's page: with the inspector the active editor,
    // a g typed into another part of the workbench (here the Problems filter) is a g.
    await ctx.s.workbench.runCommand('Problems: Focus on Problems View');
    const filter = ctx.s.page.locator('.viewpane-filter input[aria-label="Filter Problems"]').first();
    await filter.waitFor({ timeout: 30_000 });
    await filter.click();
    await waitFor('the Problems filter focused', () => filter.evaluate((el) => el === document.activeElement));
    await ctx.s.page.keyboard.type('gag');
    assert.equal(await filter.inputValue(), 'gag');
    await filter.fill('');
    await ctx.s.workbench.runCommand('View: Hide Panel');
  });
}

/**
 * End to end: training curves and rollouts in code-server + Debian Chromium. A job's mirrored
 * log (`.rarft/jobs/<id>/stdout.log`, as the remote-jobs side writes it) is opened with "RA-RFT:
 * Show Training Curves…"; lines appended to the file add points to the chart; after a window
 * reload the page comes back on the same log and keeps growing; a NaN loss raises a
 * notification; the rollouts page shows the groups with spans against the workspace's GT.
 * Prints the append-to-screen latency beside its 1 s target (not asserted).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexText } from '../../src/core/dataset/indexer';
import { queryTextIndex } from '../../src/core/logs/groundTruth';
import { missingPrerequisite, startSession, waitFor, type Session } from './support/session';
import { STEP_MS } from './pages/workbench';
import { CurvesView, RolloutsView } from './pages/curves';

const skip = missingPrerequisite();
const LOG = '.rarft/jobs/job-e2e/stdout.log';

const dict = (step: number, loss: number | string) =>
  `{'loss': ${loss}, 'grad_norm': nan, 'learning_rate': 1e-06, 'reward': ${(1 + step / 10).toFixed(2)}, ` +
  `'reward_std': 0.5, 'kl': None, 'epoch': ${(step / 100).toFixed(2)}}\n`;

/** A group block as the RA-RFT trainer prints it (DEBUG_MODE reward lines). */
const block = (query: string, answers: string[], format: number[]) =>
  [
    `Query: ${query}`,
    'Task Type: answerable',
    `Generated Completions (${answers.length}):`,
    ...answers.map((a, i) => `  [${i}] ${a}`),
    `reward_format: [${format.map((x) => x.toFixed(1)).join(', ')}]`,
    '',
  ].join('\n');

describe('training curves', { skip, timeout: 15 * 60_000 }, () => {
  let s: Session;
  let curves: CurvesView;
  let rollouts: RolloutsView;
  let logPath: string;
  let query = '';
  let gtSpan: [number, number] = [0, 0];
  const figures: string[] = [];

  before(async () => {
    s = await startSession('curves');
    curves = new CurvesView(s.page);
    rollouts = new RolloutsView(s.page);
    s.page.on('dialog', (d) => void (d.type() === 'beforeunload' ? d.accept() : d.dismiss()));
    // An answerable query whose text is unique in the workspace's annotations: its GT is drawn.
    const data = join(s.workspace, 'data');
    const files = readdirSync(data)
      .filter((f) => f.endsWith('.json'))
      .map((f) => indexText(join(data, f), readFileSync(join(data, f), 'utf8')));
    const byText = queryTextIndex(files);
    for (const [q, list] of byText)
      if (list.length === 1 && list[0].span && list[0].answerable) {
        query = q;
        gtSpan = list[0].span;
        break;
      }
    assert.ok(query, 'a unique answerable query in the sample annotations');
    logPath = join(s.workspace, LOG);
    mkdirSync(join(s.workspace, '.rarft/jobs/job-e2e'), { recursive: true });
    const inside = `<think>t</think> <answer>${gtSpan[0]} to ${gtSpan[1]}</answer> <correction>NIL</correction>`;
    writeFileSync(
      logPath,
      'INFO starting training\n' +
        block(query, [inside, '<answer>0.0 to 1.0</answer>', 'no such moment'], [1, 1, 0]) +
        block('a query that is in no annotation file', ['1 to 2', '1 to 2'], [1, 1]) +
        dict(1, 0.5) +
        dict(2, 0.4) +
        '\r 10%|#         | 2/20 [00:20<03:00, 10.00s/it]' +
        dict(3, 0.3),
    );
  });

  after(async () => {
    if (figures.length) console.log(figures.map((f) => `# ${f}`).join('\n'));
    await s?.close();
  });

  test('"Show Training Curves…" on a job\'s mirrored log draws its steps', async () => {
    // The extension's contributions are in once its activity-bar item and status item are shown.
    await s.workbench.activityItem('RA-RFT').waitFor({ timeout: 90_000 });
    await s.workbench.statusItem('RA-RFT').waitFor({ timeout: 90_000 });
    // The palette row by its visible label (titles ending in an ellipsis).
    const palette = await s.workbench.openPalette();
    await palette.fill('>RA-RFT: Show Training Curves');
    const command = s.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'RA-RFT: Show Training Curves' })
      .first();
    await command.waitFor({ timeout: STEP_MS }).catch(async (e) => {
      await s.screenshot('curves-palette');
      throw e;
    });
    await command.click();
    const input = s.workbench.quickInput;
    await waitFor('the log quick pick', async () => !(await input.inputValue()).startsWith('>'), STEP_MS);
    await input.fill(LOG);
    const row = s.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: s.page.locator('.label-name', { hasText: LOG }) })
      .first();
    await row.waitFor({ timeout: STEP_MS });
    await row.click();
    await curves.tab('Training Curves:').waitFor({ timeout: STEP_MS });
    const snap = await curves.waitForPoints('loss', 3, 60_000);
    assert.equal(snap.steps, 3);
    assert.equal(snap.lastStep, 3);
    // grad_norm is nan and kl None at every step: no points, but the reward chart has all three.
    assert.equal(snap.points.reward, 6, 'reward and reward_std, 3 points each');
    assert.match(snap.status, /3 steps .* 2 groups logged, 1 with zero variance/);
    assert.match(snap.progress, /2\/20/);
    assert.deepEqual(snap.alerts, []);
    await s.screenshot('curves-open');
  });

  test('lines appended to the log add points to the chart (latency printed)', async () => {
    const t0 = Date.now();
    appendFileSync(logPath, dict(4, 0.25));
    await curves.waitForPoints('loss', 4);
    figures.push(`curves: appended log line on screen in ${Date.now() - t0} ms (target < 1000 ms)`);
    // A partial line waits for its newline, then counts.
    const line = dict(5, 0.2);
    appendFileSync(logPath, line.slice(0, 20));
    appendFileSync(logPath, line.slice(20));
    appendFileSync(logPath, dict(6, 0.15));
    const snap = await curves.waitForPoints('loss', 6);
    assert.equal(snap.lastStep, 6);
  });

  test('after a reload of the window the curves come back on the same log and still grow', async () => {
    const loaded = s.page.waitForEvent('load', { timeout: 120_000 });
    await s.workbench.runCommand('Developer: Reload Window');
    await loaded;
    curves.forget();
    await s.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await curves.tab('Training Curves:').waitFor({ timeout: 60_000 });
    await curves.waitForPoints('loss', 6, 90_000);
    appendFileSync(logPath, dict(7, 0.1));
    const snap = await curves.waitForPoints('loss', 7);
    assert.equal(snap.steps, 7);
    await s.screenshot('curves-after-reload');
  });

  test('a NaN loss shows an alert in the page and as a notification', async () => {
    appendFileSync(logPath, dict(8, 'nan'));
    const snap = await waitFor(
      'the NaN alert in the page',
      async () => {
        const c = await curves.snapshot();
        return c.steps === 8 && c.alerts.length ? c : undefined;
      },
      STEP_MS,
    );
    assert.match(snap.alerts[0], /loss became NaN at step 8 \(last finite at step 7\)/);
    assert.equal(snap.points.loss, 7, 'the NaN step is a gap, not a point');
    await waitFor(
      'the NaN notification',
      async () => (await s.workbench.notifications()).some((t) => /loss became NaN at step 8/.test(t)),
      STEP_MS,
    );
  });

  test('rollouts: groups with completions, the zero-variance group tagged, spans against the GT by query text', async () => {
    await curves.click('open-rollouts');
    await rollouts.tab('Rollouts:').waitFor({ timeout: STEP_MS });
    const snap = await waitFor(
      'two groups on the rollouts page',
      async () => {
        const r = await rollouts.snapshot();
        return r.groups.length === 2 ? r : undefined;
      },
      60_000,
    );
    // Newest first.
    const [unknown, known] = snap.groups;
    assert.equal(known.query, query);
    assert.equal(known.completions, 3);
    assert.equal(known.zero, false);
    assert.equal(known.tagged, false);
    assert.equal(known.gtSpans, 3, 'the GT drawn on every completion');
    assert.equal(known.predSpans, 2);
    assert.match(known.gt, new RegExp(`GT ${gtSpan[0]} to ${gtSpan[1]} s`));
    assert.equal(unknown.zero, true);
    assert.equal(unknown.tagged, true);
    assert.match(unknown.gt, /no annotation query in the workspace has this text/);
    await s.screenshot('rollouts');
  });
});

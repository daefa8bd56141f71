import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeItems } from '../../../src/core/eval/evaluate';
import { offlineJudge, type Judge } from '../../../src/core/eval/judge';
import { computeMetrics } from '../../../src/core/eval/metrics';
import { InvalidItemsError, runEvaluation, type EvaluationProgress } from '../../../src/core/eval/run';
import { referencePath, tempDir, text } from '../../support/fixtures';

const load = (name: string): Record<string, unknown>[] => JSON.parse(readFileSync(referencePath(name), 'utf8'));

function writeItems(items: unknown[]): string {
  const file = join(tempDir(), 'items.json');
  writeFileSync(file, text(items));
  return file;
}

test('runEvaluation: the same metrics as judging and aggregating by hand, rows, report and typed progress', async () => {
  const items = load('charades.offline.items.json').slice(0, 300);
  const file = writeItems(items);
  const events: EvaluationProgress[] = [];
  const r = await runEvaluation({ input: file, judge: { judge: offlineJudge } }, undefined, (p) => events.push(p));
  const byHand = computeMetrics(await judgeItems(items, { judge: offlineJudge }));
  assert.deepEqual(r.metrics, byHand);
  assert.equal(r.rows().length, 300);
  assert.equal(r.rows()[0].video, items[0].video);
  assert.equal(r.report.items, 300);
  assert.equal(r.report.judged, 300);
  assert.equal(r.report.failedItems, 0);
  assert.deepEqual(
    [...new Set(events.map((e) => e.phase))],
    ['read', 'parse', 'validate', 'judge', 'aggregate'],
    'phases in order',
  );
  const judged = events.filter((e) => e.phase === 'judge');
  assert.equal(judged.at(-1)!.done, 300);
  assert.ok(judged.every((e) => e.total === 300));
});

test('runEvaluation: invalid items stop the run before judging, with positions; skipInvalid leaves them out', async () => {
  const items = load('charades.offline.items.json').slice(0, 10);
  items[3] = { ...items[3], gt_relevant: 'false' };
  items[5] = { ...items[5], model_output: null };
  const file = writeItems(items);
  let asked = 0;
  // A judge that asks someone (not local): validation must stop the run before its first question.
  const counting: Judge = { ...offlineJudge, local: false, relevance: (i) => (asked++, offlineJudge.relevance(i)) };
  await assert.rejects(runEvaluation({ input: file, judge: { judge: counting } }), (e: unknown) => {
    assert.ok(e instanceof InvalidItemsError);
    assert.deepEqual(
      e.problems.map((p) => [p.code, p.path?.[0]]),
      [
        ['wrong-type', 3],
        ['wrong-type', 5],
      ],
    );
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.match(lines[e.problems[0].line - 1].slice(e.problems[0].column - 1), /^"false"/);
    return true;
  });
  assert.equal(asked, 0, 'nothing judged');
  const r = await runEvaluation({ input: file, judge: { judge: counting }, skipInvalid: true });
  assert.equal(r.report.items, 10);
  assert.equal(r.report.judged, 8);
  assert.equal(r.report.invalid.length, 2);
  assert.equal(r.metrics.evaluation.items_invalid, 2);
});

test('runEvaluation: a local judge judges in the validation pass, with the results of a separate pass', async () => {
  const cached = load('charades.items.json');
  const offline = load('charades.offline.items.json');
  const separate: Judge = { ...offlineJudge, local: false };
  const broken = offline.slice(0, 50);
  broken[7] = { ...broken[7], gt_timestamp: [5, 2] };
  // Clean runs (cached judgments, none), and one whose invalid item is left out (the pass's work is then redone).
  for (const [items, skipInvalid] of [
    [cached, false],
    [offline, false],
    [broken, true],
  ] as const) {
    const file = writeItems(items);
    let asked = 0;
    const local: Judge = { ...offlineJudge, relevance: (i) => (asked++, offlineJudge.relevance(i)) };
    const a = await runEvaluation({ input: file, judge: { judge: local }, skipInvalid });
    const b = await runEvaluation({ input: file, judge: { judge: separate }, skipInvalid });
    assert.deepEqual(a.metrics, b.metrics);
    assert.deepEqual(a.rows(), b.rows());
    assert.deepEqual(a.report, b.report);
    if (items === offline) assert.equal(asked, offline.length, 'each item asked once');
    if (items === broken) assert.equal(a.report.judged, 49);
  }
});

test('judgeItems: an asynchronous judge has at most `concurrency` items in flight (p-limit), all judged in order', async () => {
  const items = load('charades.offline.items.json').slice(0, 120);
  let inFlight = 0;
  let peak = 0;
  const slow: Judge = {
    ...offlineJudge,
    name: 'slow',
    async relevance(input) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return offlineJudge.relevance(input) as never;
    },
  };
  const got = await judgeItems(items, { judge: slow, concurrency: 7 });
  const want = await judgeItems(items, { judge: offlineJudge });
  assert.deepEqual(got, want);
  assert.equal(peak, 7);
});

test('judgeItems: an abort stops the queued items and rejects with AbortError', async () => {
  const items = load('charades.offline.items.json').slice(0, 200);
  const controller = new AbortController();
  let started = 0;
  const slow: Judge = {
    ...offlineJudge,
    async relevance(input) {
      if (++started === 10) controller.abort();
      await new Promise((r) => setImmediate(r));
      return offlineJudge.relevance(input) as never;
    },
  };
  await assert.rejects(judgeItems(items, { judge: slow, concurrency: 4, signal: controller.signal }), {
    name: 'AbortError',
  });
  assert.ok(started < 20, `${started} items started after the abort`);
});

test('metrics: items without a level get an `unknown` row; figures with nothing behind them are listed', async () => {
  const items = load('charades.offline.items.json').slice(0, 50);
  for (const it of items.slice(0, 5)) {
    delete it.hardness_level;
    delete it.irrelevance_level;
    delete it.difficulty;
  }
  const m = computeMetrics(await judgeItems(items, { judge: offlineJudge }));
  const unknown = m.hardness_level_analysis.metrics_by_hardness_level.unknown;
  assert.equal(unknown.total, 5);
  assert.equal(m.hardness_level_analysis.items_without_level, 5);
  const figures = m.evaluation.not_computed.figures;
  assert.ok(figures.includes('RT-IoU'), 'offline RT-IoU rests on no category judgment');
  assert.ok(figures.includes('irrelevant_samples.mean_reasoning_score'));
  assert.ok(!figures.includes('RA-IoU'));
  const empty = computeMetrics([]);
  assert.ok(empty.evaluation.not_computed.figures.includes('relevance'));
  assert.ok(!('unknown' in empty.hardness_level_analysis.metrics_by_hardness_level));
});

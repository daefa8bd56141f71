import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { itemWithJudgment, judgeItems } from '../../../src/core/eval/evaluate';
import { offlineJudge } from '../../../src/core/eval/judge';
import { computeMetrics } from '../../../src/core/eval/metrics';
import { referencePath, tempDir } from '../../support/fixtures';

function load(name: string): Record<string, unknown>[] {
  return JSON.parse(readFileSync(referencePath(name), 'utf8'));
}

/** Runs the reference comparison script; returns its exit code and output. */
function compare(expected: string, actual: unknown, offline: boolean): { status: number | null; out: string } {
  const dir = tempDir();
  const file = join(dir, 'actual.metrics.json');
  writeFileSync(file, JSON.stringify(actual));
  const args = [referencePath('compare.py'), referencePath(expected), file, ...(offline ? ['--offline'] : [])];
  const r = spawnSync('python3', args, { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('cached judgments: metrics equal the reference on every leaf', async () => {
  const items = load('charades.items.json');
  const judgments = await judgeItems(items, { judge: offlineJudge });
  const metrics = computeMetrics(judgments);
  const r = compare('charades.metrics.json', metrics, false);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /(\d+)\/\1 leaves agree/);
});

test('offline rule judge: metrics equal the reference offline run', async () => {
  const items = load('charades.offline.items.json');
  const judgments = await judgeItems(items, { judge: offlineJudge });
  const metrics = computeMetrics(judgments);
  const r = compare('charades.offline.metrics.json', metrics, true);
  assert.equal(r.status, 0, r.out);
  // Reasoning and SBERT are not computed offline: null and counted, never 0.
  assert.equal(metrics.irrelevant_samples.mean_reasoning_score, null);
  assert.equal(metrics.true_negative_samples.mean_sbert_similarity, null);
  assert.equal(metrics.evaluation.not_computed.items_by_reason['sbert: no sentence model (pass --sbert DIR)'], 1097);
});

test('a wrong number is caught by the comparison (the parity check can fail)', async () => {
  const items = load('charades.items.json');
  items[0].iou = 0.99;
  const metrics = computeMetrics(await judgeItems(items, { judge: offlineJudge }));
  const r = compare('charades.metrics.json', metrics, false);
  assert.equal(r.status, 1);
  assert.match(r.out, /RA-IoU\/mean_all/);
});

test('items output keeps every input key and adds the judgments', async () => {
  const items = load('charades.offline.items.json').slice(0, 40);
  const judgments = await judgeItems(items, { judge: offlineJudge });
  items.forEach((it, i) => {
    const out = itemWithJudgment(it, judgments[i]);
    for (const k of Object.keys(it)) assert.deepEqual(out[k], it[k]);
    assert.equal(typeof out.classification_correct, 'boolean');
    assert.equal(typeof out.iou, 'number');
    if (!it.gt_relevant) {
      assert.ok(Array.isArray(out.pred_categories));
      assert.equal(typeof out.category_jaccard, 'number');
    }
  });
});

test('where the reference crashes: empty GT answer on a refusable item, missing fields', async () => {
  const items = load('charades.items.json')
    .slice(0, 6)
    .map((x) => ({ ...x }));
  const refusable = items.findIndex((x) => !x.gt_relevant);
  items[refusable].gt_output = '';
  delete items[refusable].reasoning_score;
  delete items[refusable].sbert_similarity;
  items.push({ video: 'v.mp4', query: 'q' }); // no model_output, no gt_relevant: judged as refusable
  const judgments = await judgeItems(items, { judge: offlineJudge });
  const m = computeMetrics(judgments);
  assert.equal(m.num_items, 7);
  assert.equal(judgments[refusable].reasoningScore, null);
  assert.equal(judgments[refusable].sbert, null);
  assert.ok(judgments[refusable].jaccard !== null, 'Jaccard is still computed');
  assert.equal(m.evaluation.not_computed.items_by_reason['reasoning: the item has no GT answer to compare with'], 2);
  const known = judgments.filter((j) => !j.gtRelevant && j.reasoningScore !== null).length;
  assert.equal(m.irrelevant_samples.scored_count, known);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf } from '../../../src/core/buckets';
import { judgeItem } from '../../../src/core/eval/evaluate';
import { offlineJudge } from '../../../src/core/eval/judge';

const good = (answer: string, correction = 'NIL') =>
  `<think>\n<timestep>1 to 3</timestep> a person walks.\n</think>\n<answer>${answer}</answer>\n<correction>${correction}</correction>`;

async function bucket(output: string, gtRelevant: boolean, gt: [number, number] | null) {
  const item = { video: 'v', query: 'q', model_output: output, gt_relevant: gtRelevant, gt_timestamp: gt };
  return bucketOf(output, await judgeItem(item, { judge: offlineJudge }));
}

test('each bucket from real offline judgments', async () => {
  assert.equal(await bucket(good('9.3 to 14.4'), true, [9.3, 14.4]), 'correct');
  assert.equal(await bucket(good('The video never shows that.', 'a person walks'), true, [9.3, 14.4]), 'false-refusal');
  assert.equal(await bucket(good('2.0 to 5.0'), false, null), 'span-on-irrelevant');
  assert.equal(await bucket(good('0.0 to 9.0'), true, [9.3, 14.4]), 'iou-below-0.3'); // IoU 0
  assert.equal(await bucket(good('9.3 to 20.0'), true, [9.3, 14.4]), 'iou-below-0.5'); // 5.1/10.7 ≈ 0.48
  assert.equal(await bucket('<answer>9.3 to 14.4</answer>', true, [9.3, 14.4]), 'broken-format');
  assert.equal(await bucket('<think>a person sits and then', true, [9.3, 14.4]), 'truncated');
  assert.equal(
    await bucket(good('No such segment: the person runs, not walks.', 'person runs'), false, null),
    'correct',
  );
});

test('cached judgments decide the bucket (an IoU from an evaluation file)', async () => {
  const out = good('9.3 to 14.4');
  const item = {
    video: 'v',
    query: 'q',
    model_output: out,
    gt_relevant: true,
    gt_timestamp: [9.3, 14.4],
    classification_correct: true,
    iou: 0.42,
  };
  assert.equal(bucketOf(out, await judgeItem(item, { judge: offlineJudge })), 'iou-below-0.5');
  assert.equal(bucketOf(out, { gtRelevant: true, predRelevant: null, iou: null }), 'unjudged');
});

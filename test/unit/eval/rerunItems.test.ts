import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { itemWithJudgment, judgeItems } from '../../../src/core/eval/evaluate';
import { offlineJudge, type Judge } from '../../../src/core/eval/judge';
import { referencePath } from '../../support/fixtures';

test('rerunning an items file: errors and "not computed" notes of the earlier run are replaced by this run\'s, not kept', async () => {
  const items = (
    JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')) as Record<string, unknown>[]
  ).slice(0, 40);
  const failing: Judge = {
    ...offlineJudge,
    name: 'failing',
    reasoning: () => ({ status: 'error', error: 'HTTP 500: boom' }),
  };
  const first = (await judgeItems(items, { judge: failing })).map((j, i) => itemWithJudgment(items[i], j));
  const refusable = first.filter((it) => it.gt_relevant === false);
  assert.ok(refusable.length > 0 && refusable.every((it) => Array.isArray(it.judge_errors)));
  const working: Judge = { ...offlineJudge, name: 'working', reasoning: () => ({ status: 'ok', value: 3 }) };
  const similarity = () => 0.5;
  const second = (await judgeItems(first, { judge: working, similarity })).map((j, i) => itemWithJudgment(first[i], j));
  for (const it of second.filter((x) => x.gt_relevant === false)) {
    assert.equal(it.reasoning_score, 3);
    assert.equal(it.judge_errors, undefined, JSON.stringify(it.judge_errors));
    assert.equal(it.not_computed, undefined, JSON.stringify(it.not_computed));
  }
});

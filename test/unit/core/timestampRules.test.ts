import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findTimestamp,
  firstTimestamp,
  isOnlyTimestamp,
  parseOutput,
  rewardTimestamp,
  withoutAnswerTags,
} from '../../../src/core/text';
import { isCanonicalAnswer } from '../../../src/core/judge/hybrid';
import { shardNumber } from '../../../src/core/dataset/model';

test('one timestamp rule: the evaluator matches lower-case "to", the reward any case', () => {
  assert.deepEqual(firstTimestamp('from 3.5 to 7 s'), [3.5, 7]);
  assert.equal(firstTimestamp('3.5 TO 7'), null);
  assert.deepEqual(rewardTimestamp('3.5 TO 7'), [3.5, 7]);
  const m = findTimestamp('x 12.30  to 40.')!;
  assert.deepEqual(m.span, [12.3, 40]);
  assert.equal(m.index, 2);
  assert.equal(m.startText + m.separator + m.endText, '12.30  to 40.');
});

test('a canonical answer is one timestamp and nothing else; hybrid uses the same rule', () => {
  assert.ok(isOnlyTimestamp(' 1 to 2 '));
  assert.ok(!isOnlyTimestamp('1 to 2 s'));
  assert.equal(isCanonicalAnswer('10.64 to 18.12'), true);
  assert.equal(isCanonicalAnswer('about 10.64 to 18.12'), false);
});

test('timesteps in a think block use the same number rule', () => {
  const p = parseOutput('<think><timestep>1.5 To 2.</timestep> a man\n</think><answer>x</answer>');
  assert.deepEqual(p.timesteps, [{ start: 1.5, end: 2, caption: 'a man' }]);
});

test('answer tags are removed in any case and spacing', () => {
  assert.equal(withoutAnswerTags('< Answer x="1"> </ answer >'), ' ');
});

test('shard names: decimal numbers only', () => {
  assert.equal(shardNumber('inference_results_gpu01.json'), 1);
  assert.equal(shardNumber('inference_results_gpu10.json'), 10);
  assert.equal(shardNumber('inference_results_gpu.json'), undefined);
  assert.equal(shardNumber('inference_results_merged.json'), undefined);
});

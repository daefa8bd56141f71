import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheKey, JudgeCache } from '../../../src/core/judge/cache';
import { PROMPT_VERSION } from '../../../src/core/judge/prompts';
import { planJudgeRequests } from '../../../src/core/report/judgePlan';
import { tempDir } from '../../support/fixtures';

const items = [
  { video: 'a', query: 'q1', gt_relevant: true, model_output: '<answer>1.0 to 2.0</answer>' },
  { video: 'a', query: 'q2', gt_relevant: true, model_output: '<answer>1.0 to 2.0</answer>' }, // same text: shared
  { video: 'b', query: 'q3', gt_relevant: true, model_output: '<answer>around the start</answer>' },
  {
    video: 'c',
    query: 'q4',
    gt_relevant: false,
    gt_output: '<answer>no bottle</answer>',
    model_output: '<think>no cup</think><answer>No.</answer>',
  },
  { video: 'd', query: 'q5', gt_relevant: false, model_output: '', classification_correct: true, iou: 1 }, // cached
];

test('the request plan counts distinct judgments not cached in the items or the reply cache', async () => {
  const dir = tempDir();
  const o = { baseUrl: 'http://127.0.0.1:9/v1', model: 'm', cacheDir: dir };
  const cold = await planJudgeRequests(items, o);
  assert.deepEqual(cold.relevance, { requests: 3, cached: 0 });
  assert.deepEqual(cold.categories, { requests: 1, cached: 0 });
  assert.deepEqual(cold.reasoning, { requests: 1, cached: 0 });
  // Hybrid: the plain "X to Y" answer is decided by the rule.
  assert.equal((await planJudgeRequests(items, { ...o, hybrid: true })).relevance.requests, 2);
  // A reply in the cache is not asked again.
  const key = cacheKey({ ...o, step: 'relevance', promptVersion: PROMPT_VERSION, inputs: ['around the start'] });
  await new JudgeCache(dir).put(key, {
    content: '{"classification": "irrelevant", "span": null}',
    usage: { prompt_tokens: 1, completion_tokens: 1 },
    step: 'relevance',
    model: 'm',
    promptVersion: PROMPT_VERSION,
    at: new Date().toISOString(),
  });
  assert.deepEqual((await planJudgeRequests(items, o)).relevance, { requests: 2, cached: 1 });
});

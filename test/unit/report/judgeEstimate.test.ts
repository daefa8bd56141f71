import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKey, JudgeCache } from '../../../src/core/judge/cache';
import { PROMPT_VERSION, RESPONSE_FORMATS, relevanceMessages } from '../../../src/core/judge/prompts';
import { estimateJudgeCost, planMessage } from '../../../src/core/report/judgeEstimate';
import { planJudgeRequests } from '../../../src/core/report/judgePlan';
import { rarft } from '../../support/cli';
import { tempDir, text } from '../../support/fixtures';

const answers = ['around the start of the video', 'near the end, when the door opens', 'the person never sits down'];
const items = answers.map((a, i) => ({
  video: `v${i}.mp4`,
  query: `q${i}`,
  gt_relevant: true,
  model_output: `<think>looking</think><answer>${a}</answer>`,
}));
const o = { baseUrl: 'http://127.0.0.1:9/v1', model: 'm' };
// What one step-1 request sends, counted here from its parts: system prompt, answer, schema.
const system = relevanceMessages('')[0].content.length;
const schema = JSON.stringify(RESPONSE_FORMATS.relevance).length;
const charsOf = (a: string) => system + a.length + schema;

test('the plan counts the prompt characters of the requests it will send, cached replies left out', async () => {
  const dir = tempDir();
  const cold = await planJudgeRequests(items, { ...o, cacheDir: dir });
  assert.equal(
    cold.promptChars.relevance,
    answers.reduce((n, a) => n + charsOf(a), 0),
  );
  assert.equal(cold.promptChars.categories, 0);
  const key = cacheKey({ ...o, step: 'relevance', promptVersion: PROMPT_VERSION, inputs: [answers[1]] });
  await new JudgeCache(dir).put(key, {
    content: '{"classification": "relevant", "span": [1, 2]}',
    usage: { prompt_tokens: 1, completion_tokens: 1 },
    step: 'relevance',
    model: 'm',
    promptVersion: PROMPT_VERSION,
    at: new Date().toISOString(),
  });
  const warm = await planJudgeRequests(items, { ...o, cacheDir: dir });
  assert.equal(warm.relevance.requests, 2);
  assert.equal(warm.promptChars.relevance, charsOf(answers[0]) + charsOf(answers[2]));
});

test('the estimate: prompt tokens from length (4 characters a token, 8 for framing), cost at the price', async () => {
  const plan = await planJudgeRequests(items, o);
  const e = estimateJudgeCost(plan, { input: 2.5, output: 10 });
  const prompt = Math.ceil(plan.promptChars.relevance / 4) + 3 * 8;
  assert.equal(e.relevance.prompt, prompt);
  assert.ok(e.relevance.completion > 0 && e.relevance.completion % 3 === 0, 'a typical reply per request');
  assert.deepEqual(e.later, { prompt: 0, completion: 0 });
  assert.ok(e.cost);
  assert.ok(Math.abs(e.cost.relevance - (prompt * 2.5 + e.relevance.completion * 10) / 1e6) < 1e-15);
  assert.equal(e.cost.atMost, e.cost.relevance);
  assert.equal(estimateJudgeCost(plan).cost, undefined, 'no price, no cost');
  const msg = planMessage(plan, { ...o, price: { input: 2.5, output: 10 } });
  assert.match(msg, /sends 3 requests for relevance \(0 cached\)/);
  assert.ok(msg.includes(`a token): ${prompt.toLocaleString('en-US')} prompt + `), msg);
  assert.match(
    msg,
    /Estimated cost at \$2\.5 \/ \$10 per million prompt \/ completion tokens: \$0\.\d{4} for relevance/,
  );
  assert.doesNotMatch(planMessage(plan, o), /cost/);
});

test('rarft evaluate --dry-run: the plan, estimate and cost; nothing judged or written; --json', () => {
  const dir = tempDir();
  const input = join(dir, 'run.json');
  writeFileSync(input, text(items));
  const out = join(dir, 'metrics.json');
  const args = ['evaluate', input, '--out', out, '--dry-run', '--judge', 'llm', '--model', 'm'];
  const judge = ['--base-url', o.baseUrl, '--cache-dir', join(dir, 'cache'), '--price', '2.5,10'];
  const r = rarft([...args, ...judge]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /judging 3 items with m at http:\/\/127\.0\.0\.1:9\/v1 sends 3 requests for relevance \(0 cached\)/,
  );
  assert.match(r.stdout, /Estimated cost at \$2\.5 \/ \$10/);
  assert.match(r.stdout, /nothing judged or written/);
  assert.equal(existsSync(out), false);
  const j = JSON.parse(rarft([...args, ...judge, '--json']).stdout);
  assert.deepEqual(j.relevance, { requests: 3, cached: 0 });
  assert.ok(j.estimate.cost.atMost > 0);
  const offline = rarft(['evaluate', input, '--dry-run']);
  assert.equal(offline.status, 0, offline.stderr);
  assert.match(offline.stdout, /the offline judge sends no requests/);
  assert.equal(rarft(['evaluate', input, '--out', out, '--json']).status, 2, '--json only with --dry-run');
});

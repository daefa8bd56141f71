// When the server answers step 1 by the rule of FORMATS.md §3, the LLM-judged relevance
// metrics equal the offline ones exactly on the shared reference run; the hybrid judge's
// metrics equal the LLM judge's while sending fewer requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { judgeItems } from '../../../src/core/eval/evaluate';
import { offlineJudge, type Judge } from '../../../src/core/eval/judge';
import { computeMetrics } from '../../../src/core/eval/metrics';
import { HybridJudge } from '../../../src/core/judge/hybrid';
import { LlmJudge } from '../../../src/core/judge/llmJudge';
import { answerText, firstTimestamp } from '../../../src/core/text';
import { startOpenAiServer } from '../../support/openaiServer';
import { referencePath, tempDir } from '../../support/fixtures';

const items = (): Record<string, unknown>[] =>
  JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8'));

async function run(judge: Judge, disagreements = true) {
  const judgments = await judgeItems(items(), { judge, concurrency: 64, disagreements });
  return { judgments, metrics: computeMetrics(judgments, { judge: judge.name }) };
}

/** The figures step 1 alone decides. */
function relevanceFigures(m: ReturnType<typeof computeMetrics>) {
  const levels = m.hardness_level_analysis.metrics_by_hardness_level as Record<string, Record<string, unknown>>;
  return {
    num_items: m.num_items,
    relevance: m.relevance,
    'RA-IoU': m['RA-IoU'],
    hardness: Object.fromEntries(
      Object.entries(levels).map(([k, v]) => [
        k,
        {
          accuracy: v.accuracy,
          precision: v.precision,
          recall: v.recall,
          f1: v.f1,
          confusion: v.confusion,
          total: v.total,
          'RA-IoU': v['RA-IoU'],
        },
      ]),
    ),
    categories: m.category_irrelevant_classification,
  };
}

/** Drops every key named `name` anywhere in a JSON value. */
function without(v: unknown, name: string): unknown {
  if (Array.isArray(v)) return v.map((x) => without(x, name));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== name)
        .map(([k, x]) => [k, without(x, name)]),
    );
  return v;
}

test('LLM judge with a server that follows the rule: relevance, RA-IoU and hardness figures equal the offline judge exactly', async () => {
  const server = await startOpenAiServer({});
  try {
    const llm = new LlmJudge({ baseUrl: server.baseUrl, model: 'rule-model', concurrency: 16 });
    const offline = await run(offlineJudge, false);
    const judged = await run(llm);
    assert.deepEqual(relevanceFigures(judged.metrics), relevanceFigures(offline.metrics));
    assert.equal(judged.metrics.evaluation.items_excluded, 0);
    assert.deepEqual(judged.metrics.evaluation.judge_errors_by_step, {});
    assert.equal(judged.judgments.filter((j) => j.disagreement).length, 0);
    // Every LLM step ran: step 2 and 3 gave values the offline judge cannot.
    assert.ok(llm.usage.steps.relevance.requests > 1000);
    assert.ok(llm.usage.steps.categories.requests > 0 && llm.usage.steps.reasoning.requests > 0);
    assert.equal(typeof judged.metrics.true_negative_samples.mean_reasoning_score, 'number');
    assert.ok(server.peakInFlight <= 16);

    // And against the reference numbers, with the authors' own comparison script
    // (RT-IoU depends on step 2, which the offline reference did not run).
    const dir = tempDir();
    writeFileSync(
      join(dir, 'expected.json'),
      JSON.stringify(
        without(JSON.parse(readFileSync(referencePath('charades.offline.metrics.json'), 'utf8')), 'RT-IoU'),
      ),
    );
    writeFileSync(join(dir, 'actual.json'), JSON.stringify(judged.metrics));
    const r = spawnSync(
      'python3',
      [referencePath('compare.py'), join(dir, 'expected.json'), join(dir, 'actual.json'), '--offline'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^(\d+)\/\1 leaves agree/m);
  } finally {
    await server.close();
  }
});

test('a judge that differs from the rule is caught: disagreements listed, figures no longer equal', async () => {
  // A cut-off output (an unclosed think block, no answer) holds caption timestamps: the rule
  // reads the first as a span, a careful LLM sees no answer.
  const server = await startOpenAiServer({
    script: (r) =>
      r.step === 'relevance' && /<timestep>/.test(r.user)
        ? { content: '{"classification": "irrelevant", "span": null}' }
        : undefined,
  });
  try {
    const judged = await run(new LlmJudge({ baseUrl: server.baseUrl, model: 'm', concurrency: 16 }));
    const offline = await run(offlineJudge, false);
    const dis = judged.judgments.filter((j) => j.disagreement);
    const cutOff = items().filter(
      (it) =>
        /<timestep>/.test(answerText(it.model_output as string)) &&
        firstTimestamp(answerText(it.model_output as string)),
    );
    assert.ok(cutOff.length > 0);
    assert.equal(dis.length, cutOff.length);
    for (const j of dis) {
      assert.equal(j.disagreement!.offline.classification, 'relevant');
      assert.equal(j.disagreement!.judge.classification, 'irrelevant');
    }
    assert.notDeepEqual(relevanceFigures(judged.metrics).relevance, relevanceFigures(offline.metrics).relevance);
  } finally {
    await server.close();
  }
});

test('hybrid judge: the same metrics as the LLM judge, with the requests saved reported and exact', async () => {
  const server = await startOpenAiServer({});
  try {
    const llm = new LlmJudge({ baseUrl: server.baseUrl, model: 'rule-model', concurrency: 16 });
    const a = await run(llm);
    const hybrid = new HybridJudge(new LlmJudge({ baseUrl: server.baseUrl, model: 'rule-model', concurrency: 16 }));
    const b = await run(hybrid);
    assert.deepEqual(without(b.metrics, 'judge'), without(a.metrics, 'judge'));
    const saved = hybrid.saved();
    assert.ok(saved.rule_decided > 500, `rule decided ${saved.rule_decided}`);
    assert.equal(hybrid.llm.usage.steps.relevance.requests, llm.usage.steps.relevance.requests - saved.requests_saved);
    assert.equal(hybrid.llm.usage.steps.categories.requests, llm.usage.steps.categories.requests);
    assert.equal(hybrid.llm.usage.steps.reasoning.requests, llm.usage.steps.reasoning.requests);
    assert.deepEqual(hybrid.info().judge_hybrid, saved);
  } finally {
    await server.close();
  }
});

test('replies that stay malformed: errors per item and step, items left out of the metrics, never a 0', async () => {
  const bad = (text: string) => /mismatch/i.test(text);
  const server = await startOpenAiServer({
    script: (r) =>
      (r.step === 'relevance' && bad(r.user)) ||
      (r.step === 'reasoning' && /REFERENCE:\n.*\bvideo\b/s.test(r.user) && r.user.length % 2 === 0)
        ? { content: 'Hmm, hard to say.' }
        : undefined,
  });
  try {
    const llm = new LlmJudge({
      baseUrl: server.baseUrl,
      model: 'm',
      concurrency: 16,
      maxRetries: 1,
      backoff: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    const all = items();
    const judged = await run(llm);
    const step1Bad = all.filter((it) => bad(answerText(it.model_output as string)));
    assert.ok(step1Bad.length > 0);
    assert.equal(judged.metrics.evaluation.judge_errors_by_step.relevance, step1Bad.length);
    assert.equal(judged.metrics.evaluation.items_excluded, step1Bad.length);
    assert.equal(judged.metrics.num_items, all.length - step1Bad.length);
    // The rest is judged exactly as the rule would, as if the failed items were not there.
    const rest = all.filter((it) => !bad(answerText(it.model_output as string)));
    const offline = computeMetrics(await judgeItems(rest, { judge: offlineJudge }));
    assert.deepEqual(relevanceFigures(judged.metrics), relevanceFigures(offline));
    // Step-3 failures: counted, and the mean is over the scored items only.
    const step3Errors = judged.judgments.filter((j) => j.errors.some((e) => e.step === 'reasoning')).length;
    assert.ok(step3Errors > 0);
    assert.equal(judged.metrics.evaluation.judge_errors_by_step.reasoning, step3Errors);
    const scored = judged.judgments.filter((j) => j.reasoningScore !== null);
    assert.equal(judged.metrics.irrelevant_samples.scored_count, scored.length);
    assert.ok(
      judged.judgments.every((j) => !j.errors.some((e) => e.step === 'reasoning') || j.reasoningScore === null),
    );
    assert.equal(
      llm.usage.steps.relevance.errors,
      step1Bad.length,
      'every judgment that shared a failed request is an error too',
    );
  } finally {
    await server.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeItems, judgeItemsInto, type ItemJudgment } from '../../../src/core/eval/evaluate';
import { offlineJudge, type Judge } from '../../../src/core/eval/judge';
import { JudgmentStore } from '../../../src/core/eval/judgmentStore';
import { computeMetrics } from '../../../src/core/eval/metrics';
import { reusedJudgments } from '../../../src/core/eval/reuse';

const REF = join(__dirname, '../../fixtures/reference');
const items = (name: string) => JSON.parse(readFileSync(join(REF, name), 'utf8')) as Record<string, unknown>[];

/** A judgment as JSON sees it (keys whose value is undefined dropped). */
const plain = (j: ItemJudgment) => JSON.parse(JSON.stringify(j));

test('a stored judgment comes back as it went in, every field of every kind', () => {
  const judgments: ItemJudgment[] = [
    {
      gtRelevant: true,
      predRelevant: true,
      predSpan: [1.5, 4],
      iou: 0.25,
      predCategories: null,
      jaccard: null,
      reasoningScore: null,
      sbert: null,
      level: 'original',
      gtCategories: [],
      errors: [],
      notComputed: [],
      reused: ['relevance'],
    },
    {
      gtRelevant: false,
      predRelevant: null,
      predSpan: null,
      iou: null,
      predCategories: null,
      jaccard: null,
      reasoningScore: null,
      sbert: null,
      gtCategories: ['Object/ObjectExistence', 'not a category'],
      errors: [{ step: 'relevance', error: 'HTTP 500' }],
      notComputed: ['sbert: no sentence model'],
    },
    {
      gtRelevant: false,
      predRelevant: false,
      predSpan: null,
      iou: 1,
      predCategories: [],
      jaccard: 0,
      reasoningScore: 0,
      sbert: 0,
      level: 'strong',
      gtCategories: ['Scene/SceneExistence'],
      errors: [],
      notComputed: [],
      categoriesUnjudged: true,
      disagreement: {
        offline: { classification: 'relevant', span: [0, 1] },
        judge: { classification: 'irrelevant', span: null },
      },
    },
    {
      gtRelevant: false,
      predRelevant: true,
      predSpan: null,
      iou: 0,
      predCategories: ['Action/ActionSequence'],
      jaccard: 0.5,
      reasoningScore: 0.7,
      sbert: 0.2381,
      level: 'weak',
      gtCategories: ['Action/ActionSequence', 'Attribute/Counting'],
      errors: [],
      notComputed: [],
      reused: ['relevance', 'categories', 'reasoning', 'sbert'],
    },
  ];
  const store = new JudgmentStore(judgments.length);
  judgments.forEach((j, i) => store.set(i, j));
  judgments.forEach((j, i) => assert.deepEqual(plain(store.get(i)), plain(j), `item ${i}`));
  assert.deepEqual(store.all().map(plain), judgments.map(plain));
  assert.equal(store.errors.size, 1);
  assert.deepEqual([...store.disagreements.keys()], [2]);
  // Zero is a value, not "missing": the figures of item 2 stay 0, item 1's stay null.
  assert.equal(store.get(2).sbert, 0);
  assert.equal(store.get(1).sbert, null);

  // Setting an item again replaces what it had, the rare fields too.
  store.set(1, { ...judgments[0] });
  assert.equal(store.errors.size, 0);
  assert.deepEqual(plain(store.get(1)), plain(judgments[0]));
});

test('judged into columns, a run has the judgments, metrics and reuse counts of the list', async () => {
  for (const name of ['charades.items.json', 'charades.offline.items.json']) {
    const run = items(name);
    const list = await judgeItems(run, { judge: offlineJudge });
    const store = await judgeItemsInto(run, { judge: offlineJudge });
    assert.deepEqual(store.all().map(plain), list.map(plain), name);
    assert.deepEqual(computeMetrics(store), computeMetrics(list), name);
    assert.deepEqual(await reusedJudgments(store), await reusedJudgments(list), name);
  }
});

test('columns keep judge errors and what was not computed, for the metrics to count', async () => {
  const run = items('charades.offline.items.json').slice(0, 40);
  let calls = 0;
  const flaky: Judge = {
    ...offlineJudge,
    name: 'flaky',
    relevance: (input, signal) => {
      if (++calls % 3 === 0) throw new Error('no reply');
      return offlineJudge.relevance(input, signal);
    },
  };
  const list = await judgeItems(run, { judge: flaky });
  calls = 0;
  const store = await judgeItemsInto(run, { judge: flaky });
  const m = computeMetrics(store);
  assert.ok(m.evaluation.judge_errors_by_step.relevance > 0, 'some items failed step 1');
  assert.equal(store.errors.size, m.evaluation.judge_errors_by_step.relevance);
  assert.deepEqual(m, computeMetrics(list));
});

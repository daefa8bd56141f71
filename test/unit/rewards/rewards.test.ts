import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TableEmbedder, type Embedder } from '../../../src/core/embed/embedder';
import {
  computeRewards,
  refuseIouReward,
  scoreCompletion,
  type RewardInput,
  type RewardNote,
  type TaskType,
} from '../../../src/core/rewards/rewards';

interface Case {
  video: string;
  query: string;
  completion: string;
  task_type: TaskType;
  solution: [number, number] | null;
  duration: number | null;
  gt_answer: string | null;
  contrast_answer: string | null;
  answerable_query: string | null;
  expected: { format: number; refuse_iou: number; explain_correction: number | null };
}
const ref = JSON.parse(
  readFileSync(new URL('../../fixtures/reference/human.rewards.json', import.meta.url), 'utf8'),
) as {
  embedding_dim: number;
  embeddings: Record<string, number[]>;
  cases: Case[];
};

const toInput = (c: Case): RewardInput => ({
  completion: c.completion,
  taskType: c.task_type,
  solution: c.solution,
  duration: c.duration,
  gtAnswer: c.gt_answer,
  contrastAnswer: c.contrast_answer,
  answerableQuery: c.answerable_query,
});

/**
 * The reference stops at explain where the GT or contrast answer has no tags, so the table has no
 * vectors for those cases' corrections: they get zero vectors here, and the test checks that
 * only such cases needed one.
 */
function tableWithGaps(missing: Set<string>): Embedder {
  const known = new Map(Object.entries(ref.embeddings));
  const zero = new Array(ref.embedding_dim).fill(0);
  return {
    id: 'table',
    embed: async (texts) => texts.map((t) => known.get(t) ?? (missing.add(t), zero)),
    close: async () => {},
  };
}

test('reproduces every reference reward with the injected embedding table (1e-9)', async () => {
  assert.ok(ref.cases.length >= 100);
  const missing = new Set<string>();
  const got = await computeRewards(ref.cases.map(toInput), tableWithGaps(missing));
  for (const t of missing) {
    const owners = ref.cases.filter((c) => c.completion.includes(t) || c.answerable_query === t);
    assert.ok(
      owners.length && owners.every((c) => c.expected.explain_correction === null),
      `a vector is missing for ${t}`,
    );
  }
  let nulls = 0;
  ref.cases.forEach((c, i) => {
    const g = got[i];
    const where = `case ${i} (${c.task_type}, ${c.query})`;
    assert.equal(g.format, c.expected.format, where);
    assert.ok(
      g.refuse_iou !== null && Math.abs(g.refuse_iou - c.expected.refuse_iou) <= 1e-9,
      `${where}: refuse_iou ${g.refuse_iou} vs ${c.expected.refuse_iou}`,
    );
    if (c.expected.explain_correction === null) {
      nulls++;
      assert.equal(g.explain_correction, null, `${where}: expected null`);
      assert.equal(g.total, null);
      assert.ok(
        g.notes.some((n) => n.reward === 'explain' && /^explain: not computable/.test(n.text)),
        `${where}: ${JSON.stringify(g.notes)}`,
      );
    } else {
      assert.ok(g.explain_correction !== null, `${where}: got null (${JSON.stringify(g.notes)})`);
      assert.ok(
        Math.abs(g.explain_correction - c.expected.explain_correction) <= 1e-9,
        `${where}: ${g.explain_correction} vs ${c.expected.explain_correction}`,
      );
      assert.ok(Math.abs(g.total! - (g.format + g.refuse_iou! + g.explain_correction)) <= 1e-12);
    }
  });
  assert.ok(nulls > 0, 'the fixture has null cases');
});

test('each distinct text is embedded once, in one call', async () => {
  const calls: string[][] = [];
  const table = tableWithGaps(new Set());
  const spy: Embedder = {
    id: 'spy',
    embed: async (t, s) => (calls.push([...t]), table.embed(t, s)),
    close: async () => {},
  };
  await computeRewards(ref.cases.map(toInput), spy);
  assert.equal(calls.length, 1);
  assert.equal(new Set(calls[0]).size, calls[0].length);
});

test('TableEmbedder serves its vectors and names a missing text', async () => {
  const t = new TableEmbedder({ a: [1, 0] });
  assert.deepEqual(await t.embed(['a']), [[1, 0]]);
  await assert.rejects(t.embed(['b']), /no vector in the embedding table for "b"/);
});

test('without a model, embedding rewards are null with a hint, never 0', async () => {
  const c = ref.cases.find(
    (x) => x.task_type === 'answerable' && x.expected.explain_correction !== null && /<answer>/.test(x.completion),
  )!;
  const [r] = await computeRewards([toInput(c)], null);
  assert.equal(r.explain, null);
  assert.equal(r.explain_correction, null);
  assert.equal(r.total, null);
  assert.ok(r.notes.some((n) => n.text.includes('rarft models download all-MiniLM-L6-v2')));
  // Code decides by the stable code, people read the text.
  assert.deepEqual(
    r.notes.filter((n) => n.code === 'needs-sentence-model').map((n) => n.reward),
    ['explain'],
  );
  assert.equal(r.correction, /NIL/i.test(c.completion.split('<correction>').pop() ?? '') ? 1 : 0);
});

test('refuse_iou: unknown duration is not computable (the reference silently gives 0)', () => {
  const notes: RewardNote[] = [];
  const base = {
    completion: '<answer>2 to 4</answer>',
    taskType: 'answerable' as const,
    solution: [2, 6] as [number, number],
  };
  assert.equal(refuseIouReward({ ...base, duration: null }, notes), null);
  assert.match(notes[0].text, /^refuse_iou: not computable, the video duration is unknown$/);
  assert.equal(notes[0].code, 'no-duration');
  // IoU 0.5, Δstart 0, Δend 2 of 10 s.
  assert.equal(refuseIouReward({ ...base, duration: 10 }), 0.5 * 1 * 0.8);
  // No timestamp or no answer: 0 whatever the duration.
  assert.equal(refuseIouReward({ ...base, completion: '<answer>nothing</answer>', duration: null }), 0);
  assert.equal(refuseIouReward({ ...base, completion: 'no blocks', duration: null }), 0);
  // Refusable: 1 without a timestamp, 0 with one (case-insensitive TO), 0 without an answer block.
  const ref2 = { taskType: 'refusable' as const, solution: null, duration: null };
  assert.equal(refuseIouReward({ ...ref2, completion: '<answer>not in the video</answer>' }), 1);
  assert.equal(refuseIouReward({ ...ref2, completion: '<answer>3 TO 5</answer>' }), 0);
  assert.equal(refuseIouReward({ ...ref2, completion: '<think>x</think>' }), 0);
  // The last answer block counts.
  assert.equal(refuseIouReward({ ...ref2, completion: '<answer>1 to 2</answer><answer>none</answer>' }), 1);
});

test('correction reward follows NIL and the answerable query', () => {
  const vecs = new Map([
    ['a cat sits', [1, 0]],
    ['a dog runs', [0, 1]],
  ]);
  const vec = (t: string) => vecs.get(t)!;
  const base: RewardInput = {
    completion: '',
    taskType: 'refusable',
    solution: null,
    duration: 10,
    gtAnswer: null,
    contrastAnswer: null,
    answerableQuery: 'a dog runs',
  };
  const r = (completion: string, extra: Partial<RewardInput> = {}) =>
    scoreCompletion({ ...base, completion, ...extra }, vec).correction;
  assert.equal(r('<correction>a cat sits</correction>'), 0.5); // orthogonal: (0 + 1) / 2
  assert.equal(r('<correction>a dog runs</correction>'), 1);
  assert.equal(r('<correction>nil</correction>'), 0);
  assert.equal(r('no correction'), 0);
  assert.equal(r('<correction>a cat sits</correction>', { answerableQuery: null }), 0);
  assert.equal(r('<correction> nil </correction>', { taskType: 'answerable' }), 1);
  assert.equal(r('<correction>a cat</correction>', { taskType: 'answerable' }), 0);
  assert.equal(r('', { taskType: 'answerable' }), 0);
});

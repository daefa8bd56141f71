import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { indexText } from '../../../src/core/dataset/indexer';
import { temporalIou } from '../../../src/core/eval/measures';
import { buildBrowseIndex, judgeRuns } from '../../../src/core/inspect/runIndex';
import { buildSampleView, sampleRewardInput } from '../../../src/core/inspect/sample';
import { itemRef, queryRef } from '../../../src/core/inspect/identity';
import { TableEmbedder } from '../../../src/core/embed/embedder';
import { computeRewards, textsToEmbed } from '../../../src/core/rewards/rewards';

const ANNO = 'samples/data/hi_vtg_charades.json';

/** A simulated run over the first videos of the real file: exact, shifted and refused answers. */
async function setup() {
  const annotations = indexText(ANNO, readFileSync(ANNO, 'utf8'));
  const items: Record<string, unknown>[] = [];
  for (const e of annotations.entries!.slice(0, 6)) {
    e.queries.forEach((q, k) => {
      const ts = e.timestamp;
      let answer: string;
      if (q.r && ts) answer = k % 2 ? `${ts[0] + 1} to ${ts[1] + 3}` : `${ts[0]} to ${ts[1]}`;
      else answer = e.index % 2 ? 'This query does not match the video.' : '1.0 to 2.0';
      items.push({
        video: e.video,
        query: q.q,
        model_output:
          `<think>\n<timestep>0.0 to 3.0</timestep> a person stands.\n</think>\n<answer>${answer}</answer>\n` +
          `<correction>${q.r ? 'NIL' : 'a person stands.'}</correction>`,
        gt_relevant: q.r,
        gt_timestamp: q.r ? ts : null,
        gt_output: q.a,
        irrelevance_level: '',
        gt_categories: q.categories,
      });
    });
  }
  const run = indexText('runs/inference_results.json', JSON.stringify(items));
  const index = buildBrowseIndex([annotations, run]);
  await judgeRuns(index);
  return { annotations, run, index, items };
}

test("a query view joins its run output, spans, IoU and the video's other queries", async () => {
  const { annotations, index } = await setup();
  const e = annotations.entries![0];
  const k = e.queries.findIndex((q) => q.r === true);
  const view = buildSampleView(index, queryRef(index, annotations, e, k))!;
  assert.equal(view.query, e.queries[k].q);
  assert.equal(view.video, e.video);
  assert.deepEqual(view.gtSpan, e.timestamp);
  assert.equal(view.duration, e.duration);
  assert.ok(view.output, 'the simulated run has this query');
  assert.equal(view.output.file, 'runs/inference_results.json');
  assert.deepEqual(view.output.parsed.timesteps, [{ start: 0, end: 3, caption: 'a person stands.' }]);
  assert.ok(view.predSpan);
  assert.equal(view.judgment?.iou, temporalIou(view.gtSpan!, view.predSpan));
  assert.equal(view.judgment?.source, 'offline');
  const sameVideo = annotations.entries!.filter((x) => x.video === e.video).reduce((n, x) => n + x.queries.length, 0);
  assert.equal(view.queries.length, sameVideo);
  assert.equal(view.queries.filter((q) => q.current).length, 1);
  assert.ok(
    view.queries.filter((q) => q.bucket !== null).length >= e.queries.length,
    'the queries of the simulated entry have a judged output',
  );
  assert.equal(view.rewards?.format, 1);
});

test('an item view of a refusable query: no GT span, and explain/correction need a sentence model', async () => {
  const { run, index, items } = await setup();
  const pos = items.findIndex(
    (it) => it.gt_relevant === false && (it.model_output as string).includes('does not match'),
  );
  assert.ok(pos >= 0);
  const view = buildSampleView(index, itemRef(index, run, pos))!;
  assert.equal(view.answerable, false);
  assert.equal(view.gtSpan, null);
  assert.equal(view.predSpan, null);
  assert.equal(view.bucket, 'correct');
  assert.equal(view.judgment?.iou, 1);
  assert.equal(view.rewards?.refuse_iou, 1);
  assert.equal(view.rewards?.correction, null);
  assert.ok(view.rewards?.notes.some((n) => n.code === 'needs-sentence-model' && /sentence model/.test(n.text)));
  assert.ok(view.categories.length > 0, 'categories come from the joined annotation');
  assert.ok(view.queries.some((q) => q.current && q.ref.kind === 'item'));
});

test('a span given for a refusable query lands in its bucket; stale references give null', async () => {
  const { run, index, items } = await setup();
  const pos = items.findIndex((it) => it.gt_relevant === false && (it.model_output as string).includes('1.0 to 2.0'));
  const view = buildSampleView(index, itemRef(index, run, pos))!;
  assert.equal(view.bucket, 'span-on-irrelevant');
  assert.deepEqual(view.predSpan, [1, 2]);
  assert.equal(view.judgment?.iou, 0);
  const gone = { ...itemRef(index, run, pos), query: 'a query that is not in the run' };
  assert.equal(buildSampleView(index, gone), null);
  assert.equal(buildSampleView(index, { ...itemRef(index, run, pos), file: 'nope.json' }), null);
});

test('20,000 queries: index, judge and show the right sample', async () => {
  const entries = [];
  const items = [];
  for (let v = 0; v < 2000; v++) {
    const GRPO = [];
    for (let k = 0; k < 10; k++)
      GRPO.push({
        q: `video ${v} query ${k}`,
        a: k === 0 ? '<answer>1 to 4</answer>' : '<answer>No.</answer>',
        r: k === 0,
        difficulty: k === 0 ? 'original' : 'easy',
        c: k === 0 ? [] : ['Object/ObjectExistence'],
      });
    entries.push({ video: `/data/x/V${v}.mp4`, timestamp: [1, 4], duration: 10, GRPO });
    for (const g of GRPO)
      items.push({
        video: `/data/x/V${v}.mp4`,
        query: g.q,
        model_output: `<think>t</think><answer>${g.r ? '1 to 3' : 'No.'}</answer><correction>NIL</correction>`,
        gt_relevant: g.r,
        gt_timestamp: g.r ? [1, 4] : null,
        gt_output: g.a,
        gt_categories: g.c,
      });
  }
  const files = [indexText('big.json', JSON.stringify(entries)), indexText('run.json', JSON.stringify(items))];
  const index = buildBrowseIndex(files);
  await judgeRuns(index);
  // Times are bench/browse.mjs's business; here: the view of one item among 20,000 is the right one.
  const view = buildSampleView(index, itemRef(index, files[1], 15000))!;
  assert.equal(files[0].stats.queries, 20000);
  assert.equal(view.query, 'video 1500 query 0');
  assert.equal(view.queries.length, 10);
  assert.equal(index.runs.get(files[1])!.buckets.filter((b) => b === 'iou-below-0.5' || b === 'correct').length, 20000);
});

test("with a sentence model the inspector's reward input gives explain and correction numbers", async () => {
  const { run, index, items } = await setup();
  const pos = items.findIndex(
    (it) => it.gt_relevant === false && (it.model_output as string).includes('does not match'),
  );
  const input = sampleRewardInput(index, itemRef(index, run, pos))!;
  assert.equal(input.taskType, 'refusable');
  assert.ok(
    input.contrastAnswer && input.answerableQuery,
    'contrast answer and answerable query come from the joined entry',
  );
  const texts = textsToEmbed(input);
  assert.ok(texts.length >= 4);
  // A deterministic table embedder: each text gets its own 3-d vector.
  const table: Record<string, number[]> = {};
  texts.forEach((t, i) => (table[t] = [1, (i % 3) - 1, i / 10]));
  const [r] = await computeRewards([input], new TableEmbedder(table));
  assert.notEqual(r.explain, null);
  assert.notEqual(r.correction, null);
  assert.ok(r.correction! >= 0 && r.correction! <= 1);
  const noModel = buildSampleView(index, itemRef(index, run, pos))!.rewards!;
  assert.equal(noModel.correction, null);
  assert.equal(r.refuse_iou, noModel.refuse_iou);
});

test("an annotation query shows its file's GT span (what an edit changes), not the run's copy", async () => {
  const annotations = indexText(ANNO, readFileSync(ANNO, 'utf8'));
  const e = annotations.entries![0];
  const k = e.queries.findIndex((q) => q.r === true);
  // The run was made before the span was edited: its gt_timestamp is the old one.
  const item = { video: e.video, query: e.queries[k].q, model_output: '<answer>1 to 2</answer>', gt_relevant: true };
  const run = indexText('runs/inference_results.json', JSON.stringify([{ ...item, gt_timestamp: [1, 2] }]));
  const index = buildBrowseIndex([annotations, run]);
  await judgeRuns(index);
  const view = buildSampleView(index, queryRef(index, annotations, e, k))!;
  assert.ok(view.output, 'joined to the run item');
  assert.deepEqual(view.gtSpan, e.timestamp);
  assert.equal(view.answerable, true);
  const itemView = buildSampleView(index, itemRef(index, run, 0))!;
  assert.deepEqual(itemView.gtSpan, [1, 2], 'the run item keeps the GT it was judged on');
});

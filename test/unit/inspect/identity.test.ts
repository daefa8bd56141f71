import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { indexText } from '../../../src/core/dataset/indexer';
import {
  itemRef,
  queryRef,
  resolveItem,
  resolveQuery,
  sameSample,
  sampleKey,
} from '../../../src/core/inspect/identity';
import { buildBrowseIndex } from '../../../src/core/inspect/runIndex';
import { buildSampleView } from '../../../src/core/inspect/sample';

const ANNO = 'samples/data/hi_vtg_charades.json';
type Entry = { video: string; GRPO: { q: string; a: string; r: boolean }[] };
const real = (JSON.parse(readFileSync(ANNO, 'utf8')) as Entry[]).slice(0, 4);

const indexOf = (entries: unknown[], items: unknown[] = []) =>
  buildBrowseIndex([indexText(ANNO, JSON.stringify(entries)), indexText('run.json', JSON.stringify(items))]);

test('a query reference names the same query after an entry is inserted above it', () => {
  const before = indexOf(real);
  const file = before.files[0];
  const shown = file.entries![2];
  const ref = queryRef(before, file, shown, 1);
  assert.equal(buildSampleView(before, ref)?.query, shown.queries[1].q);

  // Another video's entry inserted at the top: every position below moves by one.
  const inserted = { ...real[3], video: '/data/elsewhere/NEW01.mp4' };
  const after = indexOf([inserted, ...real]);
  assert.equal(after.files[0].entries![2].video, real[1].video, 'position 2 now holds another entry');
  const view = buildSampleView(after, ref)!;
  assert.equal(view.query, shown.queries[1].q);
  assert.equal(view.video, shown.video);
  assert.equal(view.gtAnswer, real[2].GRPO[1].a);
  assert.equal(view.queries.filter((q) => q.current).length, 1);
  assert.ok(view.queries.find((q) => q.current)!.query === shown.queries[1].q);
  // The siblings' references resolve to themselves.
  for (const q of view.queries) assert.equal(buildSampleView(after, q.ref)?.query, q.query);
});

test('repeats of the same (video, query) in a file are told apart, and stay apart after an insert', () => {
  const twin = { ...real[0], GRPO: [{ ...real[0].GRPO[0], a: `${real[0].GRPO[0].a} (second copy)` }] };
  const idx = indexOf([real[0], twin]);
  const file = idx.files[0];
  const first = queryRef(idx, file, file.entries![0], 0);
  const second = queryRef(idx, file, file.entries![1], 0);
  assert.equal(first.nth, 0);
  assert.equal(second.nth, 1);
  assert.ok(!sameSample(first, second));
  assert.notEqual(sampleKey(first), sampleKey(second));
  const moved = indexOf([real[2], real[0], twin]);
  assert.equal(buildSampleView(moved, second)?.gtAnswer, twin.GRPO[0].a);
  assert.equal(buildSampleView(moved, first)?.gtAnswer, real[0].GRPO[0].a);
  // Removing the second copy leaves its reference pointing at nothing, not at the first copy.
  assert.equal(buildSampleView(indexOf([real[0]]), second), null);
});

test('a run item reference names the same item after items are inserted above it', () => {
  const items = real.map((e) => ({
    video: e.video,
    query: e.GRPO[0].q,
    model_output: '<think>t</think><answer>1 to 2</answer><correction>NIL</correction>',
    gt_relevant: e.GRPO[0].r,
  }));
  const before = indexOf(real, items);
  const run = before.files[1];
  const ref = itemRef(before, run, 3);
  assert.equal(resolveItem(before, ref)?.position, 3);
  const after = indexOf(real, [items[1], items[2], ...items]);
  const hit = resolveItem(after, ref)!;
  assert.equal(hit.position, 5);
  assert.equal(hit.item.query, items[3].query);
  assert.equal(buildSampleView(after, ref)?.query, items[3].query);
  // A query reference is not an item reference, and the other way round.
  assert.equal(resolveQuery(after, ref), null);
  assert.equal(resolveItem(after, { ...ref, kind: 'query' }), null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexText } from '../../../src/core/dataset/indexer';
import { joinItems } from '../../../src/core/rewards/fromRun';

const entry = (video: string, duration: number | null, queries: { q: string; a: string; r: boolean }[]) => ({
  video,
  duration,
  timestamp: [1, 4],
  GRPO: queries.map((x) => (x.r ? x : { ...x, c: ['Object/ObjectExistence'] })),
});

test('contrast = first query of the opposite kind in the entry that holds the query; answerable query = its first answerable', () => {
  const anno = [
    entry('v.mp4', 10, [
      { q: 'refuse one', a: '<answer>no, one</answer>', r: false },
      { q: 'answer one', a: '<answer>1 to 4</answer>', r: true },
      { q: 'refuse two', a: '<answer>no, two</answer>', r: false },
      { q: 'answer two', a: '<answer>1 to 4</answer>', r: true },
    ]),
    // Same video, another entry (as HI-VTG has): its queries must not be used for the first entry's.
    entry('v.mp4', 20, [
      { q: 'answer three', a: '<answer>2 to 3</answer>', r: true },
      { q: 'refuse three', a: '<answer>no, three</answer>', r: false },
    ]),
  ];
  const files = [indexText('anno.json', JSON.stringify(anno))];
  assert.equal(files[0].kind, 'annotations');
  const items = ['answer two', 'refuse two', 'refuse three', 'missing'].map((query) => ({
    video: 'v.mp4',
    query,
    model_output: '<answer>x</answer>',
  }));
  const [a2, r2, r3, missing] = joinItems(items, files);
  assert.equal(a2.input!.taskType, 'answerable');
  assert.equal(a2.input!.contrastAnswer, '<answer>no, one</answer>');
  assert.deepEqual(a2.input!.solution, [1, 4]);
  assert.equal(a2.input!.duration, 10);
  assert.equal(r2.input!.taskType, 'refusable');
  assert.equal(r2.input!.contrastAnswer, '<answer>1 to 4</answer>');
  assert.equal(r2.input!.answerableQuery, 'answer one');
  assert.equal(r2.input!.gtAnswer, '<answer>no, two</answer>');
  assert.equal(r2.input!.solution, null);
  assert.equal(r3.input!.answerableQuery, 'answer three');
  assert.equal(r3.input!.contrastAnswer, '<answer>2 to 3</answer>');
  assert.equal(r3.input!.duration, 20);
  assert.equal(missing.input, null);
  assert.match(missing.notes[0], /item 3: no annotation query matches/);
});

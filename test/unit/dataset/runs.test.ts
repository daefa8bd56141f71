import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRun } from '../../../src/core/dataset/runs';

const item = (video: unknown, query: unknown) => ({
  video,
  query,
  model_output: '<answer>1 to 2</answer>',
  gt_relevant: true,
  gt_timestamp: [0, 3],
});

/** The duplicate-query warnings as [item, first item] pairs. */
function duplicates(items: unknown[], opts?: { items?: boolean }): [number, number][] {
  return readRun(items, opts)
    .problems.filter((p) => p.code === 'duplicate-query')
    .map((p) => [p.path?.[0] as number, Number(/as item (\d+)/.exec(p.message)?.[1])]);
}

test('a repeated (video, query) names the first item, wherever the video comes back', () => {
  const items = [item('a', 'q1'), item('b', 'q1'), item('a', 'q2'), item('a', 'q1'), item('b', 'q1'), item('a', 'q1')];
  assert.deepEqual(duplicates(items), [
    [3, 0],
    [4, 1],
    [5, 0],
  ]);
  assert.deepEqual(duplicates(items, { items: false }), duplicates(items));
  assert.equal(readRun(items).stats.videos, 2);
});

test('a video with many queries (past the scan) still finds its repeats, first item first', () => {
  const items: unknown[] = [];
  for (let k = 0; k < 80; k++) items.push(item('v', `q${k}`), item('w', `q${k}`));
  items.push(item('v', 'q5'), item('v', 'q79'), item('w', 'q0'), item('v', 'q5'), item('v', 'new'), item('v', 'new'));
  assert.deepEqual(duplicates(items), [
    [160, 10],
    [161, 158],
    [162, 1],
    [163, 10],
    [165, 164],
  ]);
});

test('items that are not objects, and videos or queries that are not strings, are never counted as repeats of one another', () => {
  const items = [item('a', 'q'), null, 'x', item(5, 'q'), item(null, 'q'), item('a', 7), item('a', null)];
  // video 5 and null read as '' (each a problem of its own): the second is a repeat of the first; query 7 and null read as '' too
  assert.deepEqual(duplicates(items), [
    [4, 3],
    [6, 5],
  ]);
  assert.equal(readRun(items).stats.videos, 1);
});

test('items: false gives the problems only', () => {
  const r = readRun([item('a', 'q'), item('a', 'q')], { items: false });
  assert.equal(r.items.length, 0);
  assert.equal(r.stats.queries, 0);
  assert.equal(r.problems.length, 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moveSpan, nudgeSpan, snapTime, spanProblem } from '../../../src/core/curation/spanDraft';

test('times snap to 0.1 s without float noise, or to a millisecond when free', () => {
  assert.equal(snapTime(15.2499), 15.2);
  assert.equal(snapTime(15.25), 15.3);
  assert.equal(snapTime(0.1 + 0.2), 0.3);
  assert.equal(snapTime(15.2499, true), 15.25);
  assert.equal(snapTime(-0.04), -0);
});

test('an edge moves to the snapped time and stops one step before the other edge', () => {
  assert.deepEqual(moveSpan([9.3, 14.4], 'end', 15.23, 27.25), [9.3, 15.2]);
  assert.deepEqual(moveSpan([9.3, 14.4], 'end', 15.23, 27.25, true), [9.3, 15.23]);
  assert.deepEqual(moveSpan([9.3, 14.4], 'end', 3, 27.25), [9.3, 9.4]);
  assert.deepEqual(moveSpan([9.3, 14.4], 'start', 20, 27.25), [14.3, 14.4]);
  assert.deepEqual(moveSpan([9.3, 14.4], 'start', -2, 27.25), [0, 14.4]);
  assert.deepEqual(moveSpan([9.3, 14.4], 'end', 40, 27.25), [9.3, 27.25]);
  assert.deepEqual(moveSpan([9.3, 14.4], 'end', 40, null), [9.3, 40]);
});

test('the whole span moves by a snapped offset, keeping its length, inside the video', () => {
  assert.deepEqual(moveSpan([9.3, 14.4], 'body', 1.04, 27.25), [10.3, 15.4]);
  assert.deepEqual(moveSpan([9.3, 14.4], 'body', -20, 27.25), [0, 5.1]);
  assert.deepEqual(moveSpan([9.3, 14.4], 'body', 20, 27.25), [22.15, 27.25]);
  const [s, e] = moveSpan([9.3, 14.4], 'body', 0.05, null, true);
  assert.equal(s, 9.35);
  assert.equal(e, 14.45);
});

test('nudges move one edge by ±0.1 s or ±1 s and keep the span valid', () => {
  assert.deepEqual(nudgeSpan([9.3, 14.4], 'end', 0.1, 27.25), [9.3, 14.5]);
  assert.deepEqual(nudgeSpan([9.3, 14.4], 'end', -1, 27.25), [9.3, 13.4]);
  assert.deepEqual(nudgeSpan([9.3, 14.4], 'start', 0.1, 27.25), [9.4, 14.4]);
  assert.deepEqual(nudgeSpan([0.05, 14.4], 'start', -0.1, 27.25), [0, 14.4]);
  assert.deepEqual(nudgeSpan([9.3, 9.4], 'end', -0.1, 27.25), [9.3, 9.4]);
  assert.deepEqual(nudgeSpan([9.3, 27.2], 'end', 1, 27.25), [9.3, 27.25]);
});

test('a span that cannot be written is named precisely', () => {
  assert.equal(spanProblem([9.3, 14.4], 27.25), null);
  assert.equal(spanProblem([9.3, 14.4], null), null);
  assert.equal(spanProblem([14.4, 14.4], 27.25), 'the start must be before the end (got 14.4 s to 14.4 s)');
  assert.equal(spanProblem([15, 14.4], 27.25), 'the start must be before the end (got 15 s to 14.4 s)');
  assert.equal(spanProblem([-1, 14.4], 27.25), 'the start must not be negative (got -1 s)');
  assert.equal(spanProblem([9.3, 28], 27.25), "the end must not be past the video's duration, 27.25 s (got 28 s)");
  assert.equal(spanProblem([Number.NaN, 14.4], 27.25), 'the start must be a number of seconds');
  assert.equal(spanProblem([9.3, '14'], 27.25), 'the end must be a number of seconds');
});

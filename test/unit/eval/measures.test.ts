import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jaccard, temporalIou } from '../../../src/core/eval/measures';

test('jaccard counts each label once, as sets do', () => {
  assert.equal(jaccard([], []), 1);
  assert.equal(jaccard(['a'], []), 0);
  assert.equal(jaccard([], ['a']), 0);
  assert.equal(jaccard(['a', 'b'], ['b', 'c']), 1 / 3);
  assert.equal(jaccard(['a', 'a', 'b'], ['b', 'b']), 1 / 2);
  assert.equal(jaccard(['x', 'x'], ['x']), 1);
  assert.equal(jaccard(['a', 'b', 'c'], ['c', 'b', 'a', 'a']), 1);
});

test('jaccard of long lists (the Set path) agrees with the short-list scan on the same sets', () => {
  const long = Array.from({ length: 40 }, (_, i) => `c${i % 25}`); // 25 distinct, past the scan's length
  const other = Array.from({ length: 30 }, (_, i) => `c${i + 10}`); // c10…c39
  // |∩| = c10…c24 = 15, |∪| = 25 + 30 − 15 = 40
  assert.equal(jaccard(long, other), 15 / 40);
  assert.equal(jaccard([...new Set(long)].slice(0, 16), ['c0', 'c15', 'zz']), 2 / 17);
});

test('temporal IoU of spans', () => {
  assert.equal(temporalIou([0, 10], [5, 15]), 5 / 15);
  assert.equal(temporalIou([0, 1], [2, 3]), 0);
  assert.equal(temporalIou([1, 1], [1, 1]), 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advantages, groupAdvantages, groupStats } from '../../../src/core/rewards/grpo';

test('advantages use the unbiased std plus 1e-4', () => {
  const r = [1, 2, 3, 6];
  const mean = 3;
  const std = Math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + 0 + (6 - 3) ** 2) / 3);
  assert.deepEqual(groupStats(r), { mean, std });
  const a = groupAdvantages(r);
  r.forEach((x, i) => assert.ok(Math.abs(a[i] - (x - mean) / (std + 1e-4)) < 1e-15));
  assert.ok(Math.abs(a.reduce((s, x) => s + x, 0)) < 1e-12);
});

test('equal rewards give zero advantages; groups are split in order', () => {
  assert.deepEqual(groupAdvantages([2, 2, 2]), [0, 0, 0]);
  const a = advantages([0, 1, 5, 5], 2);
  assert.ok(a[0] < 0 && a[1] > 0);
  assert.deepEqual(a.slice(2), [0, 0]);
  assert.throws(() => advantages([1, 2, 3], 2), /groups of 2/);
});

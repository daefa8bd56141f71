import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../../support/fixtures';
import { rarft } from '../../support/cli';
import { buildCurves } from '../../../src/core/logs/curves';
import { groupView, summedRewards } from '../../../src/core/logs/groups';
import { parseTrainerLog } from '../../../src/core/logs/trainerLog';
import { groupAdvantages } from '../../../src/core/rewards/grpo';

const fixture = (name: string) => join(ROOT, 'test', 'fixtures', 'logs', name);

test('group view: totals, GRPO advantages (core grpo.ts), refusals, predicted spans, zero variance', () => {
  const c = buildCurves(parseTrainerLog(readFileSync(fixture('rarft_groups.log'), 'utf8')));
  const [g0, g1] = c.groups.map(groupView);
  assert.deepEqual(
    g0.completions.map((x) => x.total),
    [1.92, 1.0, 1.88, 0.0],
  );
  const adv = groupAdvantages([1.92, 1.0, 1.88, 0.0]);
  g0.completions.forEach((x, i) => assert.equal(x.advantage, adv[i]));
  assert.deepEqual(
    g0.completions.map((x) => [x.refusal, x.predSpan]),
    [
      [false, [9.3, 14.4]],
      [false, [2, 5.5]],
      [false, [9, 14]],
      [true, null],
    ],
  );
  assert.equal(g0.zeroVariance, false);
  assert.equal(g1.zeroVariance, true);
  assert.ok(g1.completions.every((x) => x.advantage === 0 && x.refusal === true));
});

test('a combined reward is not added again beside its parts; short lists and missing values make null totals', () => {
  assert.deepEqual(summedRewards(['format', 'refuse_iou', 'explain', 'correction', 'explain_correction']), [
    'format',
    'refuse_iou',
    'explain',
    'correction',
  ]);
  assert.deepEqual(summedRewards(['format', 'refuse_iou', 'explain_correction']), [
    'format',
    'refuse_iou',
    'explain_correction',
  ]);
  const log =
    'Query: q\nGenerated Completions (3):\n  [0] 1 to 2\n  [1] 2 to 3\n  [2] none\nreward_format: [1.0, None, 1.0]\nreward_iou: [0.5, 0.5]\n';
  const g = groupView(buildCurves(parseTrainerLog(log)).groups[0]);
  assert.deepEqual(
    g.completions.map((x) => x.total),
    [1.5, null, null],
  );
  assert.ok(g.completions.every((x) => x.advantage === null));
  assert.equal(g.zeroVariance, false);
  assert.deepEqual(g.notes, ['reward_iou has 2 values for 3 completions']);
});

test('reward lists printed before their query block join it', () => {
  const log =
    'reward_format: [1.0, 0.0]\nQuery: q\nTask Type: refusable\nGenerated Completions (2):\n  [0] a\n  [1] b\n';
  const c = buildCurves(parseTrainerLog(log));
  assert.equal(c.groups.length, 1);
  assert.deepEqual(c.groups[0].rewards.format, [1, 0]);
  assert.equal(c.groups[0].query, 'q');
});

test('rarft curves --json: steps with keys as logged (NaN/None/inf null), groups, summary not a step', () => {
  const r = rarft(['curves', fixture('trl_grpo.log'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(
    out.steps.map((s: any) => s.step),
    [1, 2, 3, 4],
  );
  assert.equal(out.steps[0].kl, null);
  assert.equal(out.steps[1].grad_norm, null);
  assert.equal(out.steps[2].grad_norm, null);
  assert.equal(out.steps[0]['rewards/format_reward/mean'], 0.5);
  assert.ok(out.steps.every((s: any) => !('train_runtime' in s)));
  assert.equal(out.summary.train_runtime, 48.3121);
  assert.deepEqual(out.alerts, []);
  // A second log whose epochs go back is the same run resumed: its steps replace those from that epoch on.
  const both = JSON.parse(rarft(['curves', fixture('trl_grpo.log'), fixture('rarft_groups.log'), '--json']).stdout);
  assert.deepEqual(
    both.steps.map((s: any) => [s.step, s.epoch]),
    [
      [1, 0.25],
      [2, 0.5],
      [3, 1],
    ],
  );
  assert.equal(both.steps[1].grad_norm, 2.91);
  assert.equal(both.summary.train_runtime, 20.5);
  const g = JSON.parse(rarft(['curves', fixture('rarft_groups.log'), '--json']).stdout);
  assert.equal(g.groups.length, 2);
  const groupsOut = g.groups;
  assert.equal(groupsOut[1].zero_variance, true);
  assert.equal(groupsOut[0].completions[3].refusal, true);
  assert.equal(groupsOut[0].task_type, 'answerable');
  assert.deepEqual(groupsOut[0].completions[0].rewards, { format: 1, refuse_iou: 0.92 });
});

test('rarft curves: a missing file fails with its name; no argument is a usage error; broken lines go to stderr', () => {
  const miss = rarft(['curves', 'nope.log']);
  assert.equal(miss.status, 1);
  assert.match(miss.stderr, /nope\.log: no such file/);
  assert.equal(rarft(['curves']).status, 2);
  const dir = tempDir('rarft-curves-');
  const f = join(dir, 'broken.log');
  writeFileSync(f, "{'loss': 0.5}\n{'loss': 0.4, 'kl' 1}\n");
  const r = rarft(['curves', f]);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /broken\.log:2:20: trainer dict line: expected ':'/);
  assert.match(r.stdout, /1 steps \(1–1\)/);
});

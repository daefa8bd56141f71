import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCurves } from '../../../src/core/logs/curves';
import { groupView } from '../../../src/core/logs/groups';
import { parseTrainerLog } from '../../../src/core/logs/trainerLog';
import {
  jobEndAlert,
  jobExitAlert,
  nanAlerts,
  refusalAlert,
  trainingAlerts,
  zeroVarianceAlert,
  zeroVarianceSeries,
} from '../../../src/core/logs/alerts';

const dicts = (rows: Record<string, string | number>[]) =>
  rows
    .map(
      (r) =>
        `{${Object.entries(r)
          .map(([k, v]) => `'${k}': ${v}`)
          .join(', ')}}`,
    )
    .join('\n') + '\n';

/** A group block as the RA-RFT trainer prints it. */
function block(query: string, answers: string[], rewards: Record<string, number[]>): string {
  const lines = [`Query: ${query}`, 'Task Type: answerable', `Generated Completions (${answers.length}):`];
  answers.forEach((a, i) => lines.push(`  [${i}] ${a}`));
  for (const [k, v] of Object.entries(rewards)) lines.push(`reward_${k}: [${v.map((x) => x.toFixed(1)).join(', ')}]`);
  return lines.join('\n') + '\n';
}

test('NaN alert: loss became nan at its first step (last finite named); kl None and grad_norm nan do not alert', () => {
  const c = buildCurves(
    parseTrainerLog(
      dicts([
        { loss: 0.5, reward: 1.0, kl: 'None', grad_norm: 'nan' },
        { loss: 0.4, reward: 1.1, kl: 'None', grad_norm: 'nan' },
        { loss: 'nan', reward: 1.2 },
        { loss: 'nan', reward: '-inf' },
      ]),
    ),
  );
  const a = nanAlerts(c.steps);
  assert.deepEqual(
    a.map((x) => [x.id, x.step]),
    [
      ['nan:loss', 3],
      ['nan:reward', 4],
    ],
  );
  assert.match(a[0].message, /loss became NaN at step 3 \(last finite at step 2\)/);
  assert.match(a[1].message, /reward became -inf at step 4/);
  assert.deepEqual(nanAlerts(buildCurves(parseTrainerLog(dicts([{ loss: 0.1, grad_norm: 'nan' }]))).steps), []);
});

test('zero-variance alert from frac_reward_zero_std: three rises in a row, not a flat or falling share', () => {
  const opts = { window: 2, rises: 3, minShare: 0.25, refusalWindow: 4 };
  const steps = (shares: number[]) =>
    buildCurves(parseTrainerLog(dicts(shares.map((s) => ({ loss: 0.1, frac_reward_zero_std: s }))))).steps;
  const rising = steps([0.0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5, 0.6]);
  const a = zeroVarianceAlert(rising, [], opts);
  assert.ok(a);
  assert.equal(a.step, 8);
  assert.match(a.message, /5% → 20% → 35% → 55%/);
  assert.equal(zeroVarianceAlert(steps([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]), [], opts), null);
  assert.equal(zeroVarianceAlert(steps([0.0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.3, 0.2]), [], opts), null);
  // Rising but still small: no alert.
  assert.equal(zeroVarianceAlert(steps([0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07]), [], opts), null);
});

test('zero-variance share counted from logged groups when the trainer does not log it', () => {
  const ok = ['<answer>1 to 2</answer>', '<answer>3 to 4</answer>'];
  let text = '';
  // Step k: 4 groups, k of them with equal rewards.
  for (let step = 0; step < 4; step++) {
    for (let g = 0; g < 4; g++) text += block(`q${step}-${g}`, ok, { format: g < step ? [1, 1] : [1, 0] });
    text += dicts([{ loss: 0.1 }]);
  }
  const c = buildCurves(parseTrainerLog(text));
  const groups = c.groups.map(groupView);
  assert.deepEqual(zeroVarianceSeries(c.steps, groups), [
    [1, 0],
    [2, 0.25],
    [3, 0.5],
    [4, 0.75],
  ]);
  assert.ok(zeroVarianceAlert(c.steps, groups, { window: 1, rises: 3, minShare: 0.25, refusalWindow: 4 }));
  assert.ok(groups.filter((g) => g.zeroVariance).every((g) => g.completions.every((x) => x.advantage === 0)));
});

test('refusal collapse: mixed refusals, then a window where every completion refuses (and the other way)', () => {
  const opts = { window: 10, rises: 3, minShare: 0.25, refusalWindow: 4 };
  const mixed = block('a', ['<answer>1 to 2</answer>', 'no such event', '<answer>3 to 4</answer>', 'none'], {
    format: [1, 0, 1, 0],
  });
  const refuseAll = block('b', ['no', 'there is none', 'not in the video', 'no match'], { format: [1, 1, 1, 1] });
  const answerAll = block('c', ['1 to 2', '2 to 3', '3 to 4', '4 to 5'], { format: [1, 0, 1, 1] });
  const view = (t: string) => buildCurves(parseTrainerLog(t)).groups.map(groupView);
  const a = refusalAlert(view(mixed + refuseAll), opts);
  assert.equal(a?.id, 'refusal-collapse:1');
  assert.equal(refusalAlert(view(mixed + answerAll), opts)?.id, 'refusal-collapse:0');
  assert.equal(refusalAlert(view(mixed + mixed), opts), null);
  // Never mixed: a run that always refuses did not collapse.
  assert.equal(refusalAlert(view(refuseAll + refuseAll), opts), null);
});

test('all training alerts together; job exit alert for the remote side', () => {
  const c = buildCurves(parseTrainerLog(dicts([{ loss: 'nan' }])));
  assert.deepEqual(
    trainingAlerts(c.steps, []).map((a) => a.kind),
    ['nan'],
  );
  assert.equal(jobExitAlert('j1', 0), null);
  assert.equal(jobExitAlert('j1', 3)?.message, 'job j1 exited with code 3');
  assert.equal(jobExitAlert('j2', null, 'SIGKILL')?.message, 'job j2 was killed by SIGKILL');
});

test('jobEndAlert: non-zero, killed (Slurm TIMEOUT), cancelled and lost jobs alert; running and exit 0 do not', () => {
  assert.equal(jobEndAlert({ id: 'j', state: 'exited', exitCode: 0 }), null);
  assert.equal(jobEndAlert({ id: 'j', state: 'running', exitCode: null }), null);
  assert.equal(jobEndAlert({ id: 'j', state: 'pending', exitCode: null }), null);
  const failed = jobEndAlert({ id: 'j', state: 'exited', exitCode: 3 });
  assert.deepEqual(failed, {
    id: 'job-failed:j',
    kind: 'job-failed',
    severity: 'error',
    message: 'job j exited with code 3',
  });
  assert.equal(
    jobEndAlert({ id: 'j', state: 'exited', exitCode: 1, detail: 'Slurm: FAILED' })?.message,
    'job j exited with code 1 (Slurm: FAILED)',
  );
  const killed = jobEndAlert({ id: 'j', state: 'exited', exitCode: null, detail: 'Slurm: TIMEOUT (signal 15)' });
  assert.deepEqual([killed?.severity, killed?.message], ['error', 'job j was killed (Slurm: TIMEOUT (signal 15))']);
  const cancelled = jobEndAlert({ id: 'j', state: 'cancelled', exitCode: null });
  assert.deepEqual([cancelled?.severity, cancelled?.message], ['warning', 'job j was cancelled']);
  assert.match(jobEndAlert({ id: 'j', state: 'lost', exitCode: null })?.message ?? '', /^job j was lost: /);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/fixtures';
import { parseLiteral, LiteralSyntaxError } from '../../../src/core/pyLiteral';
import { LineSplitter } from '../../../src/core/logs/lines';
import { TrainerLogParser, parseTrainerLog, parseTqdm } from '../../../src/core/logs/trainerLog';
import { buildCurves } from '../../../src/core/logs/curves';
import { parseTrainerState } from '../../../src/core/logs/trainerState';
import type { LogRecord } from '../../../src/core/logs/records';

const fixture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'logs', name), 'utf8');

test('Python literals: quotes, None, True/False, nan, inf, -inf, tuples, escapes', () => {
  const v = parseLiteral(
    `{'a': None, "b": True, 'c': False, 'd': nan, 'e': inf, 'f': -inf, 'g': 1e-06, 'h': (1, 2,), 'i': 'it\\'s', 'j': -0.5}`,
  ) as Record<string, unknown>;
  assert.equal(v.a, null);
  assert.equal(v.b, true);
  assert.equal(v.c, false);
  assert.ok(Number.isNaN(v.d));
  assert.equal(v.e, Infinity);
  assert.equal(v.f, -Infinity);
  assert.equal(v.g, 1e-6);
  assert.deepEqual(v.h, [1, 2]);
  assert.equal(v.i, "it's");
  assert.equal(v.j, -0.5);
  // JSON from Python's json.dump (NaN, Infinity) reads too.
  assert.deepEqual(parseLiteral('{"x": [NaN, Infinity, -Infinity, null]}'), { x: [NaN, Infinity, -Infinity, null] });
});

test('Python literals: a broken literal says where and what was expected', () => {
  assert.throws(
    () => parseLiteral("{'loss': 0.5, 'kl' 0.1}"),
    (e: unknown) => e instanceof LiteralSyntaxError && e.offset === 19 && /expected ':'/.test(e.message),
  );
  assert.throws(() => parseLiteral("{'loss': 0.5"), /expected ',' or '}', found the end/);
  assert.throws(() => parseLiteral("{'a': 1} x"), /expected the end/);
});

test('line splitter: \\n, \\r\\n, lone \\r (tqdm), a chunk cut inside \\r\\n and inside a UTF-8 character', () => {
  const s = new LineSplitter();
  const segs = [...s.feed('a\r\nb\rc'), ...s.feed('\n\r'), ...s.feed('\nd')];
  assert.deepEqual(
    segs.map((x) => [x.text, x.line, x.column]),
    [
      ['a', 1, 1],
      ['b', 2, 1],
      ['c', 2, 3],
      ['', 3, 1],
    ],
  );
  assert.deepEqual(s.end(), [{ text: 'd', line: 4, column: 1 }]);
  const u = new LineSplitter();
  const bytes = Buffer.from('é€\n', 'utf8');
  const got = [
    ...u.feedBytes(bytes.subarray(0, 1)),
    ...u.feedBytes(bytes.subarray(1, 4)),
    ...u.feedBytes(bytes.subarray(4)),
  ];
  assert.deepEqual(
    got.map((x) => x.text),
    ['é€'],
  );
});

test('tqdm bars: n/total, rate (it/s and s/it), elapsed and ETA, description', () => {
  assert.deepEqual(parseTqdm(' 25%|##        | 1/4 [00:12<00:36, 12.02s/it]'), {
    desc: '',
    n: 1,
    total: 4,
    elapsed: 12,
    remaining: 36,
    rate: 1 / 12.02,
  });
  const b = parseTqdm('Map: 45%|████▌     | 450/1000 [1:00:10<00:12, 36.50it/s]')!;
  assert.equal(b.desc, 'Map');
  assert.equal(b.elapsed, 3610);
  assert.equal(b.rate, 36.5);
  assert.deepEqual(parseTqdm('  0%|          | 0/4 [00:00<?, ?it/s]'), {
    desc: '',
    n: 0,
    total: 4,
    elapsed: 0,
    remaining: null,
    rate: null,
  });
  assert.equal(parseTqdm('see [1/2] in the paper'), null);
  // A bar and a dict on one segment (no carriage return between them): both count.
  const c = buildCurves(parseTrainerLog(" 10%|#  | 2/20 [00:20<03:00, 10.00s/it]{'loss': 0.5}\n"));
  assert.deepEqual([c.progress?.n, c.progress?.total, c.steps.length], [2, 20, 1]);
});

test('TRL GRPO stdout: dict lines among tqdm redraws and warnings; nan/inf kept, None null; summary is not a step', () => {
  const c = buildCurves(parseTrainerLog(fixture('trl_grpo.log')));
  assert.deepEqual(
    c.steps.map((s) => s.step),
    [1, 2, 3, 4],
  );
  const [s1, s2, s3, s4] = c.steps.map((s) => s.values);
  assert.equal(s1.kl, null);
  assert.equal(s1['rewards/format_reward/mean'], 0.5);
  assert.equal(s1['completions/mean_length'], 187.25);
  assert.ok(Number.isNaN(s2.grad_norm));
  assert.equal(s3.grad_norm, Infinity);
  assert.equal(s4.grad_norm, -Infinity);
  assert.equal(s4.frac_reward_zero_std, 0.75);
  assert.ok(!c.steps.some((s) => 'train_runtime' in s.values));
  assert.equal(c.summary?.train_runtime, 48.3121);
  assert.deepEqual(c.progress && { n: c.progress.n, total: c.progress.total }, { n: 4, total: 4 });
  assert.equal(c.problems.length, 0);
});

test('streaming: any chunking gives the same records as one chunk; a partial last line waits for its newline', () => {
  const text = fixture('trl_grpo.log') + fixture('rarft_groups.log');
  const whole = parseTrainerLog(text);
  for (const size of [1, 7, 64, 333]) {
    const p = new TrainerLogParser();
    const got: LogRecord[] = [];
    for (let i = 0; i < text.length; i += size) got.push(...p.feed(text.slice(i, i + size)));
    got.push(...p.end());
    assert.deepEqual(got, whole, `chunks of ${size}`);
  }
  const p = new TrainerLogParser();
  assert.deepEqual(p.feed("{'loss': 0.5, 'rew"), []);
  const r = p.feed("ard': 1.0}\n");
  assert.equal(r.length, 1);
  assert.deepEqual(r[0], { kind: 'metrics', line: 1, values: { loss: 0.5, reward: 1.0 } });
});

test('RA-RFT group blocks: query, task type, completions (multi-line answers), reward lists', () => {
  const c = buildCurves(parseTrainerLog(fixture('rarft_groups.log')));
  assert.equal(c.groups.length, 2);
  const [g0, g1] = c.groups;
  assert.equal(g0.query, 'person opens the refrigerator door.');
  assert.equal(g0.taskType, 'answerable');
  assert.equal(g0.expected, 4);
  assert.equal(g0.completions.length, 4);
  assert.equal(
    g0.completions[2].text,
    '<think>Looking again\nat the middle part.</think> <answer>9.0 to 14.0</answer> <correction>NIL</correction>',
  );
  assert.deepEqual(g0.rewards.refuse_iou, [0.92, 0.0, 0.88, 0.0]);
  assert.equal(g0.step, 1);
  assert.equal(g1.step, 2);
  assert.equal(g1.taskType, 'refusable');
  // The warning after the reward lines is not part of any completion.
  assert.ok(!c.groups.some((g) => g.completions.some((x) => x.text.includes('WARNING'))));
  assert.deepEqual(
    c.steps.map((s) => [s.step, s.values['rewards/format_reward']]),
    [
      [1, 0.875],
      [2, 1.0],
    ],
  );
});

test('a resumed run: steps logged again after a restart replace the earlier ones from the same epoch on', () => {
  const c = buildCurves(parseTrainerLog(fixture('resumed.log')));
  assert.deepEqual(
    c.steps.map((s) => [s.step, s.values.loss, s.values.epoch]),
    [
      [1, 0.1, 0.1],
      [2, 0.2, 0.2],
      [3, 0.5, 0.3],
      [4, 0.6, 0.4],
    ],
  );
});

test('epochs going back without a resume message also mark a resumed run; the same epoch again without one is a new step', () => {
  const back = buildCurves(
    parseTrainerLog(
      "{'loss': 1, 'epoch': 0.1}\n{'loss': 2, 'epoch': 0.2}\n{'loss': 3, 'epoch': 0.3}\n{'loss': 9, 'epoch': 0.2}\n",
    ),
  );
  assert.deepEqual(
    back.steps.map((s) => [s.step, s.values.loss]),
    [
      [1, 1],
      [2, 9],
    ],
  );
  // Rounded epochs (older transformers round to 2 decimals) repeat within one run.
  const same = buildCurves(parseTrainerLog("{'loss': 1, 'epoch': 0.01}\n{'loss': 2, 'epoch': 0.01}\n"));
  assert.deepEqual(
    same.steps.map((s) => s.step),
    [1, 2],
  );
});

test('an eval dict without step joins the step it follows; a later train dict starts the next step', () => {
  const c = buildCurves(
    parseTrainerLog(
      "{'loss': 1.0, 'epoch': 0.5}\n{'eval_loss': 0.8, 'eval_reward': 1.2, 'epoch': 0.5}\n{'loss': 0.9, 'epoch': 1.0}\n",
    ),
  );
  assert.deepEqual(
    c.steps.map((s) => s.values),
    [
      { loss: 1.0, epoch: 0.5, eval_loss: 0.8, eval_reward: 1.2 },
      { loss: 0.9, epoch: 1.0 },
    ],
  );
});

test('a broken dict line is a problem with line and column; the lines around it still count', () => {
  const c = buildCurves(parseTrainerLog("{'loss': 1.0}\n{'loss': 0.9, 'kl' 0.1}\n{'loss': 0.8}\nsee {x} here\n"));
  assert.deepEqual(
    c.steps.map((s) => s.values.loss),
    [1.0, 0.8],
  );
  assert.equal(c.problems.length, 1);
  assert.deepEqual({ line: c.problems[0].line, column: c.problems[0].column }, { line: 2, column: 20 });
  assert.match(c.problems[0].message, /expected ':'/);
});

test('trainer_state.json log_history: explicit steps, NaN/Infinity, eval entries merged into their step', () => {
  const c = buildCurves(parseTrainerState(fixture('checkpoint-4/trainer_state.json')));
  assert.deepEqual(
    c.steps.map((s) => s.step),
    [1, 2, 4],
  );
  assert.ok(Number.isNaN(c.steps[0].values.grad_norm));
  assert.equal(c.steps[1].values.eval_loss, 0.21);
  assert.equal(c.steps[1].values.loss, 0.0003);
  assert.equal(c.steps[2].values.grad_norm, Infinity);
  const broken = parseTrainerState('{\n  "log_history": [\n    {"loss": 1.0,,}\n  ]\n}');
  assert.deepEqual(broken.length, 1);
  assert.equal(broken[0].kind, 'problem');
  assert.deepEqual([(broken[0] as any).line, (broken[0] as any).column], [3, 18]);
});

// Trainer-log parsing: 100,000 lines as a TRL/RA-RFT run prints them (step dicts in Python literal
// syntax, tqdm redraws, group blocks with completions and reward lists, warnings), parsed into
// curves and groups. Target: < 1 s; the yardstick is a bare split of the same text into lines,
// measured in the same run. Also the whole `rarft curves --json` process on that file.
// Run: node --import tsx bench/curves.mjs (after npm run build). The on-screen latency of a new
// line is measured by test/e2e/curves.test.ts and printed there beside its 1 s target.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, figure, median, timeCli } from './lib.mjs';
import { TrainerLogParser } from '../src/core/logs/trainerLog.ts';
import { CurveBuilder } from '../src/core/logs/curves.ts';
import { groupView } from '../src/core/logs/groups.ts';
import { rng } from './lib.mjs';

const LINES = 100_000;
const random = rng(7);

/** About 100,000 lines: per step one group block (1 query, 8 completions, 3 reward lists), a tqdm redraw, one dict. */
function makeLog() {
  const out = [];
  let step = 0;
  while (out.length < LINES) {
    step++;
    out.push(`Query: person opens the refrigerator door number ${step}.`);
    out.push(`Task Type: ${step % 2 ? 'answerable' : 'refusable'}`);
    out.push('Generated Completions (8):');
    for (let i = 0; i < 8; i++) {
      const a = (random() * 20).toFixed(1);
      out.push(
        `  [${i}] <think>The person walks in and reaches for the handle.</think> ` +
          `<answer>${a} to ${(Number(a) + 4).toFixed(1)}</answer> <correction>NIL</correction>`,
      );
    }
    for (const name of ['format', 'refuse_iou', 'explain_correction'])
      out.push(`reward_${name}: [${Array.from({ length: 8 }, () => random().toFixed(4)).join(', ')}]`);
    out.push(`\r ${step % 100}%|#####     | ${step}/5000 [01:02:03<10:00:00, 12.34s/it]`);
    out.push(
      [
        `{'loss': ${(random() / 1000).toExponential(4)},`,
        `'grad_norm': ${step % 50 ? (random() * 5).toFixed(4) : 'nan'},`,
        `'learning_rate': 9.8e-07,`,
        `'completion_length': ${(150 + random() * 100).toFixed(2)},`,
        `'rewards/format_reward': ${random().toFixed(4)},`,
        `'rewards/refuse_iou_reward': ${random().toFixed(4)},`,
        `'rewards/explain_correction_reward': ${random().toFixed(4)},`,
        `'reward': ${(random() * 3).toFixed(4)},`,
        `'reward_std': ${random().toFixed(4)},`,
        `'kl': ${step === 1 ? 'None' : (random() / 100).toFixed(6)},`,
        `'epoch': ${(step / 5000).toFixed(4)}}`,
      ].join(' '),
    );
    if (step % 25 === 0)
      out.push(
        '/opt/conda/lib/python3.10/site-packages/torch/utils/checkpoint.py:91: UserWarning: None of the inputs have requires_grad=True.',
      );
  }
  return `${out.slice(0, LINES).join('\n')}\n`;
}

const text = makeLog();
const file = join(DATA, 'trainer-100k.log');
writeFileSync(file, text);
const bytes = Buffer.from(text);
const MB = (bytes.length / 1e6).toFixed(1);

function parseOnce() {
  const t0 = performance.now();
  const p = new TrainerLogParser();
  const b = new CurveBuilder();
  // 64 KiB chunks, as the follower reads a growing file.
  for (let i = 0; i < bytes.length; i += 1 << 16) b.add(p.feedBytes(bytes.subarray(i, i + (1 << 16))));
  b.add(p.end());
  const t1 = performance.now();
  const groups = b.groups.map(groupView);
  return { steps: b.steps.length, groups: groups.length, parseMs: t1 - t0, viewsMs: performance.now() - t1 };
}

function splitOnce() {
  return bytes.toString('utf8').split(/\r?\n|\r/).length;
}

const parse = [];
const views = [];
const split = [];
let shape;
for (let i = 0; i < 7; i++) {
  shape = parseOnce();
  parse.push(shape.parseMs);
  views.push(shape.viewsMs);
  const t0 = performance.now();
  splitOnce();
  split.push(performance.now() - t0);
}
const p = median(parse);
const v = median(views);
const s = median(split);
console.log(
  `input: ${LINES.toLocaleString('en')} lines, ${MB} MB; ${shape.steps} steps, ${shape.groups} groups of 8 (7 runs, median)`,
);
console.log(`yardstick: bare decode + split of the same bytes into lines: ${s.toFixed(0)} ms`);
figure('parse 100,000 trainer log lines into steps, groups, progress', p.toFixed(0), ' ms', '< 1000 ms', p < 1000);
console.log(`  = ${(p / s).toFixed(1)}× the bare split`);
figure('group views of all groups (totals, GRPO advantages, refusals, spans)', v.toFixed(0), ' ms', 'reported', true);
const cli = timeCli(['curves', file, '--json'], 3);
figure('rarft curves --json on that file, whole process', cli.median.toFixed(0), ' ms', 'reported', true);

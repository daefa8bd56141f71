/**
 * The per-item numerators and denominators of the compared metrics: each metric is
 * Σnum / Σden over the paired items, with the values `metrics.json` gives for the same items.
 */
import type { ItemJudgment } from '../eval/evaluate';

/** One compared metric: its name (as `compare --json` prints it) and its share of one item. */
export interface RatioMetric {
  name: string;
  /** Adds this item's [numerator, denominator] to `out[at]`, `out[at + 1]`. */
  add(j: ItemJudgment, out: Float64Array, at: number): void;
}

const correct = (j: ItemJudgment) => j.predRelevant === j.gtRelevant;
const iouOf = (j: ItemJudgment) => j.iou ?? 0;

function mean(name: string, value: (j: ItemJudgment) => number): RatioMetric {
  return {
    name,
    add(j, out, at) {
      out[at] += value(j);
      out[at + 1] += 1;
    },
  };
}

/** F1 of one class as 2·TP / (2·TP + FP + FN); `positive` says which class is positive. */
function f1(name: string, positive: boolean): RatioMetric {
  return {
    name,
    add(j, out, at) {
      const gt = j.gtRelevant === positive;
      const pred = j.predRelevant === positive;
      if (gt && pred) {
        out[at] += 2;
        out[at + 1] += 2;
      } else if (gt || pred) out[at + 1] += 1;
    },
  };
}

/** A mean over refusable items whose value is known (`value` null: left out). */
function refusableMean(name: string, value: (j: ItemJudgment) => number | null): RatioMetric {
  return {
    name,
    add(j, out, at) {
      if (j.gtRelevant) return;
      const v = value(j);
      if (v === null) return;
      out[at] += v;
      out[at + 1] += 1;
    },
  };
}

const recall = (t: number) => mean(`R@${t}`, (j) => (iouOf(j) >= t ? 100 : 0));

/**
 * Reasoning/SBERT as `metrics.json`'s irrelevant_samples mean: the score of a correct refusal,
 * 0 for a missed refusal, over refusable items whose score is known.
 */
const scoreOfTn = (score: (j: ItemJudgment) => number | null) => (j: ItemJudgment) => {
  const s = score(j);
  if (s === null) return null;
  return j.predRelevant ? 0 : s;
};

/** The metrics compared over all pairs. */
export const OVERALL_METRICS: RatioMetric[] = [
  mean('accuracy', (j) => (correct(j) ? 1 : 0)),
  f1('relevant F1', true),
  f1('irrelevant F1', false),
  mean('RA-IoU', iouOf),
  recall(0.3),
  recall(0.5),
  recall(0.7),
  refusableMean('RT-IoU', (j) => j.jaccard),
  refusableMean(
    'reasoning',
    scoreOfTn((j) => j.reasoningScore),
  ),
  refusableMean(
    'SBERT',
    scoreOfTn((j) => j.sbert),
  ),
];

const byName = (n: string) => OVERALL_METRICS.find((m) => m.name === n)!;

/**
 * The metrics compared per hardness level. `F1` is the level's F1 as `metrics.json` gives it:
 * the relevant class for `original`, the irrelevant class for the refusable levels.
 */
export function levelMetrics(level: string): RatioMetric[] {
  const f = byName(level === 'original' ? 'relevant F1' : 'irrelevant F1');
  return [
    byName('accuracy'),
    { name: 'F1', add: f.add },
    byName('RA-IoU'),
    byName('R@0.5'),
    byName('RT-IoU'),
    byName('reasoning'),
  ];
}

/** Running sums behind the metrics: one `Tally` per group of items (all, or one hardness level). */
import { CATEGORIES, isCategory } from '../taxonomy';
import type { ItemJudgment } from './evaluate';

/** Confusion counts with relevant as the positive class. */
export interface Confusion {
  TP: number;
  FP: number;
  FN: number;
  TN: number;
}

/**
 * A running sum and count: the same sum, added in the same order, as summing a list of the
 * values afterwards (so the same mean to the last bit), without keeping 50,000 values.
 */
export class Sum {
  n = 0;
  s = 0;
  add(x: number): void {
    this.s += x;
    this.n++;
  }
  /** 0 for no value (as the reference writes it). */
  mean(): number {
    return this.n ? this.s / this.n : 0;
  }
}

/** Per-label running sums: scores, and scores and weights for the weighted mean. */
interface LabelData {
  count: number;
  sum: number;
  weighted: number;
  weights: number;
}

/** Per-label simple and weighted means (each item weighs 1 / its label count). */
export function labelStats(data: Map<string, LabelData>) {
  const out: Record<string, { simple_mean: number; weighted_mean: number; count: number; total_weight: number }> = {};
  for (const label of CATEGORIES) {
    const d = data.get(label);
    if (!d?.count) {
      out[label] = { simple_mean: 0, weighted_mean: 0, count: 0, total_weight: 0 };
      continue;
    }
    out[label] = {
      simple_mean: d.sum / d.count,
      weighted_mean: d.weights > 0 ? d.weighted / d.weights : 0,
      count: d.count,
      total_weight: d.weights,
    };
  }
  return out;
}

function addLabels(data: Map<string, LabelData>, labels: string[], score: number): void {
  if (!labels.length) return;
  const w = 1 / labels.length;
  for (let k = 0; k < labels.length; k++) {
    const l = labels[k];
    if (!isCategory(l)) continue;
    let d = data.get(l);
    if (!d) data.set(l, (d = { count: 0, sum: 0, weighted: 0, weights: 0 }));
    d.count++;
    d.sum += score;
    d.weighted += score * w;
    d.weights += w;
  }
}

/** Scores of one kind (reasoning or SBERT) over GT-irrelevant items. */
class ScoreTally {
  /** Known scores of all GT-irrelevant items, and of true negatives. */
  all = new Sum();
  tn = new Sum();
  /** GT-irrelevant items whose score is unknown, and true negatives among them. */
  unknown = 0;
  unknownTn = 0;
  labels = new Map<string, LabelData>();
  tnLabels = new Map<string, LabelData>();

  add(score: number | null, isTn: boolean, labels: string[]): void {
    if (score === null) {
      this.unknown++;
      if (isTn) this.unknownTn++;
      return;
    }
    this.all.add(score);
    addLabels(this.labels, labels, score);
    if (isTn) {
      this.tn.add(score);
      addLabels(this.tnLabels, labels, score);
    }
  }

  /** Mean over true negatives; null when no true negative has a score. */
  meanTn(): number | null {
    if (this.tn.n === 0 && this.unknownTn > 0) return null;
    return this.tn.mean();
  }

  /**
   * Sum over true negatives ÷ GT-irrelevant items (a missed refusal scores 0). Items whose
   * score is unknown leave the denominator; null when nothing is known.
   */
  meanIrrelevant(): number | null {
    const denom = this.all.n;
    if (denom === 0) return this.unknown > 0 ? null : 0;
    return this.tn.s / denom;
  }
}

/** Accumulates everything one group of items (all, or one hardness level) needs. */
export class Tally {
  c: Confusion = { TP: 0, FP: 0, FN: 0, TN: 0 };
  ious = new Sum();
  r = { '0.3': 0, '0.5': 0, '0.7': 0 };
  jaccards = new Sum();
  /** Jaccards behind which a category judgment stands (not a default). */
  jaccardsJudged = 0;
  irrelevant = 0;
  reasoning = new ScoreTally();
  sbert = new ScoreTally();

  add(j: ItemJudgment): void {
    const gt = j.gtRelevant;
    const pred = j.predRelevant as boolean;
    if (gt && pred) this.c.TP++;
    else if (gt) this.c.FN++;
    else if (pred) this.c.FP++;
    else this.c.TN++;
    const iou = j.iou ?? 0;
    this.ious.add(iou);
    if (iou >= 0.3) this.r['0.3']++;
    if (iou >= 0.5) this.r['0.5']++;
    if (iou >= 0.7) this.r['0.7']++;
    if (gt) return;
    this.irrelevant++;
    if (j.jaccard !== null) {
      this.jaccards.add(j.jaccard);
      if (!j.categoriesUnjudged) this.jaccardsJudged++;
    }
    const tn = !pred;
    this.reasoning.add(j.reasoningScore, tn, j.gtCategories);
    this.sbert.add(j.sbert, tn, j.gtCategories);
  }

  raIou(total: number) {
    const pct = (k: '0.3' | '0.5' | '0.7') => (total ? (this.r[k] / total) * 100 : 0);
    return { mean_all: this.ious.mean(), 'R@0.3': pct('0.3'), 'R@0.5': pct('0.5'), 'R@0.7': pct('0.7') };
  }
}

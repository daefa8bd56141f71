/** Running sums behind the metrics: one `Tally` per group of items (all, or one hardness level). */
import { CATEGORIES, categoryIndex } from '../taxonomy';
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

/**
 * An item's GT categories as indices into CATEGORIES (labels outside the taxonomy left out),
 * with the length of the whole list (an item weighs 1 / that in the weighted means). One lookup
 * per label per item: the tallies then add by index, with no map or set lookup each.
 */
export class ItemLabels {
  ids = new Int8Array(CATEGORIES.length);
  count = 0;
  listLength = 0;
  set(labels: readonly string[]): this {
    this.listLength = labels.length;
    this.count = 0;
    for (let k = 0; k < labels.length; k++) {
      const id = categoryIndex(labels[k]);
      if (id < 0) continue;
      // A list longer than the taxonomy repeats a label: room for every entry.
      if (this.count === this.ids.length) this.ids = grow(this.ids);
      this.ids[this.count++] = id;
    }
    return this;
  }

  /** Sets the labels from taxonomy indices (`ids[from..to)`) of a list of `listLength` labels. */
  setIds(ids: Int8Array, from: number, to: number, listLength: number): this {
    this.listLength = listLength;
    while (this.ids.length < to - from) this.ids = grow(this.ids);
    this.ids.set(ids.subarray(from, to));
    this.count = to - from;
    return this;
  }
}

const grow = (a: Int8Array) => {
  const b = new Int8Array(a.length * 2);
  b.set(a);
  return b;
};

/** Per-label running sums, by category index: scores, and scores and weights for the weighted mean. */
class LabelSums {
  count = new Float64Array(CATEGORIES.length);
  sum = new Float64Array(CATEGORIES.length);
  weighted = new Float64Array(CATEGORIES.length);
  weights = new Float64Array(CATEGORIES.length);

  add(labels: ItemLabels, score: number): void {
    if (!labels.listLength) return;
    const w = 1 / labels.listLength;
    for (let k = 0; k < labels.count; k++) {
      const id = labels.ids[k];
      this.count[id]++;
      this.sum[id] += score;
      this.weighted[id] += score * w;
      this.weights[id] += w;
    }
  }

  /** Whether any item with `label` has a score. */
  has(label: string): boolean {
    const id = categoryIndex(label);
    return id >= 0 && this.count[id] > 0;
  }
}

/** Per-label simple and weighted means (each item weighs 1 / its label count). */
export function labelStats(data: LabelSums) {
  const out: Record<string, { simple_mean: number; weighted_mean: number; count: number; total_weight: number }> = {};
  CATEGORIES.forEach((label, id) => {
    const n = data.count[id];
    out[label] = n
      ? {
          simple_mean: data.sum[id] / n,
          weighted_mean: data.weights[id] > 0 ? data.weighted[id] / data.weights[id] : 0,
          count: n,
          total_weight: data.weights[id],
        }
      : { simple_mean: 0, weighted_mean: 0, count: 0, total_weight: 0 };
  });
  return out;
}

/** Scores of one kind (reasoning or SBERT) over GT-irrelevant items. */
class ScoreTally {
  /** Known scores of all GT-irrelevant items, and of true negatives. */
  all = new Sum();
  tn = new Sum();
  /** GT-irrelevant items whose score is unknown, and true negatives among them. */
  unknown = 0;
  unknownTn = 0;
  labels = new LabelSums();
  tnLabels = new LabelSums();

  add(score: number | null, isTn: boolean, labels: ItemLabels): void {
    if (score === null) {
      this.unknown++;
      if (isTn) this.unknownTn++;
      return;
    }
    this.all.add(score);
    this.labels.add(labels, score);
    if (isTn) {
      this.tn.add(score);
      this.tnLabels.add(labels, score);
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

  /** Adds an item; `labels` are its GT categories (`ItemLabels.set(j.gtCategories)`), for GT-irrelevant items. */
  add(j: ItemJudgment, labels: ItemLabels): void {
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
    this.reasoning.add(j.reasoningScore, tn, labels);
    this.sbert.add(j.sbert, tn, labels);
  }

  raIou(total: number) {
    const pct = (k: '0.3' | '0.5' | '0.7') => (total ? (this.r[k] / total) * 100 : 0);
    return { mean_all: this.ious.mean(), 'R@0.3': pct('0.3'), 'R@0.5': pct('0.5'), 'R@0.7': pct('0.7') };
  }
}

/**
 * Aggregates item judgments into `metrics.json` (FORMATS.md §4), with the reference's key
 * names and nesting. Values that could not be computed are null and counted, never 0.
 */
import { CATEGORIES, HARDNESS_LEVELS, isCategory, type HardnessLevel } from '../taxonomy';
import type { ItemJudgment } from './evaluate';

/** Confusion counts with relevant as the positive class. */
export interface Confusion {
  TP: number;
  FP: number;
  FN: number;
  TN: number;
}

/** Accuracy, precision, recall and F1 from confusion counts (0 on division by zero). */
export function binaryMetrics(tp: number, fp: number, fn: number, tn: number) {
  const total = tp + fp + fn + tn;
  const accuracy = total ? (tp + tn) / total : 0;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { accuracy, precision, recall, f1 };
}

const mean = (xs: number[]) => (xs.length ? sum(xs) / xs.length : 0);
function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

interface LabelData {
  scores: number[];
  weights: number[];
}

function labelStats(data: Map<string, LabelData>) {
  const out: Record<string, { simple_mean: number; weighted_mean: number; count: number; total_weight: number }> = {};
  for (const label of CATEGORIES) {
    const d = data.get(label);
    if (!d?.scores.length) {
      out[label] = { simple_mean: 0, weighted_mean: 0, count: 0, total_weight: 0 };
      continue;
    }
    let ws = 0;
    let tw = 0;
    for (let k = 0; k < d.scores.length; k++) {
      ws += d.scores[k] * d.weights[k];
      tw += d.weights[k];
    }
    out[label] = {
      simple_mean: mean(d.scores),
      weighted_mean: tw > 0 ? ws / tw : 0,
      count: d.scores.length,
      total_weight: tw,
    };
  }
  return out;
}

function addLabels(data: Map<string, LabelData>, labels: string[], score: number): void {
  if (!labels.length) return;
  const w = 1 / labels.length;
  for (const l of labels) {
    if (!isCategory(l)) continue;
    let d = data.get(l);
    if (!d) data.set(l, (d = { scores: [], weights: [] }));
    d.scores.push(score);
    d.weights.push(w);
  }
}

/** Scores of one kind (reasoning or SBERT) over GT-irrelevant items. */
class ScoreTally {
  /** Known scores of all GT-irrelevant items, and of true negatives. */
  all: number[] = [];
  tn: number[] = [];
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
    this.all.push(score);
    addLabels(this.labels, labels, score);
    if (isTn) {
      this.tn.push(score);
      addLabels(this.tnLabels, labels, score);
    }
  }

  /** Mean over true negatives; null when no true negative has a score. */
  meanTn(): number | null {
    if (this.tn.length === 0 && this.unknownTn > 0) return null;
    return mean(this.tn);
  }

  /**
   * Sum over true negatives ÷ GT-irrelevant items (a missed refusal scores 0). Items whose
   * score is unknown leave the denominator; null when nothing is known.
   */
  meanIrrelevant(): number | null {
    const denom = this.all.length;
    if (denom === 0) return this.unknown > 0 ? null : 0;
    return sum(this.tn) / denom;
  }
}

/** Accumulates everything one group of items (all, or one hardness level) needs. */
class Tally {
  c: Confusion = { TP: 0, FP: 0, FN: 0, TN: 0 };
  ious: number[] = [];
  r = { '0.3': 0, '0.5': 0, '0.7': 0 };
  jaccards: number[] = [];
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
    this.ious.push(iou);
    if (iou >= 0.3) this.r['0.3']++;
    if (iou >= 0.5) this.r['0.5']++;
    if (iou >= 0.7) this.r['0.7']++;
    if (gt) return;
    this.irrelevant++;
    if (j.jaccard !== null) this.jaccards.push(j.jaccard);
    const tn = !pred;
    this.reasoning.add(j.reasoningScore, tn, j.gtCategories);
    this.sbert.add(j.sbert, tn, j.gtCategories);
  }

  raIou(total: number) {
    const pct = (k: '0.3' | '0.5' | '0.7') => (total ? (this.r[k] / total) * 100 : 0);
    return { mean_all: mean(this.ious), 'R@0.3': pct('0.3'), 'R@0.5': pct('0.5'), 'R@0.7': pct('0.7') };
  }
}

/** Options of `computeMetrics`. */
export interface MetricsOptions {
  judge?: string;
}

/** Aggregates judgments into the metrics object. Items whose step 1 failed are left out. */
export function computeMetrics(judgments: ItemJudgment[], options: MetricsOptions = {}) {
  const all = new Tally();
  const levels = new Map<HardnessLevel, Tally>(HARDNESS_LEVELS.map((l) => [l, new Tally()]));
  const byCategory = new Map<string, { correct: number; incorrect: number }>();
  let excluded = 0;
  let noLevel = 0;
  const errorsByStep: Record<string, number> = {};
  const notComputed: Record<string, number> = {};
  for (const j of judgments) {
    for (const e of j.errors) errorsByStep[e.step] = (errorsByStep[e.step] ?? 0) + 1;
    for (const n of j.notComputed) notComputed[n] = (notComputed[n] ?? 0) + 1;
    if (j.predRelevant === null || j.iou === null) {
      excluded++;
      continue;
    }
    all.add(j);
    if (j.level) levels.get(j.level)!.add(j);
    else noLevel++;
    if (!j.gtRelevant && j.gtCategories.length) {
      for (const l of j.gtCategories) {
        if (!isCategory(l)) continue;
        let c = byCategory.get(l);
        if (!c) byCategory.set(l, (c = { correct: 0, incorrect: 0 }));
        if (!j.predRelevant) c.correct++;
        else c.incorrect++;
      }
    }
  }
  const { TP, FP, FN, TN } = all.c;
  const rel = binaryMetrics(TP, FP, FN, TN);
  const irr = binaryMetrics(TN, FN, FP, TP);
  const n = TP + FP + FN + TN;

  const hardness: Record<string, unknown> = {};
  for (const [level, t] of levels) {
    const total = t.c.TP + t.c.FP + t.c.FN + t.c.TN;
    const m =
      level === 'original'
        ? binaryMetrics(t.c.TP, t.c.FP, t.c.FN, t.c.TN)
        : binaryMetrics(t.c.TN, t.c.FN, t.c.FP, t.c.TP);
    hardness[level] = {
      ...(total ? m : { accuracy: 0, precision: 0, recall: 0, f1: 0 }),
      confusion: { ...t.c },
      total,
      'RA-IoU': t.raIou(total),
      'RT-IoU': mean(t.jaccards),
      irrelevant_samples: {
        mean_reasoning_score: total ? t.reasoning.meanIrrelevant() : 0,
        count: t.irrelevant,
        mean_sbert_similarity: total ? t.sbert.meanIrrelevant() : 0,
        sbert_count: t.sbert.all.length,
      },
    };
  }

  const categories: Record<string, { correct: number; incorrect: number; total: number; accuracy: number }> = {};
  for (const label of CATEGORIES) {
    const c = byCategory.get(label) ?? { correct: 0, incorrect: 0 };
    const total = c.correct + c.incorrect;
    categories[label] = { correct: c.correct, incorrect: c.incorrect, total, accuracy: total ? c.correct / total : 0 };
  }

  const samples = (tn: boolean) => {
    const r = all.reasoning;
    const s = all.sbert;
    return {
      mean_reasoning_score: tn ? r.meanTn() : r.meanIrrelevant(),
      count: tn ? TN : all.irrelevant,
      scored_count: tn ? r.tn.length : r.all.length,
      label_reasoning_scores: labelStats(tn ? r.tnLabels : r.labels),
      mean_sbert_similarity: tn ? s.meanTn() : s.meanIrrelevant(),
      sbert_count: tn ? s.tn.length : s.all.length,
      label_sbert_scores: labelStats(tn ? s.tnLabels : s.labels),
    };
  };

  return {
    num_items: n,
    relevance: {
      overall_accuracy: rel.accuracy,
      per_class: {
        relevant: {
          precision: rel.precision,
          recall: rel.recall,
          f1: rel.f1,
          accuracy_within_gt_relevance: TP + FN ? TP / (TP + FN) : 0,
        },
        irrelevant: {
          precision: irr.precision,
          recall: irr.recall,
          f1: irr.f1,
          accuracy_within_gt_relevance: TN + FP ? TN / (TN + FP) : 0,
        },
      },
      confusion: { TP, FP, FN, TN },
    },
    'RA-IoU': all.raIou(n),
    'RT-IoU': mean(all.jaccards),
    irrelevant_samples: samples(false),
    true_negative_samples: samples(true),
    hardness_level_analysis: { metrics_by_hardness_level: hardness, items_without_level: noLevel },
    category_irrelevant_classification: { metrics_by_category: categories },
    evaluation: {
      judge: options.judge ?? 'offline',
      items_in_input: judgments.length,
      items_excluded: excluded,
      judge_errors_by_step: errorsByStep,
      not_computed: notComputed,
    },
  };
}

/** The metrics object `computeMetrics` returns. */
export type Metrics = ReturnType<typeof computeMetrics>;

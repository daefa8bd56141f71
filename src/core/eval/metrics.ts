/**
 * Aggregates item judgments into `metrics.json` (FORMATS.md §4), with the reference's key
 * names and nesting. Values that could not be computed are null and counted, never 0.
 */
import { CATEGORIES, HARDNESS_LEVELS, type HardnessLevel } from '../taxonomy';
import type { ItemJudgment } from './evaluate';
import { blank, JudgmentStore } from './judgmentStore';
import { ItemLabels, labelStats, Tally, type Confusion } from './tally';

/** Accuracy, precision, recall and F1 from confusion counts (0 on division by zero). */
export function binaryMetrics(tp: number, fp: number, fn: number, tn: number) {
  const total = tp + fp + fn + tn;
  const accuracy = total ? (tp + tn) / total : 0;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { accuracy, precision, recall, f1 };
}

/** Options of `computeMetrics`. */
export interface MetricsOptions {
  judge?: string;
  /** Items left out before judging because they failed validation (`--skip-invalid`). */
  itemsInvalid?: number;
}

type Counts = Record<string, number>;

const count = (counts: Counts, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Everything the metrics rest on, added one judgment at a time: the overall tally, one per level,
 * GT-category counts, errors. Keeps no judgment (an evaluation adds each as it is judged).
 */
export class MetricsTally {
  readonly all = new Tally();
  readonly levels = new Map<HardnessLevel | 'unknown', Tally>([
    ...HARDNESS_LEVELS.map((l) => [l, new Tally()] as const),
    ['unknown', new Tally()],
  ]);
  /** Refusals per GT category, by index into CATEGORIES. */
  readonly #correct = new Float64Array(CATEGORIES.length);
  readonly #incorrect = new Float64Array(CATEGORIES.length);
  readonly errorsByStep: Counts = {};
  readonly notComputed: Counts = {};
  excluded = 0;
  items = 0;
  readonly #labels = new ItemLabels();

  /** Adds a judgment; `gtLabels`, when given, are its GT categories already looked up (else from `j.gtCategories`). */
  add(j: ItemJudgment, gtLabels?: ItemLabels): void {
    this.items++;
    // Indexed loops, not for-of: the lists are nearly always empty, and an iterator per list
    // per item was two thirds of what the aggregation allocated (measured on 50,000 items).
    for (let k = 0; k < j.errors.length; k++) count(this.errorsByStep, j.errors[k].step);
    for (let k = 0; k < j.notComputed.length; k++) count(this.notComputed, j.notComputed[k]);
    if (j.predRelevant === null || j.iou === null) {
      this.excluded++;
      return;
    }
    const labels = gtLabels ?? this.#labels;
    if (!j.gtRelevant && !gtLabels) labels.set(j.gtCategories);
    this.all.add(j, labels);
    this.levels.get(j.level ?? 'unknown')!.add(j, labels);
    if (j.gtRelevant) return;
    for (let k = 0; k < labels.count; k++) {
      if (!j.predRelevant) this.#correct[labels.ids[k]]++;
      else this.#incorrect[labels.ids[k]]++;
    }
  }

  /** Refusals right and wrong per GT category (the categories met). */
  byCategory(): Map<string, { correct: number; incorrect: number }> {
    const out = new Map<string, { correct: number; incorrect: number }>();
    CATEGORIES.forEach((c, id) => {
      const correct = this.#correct[id];
      const incorrect = this.#incorrect[id];
      if (correct || incorrect) out.set(c, { correct, incorrect });
    });
    return out;
  }
}

/** One pass over the judgments (from a store, each loaded into one object in turn). */
function tallyAll(judgments: readonly ItemJudgment[] | JudgmentStore): MetricsTally {
  const t = new MetricsTally();
  if (judgments instanceof JudgmentStore) {
    const scratch = blank();
    for (let i = 0; i < judgments.length; i++) t.add(judgments.load(i, scratch));
  } else for (let i = 0; i < judgments.length; i++) t.add(judgments[i]);
  return t;
}

const totalOf = (c: Confusion) => c.TP + c.FP + c.FN + c.TN;

/** The `relevance` block: accuracy, per-class P/R/F1, confusion. */
function relevanceBlock(c: Confusion) {
  const { TP, FP, FN, TN } = c;
  const rel = binaryMetrics(TP, FP, FN, TN);
  const irr = binaryMetrics(TN, FN, FP, TP);
  return {
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
  };
}

/** One hardness level's row: `original` scores relevant as positive, the others irrelevant. */
function levelRow(level: string, t: Tally) {
  const total = totalOf(t.c);
  const m =
    level === 'original'
      ? binaryMetrics(t.c.TP, t.c.FP, t.c.FN, t.c.TN)
      : binaryMetrics(t.c.TN, t.c.FN, t.c.FP, t.c.TP);
  return {
    ...(total ? m : { accuracy: 0, precision: 0, recall: 0, f1: 0 }),
    confusion: { ...t.c },
    total,
    'RA-IoU': t.raIou(total),
    'RT-IoU': t.jaccards.mean(),
    irrelevant_samples: {
      mean_reasoning_score: total ? t.reasoning.meanIrrelevant() : 0,
      count: t.irrelevant,
      mean_sbert_similarity: total ? t.sbert.meanIrrelevant() : 0,
      sbert_count: t.sbert.all.n,
    },
  };
}

/** The reference's four levels, plus `unknown` when some items carry no level. */
function hardnessBlock(levels: Map<HardnessLevel | 'unknown', Tally>) {
  const out: Record<string, ReturnType<typeof levelRow>> = {};
  for (const [level, t] of levels) if (level !== 'unknown' || totalOf(t.c)) out[level] = levelRow(level, t);
  return out;
}

function categoryBlock(byCategory: Map<string, { correct: number; incorrect: number }>) {
  const out: Record<string, { correct: number; incorrect: number; total: number; accuracy: number }> = {};
  for (const label of CATEGORIES) {
    const c = byCategory.get(label) ?? { correct: 0, incorrect: 0 };
    const total = c.correct + c.incorrect;
    out[label] = { correct: c.correct, incorrect: c.incorrect, total, accuracy: total ? c.correct / total : 0 };
  }
  return out;
}

/** `irrelevant_samples` (all GT-irrelevant items) or `true_negative_samples`. */
function samplesBlock(all: Tally, tn: boolean) {
  const r = all.reasoning;
  const s = all.sbert;
  return {
    mean_reasoning_score: tn ? r.meanTn() : r.meanIrrelevant(),
    count: tn ? all.c.TN : all.irrelevant,
    scored_count: tn ? r.tn.n : r.all.n,
    label_reasoning_scores: labelStats(tn ? r.tnLabels : r.labels),
    mean_sbert_similarity: tn ? s.meanTn() : s.meanIrrelevant(),
    sbert_count: tn ? s.tn.n : s.all.n,
    label_sbert_scores: labelStats(tn ? s.tnLabels : s.labels),
  };
}

/**
 * Figures that rest on no item (their count is 0): the value the reference writes is kept for
 * parity, and the figure is listed here so that summaries print `–` for it.
 */
function emptyFigures(all: Tally, levels: Map<HardnessLevel | 'unknown', Tally>): string[] {
  const out: string[] = [];
  const n = totalOf(all.c);
  if (!n) out.push('relevance', 'RA-IoU');
  if (!all.jaccardsJudged) out.push('RT-IoU');
  for (const [key, t] of [
    ['irrelevant_samples', all.reasoning.all.n],
    ['true_negative_samples', all.reasoning.tn.n],
  ] as const)
    if (!t) out.push(`${key}.mean_reasoning_score`);
  if (!all.sbert.all.n) out.push('irrelevant_samples.mean_sbert_similarity');
  if (!all.sbert.tn.n) out.push('true_negative_samples.mean_sbert_similarity');
  for (const label of CATEGORIES) {
    if (!all.reasoning.labels.has(label)) out.push(`irrelevant_samples.label_reasoning_scores.${label}`);
    if (!all.sbert.labels.has(label)) out.push(`irrelevant_samples.label_sbert_scores.${label}`);
  }
  for (const [level, t] of levels) {
    if (level === 'unknown' && !totalOf(t.c)) continue;
    if (!totalOf(t.c)) out.push(`hardness_level_analysis.metrics_by_hardness_level.${level}`);
    else if (!t.jaccardsJudged) out.push(`hardness_level_analysis.metrics_by_hardness_level.${level}.RT-IoU`);
  }
  return out;
}

/**
 * Aggregates judgments into the metrics object (or a tally they were added to as they were
 * judged). Items whose step 1 failed are left out.
 */
export function computeMetrics(
  judgments: readonly ItemJudgment[] | JudgmentStore | MetricsTally,
  options: MetricsOptions = {},
) {
  const t = judgments instanceof MetricsTally ? judgments : tallyAll(judgments);
  const n = totalOf(t.all.c);
  return {
    num_items: n,
    relevance: relevanceBlock(t.all.c),
    'RA-IoU': t.all.raIou(n),
    'RT-IoU': t.all.jaccards.mean(),
    irrelevant_samples: samplesBlock(t.all, false),
    true_negative_samples: samplesBlock(t.all, true),
    hardness_level_analysis: {
      metrics_by_hardness_level: hardnessBlock(t.levels),
      items_without_level: totalOf(t.levels.get('unknown')!.c),
    },
    category_irrelevant_classification: { metrics_by_category: categoryBlock(t.byCategory()) },
    evaluation: {
      judge: options.judge ?? 'offline',
      items_in_input: t.items,
      items_excluded: t.excluded,
      items_invalid: options.itemsInvalid ?? 0,
      judge_errors_by_step: t.errorsByStep,
      /** Figures with nothing behind them (their value is kept for parity), and why items lack a value. */
      not_computed: { figures: emptyFigures(t.all, t.levels), items_by_reason: t.notComputed },
    },
  };
}

/** The metrics object `computeMetrics` returns. */
export type Metrics = ReturnType<typeof computeMetrics>;

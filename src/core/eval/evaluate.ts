/** Judges items one at a time (FORMATS.md §4), reusing cached judgments as they are. */
import pLimit from 'p-limit';
import type { HardnessLevel } from '../taxonomy';
import type { Span } from '../text';
import { isPromise, itemJudgment } from './itemSteps';
import type { Judge, RelevanceVerdict } from './judge';
import { JudgmentStore } from './judgmentStore';

/** One judge step's failure, kept with the item and listed in the summary. */
export interface StepError {
  step: 'relevance' | 'categories' | 'reasoning' | 'sbert';
  error: string;
}

/** Everything the evaluation decided about one item. */
export interface ItemJudgment {
  gtRelevant: boolean;
  /** Predicted relevance; null when step 1 failed (the item is then left out of every metric). */
  predRelevant: boolean | null;
  predSpan: Span | null;
  iou: number | null;
  /** GT-irrelevant items only. */
  predCategories: string[] | null;
  jaccard: number | null;
  reasoningScore: number | null;
  sbert: number | null;
  level?: HardnessLevel;
  gtCategories: string[];
  errors: StepError[];
  /** Step 1 where the offline rule and the judge differ (with `disagreements`). */
  disagreement?: { offline: RelevanceVerdict; judge: RelevanceVerdict };
  /** Categories by default (no refusal, no reasoning, the offline judge without tags): Jaccard kept, not a judgment. */
  categoriesUnjudged?: true;
  /** Why a value could not be computed (not an error: e.g. no GT answer, offline judge). */
  notComputed: string[];
  /** Steps whose judgment was read from the input's cached keys instead of asked of the judge. */
  reused?: JudgeStepName[];
}

/** The judged steps of an item (FORMATS.md §4). */
export type JudgeStepName = 'relevance' | 'categories' | 'reasoning' | 'sbert';

/** The keys an evaluation writes into an item; `--rejudge` removes them before judging. */
export const JUDGMENT_KEYS = [
  'classification_correct',
  'pred_relevant',
  'pred_span',
  'iou',
  'pred_categories',
  'category_jaccard',
  'reasoning_score',
  'sbert_similarity',
  'judge_errors',
  'judge_disagreement',
  'not_computed',
] as const;

/** A copy of an item without any earlier evaluation's judgments (for `--rejudge`). */
export function withoutJudgments(item: Record<string, unknown>): Record<string, unknown> {
  const out = { ...item };
  for (const k of JUDGMENT_KEYS) delete out[k];
  return out;
}

/** Sentence similarity for step 4 (cosine, clipped to [0, 1] by the caller). */
export type Similarity = (a: string, b: string, signal?: AbortSignal) => Promise<number | null> | number | null;

/** Options of `judgeItems`. */
export interface JudgeItemsOptions {
  judge: Judge;
  /** Step 4. Without it, SBERT similarity is not computed (unless cached). */
  similarity?: Similarity;
  /** Items judged at once (the LLM judge bounds requests in flight itself). */
  concurrency?: number;
  signal?: AbortSignal;
  /**
   * Called after each item that waited on the judge, every 64 items the judge answered
   * synchronously (nothing can be shown between those: the loop keeps the thread), and at the last.
   */
  onProgress?: (done: number, total: number) => void;
  /** Hardness level from elsewhere (e.g. the joined annotation) when the item has none. */
  levelOf?: (item: Record<string, unknown>, index: number) => HardnessLevel | undefined;
  /** Record where the offline rule's step 1 differs from the judge's. */
  disagreements?: boolean;
}

/** Judges one item. Never throws for bad data; aborts throw. */
export function judgeItem(
  item: Record<string, unknown>,
  opts: JudgeItemsOptions,
  index = 0,
): ItemJudgment | Promise<ItemJudgment> {
  return itemJudgment(item, opts, index);
}

/**
 * Judges every item in input order. Items whose judge answers synchronously (the offline judge)
 * run in a plain loop with no promise each; items that wait on the judge run under a p-limit of
 * `concurrency`, and once it is full the rest queue there.
 */
export async function judgeItems(items: Record<string, unknown>[], opts: JudgeItemsOptions): Promise<ItemJudgment[]> {
  const out: ItemJudgment[] = new Array(items.length);
  await judgeEach(items, opts, (i, j) => {
    out[i] = j;
  });
  return out;
}

/** `judgeItems` into columns (what an evaluation keeps: no object per item for the collector to copy). */
export async function judgeItemsInto(
  items: Record<string, unknown>[],
  opts: JudgeItemsOptions,
): Promise<JudgmentStore> {
  const store = new JudgmentStore(items.length);
  await judgeEach(items, opts, (i, j) => store.set(i, j));
  return store;
}

async function judgeEach(
  items: Record<string, unknown>[],
  opts: JudgeItemsOptions,
  keep: (i: number, j: ItemJudgment) => void,
): Promise<void> {
  const n = Math.max(1, opts.concurrency ?? 64);
  const limit = pLimit({ concurrency: n, rejectOnClear: true });
  const tasks: Promise<void>[] = [];
  let done = 0;
  const finish = (i: number, v: ItemJudgment, waited = true) => {
    keep(i, v);
    done++;
    if (waited || (done & 63) === 0 || done === items.length) opts.onProgress?.(done, items.length);
  };
  const onAbort = () => limit.clearQueue();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (let i = 0; i < items.length; i++) {
      opts.signal?.throwIfAborted();
      if (limit.activeCount + limit.pendingCount >= n) {
        tasks.push(
          limit(() => {
            opts.signal?.throwIfAborted();
            return judgeItem(items[i], opts, i);
          }).then((v) => finish(i, v)),
        );
        continue;
      }
      const r = judgeItem(items[i], opts, i);
      if (isPromise(r)) tasks.push(limit(() => r).then((v) => finish(i, v)));
      else finish(i, r, false);
    }
    await Promise.all(tasks);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The item as written to the items file: every input key kept, judgments added. The run-status
 * keys (`judge_errors`, `not_computed`) are this run's: an earlier run's are not carried over.
 */
export function itemWithJudgment(item: Record<string, unknown>, j: ItemJudgment): Record<string, unknown> {
  const out: Record<string, unknown> = { ...item };
  delete out.judge_errors;
  delete out.not_computed;
  if (j.predRelevant !== null) out.classification_correct = j.predRelevant === j.gtRelevant;
  out.pred_relevant = j.predRelevant;
  if (j.predSpan) out.pred_span = j.predSpan;
  if (j.iou !== null) out.iou = j.iou;
  if (!j.gtRelevant) {
    if (j.predCategories) out.pred_categories = j.predCategories;
    if (j.jaccard !== null) out.category_jaccard = j.jaccard;
    if (j.reasoningScore !== null) out.reasoning_score = j.reasoningScore;
    if (j.sbert !== null) out.sbert_similarity = j.sbert;
  }
  if (j.level && !('hardness_level' in item && item.hardness_level)) out.hardness_level = j.level;
  if (j.errors.length) out.judge_errors = j.errors;
  if (j.disagreement) out.judge_disagreement = j.disagreement;
  if (j.notComputed.length) out.not_computed = j.notComputed;
  return out;
}

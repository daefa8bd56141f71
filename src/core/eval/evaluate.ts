/** Judges items one at a time (FORMATS.md §4), reusing cached judgments as they are. */
import { gtSpan, itemLevel, truthy } from '../dataset/runs';
import type { HardnessLevel } from '../taxonomy';
import { answerText, gtText, reasoningText, type Span } from '../text';
import type { Judge, RelevanceVerdict, Verdict } from './judge';
import { jaccard, temporalIou } from './measures';

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
  /** Why a value could not be computed (not an error: e.g. no GT answer, offline judge). */
  notComputed: string[];
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
  onProgress?: (done: number, total: number) => void;
  /** Hardness level from elsewhere (e.g. the joined annotation) when the item has none. */
  levelOf?: (item: Record<string, unknown>, index: number) => HardnessLevel | undefined;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

async function settle<T>(v: Verdict<T> | Promise<Verdict<T>>): Promise<Verdict<T>> {
  try {
    return await v;
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    return { status: 'error', error: e instanceof Error ? e.message : String(e) };
  }
}

/** Judges one item. Never throws for bad data; aborts throw. */
export async function judgeItem(item: Record<string, unknown>, opts: JudgeItemsOptions, index = 0): Promise<ItemJudgment> {
  const { judge, signal } = opts;
  const gtRelevant = truthy(item.gt_relevant);
  const gtSpanV = gtSpan(item.gt_timestamp);
  const output = typeof item.model_output === 'string' ? item.model_output : '';
  const gtOut = typeof item.gt_output === 'string' ? item.gt_output : '';
  const gtCategories = Array.isArray(item.gt_categories) ? item.gt_categories.filter((c): c is string => typeof c === 'string') : [];
  const j: ItemJudgment = {
    gtRelevant,
    predRelevant: null,
    predSpan: null,
    iou: null,
    predCategories: null,
    jaccard: null,
    reasoningScore: null,
    sbert: null,
    level: itemLevel(item) ?? opts.levelOf?.(item, index),
    gtCategories,
    errors: [],
    notComputed: [],
  };
  const cachedCorrect = typeof item.classification_correct === 'boolean' ? item.classification_correct : null;
  const cachedIou = isNum(item.iou) ? item.iou : null;

  // Step 1: relevance and span.
  let verdict: RelevanceVerdict | null = null;
  const needStep1 = cachedCorrect === null || (cachedIou === null && gtRelevant && cachedCorrect);
  if (needStep1) {
    const v = await settle(judge.relevance({ answerText: answerText(output), output }, signal));
    if (v.status === 'ok') verdict = v.value;
    else if (v.status === 'error') j.errors.push({ step: 'relevance', error: v.error });
    else j.notComputed.push(v.reason);
  }
  if (cachedCorrect !== null) j.predRelevant = cachedCorrect ? gtRelevant : !gtRelevant;
  else if (verdict) j.predRelevant = verdict.classification === 'relevant';
  if (j.predRelevant === null) return j;
  j.predSpan = verdict?.span ?? null;

  if (cachedIou !== null) j.iou = cachedIou;
  else if (j.predRelevant !== gtRelevant) j.iou = 0;
  else if (!gtRelevant) j.iou = 1;
  else if (needStep1 && !verdict) j.iou = null;
  else j.iou = gtSpanV && j.predSpan ? temporalIou(gtSpanV, j.predSpan) : 0;

  if (gtRelevant) return j;

  // Steps 2–4: GT-irrelevant items only.
  const reasoning = reasoningText(output);
  if (Array.isArray(item.pred_categories)) j.predCategories = item.pred_categories.filter((c): c is string => typeof c === 'string');
  else if (!j.predRelevant && reasoning) {
    const v = await settle(judge.categories({ reasoningText: reasoning, output }, signal));
    if (v.status === 'ok') j.predCategories = v.value;
    else if (v.status === 'error') j.errors.push({ step: 'categories', error: v.error });
    else j.notComputed.push(v.reason);
  } else j.predCategories = [];
  if (j.predCategories) j.jaccard = jaccard(j.predCategories, gtCategories);

  const gt = gtText(gtOut);
  if (isNum(item.reasoning_score)) j.reasoningScore = item.reasoning_score;
  else if (!gt) j.notComputed.push('reasoning: the item has no GT answer to compare with');
  else {
    const v = await settle(judge.reasoning({ reasoningText: reasoning, gtText: gt }, signal));
    if (v.status === 'ok') j.reasoningScore = v.value;
    else if (v.status === 'error') j.errors.push({ step: 'reasoning', error: v.error });
    else j.notComputed.push(v.reason);
  }

  if (isNum(item.sbert_similarity)) j.sbert = item.sbert_similarity;
  else if (!gt) j.notComputed.push('sbert: the item has no GT answer to compare with');
  else if (!reasoning) j.sbert = 0;
  else if (opts.similarity) {
    try {
      const s = await opts.similarity(reasoning, gt, signal);
      if (s === null) j.notComputed.push('sbert: no sentence model');
      else j.sbert = Math.max(0, Math.min(1, s));
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      j.errors.push({ step: 'sbert', error: e instanceof Error ? e.message : String(e) });
    }
  } else j.notComputed.push('sbert: no sentence model (pass --sbert DIR)');
  return j;
}

/** Judges every item, `concurrency` at a time, in input order. */
export async function judgeItems(items: Record<string, unknown>[], opts: JudgeItemsOptions): Promise<ItemJudgment[]> {
  const out: ItemJudgment[] = new Array(items.length);
  const limit = Math.max(1, opts.concurrency ?? 64);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      opts.signal?.throwIfAborted();
      const i = next++;
      out[i] = await judgeItem(items[i], opts, i);
      opts.onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The item as written to the items file: every input key kept, judgments added. */
export function itemWithJudgment(item: Record<string, unknown>, j: ItemJudgment): Record<string, unknown> {
  const out: Record<string, unknown> = { ...item };
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
  if (j.notComputed.length) out.not_computed = j.notComputed;
  return out;
}

/** Judges items one at a time (FORMATS.md §4), reusing cached judgments as they are. */
import { gtSpan, itemLevel, truthy } from '../dataset/runs';
import type { HardnessLevel } from '../taxonomy';
import { answerText, gtText, reasoningText, type Span } from '../text';
import { ruleRelevance, type Judge, type RelevanceVerdict, type Verdict } from './judge';
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
  /** Step 1 where the offline rule and the judge differ (with `disagreements`). */
  disagreement?: { offline: RelevanceVerdict; judge: RelevanceVerdict };
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
  /** Record where the offline rule's step 1 differs from the judge's. */
  disagreements?: boolean;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

type Pending = Verdict<unknown> | Promise<Verdict<unknown>>;
type Steps = Generator<Pending, ItemJudgment, Verdict<unknown>>;

function failed(e: unknown): Verdict<never> {
  if ((e as Error)?.name === 'AbortError') throw e;
  return { status: 'error', error: e instanceof Error ? e.message : String(e) };
}

/** Calls a judge step; a synchronous throw becomes a recorded error (aborts propagate). */
function call<T>(f: () => Verdict<T> | Promise<Verdict<T>>): Verdict<T> | Promise<Verdict<T>> {
  try {
    return f();
  } catch (e) {
    return failed(e);
  }
}

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof (v as Promise<unknown>)?.then === 'function';
}

/**
 * Runs the steps of one item. Stays synchronous while every judge answer is synchronous (the
 * offline judge), so 50,000 items cost no promise per item; switches to async at the first promise.
 */
function drive(steps: Steps): ItemJudgment | Promise<ItemJudgment> {
  let input: Verdict<unknown> | undefined;
  for (;;) {
    const r = steps.next(input as Verdict<unknown>);
    if (r.done) return r.value;
    if (isPromise(r.value)) return driveAsync(steps, r.value);
    input = r.value;
  }
}

async function driveAsync(steps: Steps, first: Promise<Verdict<unknown>>): Promise<ItemJudgment> {
  let input: Verdict<unknown>;
  try {
    input = await first;
  } catch (e) {
    input = failed(e);
  }
  for (;;) {
    const r = steps.next(input);
    if (r.done) return r.value;
    try {
      input = await r.value;
    } catch (e) {
      input = failed(e);
    }
  }
}

/** Judges one item. Never throws for bad data; aborts throw. */
export function judgeItem(
  item: Record<string, unknown>,
  opts: JudgeItemsOptions,
  index = 0,
): ItemJudgment | Promise<ItemJudgment> {
  return drive(itemSteps(item, opts, index));
}

function* itemSteps(item: Record<string, unknown>, opts: JudgeItemsOptions, index: number): Steps {
  const { judge, signal } = opts;
  const gtRelevant = truthy(item.gt_relevant);
  const gtSpanV = gtSpan(item.gt_timestamp);
  const output = typeof item.model_output === 'string' ? item.model_output : '';
  const gtOut = typeof item.gt_output === 'string' ? item.gt_output : '';
  const gtCategories = Array.isArray(item.gt_categories)
    ? item.gt_categories.filter((c): c is string => typeof c === 'string')
    : [];
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
    const answer = answerText(output);
    const v = (yield call(() => judge.relevance({ answerText: answer, output }, signal))) as Verdict<RelevanceVerdict>;
    if (v.status === 'ok') {
      verdict = v.value;
      if (opts.disagreements) {
        const rule = ruleRelevance(answer);
        const sameSpan = (a: Span | null, b: Span | null) =>
          a === null ? b === null : b !== null && a[0] === b[0] && a[1] === b[1];
        if (rule.classification !== verdict.classification || !sameSpan(rule.span, verdict.span))
          j.disagreement = { offline: rule, judge: verdict };
      }
    } else if (v.status === 'error') j.errors.push({ step: 'relevance', error: v.error });
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
  if (Array.isArray(item.pred_categories))
    j.predCategories = item.pred_categories.filter((c): c is string => typeof c === 'string');
  else if (!j.predRelevant && reasoning) {
    const v = (yield call(() => judge.categories({ reasoningText: reasoning, output }, signal))) as Verdict<string[]>;
    if (v.status === 'ok') j.predCategories = v.value;
    else if (v.status === 'error') j.errors.push({ step: 'categories', error: v.error });
    else j.notComputed.push(v.reason);
  } else j.predCategories = [];
  if (j.predCategories) j.jaccard = jaccard(j.predCategories, gtCategories);

  const gt = gtText(gtOut);
  if (isNum(item.reasoning_score)) j.reasoningScore = item.reasoning_score;
  else if (!gt) j.notComputed.push('reasoning: the item has no GT answer to compare with');
  else {
    const v = (yield call(() => judge.reasoning({ reasoningText: reasoning, gtText: gt }, signal))) as Verdict<number>;
    if (v.status === 'ok') j.reasoningScore = v.value;
    else if (v.status === 'error') j.errors.push({ step: 'reasoning', error: v.error });
    else j.notComputed.push(v.reason);
  }

  if (isNum(item.sbert_similarity)) j.sbert = item.sbert_similarity;
  else if (!gt) j.notComputed.push('sbert: the item has no GT answer to compare with');
  else if (!reasoning) j.sbert = 0;
  else if (opts.similarity) {
    const similarity = opts.similarity;
    const v = (yield call(() => {
      const s = similarity(reasoning, gt, signal);
      const wrap = (x: number | null): Verdict<number | null> => ({ status: 'ok', value: x });
      return isPromise(s) ? s.then(wrap) : wrap(s);
    })) as Verdict<number | null>;
    if (v.status === 'error') j.errors.push({ step: 'sbert', error: v.error });
    else if (v.status === 'ok' && v.value === null) j.notComputed.push('sbert: no sentence model');
    else if (v.status === 'ok') j.sbert = Math.max(0, Math.min(1, v.value as number));
  } else j.notComputed.push('sbert: no sentence model (pass --sbert DIR)');
  return j;
}

/**
 * Judges every item in input order. Synchronous judges run in a plain loop; items whose judge
 * answers asynchronously run `concurrency` at a time.
 */
export async function judgeItems(items: Record<string, unknown>[], opts: JudgeItemsOptions): Promise<ItemJudgment[]> {
  const out: ItemJudgment[] = new Array(items.length);
  const limit = Math.max(1, opts.concurrency ?? 64);
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  for (let i = 0; i < items.length; i++) {
    opts.signal?.throwIfAborted();
    const r = judgeItem(items[i], opts, i);
    if (!isPromise(r)) {
      out[i] = r;
      opts.onProgress?.(++done, items.length);
      continue;
    }
    const p: Promise<void> = r.then((v) => {
      out[i] = v;
      inFlight.delete(p);
      opts.onProgress?.(++done, items.length);
    });
    inFlight.add(p);
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return out;
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

/** The steps of one item's judgment (FORMATS.md §4), driven synchronously while the judge answers synchronously. */
import { gtSpan, itemLevel, truthy } from '../dataset/runs';
import { answerText, gtText, reasoningText, type Span } from '../text';
import type { ItemJudgment, JudgeItemsOptions, JudgeStepName } from './evaluate';
import { ruleRelevance, UNJUDGED, type RelevanceVerdict, type Verdict } from './judge';
import { jaccard, temporalIou } from './measures';

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

export function isPromise(v: unknown): v is Promise<unknown> {
  return typeof (v as Promise<unknown>)?.then === 'function';
}

/**
 * Runs the steps of one item. Stays synchronous while every judge answer is synchronous (the
 * offline judge), so 50,000 items cost no promise per item; switches to async at the first promise.
 */
export function drive(steps: Steps): ItemJudgment | Promise<ItemJudgment> {
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

/** The steps of one item: yields each judge call, returns the judgment. */
export function* itemSteps(item: Record<string, unknown>, opts: JudgeItemsOptions, index: number): Steps {
  const j = newJudgment(item, opts, index);
  const output = typeof item.model_output === 'string' ? item.model_output : '';
  yield* relevanceStep(item, opts, j, output);
  if (j.predRelevant === null || j.gtRelevant) return j;
  // Steps 2–4: GT-irrelevant items only.
  const texts = new Texts(output, item.gt_output);
  yield* categoriesStep(item, opts, j, texts);
  yield* reasoningStep(item, opts, j, texts);
  yield* sbertStep(item, opts, j, texts);
  return j;
}

/** The reasoning and GT texts of an item, cut from its output when a step first needs them (cached steps never do). */
class Texts {
  #reasoning: string | undefined;
  #gt: string | undefined;
  constructor(
    readonly output: string,
    private readonly gtOutput: unknown,
  ) {}
  get reasoning(): string {
    return (this.#reasoning ??= reasoningText(this.output));
  }
  get gt(): string {
    return (this.#gt ??= gtText(typeof this.gtOutput === 'string' ? this.gtOutput : ''));
  }
}

/** An item's judgment before any step: GT facts only. */
function newJudgment(item: Record<string, unknown>, opts: JudgeItemsOptions, index: number): ItemJudgment {
  return {
    gtRelevant: truthy(item.gt_relevant),
    predRelevant: null,
    predSpan: null,
    iou: null,
    predCategories: null,
    jaccard: null,
    reasoningScore: null,
    sbert: null,
    level: itemLevel(item) ?? opts.levelOf?.(item, index),
    gtCategories: strings(item.gt_categories),
    errors: NONE,
    notComputed: NONE,
  };
}

/**
 * The empty list every judgment starts with (shared: 50,000 items make no 100,000 empty arrays
 * for the garbage collector); `fail` and `skip` give a judgment its own list at the first entry.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];

function fail(j: ItemJudgment, step: JudgeStepName, error: string): void {
  if (j.errors === NONE) j.errors = [];
  j.errors.push({ step, error });
}

function skip(j: ItemJudgment, reason: string): void {
  if (j.notComputed === NONE) j.notComputed = [];
  j.notComputed.push(reason);
}

/** The strings of a list: the list itself when it holds only strings (read only), else a filtered copy. */
function strings(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) return NONE;
  return v.every((c) => typeof c === 'string') ? (v as string[]) : v.filter((c): c is string => typeof c === 'string');
}

type StepGen = Generator<Pending, void, Verdict<unknown>>;

/** The list of one reused step, shared (a run of cached items makes no list per item); copied before a second step joins. */
const ONLY: Record<JudgeStepName, JudgeStepName[]> = {
  relevance: Object.freeze(['relevance']) as unknown as JudgeStepName[],
  categories: Object.freeze(['categories']) as unknown as JudgeStepName[],
  reasoning: Object.freeze(['reasoning']) as unknown as JudgeStepName[],
  sbert: Object.freeze(['sbert']) as unknown as JudgeStepName[],
};

function reused(j: ItemJudgment, step: JudgeStepName): void {
  if (!j.reused) j.reused = ONLY[step];
  else if (Object.isFrozen(j.reused)) j.reused = [...j.reused, step];
  else j.reused.push(step);
}

/** Step 1: relevance and span (cached judgments reused), then the IoU. */
function* relevanceStep(
  item: Record<string, unknown>,
  opts: JudgeItemsOptions,
  j: ItemJudgment,
  output: string,
): StepGen {
  const { judge, signal } = opts;
  const gtRelevant = j.gtRelevant;
  const cachedCorrect = typeof item.classification_correct === 'boolean' ? item.classification_correct : null;
  const cachedIou = isNum(item.iou) ? item.iou : null;
  let verdict: RelevanceVerdict | null = null;
  const needStep1 = cachedCorrect === null || (cachedIou === null && gtRelevant && cachedCorrect);
  if (needStep1) {
    const answer = answerText(output);
    const v = (yield call(() => judge.relevance({ answerText: answer, output }, signal))) as Verdict<RelevanceVerdict>;
    if (v.status === 'ok') {
      verdict = v.value;
      if (opts.disagreements) noteDisagreement(j, ruleRelevance(answer), verdict);
    } else if (v.status === 'error') fail(j, 'relevance', v.error);
    else skip(j, v.reason);
  }
  if (cachedCorrect !== null) {
    j.predRelevant = cachedCorrect ? gtRelevant : !gtRelevant;
    reused(j, 'relevance');
  } else if (verdict) j.predRelevant = verdict.classification === 'relevant';
  if (j.predRelevant === null) return;
  j.predSpan = verdict?.span ?? null;

  const gtSpanV = gtSpan(item.gt_timestamp);
  if (cachedIou !== null) j.iou = cachedIou;
  else if (j.predRelevant !== gtRelevant) j.iou = 0;
  else if (!gtRelevant) j.iou = 1;
  else if (needStep1 && !verdict) j.iou = null;
  else j.iou = gtSpanV && j.predSpan ? temporalIou(gtSpanV, j.predSpan) : 0;
}

function noteDisagreement(j: ItemJudgment, rule: RelevanceVerdict, verdict: RelevanceVerdict): void {
  const sameSpan = (a: Span | null, b: Span | null) =>
    a === null ? b === null : b !== null && a[0] === b[0] && a[1] === b[1];
  if (rule.classification !== verdict.classification || !sameSpan(rule.span, verdict.span))
    j.disagreement = { offline: rule, judge: verdict };
}

/** Step 2: mismatch categories (predicted-irrelevant items with reasoning), then the Jaccard. */
function* categoriesStep(
  item: Record<string, unknown>,
  opts: JudgeItemsOptions,
  j: ItemJudgment,
  texts: Texts,
): StepGen {
  if (Array.isArray(item.pred_categories)) {
    j.predCategories = strings(item.pred_categories);
    reused(j, 'categories');
  } else if (!j.predRelevant && texts.reasoning) {
    const input = { reasoningText: texts.reasoning, output: texts.output };
    const v = (yield call(() => opts.judge.categories(input, opts.signal))) as Verdict<string[]>;
    if (v.status === 'ok') {
      j.predCategories = v.value;
      if (v.note === UNJUDGED) j.categoriesUnjudged = true;
    } else if (v.status === 'error') fail(j, 'categories', v.error);
    else skip(j, v.reason);
  } else {
    j.predCategories = [];
    j.categoriesUnjudged = true;
  }
  if (j.predCategories) j.jaccard = jaccard(j.predCategories, j.gtCategories);
}

/** Step 3: the reasoning score against the GT answer. */
function* reasoningStep(
  item: Record<string, unknown>,
  opts: JudgeItemsOptions,
  j: ItemJudgment,
  texts: Texts,
): StepGen {
  if (isNum(item.reasoning_score)) {
    j.reasoningScore = item.reasoning_score;
    reused(j, 'reasoning');
  } else if (!texts.gt) skip(j, 'reasoning: the item has no GT answer to compare with');
  else {
    const input = { reasoningText: texts.reasoning, gtText: texts.gt };
    const v = (yield call(() => opts.judge.reasoning(input, opts.signal))) as Verdict<number>;
    if (v.status === 'ok') j.reasoningScore = v.value;
    else if (v.status === 'error') fail(j, 'reasoning', v.error);
    else skip(j, v.reason);
  }
}

/** Step 4: SBERT similarity of reasoning and GT answer. */
function* sbertStep(item: Record<string, unknown>, opts: JudgeItemsOptions, j: ItemJudgment, texts: Texts): StepGen {
  if (isNum(item.sbert_similarity)) {
    j.sbert = item.sbert_similarity;
    reused(j, 'sbert');
  } else if (!texts.gt) skip(j, 'sbert: the item has no GT answer to compare with');
  else if (!texts.reasoning) j.sbert = 0;
  else if (opts.similarity) {
    const similarity = opts.similarity;
    const { reasoning, gt } = texts;
    const v = (yield call(() => {
      const s = similarity(reasoning, gt, opts.signal);
      const wrap = (x: number | null): Verdict<number | null> => ({ status: 'ok', value: x });
      return isPromise(s) ? s.then(wrap) : wrap(s);
    })) as Verdict<number | null>;
    if (v.status === 'error') fail(j, 'sbert', v.error);
    else if (v.status === 'ok' && v.value === null) skip(j, 'sbert: no sentence model');
    else if (v.status === 'ok') j.sbert = Math.max(0, Math.min(1, v.value as number));
  } else skip(j, 'sbert: no sentence model (pass --sbert DIR)');
}

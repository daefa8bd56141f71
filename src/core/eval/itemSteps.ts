/** The steps of one item's judgment (FORMATS.md §4), driven synchronously while the judge answers synchronously. */
import { gtSpan, itemLevel, truthy } from '../dataset/runs';
import { answerText, gtText, reasoningText, type Span } from '../text';
import type { ItemJudgment, JudgeItemsOptions, JudgeStepName } from './evaluate';
import { ruleRelevance, UNJUDGED, type RelevanceVerdict, type Verdict } from './judge';
import { jaccard, temporalIou } from './measures';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';

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

/**
 * One item on its way through the steps: the item, its judgment so far, and the reasoning and GT
 * texts cut from its output when a step first needs them (cached steps never do).
 */
class ItemContext {
  readonly output: string;
  #reasoning: string | undefined;
  #gt: string | undefined;
  constructor(
    readonly item: Record<string, unknown>,
    readonly opts: JudgeItemsOptions,
    readonly j: ItemJudgment,
  ) {
    this.output = typeof item.model_output === 'string' ? item.model_output : '';
  }
  get reasoning(): string {
    return (this.#reasoning ??= reasoningText(this.output));
  }
  get gt(): string {
    const g = this.item.gt_output;
    return (this.#gt ??= gtText(typeof g === 'string' ? g : ''));
  }
}

type StepGen = Generator<Pending, void, Verdict<unknown>>;

/**
 * The four steps in order. `settle` finishes a step without the judge when it can (a cached
 * judgment, nothing to judge, a reason it cannot be computed) and says whether it did; `judged`
 * asks the judge. Steps 2–4 are for GT-irrelevant items only.
 */
const STEPS: { settle: (c: ItemContext) => boolean; judged: (c: ItemContext) => StepGen }[] = [
  { settle: settleRelevance, judged: judgedRelevance },
  { settle: settleCategories, judged: judgedCategories },
  { settle: settleReasoning, judged: judgedReasoning },
  { settle: settleSbert, judged: judgedSbert },
];

/** After step `k`, whether the item is done (step 1 failed, or a GT-relevant item). */
const doneAfter = (k: number, j: ItemJudgment) => k === 0 && (j.predRelevant === null || j.gtRelevant);

/**
 * Judges one item: the steps that settle without the judge run in a plain loop (an item whose
 * judgments are all cached makes no generator); from the first step that asks the judge, a
 * generator yields each call for `drive`.
 */
export function itemJudgment(
  item: Record<string, unknown>,
  opts: JudgeItemsOptions,
  index: number,
): ItemJudgment | Promise<ItemJudgment> {
  const c = new ItemContext(item, opts, newJudgment(item, opts, index));
  for (let k = 0; k < STEPS.length; k++) {
    if (!STEPS[k].settle(c)) return drive(stepsFrom(c, k));
    if (doneAfter(k, c.j)) break;
  }
  return c.j;
}

/** Steps `k` (which asks the judge) to the end: yields each judge call, returns the judgment. */
function* stepsFrom(c: ItemContext, k: number): Steps {
  yield* STEPS[k].judged(c);
  while (!doneAfter(k, c.j) && ++k < STEPS.length) if (!STEPS[k].settle(c)) yield* STEPS[k].judged(c);
  return c.j;
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
    // Declared here, though most items never set them: every judgment then has one shape (no
    // property store added per item, no polymorphic reads in the tally, reuse count and columns).
    disagreement: undefined,
    categoriesUnjudged: undefined,
    reused: undefined,
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
  return v.every(isString) ? (v as string[]) : v.filter(isString);
}

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

/** Step 1's cached judgment: whether the item was classified right, and its IoU. */
function cachedRelevance(item: Record<string, unknown>) {
  return {
    correct: typeof item.classification_correct === 'boolean' ? item.classification_correct : null,
    iou: isNum(item.iou) ? item.iou : null,
  };
}

/** Step 1 without the judge when the item says whether it was classified right (and, for a right answerable one, its IoU). */
function settleRelevance(c: ItemContext): boolean {
  const cached = cachedRelevance(c.item);
  if (cached.correct === null || (cached.iou === null && c.j.gtRelevant && cached.correct)) return false;
  applyRelevance(c, cached, null, false);
  return true;
}

/** Step 1 by the judge: relevance and span. */
function* judgedRelevance(c: ItemContext): StepGen {
  const { judge, signal } = c.opts;
  const answer = answerText(c.output);
  const output = c.output;
  const v = (yield call(() => judge.relevance({ answerText: answer, output }, signal))) as Verdict<RelevanceVerdict>;
  let verdict: RelevanceVerdict | null = null;
  if (v.status === 'ok') {
    verdict = v.value;
    if (c.opts.disagreements) noteDisagreement(c.j, ruleRelevance(answer), verdict);
  } else if (v.status === 'error') fail(c.j, 'relevance', v.error);
  else skip(c.j, v.reason);
  applyRelevance(c, cachedRelevance(c.item), verdict, true);
}

/** Step 1's outcome (cached judgments first, then the judge's verdict, if `asked`), then the IoU. */
function applyRelevance(
  c: ItemContext,
  cached: ReturnType<typeof cachedRelevance>,
  verdict: RelevanceVerdict | null,
  asked: boolean,
): void {
  const { j } = c;
  const gtRelevant = j.gtRelevant;
  if (cached.correct !== null) {
    j.predRelevant = cached.correct ? gtRelevant : !gtRelevant;
    reused(j, 'relevance');
  } else if (verdict) j.predRelevant = verdict.classification === 'relevant';
  if (j.predRelevant === null) return;
  j.predSpan = verdict?.span ?? null;
  if (cached.iou !== null) j.iou = cached.iou;
  else if (j.predRelevant !== gtRelevant) j.iou = 0;
  else if (!gtRelevant) j.iou = 1;
  else if (asked && !verdict) j.iou = null;
  else {
    const gt = gtSpan(c.item.gt_timestamp);
    j.iou = gt && j.predSpan ? temporalIou(gt, j.predSpan) : 0;
  }
}

function noteDisagreement(j: ItemJudgment, rule: RelevanceVerdict, verdict: RelevanceVerdict): void {
  const sameSpan = (a: Span | null, b: Span | null) =>
    a === null ? b === null : b !== null && a[0] === b[0] && a[1] === b[1];
  if (rule.classification !== verdict.classification || !sameSpan(rule.span, verdict.span))
    j.disagreement = { offline: rule, judge: verdict };
}

/** Step 2 without the judge: cached categories, or none to judge (predicted relevant, or no reasoning). */
function settleCategories(c: ItemContext): boolean {
  const { item, j } = c;
  if (Array.isArray(item.pred_categories)) {
    j.predCategories = strings(item.pred_categories);
    reused(j, 'categories');
  } else if (!j.predRelevant && c.reasoning) return false;
  else {
    j.predCategories = [];
    j.categoriesUnjudged = true;
  }
  j.jaccard = jaccard(j.predCategories, j.gtCategories);
  return true;
}

/** Step 2 by the judge: mismatch categories of a predicted-irrelevant item, then the Jaccard. */
function* judgedCategories(c: ItemContext): StepGen {
  const { opts, j } = c;
  const input = { reasoningText: c.reasoning, output: c.output };
  const v = (yield call(() => opts.judge.categories(input, opts.signal))) as Verdict<string[]>;
  if (v.status === 'ok') {
    j.predCategories = v.value;
    if (v.note === UNJUDGED) j.categoriesUnjudged = true;
  } else if (v.status === 'error') fail(j, 'categories', v.error);
  else skip(j, v.reason);
  if (j.predCategories) j.jaccard = jaccard(j.predCategories, j.gtCategories);
}

/** Step 3 without the judge: a cached score, or no GT answer to score against. */
function settleReasoning(c: ItemContext): boolean {
  const { item, j } = c;
  if (isNum(item.reasoning_score)) {
    j.reasoningScore = item.reasoning_score;
    reused(j, 'reasoning');
  } else if (!c.gt) skip(j, 'reasoning: the item has no GT answer to compare with');
  else return false;
  return true;
}

/** Step 3 by the judge: the reasoning score against the GT answer. */
function* judgedReasoning(c: ItemContext): StepGen {
  const { opts, j } = c;
  const input = { reasoningText: c.reasoning, gtText: c.gt };
  const v = (yield call(() => opts.judge.reasoning(input, opts.signal))) as Verdict<number>;
  if (v.status === 'ok') j.reasoningScore = v.value;
  else if (v.status === 'error') fail(j, 'reasoning', v.error);
  else skip(j, v.reason);
}

/** Step 4 without the model: a cached similarity, nothing to compare, or no sentence model. */
function settleSbert(c: ItemContext): boolean {
  const { item, j } = c;
  if (isNum(item.sbert_similarity)) {
    j.sbert = item.sbert_similarity;
    reused(j, 'sbert');
  } else if (!c.gt) skip(j, 'sbert: the item has no GT answer to compare with');
  else if (!c.reasoning) j.sbert = 0;
  else if (c.opts.similarity) return false;
  else skip(j, 'sbert: no sentence model (pass --sbert DIR)');
  return true;
}

/** Step 4 by the sentence model: SBERT similarity of reasoning and GT answer. */
function* judgedSbert(c: ItemContext): StepGen {
  const { opts, j } = c;
  const similarity = opts.similarity as NonNullable<JudgeItemsOptions['similarity']>;
  const { reasoning, gt } = c;
  const v = (yield call(() => {
    const s = similarity(reasoning, gt, opts.signal);
    const wrap = (x: number | null): Verdict<number | null> => ({ status: 'ok', value: x });
    return isPromise(s) ? s.then(wrap) : wrap(s);
  })) as Verdict<number | null>;
  if (v.status === 'error') fail(j, 'sbert', v.error);
  else if (v.status === 'ok' && v.value === null) skip(j, 'sbert: no sentence model');
  else if (v.status === 'ok') j.sbert = Math.max(0, Math.min(1, v.value as number));
}

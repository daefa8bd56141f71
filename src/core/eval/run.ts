/**
 * The one evaluation driver (FORMATS.md §4): read and validate the items, judge them with any
 * judge, aggregate the metrics and say what the figures rest on. The CLI's `evaluate`, the
 * extension's "Evaluate Run" and the dashboard only present what it returns.
 */
import type { Problem } from '../problems';
import {
  itemWithJudgment,
  judgeItem,
  judgeItemsInto,
  withoutJudgments,
  type ItemJudgment,
  type Similarity,
} from './evaluate';
import { isPromise } from './itemSteps';
import { JudgmentStore } from './judgmentStore';
import { hasJudgments } from '../dataset/runs';
import { judgeThatWrote, reusedJudgments, type ReusedJudgments } from './reuse';
import type { Judge, RelevanceVerdict } from './judge';
import { computeMetrics, MetricsTally, type Metrics } from './metrics';
import { readItems, validateItems, type ItemsFile } from './read';

/** A judge built for one run (the judge factory's product), with what it reports afterwards. */
export interface JudgeSetup {
  judge: Judge;
  /** Lines printed after the evaluation summary (usage, cost, cache hits…). */
  report?: () => string;
  /** Extra keys merged into metrics.evaluation (usage, prompt version…). */
  metricsInfo?: () => Record<string, unknown>;
  /** Releases resources (flushes caches, closes clients). */
  close?: () => Promise<void>;
  /** Items judged at once (enough to keep the request pool busy). */
  itemConcurrency?: number;
  /** Record where the offline rule and this judge disagree on step 1. */
  disagreements?: boolean;
  /** What the judge is waiting for right now (a slow server, a 429 back-off), if anything. */
  waiting?: () => string | undefined;
}

/** Where a run is. */
export type EvaluationPhase = 'read' | 'parse' | 'validate' | 'judge' | 'aggregate';

/** One progress report: items done of total in a phase, and what the run waits for. */
export interface EvaluationProgress {
  phase: EvaluationPhase;
  done: number;
  total: number;
  /** Free text from the judge ("waiting for http://…: 8 requests in flight, 12 s without a reply"). */
  waiting?: string;
}

/** Options of `runEvaluation`. */
export interface EvaluationOptions {
  /** The items file to read, or items already in memory (with their file and text, to place problems). */
  input: string | ItemsFile;
  judge: JudgeSetup;
  /** Step 4's sentence similarity; without it SBERT similarity is not computed (unless cached). */
  similarity?: Similarity;
  /** Exclude items with validation errors (listed in the report) instead of stopping. */
  skipInvalid?: boolean;
  /** How often a quiet run reports progress anyway, with the judge's `waiting` (ms; default 5000). */
  heartbeatMs?: number;
  /** Judge every item again, ignoring judgments cached in the input (an earlier evaluation's keys). */
  rejudge?: boolean;
}

/** One item where the offline rule and the judge answered step 1 differently. */
export interface Disagreement {
  index: number;
  video: unknown;
  query: unknown;
  offline: RelevanceVerdict;
  judge: RelevanceVerdict;
}

/** What the figures rest on, and what went wrong on the way. */
export interface EvaluationReport {
  judge: string;
  /** Items in the input, and items the figures rest on (`num_items`). */
  items: number;
  judged: number;
  /** Items left out after judge errors (step 1), and items with any judge error. */
  excluded: number;
  failedItems: number;
  errorsByStep: Record<string, number>;
  /** Validation errors (with `skipInvalid`, those items were left out). */
  invalid: Problem[];
  /** Validation warnings, counted by code (the items were judged anyway). */
  warningsByCode: Record<string, number>;
  /** Per-item reasons something was not computed → count; figures with nothing behind them. */
  notComputed: Record<string, number>;
  notComputedFigures: string[];
  disagreements?: { count: number; items: Disagreement[] };
  /** The judge's own lines (usage, cost, cache). */
  judgeReport?: string;
  /** Judgments read from the input instead of asked of this run's judge, and who made them. */
  reused: ReusedJudgments;
}

/** What `runEvaluation` returns. */
export interface EvaluationResult {
  metrics: Metrics;
  /** The judged items, in input order (without the ones `skipInvalid` left out). */
  items: Record<string, unknown>[];
  /** The judgments, in the items' order (built from `store` on first use). */
  readonly judgments: ItemJudgment[];
  /** The judgments as the run keeps them, in columns. */
  store: JudgmentStore;
  /** The items file rows: every input key kept, judgments added. */
  rows(): Record<string, unknown>[];
  report: EvaluationReport;
}

/** Validation errors that stop a run before anything is judged. */
export class InvalidItemsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} item${problems.length === 1 ? '' : 's'} failed validation`);
  }
}

function disagreementList(items: Record<string, unknown>[], store: JudgmentStore) {
  const list: Disagreement[] = [];
  for (const [index, d] of [...store.disagreements].sort((a, b) => a[0] - b[0]))
    list.push({ index, video: items[index].video, query: items[index].query, ...d });
  return { count: list.length, items: list };
}

/** Judges what validation let through, reporting progress (and a heartbeat while it waits). */
async function judgeWithProgress(
  items: Record<string, unknown>[],
  options: EvaluationOptions,
  signal: AbortSignal | undefined,
  onProgress: ((p: EvaluationProgress) => void) | undefined,
): Promise<JudgmentStore> {
  const setup = options.judge;
  let done = 0;
  const report = () => onProgress?.({ phase: 'judge', done, total: items.length, waiting: setup.waiting?.() });
  const beat = onProgress ? setInterval(report, options.heartbeatMs ?? 5000) : undefined;
  beat?.unref();
  try {
    return await judgeItemsInto(items, {
      judge: setup.judge,
      similarity: options.similarity,
      signal,
      concurrency: setup.itemConcurrency,
      disagreements: setup.disagreements,
      onProgress: (d) => {
        done = d;
        report();
      },
    });
  } finally {
    clearInterval(beat);
  }
}

/**
 * With a local judge (it answers at once and asks no one: the offline judge) and no sentence
 * model, each item is judged in the validation pass, right after it is checked: one pass over
 * 50,000 items instead of two (three, with the metrics' sums). What it judged is used only if no item failed validation (the
 * judgments of items left out would be misplaced); a judge that asks a server never gets here, so
 * a run that validation stops sends no request.
 */
function localJudging(length: number, options: EvaluationOptions, signal: AbortSignal | undefined) {
  const setup = options.judge;
  if (!setup.judge.local || options.similarity || options.rejudge) return undefined;
  const store = new JudgmentStore(length);
  // Summed as it goes, too: the metrics need no pass of their own.
  const tally = new MetricsTally();
  const opts = { judge: setup.judge, signal, disagreements: setup.disagreements };
  return {
    each(item: Record<string, unknown>, i: number) {
      if ((i & 1023) === 0) signal?.throwIfAborted();
      const j = judgeItem(item, opts, i);
      if (isPromise(j)) throw new Error(`the ${setup.judge.name} judge is local but answered item ${i} asynchronously`);
      store.set(i, j);
      tally.add(j);
    },
    done(onProgress: ((p: EvaluationProgress) => void) | undefined) {
      onProgress?.({ phase: 'judge', done: length, total: length });
      return { store, tally };
    },
  };
}

/**
 * Runs one evaluation: reads (unless given items), validates with the `index` rules (errors
 * stop it with `InvalidItemsError` unless `skipInvalid`), judges, aggregates. Aborting the
 * signal stops it with an AbortError; the judge's cache keeps what was done.
 */
export async function runEvaluation(
  options: EvaluationOptions,
  signal?: AbortSignal,
  onProgress?: (p: EvaluationProgress) => void,
): Promise<EvaluationResult> {
  const file =
    typeof options.input === 'string'
      ? await readItems(options.input, (phase) => onProgress?.({ phase, done: 1, total: 1 }))
      : options.input;
  signal?.throwIfAborted();
  // Items with cached judgments: which judge made them is looked up beside the file while they are judged.
  const writer = !options.rejudge && hasJudgments(file.items) ? judgeThatWrote(file.path) : undefined;
  const early = localJudging(file.items.length, options, signal);
  const { errors, warningsByCode } = validateItems(file, early?.each);
  onProgress?.({ phase: 'validate', done: file.items.length, total: file.items.length });
  if (errors.length && !options.skipInvalid) throw new InvalidItemsError(errors);
  const bad = new Set(errors.map((p) => p.path?.[0]).filter((i): i is number => typeof i === 'number'));
  const kept = bad.size ? file.items.filter((_, i) => !bad.has(i)) : file.items;
  const items = options.rejudge ? kept.map(withoutJudgments) : kept;

  // Judged in the validation pass when every item was valid; else (items left out) judged now.
  const judged =
    early && !errors.length
      ? early.done(onProgress)
      : { store: await judgeWithProgress(items, options, signal, onProgress), tally: undefined };
  const { store } = judged;
  const setup = options.judge;
  const metrics = computeMetrics(judged.tally ?? store, { judge: setup.judge.name, itemsInvalid: bad.size });
  Object.assign(metrics.evaluation, setup.metricsInfo?.() ?? {});
  const disagreements = setup.disagreements ? disagreementList(items, store) : undefined;
  if (disagreements) Object.assign(metrics.evaluation, { judge_disagreements: disagreements });
  const reused = await reusedJudgments(store, file.path, writer);
  if (reused.items) Object.assign(metrics.evaluation, { reused_judgments: reused });
  onProgress?.({ phase: 'aggregate', done: 1, total: 1 });
  const ev = metrics.evaluation;
  let judgments: ItemJudgment[] | undefined;
  return {
    metrics,
    items,
    get judgments() {
      return (judgments ??= store.all());
    },
    store,
    rows: () => items.map((it, i) => itemWithJudgment(it, store.get(i))),
    report: {
      judge: ev.judge,
      items: file.items.length,
      judged: metrics.num_items,
      excluded: ev.items_excluded,
      failedItems: store.errors.size,
      errorsByStep: ev.judge_errors_by_step,
      invalid: errors,
      warningsByCode,
      notComputed: ev.not_computed.items_by_reason,
      notComputedFigures: ev.not_computed.figures,
      disagreements,
      judgeReport: setup.report?.(),
      reused,
    },
  };
}

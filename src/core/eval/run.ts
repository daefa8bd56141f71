/**
 * The one evaluation driver (FORMATS.md §4): read and validate the items, judge them with any
 * judge, aggregate the metrics and say what the figures rest on. The CLI's `evaluate`, the
 * extension's "Evaluate Run" and the dashboard only present what it returns.
 */
import type { Problem } from '../problems';
import { itemWithJudgment, judgeItemsInto, withoutJudgments, type ItemJudgment, type Similarity } from './evaluate';
import type { JudgmentStore } from './judgmentStore';
import { hasJudgments } from '../dataset/runs';
import type { WorkerThreads } from '../threads/pool';
import { judgeThatWrote, reusedJudgments, type ReusedCounts, type ReusedJudgments } from './reuse';
import type { Judge, RelevanceVerdict } from './judge';
import { computeMetrics, type MetricsTally, type Metrics } from './metrics';
import { localJudging } from './onePass';
import { judgeInParts, splits } from './parts';
import { readItems, readItemsSync, validateItems, type ItemsFile } from './read';

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
  /**
   * Worker threads for a large file judged offline: a worker reads, checks and judges the second
   * half of the file while this thread does the first (eval/parts.ts). The second half's items
   * then stay in the worker, and the result's `items` and `rows()` read the file again when asked:
   * give threads to a caller that keeps only the metrics and the report.
   */
  threads?: WorkerThreads;
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
  /** Items in the input, items judged (the input without what `skipInvalid` left out), and items the figures rest on (`num_items`). */
  items: number;
  kept: number;
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
  /** Threads that read and judged the items: 2 when a worker took the second part (`threads`). */
  threads: number;
  /** Judgments read from the input instead of asked of this run's judge, and who made them. */
  reused: ReusedJudgments;
}

/** What `runEvaluation` returns. */
export interface EvaluationResult {
  metrics: Metrics;
  /** The judged items, in input order (without the ones `skipInvalid` left out); read again from the file when a worker kept some (`threads`). */
  readonly items: Record<string, unknown>[];
  /** The judgments, in the items' order (built from `store` on first use). */
  readonly judgments: ItemJudgment[];
  /** The judgments as the run keeps them, in columns (judged again in this thread when a worker kept some). */
  readonly store: JudgmentStore;
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
 * Runs one evaluation: reads (unless given items), validates with the `index` rules (errors
 * stop it with `InvalidItemsError` unless `skipInvalid`), judges, aggregates. Aborting the
 * signal stops it with an AbortError; the judge's cache keeps what was done.
 */
export async function runEvaluation(
  options: EvaluationOptions,
  signal?: AbortSignal,
  onProgress?: (p: EvaluationProgress) => void,
): Promise<EvaluationResult> {
  if (splits(options, options.threads)) {
    const path = options.input as string;
    const phase = (p: EvaluationPhase) => onProgress?.({ phase: p, done: 1, total: 1 });
    const parts = await judgeInParts(path, options, options.threads!, signal, phase);
    if (parts) {
      const all = parts.count;
      onProgress?.({ phase: 'validate', done: all, total: all });
      onProgress?.({ phase: 'judge', done: all, total: all });
      // The judgments' lists stayed in the worker: what needs them judges the file again, in this thread.
      let whole: { items: Record<string, unknown>[]; store: JudgmentStore } | undefined;
      const again = () => {
        if (whole) return whole;
        const file = readItemsSync(path);
        const one = localJudging(file.items.length, options, undefined)!;
        validateItems(file, one.each);
        return (whole = { items: file.items, store: one.store });
      };
      return finish(options, onProgress, {
        path,
        inputCount: all,
        kept: all,
        items: () => again().items,
        store: () => again().store,
        tally: parts.tally,
        failedItems: parts.failedItems,
        reused: parts.reused,
        errors: [],
        warningsByCode: parts.warningsByCode,
        invalid: 0,
        writer: parts.writer,
        threads: 2,
      });
    }
  }
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

  // Judged in the validation pass when every item was valid (the judgments of items left out
  // would be misplaced); else judged now, without them.
  let judged: { store: JudgmentStore; tally?: MetricsTally };
  if (early && !errors.length) {
    onProgress?.({ phase: 'judge', done: file.items.length, total: file.items.length });
    judged = early;
  } else judged = { store: await judgeWithProgress(items, options, signal, onProgress) };
  const { store } = judged;
  return finish(options, onProgress, {
    path: file.path,
    inputCount: file.items.length,
    kept: items.length,
    items: () => items,
    store: () => store,
    tally: judged.tally,
    failedItems: store.errors.size,
    errors,
    warningsByCode,
    invalid: bad.size,
    writer,
    threads: 1,
  });
}

/** What a run judged, however it was read. */
interface Judged {
  path: string;
  /** Items in the input. */
  inputCount: number;
  /** Items judged (the input without the ones left out after validation errors). */
  kept: number;
  /** The judged items and their judgments (read and judged again when a worker kept some). */
  items: () => Record<string, unknown>[];
  store: () => JudgmentStore;
  /** The metrics' sums, when the judging summed them as it went. */
  tally?: MetricsTally;
  failedItems: number;
  /** The reused judgments counted, when the judging counted them (else counted from the store). */
  reused?: ReusedCounts;
  threads: number;
  errors: Problem[];
  warningsByCode: Record<string, number>;
  /** Items left out after validation errors. */
  invalid: number;
  writer: Promise<string | null> | undefined;
}

/** Aggregates the metrics and writes the report. */
async function finish(
  options: EvaluationOptions,
  onProgress: ((p: EvaluationProgress) => void) | undefined,
  run: Judged,
): Promise<EvaluationResult> {
  const setup = options.judge;
  const metrics = computeMetrics(run.tally ?? run.store(), { judge: setup.judge.name, itemsInvalid: run.invalid });
  Object.assign(metrics.evaluation, setup.metricsInfo?.() ?? {});
  const disagreements = setup.disagreements ? disagreementList(run.items(), run.store()) : undefined;
  if (disagreements) Object.assign(metrics.evaluation, { judge_disagreements: disagreements });
  const reused = await reusedJudgments(run.reused ?? run.store(), run.path, run.writer);
  if (reused.items) Object.assign(metrics.evaluation, { reused_judgments: reused });
  onProgress?.({ phase: 'aggregate', done: 1, total: 1 });
  const ev = metrics.evaluation;
  let judgments: ItemJudgment[] | undefined;
  return {
    metrics,
    get items() {
      return run.items();
    },
    get judgments() {
      return (judgments ??= run.store().all());
    },
    get store() {
      return run.store();
    },
    rows: () => {
      const store = run.store();
      return run.items().map((it, i) => itemWithJudgment(it, store.get(i)));
    },
    report: {
      judge: ev.judge,
      items: run.inputCount,
      kept: run.kept,
      judged: metrics.num_items,
      excluded: ev.items_excluded,
      failedItems: run.failedItems,
      errorsByStep: ev.judge_errors_by_step,
      invalid: run.errors,
      warningsByCode: run.warningsByCode,
      notComputed: ev.not_computed.items_by_reason,
      notComputedFigures: ev.not_computed.figures,
      disagreements,
      judgeReport: setup.report?.(),
      reused,
      threads: run.threads,
    },
  };
}

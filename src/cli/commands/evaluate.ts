/** `rarft evaluate <items.json> --out <metrics.json> [--items-out <items.json>] [judge options] [sbert options]` */
import { resolve } from 'node:path';
import { writeEvaluation } from '../../core/eval/write';
import { BUILT_WORKER, takeEarlyWorker, WorkerThreads } from '../../core/threads/pool';
import { InvalidItemsError, runEvaluation, type EvaluationResult, type JudgeSetup } from '../../core/eval/run';
import {
  abortOnSignals,
  checkOutputsForCli,
  CliError,
  mark,
  parse,
  profileNote,
  progressReporter,
  userErrors,
  type Command,
} from '../io';
import { evaluateOptionSpec, twoPartInput } from '../evaluateSpec';
import { createJudge, disagreementLines, judgeUsage } from '../judgeOptions';
import { createSimilarity, sbertUsage } from '../sbertOptions';
import { dryRun } from './evaluatePlan';
import { problemLines, summary } from './evaluateSummary';

export const evaluateUsage = (
  'rarft evaluate <items.json> --out <metrics.json> [--items-out <items.json>] [--skip-invalid] [--rejudge] ' +
  `[--max-judge-errors N|P%] [--force] [--dry-run [--json]] ${judgeUsage} ${sbertUsage}`
).trim();

/** The `evaluate` command. */
export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: evaluateUsage,
  async run(args) {
    const { values, positionals } = parse(args, evaluateOptionSpec);
    if (values.json && !values['dry-run']) throw new CliError('--json: only with --dry-run', 2);
    if (positionals.length === 1 && values['dry-run']) return dryRun(positionals[0], values);
    if (positionals.length !== 1 || typeof values.out !== 'string') throw new CliError(`usage: ${evaluateUsage}`, 2);
    const itemsOut = values['items-out'] as string | undefined;
    if (itemsOut !== undefined && resolve(itemsOut) === resolve(values.out))
      throw new CliError(`--out and --items-out name the same file (${values.out}); give each its own`, 2);
    allowedFailures(values['max-judge-errors'], 0);
    return runEvaluate(positionals[0], values.out, itemsOut, values, twoPartInput(values, positionals) !== undefined);
  },
};

/** `--max-judge-errors N` or `P%`: how many failed items still allow exit 0 (default none). */
function allowedFailures(v: unknown, items: number): number {
  if (v === undefined) return 0;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(String(v));
  const n = m ? Number(m[1]) : NaN;
  if (!m || !Number.isFinite(n) || (m[2] === '%' && n > 100) || (m[2] !== '%' && !Number.isInteger(n)))
    throw new CliError(`--max-judge-errors: expected a whole number N or a percentage P% (0–100), got '${v}'`, 2);
  return m[2] === '%' ? Math.floor((n / 100) * items) : n;
}

async function evaluateWithProgress(
  input: string,
  setup: JudgeSetup,
  values: Record<string, unknown>,
  threads: WorkerThreads | undefined,
) {
  const sbert = await createSimilarity(values);
  const stop = abortOnSignals();
  const progress = progressReporter('evaluating');
  try {
    return await userErrors(() =>
      runEvaluation(
        {
          input,
          judge: setup,
          similarity: sbert.similarity,
          skipInvalid: !!values['skip-invalid'],
          rejudge: !!values.rejudge,
          threads,
        },
        stop.signal,
        (p) => {
          if (p.phase === 'judge') {
            progress.update(p.done, p.total, p.waiting);
            if (p.done === p.total) mark('judge');
          } else mark(p.phase);
        },
      ),
    );
  } catch (e) {
    if (e instanceof InvalidItemsError)
      throw new CliError(
        [
          `${input}: ${e.message}; nothing was judged. Fix them, or pass --skip-invalid to leave those items out:`,
          ...problemLines(e.problems),
        ].join('\n'),
      );
    // Stopped (Ctrl-C, SIGTERM): say what was done; the judge's cache keeps it for the rerun.
    if ((e as Error)?.name === 'AbortError' && setup.report) process.stderr.write(`\n${setup.report()}\n`);
    throw e;
  } finally {
    progress.end();
    stop.dispose();
    await sbert.close?.();
  }
}

/** Runs the evaluation; returns the exit code. */
export async function runEvaluate(
  input: string,
  out: string,
  itemsOut: string | undefined,
  values: Record<string, unknown>,
  twoParts = false,
): Promise<number> {
  // A run that writes only the metrics, judged offline, goes in two parts: a worker judges the
  // second part of a large file while this thread does the first (core/eval/parts.ts). The
  // worker bin/rarft.js started before the bundle has begun on its part already.
  const early = takeEarlyWorker();
  const threads = twoParts ? new WorkerThreads(BUILT_WORKER, 1, early) : undefined;
  if (!threads) void early?.worker.terminate();
  try {
    return await evaluateTo(input, out, itemsOut, values, threads);
  } finally {
    await threads?.close();
  }
}

async function evaluateTo(
  input: string,
  out: string,
  itemsOut: string | undefined,
  values: Record<string, unknown>,
  threads: WorkerThreads | undefined,
): Promise<number> {
  await checkOutputsForCli(
    [
      { option: '--out', path: out, kind: 'metrics' },
      ...(itemsOut ? [{ option: '--items-out', path: itemsOut, kind: 'evaluation-items' as const }] : []),
    ],
    [{ option: 'items', path: input }],
    !!values.force,
  );
  const setup = await createJudge(values);
  try {
    const result = await evaluateWithProgress(input, setup, values, threads);
    await writeEvaluation(result, out, itemsOut);
    mark('write');
    profileNote('threads', result.report.threads);
    present(result);
    return exitCode(result, values, itemsOut);
  } finally {
    await setup.close?.();
  }
}

function present(result: EvaluationResult): void {
  const r = result.report;
  process.stdout.write(summary(result.metrics, r) + '\n');
  if (r.reused.items) process.stdout.write(reusedLine(r) + '\n');
  if (r.judgeReport) process.stdout.write(r.judgeReport + '\n');
  if (r.disagreements) process.stdout.write(disagreementLines(r.disagreements) + '\n');
}

/** Says how many judgments came from the input rather than this run's judge, and how to redo them. */
function reusedLine(r: EvaluationResult['report']): string {
  const steps = Object.entries(r.reused.by_step)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  const by = r.reused.judge ? `judged by ${r.reused.judge}` : 'judge unknown: no metrics.json of ours names this file';
  return (
    `reused the input's cached judgments for ${r.reused.items} of ${r.items} items (${steps}; ${by}), ` +
    `not asked of the ${r.judge} judge; pass --rejudge to judge them again`
  );
}

/** 1 when judgments failed (beyond --max-judge-errors) or nothing could be judged: the files are written all the same. */
function exitCode(result: EvaluationResult, values: Record<string, unknown>, itemsOut: string | undefined): number {
  const r = result.report;
  const where = itemsOut
    ? `the errors are in each item's judge_errors (${itemsOut})`
    : "pass --items-out FILE to keep each item's judge_errors";
  const why = Object.entries(r.errorsByStep)
    .map(([step, n]) => `${n} ${step} errors`)
    .join(', ');
  // Counted in the report: a worker may hold some of the items (`items` would read them again).
  const judgedItems = r.kept;
  if (judgedItems && !r.judged)
    // Every item was left out after judge errors: the figures above are empty, not a result.
    throw new CliError(`no item could be judged (${why}); the metrics are empty. ${where}`);
  const allowed = allowedFailures(values['max-judge-errors'], judgedItems);
  if (r.failedItems > allowed)
    throw new CliError(
      `${r.failedItems} of ${judgedItems} items have failed judgments (${why})` +
        `${allowed ? `, more than --max-judge-errors allows (${allowed})` : ''}; the figures leave them out. ` +
        `${where}; rerun the same command to retry only those`,
    );
  return 0;
}

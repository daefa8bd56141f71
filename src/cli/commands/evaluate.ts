/** `rarft evaluate <items.json> --out <metrics.json> [--items-out <items.json>] [judge options] [sbert options]` */
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../core/fsAtomic';
import { itemWithJudgment, judgeItems } from '../../core/eval/evaluate';
import { computeMetrics, type Metrics } from '../../core/eval/metrics';
import { CliError, fmt, mark, parse, progressReporter, readItemsFile, table, type Command } from '../io';
import { createJudge, disagreementLines, disagreementList, judgeOptionSpec, judgeUsage } from '../judgeOptions';
import { createSimilarity, sbertOptionSpec, sbertUsage } from '../sbertOptions';

export const evaluateUsage =
  `rarft evaluate <items.json> --out <metrics.json> [--items-out <items.json>] ${judgeUsage} ${sbertUsage}`.trim();

/** The `evaluate` command. */
export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: evaluateUsage,
  async run(args) {
    const { values, positionals } = parse(args, {
      out: { type: 'string' },
      'items-out': { type: 'string' },
      ...judgeOptionSpec,
      ...sbertOptionSpec,
    });
    if (positionals.length !== 1 || typeof values.out !== 'string') throw new CliError(`usage: ${evaluateUsage}`, 2);
    const itemsOut = values['items-out'] as string | undefined;
    if (itemsOut !== undefined && resolve(itemsOut) === resolve(values.out))
      throw new CliError(`--out and --items-out name the same file (${values.out}); give each its own`, 2);
    return runEvaluate(positionals[0], values.out, itemsOut, values);
  },
};

/** Runs the evaluation; returns the exit code. */
export async function runEvaluate(
  input: string,
  out: string,
  itemsOut: string | undefined,
  values: Record<string, unknown>,
): Promise<number> {
  const setup = await createJudge(values);
  const sbert = await createSimilarity(values);
  try {
    const items = await readItemsFile(input);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    const progress = progressReporter('evaluating');
    let judgments;
    try {
      judgments = await judgeItems(items, {
        judge: setup.judge,
        similarity: sbert.similarity,
        signal: controller.signal,
        onProgress: (d, t) => progress.update(d, t),
        concurrency: setup.itemConcurrency,
        disagreements: setup.disagreements,
      });
    } catch (e) {
      // Stopped (Ctrl-C): say what was done; the judge's cache keeps it for the rerun.
      if ((e as Error)?.name === 'AbortError' && setup.report) process.stderr.write(`\n${setup.report()}\n`);
      throw e;
    } finally {
      progress.end();
      process.off('SIGINT', onSigint);
    }
    mark('judge');
    const metrics = computeMetrics(judgments, { judge: setup.judge.name });
    mark('aggregate');
    Object.assign(metrics.evaluation, setup.metricsInfo?.() ?? {});
    const disagreements = setup.disagreements ? disagreementList(items, judgments) : undefined;
    if (disagreements) Object.assign(metrics.evaluation, { judge_disagreements: disagreements });
    await writeFileAtomic(out, JSON.stringify(metrics, null, 2) + '\n');
    if (itemsOut) {
      const rows = items.map((it, i) => itemWithJudgment(it, judgments[i]));
      await writeFileAtomic(itemsOut, JSON.stringify(rows, null, 2) + '\n');
    }
    mark('write');
    process.stdout.write(summary(metrics) + '\n');
    const report = setup.report?.();
    if (report) process.stdout.write(report + '\n');
    if (disagreements) process.stdout.write(disagreementLines(disagreements) + '\n');
    if (items.length && !metrics.num_items) {
      // Every item was left out after judge errors: the figures above are empty, not a result.
      const why = Object.entries(metrics.evaluation.judge_errors_by_step)
        .map(([step, n]) => `${n} ${step} errors`)
        .join(', ');
      throw new CliError(
        `no item could be judged (${why}); the metrics are empty. The errors are in each item's judge_errors${itemsOut ? ` (${itemsOut})` : ' (--items-out)'}`,
      );
    }
    return 0;
  } finally {
    await setup.close?.();
    await sbert.close?.();
  }
}

/** The short summary table printed after an evaluation. */
export function summary(m: Metrics): string {
  const r = m.relevance;
  const lines: string[] = [];
  lines.push(
    `${m.num_items} items judged (${m.evaluation.judge})` +
      (m.evaluation.items_excluded ? `, ${m.evaluation.items_excluded} excluded after judge errors` : ''),
  );
  lines.push(
    table([
      ['metric', 'value'],
      ['accuracy', fmt(r.overall_accuracy)],
      [
        'relevant P/R/F1',
        `${fmt(r.per_class.relevant.precision)} / ${fmt(r.per_class.relevant.recall)} / ${fmt(r.per_class.relevant.f1)}`,
      ],
      [
        'irrelevant P/R/F1',
        `${fmt(r.per_class.irrelevant.precision)} / ${fmt(r.per_class.irrelevant.recall)} / ${fmt(r.per_class.irrelevant.f1)}`,
      ],
      ['confusion TP/FP/FN/TN', `${r.confusion.TP} / ${r.confusion.FP} / ${r.confusion.FN} / ${r.confusion.TN}`],
      ['RA-IoU mean', fmt(m['RA-IoU'].mean_all)],
      [
        'R@0.3 / 0.5 / 0.7',
        `${fmt(m['RA-IoU']['R@0.3'], 1)} / ${fmt(m['RA-IoU']['R@0.5'], 1)} / ${fmt(m['RA-IoU']['R@0.7'], 1)}`,
      ],
      ['RT-IoU', fmt(m['RT-IoU'])],
      [
        'reasoning (irrelevant / TN)',
        `${fmt(m.irrelevant_samples.mean_reasoning_score, 2)} / ${fmt(m.true_negative_samples.mean_reasoning_score, 2)}`,
      ],
      [
        'SBERT (irrelevant / TN)',
        `${fmt(m.irrelevant_samples.mean_sbert_similarity)} / ${fmt(m.true_negative_samples.mean_sbert_similarity)}`,
      ],
    ]),
  );
  const rows: (string | number)[][] = [['level', 'items', 'accuracy', 'F1', 'RA-IoU', 'R@0.5', 'RT-IoU']];
  const byLevel = m.hardness_level_analysis.metrics_by_hardness_level as Record<
    string,
    { total: number; accuracy: number; f1: number; 'RA-IoU': { mean_all: number; 'R@0.5': number }; 'RT-IoU': number }
  >;
  for (const [level, v] of Object.entries(byLevel)) {
    rows.push([
      level,
      v.total,
      fmt(v.accuracy),
      fmt(v.f1),
      fmt(v['RA-IoU'].mean_all),
      fmt(v['RA-IoU']['R@0.5'], 1),
      fmt(v['RT-IoU']),
    ]);
  }
  lines.push('', table(rows));
  const nc = Object.entries(m.evaluation.not_computed);
  if (nc.length) {
    lines.push('', 'not computed:');
    for (const [why, n] of nc) lines.push(`  ${n} × ${why}`);
  }
  const errs = Object.entries(m.evaluation.judge_errors_by_step);
  if (errs.length) {
    lines.push('', 'judge errors (items left out of the metrics they affect):');
    for (const [step, n] of errs) lines.push(`  ${step}: ${n}`);
  }
  return lines.join('\n');
}

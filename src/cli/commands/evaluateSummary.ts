/** What `rarft evaluate` prints: the summary table, the level table, what is missing and why. */
import type { Metrics } from '../../core/eval/metrics';
import type { EvaluationReport } from '../../core/eval/run';
import type { Problem } from '../../core/problems';
import { fmt, table } from '../io';

/** A figure for the tables: `–` when nothing is behind it (listed in evaluation.not_computed.figures). */
function figure(empty: Set<string>, path: string, v: number | null | undefined, digits = 3): string {
  let p = path;
  for (;;) {
    if (empty.has(p)) return '–';
    const cut = p.lastIndexOf('.');
    if (cut < 0) break;
    p = p.slice(0, cut);
  }
  return fmt(v, digits);
}

/** The first line: how many items the figures rest on, and why the others are not among them. */
export function restsOn(r: EvaluationReport): string {
  const why: string[] = [];
  if (r.invalid.length) why.push(`${new Set(r.invalid.map((p) => p.path?.[0])).size} invalid items skipped`);
  if (r.excluded) why.push(`${r.excluded} left out after judge errors`);
  return `${r.judged} items judged (${r.judge}): the figures rest on ${r.judged} of ${r.items} items${why.length ? ` (${why.join(', ')})` : ''}`;
}

function mainTable(m: Metrics, f: (path: string, v: number | null | undefined, d?: number) => string): string {
  const r = m.relevance;
  const pc = (k: 'relevant' | 'irrelevant') => {
    const c = r.per_class[k];
    return `${f('relevance', c.precision)} / ${f('relevance', c.recall)} / ${f('relevance', c.f1)}`;
  };
  const ra = m['RA-IoU'];
  return table([
    ['metric', 'value'],
    ['accuracy', f('relevance', r.overall_accuracy)],
    ['relevant P/R/F1', pc('relevant')],
    ['irrelevant P/R/F1', pc('irrelevant')],
    ['confusion TP/FP/FN/TN', `${r.confusion.TP} / ${r.confusion.FP} / ${r.confusion.FN} / ${r.confusion.TN}`],
    ['RA-IoU mean', f('RA-IoU', ra.mean_all)],
    [
      'R@0.3 / 0.5 / 0.7',
      `${f('RA-IoU', ra['R@0.3'], 1)} / ${f('RA-IoU', ra['R@0.5'], 1)} / ${f('RA-IoU', ra['R@0.7'], 1)}`,
    ],
    ['RT-IoU', f('RT-IoU', m['RT-IoU'])],
    [
      'reasoning (irrelevant / TN)',
      `${f('irrelevant_samples.mean_reasoning_score', m.irrelevant_samples.mean_reasoning_score, 2)} / ` +
        `${f('true_negative_samples.mean_reasoning_score', m.true_negative_samples.mean_reasoning_score, 2)}`,
    ],
    [
      'SBERT (irrelevant / TN)',
      `${f('irrelevant_samples.mean_sbert_similarity', m.irrelevant_samples.mean_sbert_similarity)} / ` +
        `${f('true_negative_samples.mean_sbert_similarity', m.true_negative_samples.mean_sbert_similarity)}`,
    ],
  ]);
}

function levelTable(m: Metrics, f: (path: string, v: number | null | undefined, d?: number) => string): string {
  const rows: (string | number)[][] = [['level', 'items', 'accuracy', 'F1', 'RA-IoU', 'R@0.5', 'RT-IoU']];
  for (const [level, v] of Object.entries(m.hardness_level_analysis.metrics_by_hardness_level)) {
    const p = `hardness_level_analysis.metrics_by_hardness_level.${level}`;
    rows.push([
      level,
      v.total,
      f(p, v.accuracy),
      f(p, v.f1),
      f(p, v['RA-IoU'].mean_all),
      f(p, v['RA-IoU']['R@0.5'], 1),
      f(`${p}.RT-IoU`, v['RT-IoU']),
    ]);
  }
  return table(rows);
}

/** Problems as `file:line:col: severity code: message`, the first `max` of them. */
export function problemLines(problems: Problem[], max = 20): string[] {
  const lines = problems
    .slice(0, max)
    .map((p) => `  ${p.file}:${p.line}:${p.column}: ${p.severity} ${p.code}: ${p.message}`);
  if (problems.length > max) lines.push(`  … ${problems.length - max} more`);
  return lines;
}

/** The short summary printed after an evaluation. */
export function summary(m: Metrics, r: EvaluationReport): string {
  const empty = new Set(r.notComputedFigures);
  const f = (path: string, v: number | null | undefined, d = 3) => figure(empty, path, v, d);
  const lines = [restsOn(r), mainTable(m, f), '', levelTable(m, f)];
  if (r.invalid.length) lines.push('', `left out as invalid (--skip-invalid):`, ...problemLines(r.invalid));
  // Most frequent first, then by code.
  const warned = Object.entries(r.warningsByCode).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  if (warned.length) {
    const codes = warned.map(([c, n]) => `${n} ${c}`).join(', ');
    lines.push('', `validation warnings (judged anyway; rarft index lists them): ${codes}`);
  }
  const nc = Object.entries(r.notComputed);
  if (nc.length) {
    lines.push('', 'not computed:');
    for (const [why, n] of nc) lines.push(`  ${n} × ${why}`);
  }
  const errs = Object.entries(r.errorsByStep);
  if (errs.length) {
    lines.push('', 'judge errors (items left out of the metrics they affect):');
    for (const [step, n] of errs) lines.push(`  ${step}: ${n}`);
  }
  return lines.join('\n');
}

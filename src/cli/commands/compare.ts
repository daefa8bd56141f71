/** `rarft compare <A.json> <B.json> [--json] [--seed N] [--resamples N] [judge options]` */
import { loadSide, threadBootstrapper } from '../../core/compare/threads';
import { WorkerThreads } from '../../core/threads/pool';
import { compareRunsWith, metricShares, type Comparison, type GroupComparison } from '../../core/compare/compare';
import { OUTCOMES } from '../../core/compare/outcomes';
import { pairIndex } from '../../core/compare/pair';
import { offlineJudge } from '../../core/eval/judge';
import { CliError, fmt, mark, numberOption, parse, table, type Command } from '../io';
import { createJudge, judgeOptionSpec, judgeUsage } from '../judgeOptions';
import { checkAnnotationFiles, loadRun, readAhead } from '../runSide';

const usage = `rarft compare <A.json> <B.json> [--json] [--seed N] [--resamples N] [--anno <annotation.json>]... ${judgeUsage}`;

/** The `compare` command. */
export const compareCommand: Command = {
  name: 'compare',
  usage,
  async run(args) {
    const { values, positionals } = parse(args, {
      json: { type: 'boolean' },
      seed: { type: 'string' },
      resamples: { type: 'string' },
      anno: { type: 'string', multiple: true },
      ...judgeOptionSpec,
    });
    if (positionals.length !== 2) throw new CliError(`usage: ${usage}`, 2);
    const seed = numberOption('seed', values.seed, 0, 2 ** 32 - 1) ?? 0;
    const resamples = numberOption('resamples', values.resamples, 100, 1e6) ?? 1000;
    if (!Number.isInteger(seed) || !Number.isInteger(resamples))
      throw new CliError('--seed and --resamples take whole numbers', 2);
    const annotationFiles = values.anno ?? [];
    await checkAnnotationFiles(annotationFiles);
    const setup = await createJudge({ ...values, anno: undefined, out: positionals[0] });
    // Started now: a worker reads and judges B (offline) while this thread does A, and the
    // bootstraps are shared out; whatever a worker cannot deliver is done here.
    const threads = new WorkerThreads();
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const offline = setup.judge === offlineJudge;
      const sideB = offline ? loadSide(threads, positionals[1], annotationFiles) : undefined;
      const itemsB = offline ? undefined : readAhead(positionals[1]);
      const a = await loadRun(positionals[0], setup, { signal: controller.signal, annotationFiles });
      // Run A's shares of the metrics and its join index, while the worker may still be on B.
      const sharesA = metricShares(a.judgments);
      const indexA = pairIndex(a.items);
      const b =
        (await sideB) ??
        (await loadRun(positionals[1], setup, { signal: controller.signal, annotationFiles, items: itemsB }));
      mark('B');
      const { comparison } = await compareRunsWith(
        a,
        b,
        { seed, resamples, sharesA, indexA },
        threadBootstrapper(threads),
      );
      mark('compare');
      if (values.json) process.stdout.write(JSON.stringify(comparison, null, 2) + '\n');
      else process.stdout.write(compareText(comparison, positionals[0], positionals[1]) + '\n');
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
      await Promise.all([setup.close?.(), threads.close()]);
    }
  },
};

const signed = (v: number | null, digits: number) => (v === null ? 'n/a' : (v >= 0 ? '+' : '') + v.toFixed(digits));
const digitsOf = (name: string) => (name.startsWith('R@') ? 2 : 3);

function metricRows(g: GroupComparison): (string | number)[][] {
  const rows: (string | number)[][] = [['metric', 'A', 'B', 'B − A', '95% CI (by video)']];
  for (const [name, m] of Object.entries(g.metrics)) {
    const d = digitsOf(name);
    const ci = m.ci95 ? `[${signed(m.ci95[0], d)}, ${signed(m.ci95[1], d)}]` : 'n/a';
    rows.push([name, fmt(m.a, d), fmt(m.b, d), signed(m.delta, d), ci]);
  }
  return rows;
}

/** Which files the comparison was made on: each run with its sha256, its annotation files with theirs. */
function provenanceLines(c: Comparison, pathA: string, pathB: string): string[] {
  const lines: string[] = [];
  for (const [tag, path, p] of [
    ['A', pathA, c.provenance?.a],
    ['B', pathB, c.provenance?.b],
  ] as const) {
    lines.push(`${tag}: ${path}${p?.sha256 ? ` (sha256 ${p.sha256})` : ''}`);
    const files = p?.annotation_files ?? [];
    for (const f of files)
      lines.push(`   annotation file: ${f.path}${f.sha256 ? ` (sha256 ${f.sha256})` : ' (not found)'}`);
    if (!files.length) lines.push('   annotation files: not recorded (give them with --anno)');
  }
  return lines;
}

const pFmt = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

/** The text `rarft compare` prints: pairing, warnings, deltas, McNemar, flips and hardness levels. */
export function compareText(c: Comparison, pathA: string, pathB: string): string {
  const lines = provenanceLines(c, pathA, pathB);
  lines.push(
    `${c.paired} pairs by (video, query) over ${c.videos} videos; unpaired: ${c.unpaired.a} in A, ${c.unpaired.b} in B` +
      (c.excluded ? `; ${c.excluded} pairs left out (judge errors)` : ''),
  );
  for (const w of c.warnings) lines.push(`warning: ${w}`);
  lines.push('', table(metricRows(c)));
  lines.push(
    '',
    table([
      ['McNemar (exact)', 'right in A only', 'right in B only', 'p'],
      ...(['accuracy', 'R@0.5'] as const).map((k) => [
        k,
        c.mcnemar[k].a_only,
        c.mcnemar[k].b_only,
        pFmt(c.mcnemar[k].p),
      ]),
    ]),
  );
  lines.push('', 'flips (rows: outcome in A, columns: outcome in B)');
  lines.push(table([['A \\ B', ...OUTCOMES], ...OUTCOMES.map((a) => [a, ...OUTCOMES.map((b) => c.flips[a][b])])]));
  const levels = Object.entries(c.by_level);
  if (levels.length) {
    const rows: (string | number)[][] = [
      ['level', 'pairs', 'Δ accuracy [95% CI]', 'Δ F1', 'Δ R@0.5', 'McNemar p (acc / R@0.5)'],
    ];
    for (const [level, g] of levels) {
      const cell = (name: string) => {
        const m = g.metrics[name];
        const d = digitsOf(name);
        return m.ci95 ? `${signed(m.delta, d)} [${signed(m.ci95[0], d)}, ${signed(m.ci95[1], d)}]` : signed(m.delta, d);
      };
      rows.push([
        level,
        g.paired,
        cell('accuracy'),
        cell('F1'),
        cell('R@0.5'),
        `${pFmt(g.mcnemar.accuracy.p)} / ${pFmt(g.mcnemar['R@0.5'].p)}`,
      ]);
    }
    lines.push('', 'by hardness level', table(rows));
  }
  lines.push('', `bootstrap: ${c.resamples} resamples of videos, seed ${c.seed}`);
  return lines.join('\n');
}

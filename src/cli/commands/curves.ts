/** `rarft curves <log>... [--json]` */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CurveBuilder } from '../../core/logs/curves';
import { curvesJson, type CurvesJson } from '../../core/logs/output';
import { LogTail } from '../../core/logs/tail';
import { CliError, fmt, parse, table, type Command } from '../io';

export const curvesUsage = 'rarft curves <log>... [--json]';

/** The `curves` command. */
export const curvesCommand: Command = {
  name: 'curves',
  usage: curvesUsage,
  run(args) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } });
    return runCurves(positionals, !!values.json);
  },
};

/** A log path as given, or the trainer_state.json inside a checkpoint folder. */
async function logFile(path: string): Promise<string> {
  try {
    const s = await stat(path);
    if (!s.isDirectory()) return path;
    const inner = join(path, 'trainer_state.json');
    await stat(inner).catch(() => {
      throw new CliError(`${path}: a folder without trainer_state.json; give a log file or a checkpoint-* folder`);
    });
    return inner;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** Parses the logs in order into one set of curves; returns the exit code. */
export async function runCurves(paths: string[], json: boolean): Promise<number> {
  if (!paths.length) throw new CliError(`usage: ${curvesUsage}`, 2);
  const builder = new CurveBuilder();
  for (const p of paths) {
    const file = await logFile(p);
    const { records } = await new LogTail(file).read(true);
    builder.add(records, p);
  }
  const out = curvesJson(builder);
  for (const pr of out.problems) process.stderr.write(`${pr.file}:${pr.line}:${pr.column}: ${pr.message}\n`);
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stdout.write(`${humanReport(out)}\n`);
  return 0;
}

/** Four decimals, or an exponent for small values (learning rates). */
const show = (v: number | null | undefined) =>
  typeof v === 'number' && v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : fmt(v ?? null, 4);

const SHOWN = ['loss', 'reward', 'reward_std', 'kl', 'frac_reward_zero_std', 'learning_rate', 'epoch'];

function humanReport(out: CurvesJson): string {
  const lines: string[] = [];
  const keys = [...new Set(out.steps.flatMap((s) => Object.keys(s)))].filter((k) => k !== 'step');
  const first = out.steps[0]?.step;
  const last = out.steps[out.steps.length - 1]?.step;
  lines.push(
    out.steps.length ? `${out.steps.length} steps (${first}–${last}), ${keys.length} keys` : 'no training steps found',
  );
  const cols = SHOWN.filter((k) => keys.includes(k));
  if (out.steps.length && cols.length) {
    const rows: (string | number)[][] = [['step', ...cols]];
    for (const s of out.steps.slice(-5)) rows.push([s.step ?? '', ...cols.map((k) => show(s[k]))]);
    lines.push(table(rows));
  }
  if (out.groups.length) {
    const zero = out.groups.filter((g) => g.zero_variance).length;
    lines.push(`${out.groups.length} groups, ${zero} with zero variance (all rewards equal)`);
  }
  if (out.summary)
    lines.push(
      `summary: ${Object.entries(out.summary)
        .map(([k, v]) => `${k}=${show(v)}`)
        .join(', ')}`,
    );
  if (out.progress) lines.push(`progress: ${out.progress.n}/${out.progress.total}`);
  for (const a of out.alerts) lines.push(`${a.severity}: ${a.message}`);
  return lines.join('\n');
}

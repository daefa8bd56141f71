/** `rarft index <path>... [--json] [--severity S] [--code C]... [--strict]` */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { toIndexJson, type IndexResult } from '../../core/dataset/indexer';
import { indexPaths } from '../../core/dataset/indexFiles';
import { PathError } from '../../core/dataset/walk';
import { filterProblems, problemCounts, SEVERITIES, type ProblemFilter } from '../../core/problems';
import type { Severity } from '../../core/problems';
import { CliError, mark, parse, progressReporter, table, type Command } from '../io';

export const indexUsage = 'rarft index <path>... [--json] [--severity error|warning|info] [--code CODE]... [--strict]';

const SHOWN = 50;

/** The `index` command. */
export const indexCommand: Command = {
  name: 'index',
  usage: indexUsage,
  run(args) {
    const { values, positionals } = parse(args, {
      json: { type: 'boolean' },
      severity: { type: 'string' },
      code: { type: 'string', multiple: true },
      strict: { type: 'boolean' },
    });
    const severity = values.severity as string | undefined;
    if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity))
      throw new CliError(`--severity must be one of ${SEVERITIES.join(', ')}, found "${severity}"`, 2);
    const codes = (values.code ?? []).flatMap((c) => c.split(',')).filter((c) => c !== '');
    return runIndex(positionals, {
      json: !!values.json,
      strict: !!values.strict,
      filter: { severity: severity as Severity | undefined, codes: codes.length ? codes : undefined },
    });
  },
};

/** How `index` reports. */
export interface IndexCliOptions {
  json: boolean;
  /** Exit 1 when any (selected) problem is an error. */
  strict?: boolean;
  filter?: ProblemFilter;
}

/** Indexes files and folders and prints a table or JSON. Returns the exit code. */
export async function runIndex(paths: string[], options: IndexCliOptions): Promise<number> {
  if (!paths.length) throw new CliError(`usage: ${indexUsage}`, 2);
  const progress = progressReporter('indexing');
  let result: IndexResult;
  try {
    result = await indexPaths(paths, { onProgress: (d, t) => progress.update(d, t), relativeTo: process.cwd() });
  } catch (e) {
    if (e instanceof PathError) throw new CliError(e.message);
    throw e;
  } finally {
    progress.end();
  }
  mark('index');
  await noteIgnored(paths, result);
  for (const s of result.skipped) process.stderr.write(`rarft: ${s.path}: ${s.reason}\n`);
  const selected = filterProblems(result.problems, options.filter ?? {});
  const failed = options.strict && selected.some((p) => p.severity === 'error');
  if (options.json) {
    process.stdout.write(JSON.stringify(toIndexJson({ ...result, problems: selected }), null, 2) + '\n');
  } else process.stdout.write(textReport(result, selected, options.filter ?? {}) + '\n');
  return failed ? 1 : 0;
}

/** A file named on the command line is never dropped silently (inside folders, other JSON is). */
async function noteIgnored(paths: string[], result: IndexResult): Promise<void> {
  const seen = new Set(result.files.map((f) => resolve(f.path)));
  const skipped = new Set(result.skipped.map((s) => resolve(s.path)));
  for (const p of paths) {
    const abs = resolve(p);
    if (!seen.has(abs) && !skipped.has(abs) && (await stat(p)).isFile()) {
      process.stderr.write(
        `rarft: ${p}: not an HI-VTG file (annotations, inference results, evaluation items or metrics); ignored\n`,
      );
    }
  }
}

function textReport(result: IndexResult, selected: IndexResult['problems'], filter: ProblemFilter): string {
  const rows: (string | number)[][] = [['file', 'kind', 'videos', 'queries', 'answerable', 'refusable', 'problems']];
  for (const f of result.files)
    rows.push([
      f.path,
      f.kind,
      f.stats.videos,
      f.stats.queries,
      f.stats.answerable,
      f.stats.refusable,
      f.problems.length,
    ]);
  const t = result.totals;
  rows.push(['total (annotations)', '', t.videos, t.queries, t.answerable, t.refusable, result.problems.length]);
  const out = [table(rows)];
  if (!result.problems.length) return out.join('\n');
  const c = problemCounts(result.problems);
  out.push('', `problems: ${c.bySeverity.error} errors, ${c.bySeverity.warning} warnings, ${c.bySeverity.info} info`);
  for (const k of c.byCode) out.push(`  ${k.code} (${k.severity}): ${k.count}`);
  const filtered = filter.severity || filter.codes;
  if (filtered) out.push('', `${selected.length} of ${result.problems.length} problems selected by the filters`);
  // Errors first, then warnings, then info; each in file and line order.
  const shown = selected.slice(0, SHOWN);
  if (shown.length) out.push('');
  for (const p of shown) out.push(`${p.file}:${p.line}:${p.column}: ${p.severity} [${p.code}] ${p.message}`);
  if (selected.length > shown.length)
    out.push(`… and ${selected.length - shown.length} more (use --json for all, --severity or --code to narrow)`);
  return out.join('\n');
}

/** `rarft index <path>... [--json]` */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { indexPaths, toIndexJson } from '../../core/dataset/indexer';
import { CliError, mark, parse, progressReporter, table, type Command } from '../io';

export const indexUsage = 'rarft index <path>... [--json]';

/** The `index` command. */
export const indexCommand: Command = {
  name: 'index',
  usage: indexUsage,
  run(args) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } });
    return runIndex(positionals, !!values.json);
  },
};

/** Indexes files and folders and prints a table or JSON. Returns the exit code. */
export async function runIndex(paths: string[], json: boolean): Promise<number> {
  if (!paths.length) throw new CliError(`usage: ${indexUsage}`, 2);
  const progress = progressReporter('indexing');
  let result;
  try {
    result = await indexPaths(paths, { onProgress: (d, t) => progress.update(d, t), relativeTo: process.cwd() });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new CliError(`${err.path ?? paths.join(' ')}: no such file or folder`);
    throw e;
  } finally {
    progress.end();
  }
  mark('index');
  // A file named on the command line is never dropped silently (inside folders, other JSON is).
  const seen = new Set(result.files.map((f) => resolve(f.path)));
  for (const p of paths) {
    if (!seen.has(resolve(p)) && (await stat(p)).isFile()) {
      process.stderr.write(
        `rarft: ${p}: not an HI-VTG file (annotations, inference results, evaluation items or metrics); ignored\n`,
      );
    }
  }
  if (json) {
    process.stdout.write(JSON.stringify(toIndexJson(result), null, 2) + '\n');
    return 0;
  }
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
  if (result.problems.length) {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const p of result.problems) counts[p.severity]++;
    out.push('', `problems: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`);
    const shown = result.problems.slice(0, 50);
    for (const p of shown) out.push(`${p.file}:${p.line}:${p.column}: ${p.severity} [${p.code}] ${p.message}`);
    if (result.problems.length > shown.length)
      out.push(`… and ${result.problems.length - shown.length} more (use --json for all)`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

/** `rarft export <anno.json>... --out-dir DIR [--split …] [--seed N] [--tag T] [--where …]` */
import { resolve } from 'node:path';
import { CurationError } from '../../core/curation/annoDoc';
import { planExport } from '../../core/curation/exportPlan';
import { renderExport, writeExport } from '../../core/curation/exportWrite';
import { flagFileName, readFlags } from '../../core/curation/flags';
import { parseSplit } from '../../core/curation/split';
import { parseClause } from '../../core/curation/where';
import { CliError, numberOption, parse, table, type Command } from '../io';
import { loadModelForCli } from '../sbertOptions';
import { loadDocsForCli } from './audit';

export const exportUsage =
  'rarft export <anno.json>... --out-dir DIR [--split train=0.8,val=0.1,test=0.1] [--seed N] [--tag T] ' +
  '[--exclude-tag T] [--where FIELD=VALUE] [--group-duplicates] [--allow-leaks] [--model DIR] [--root DIR] [--json]';

const spec = {
  'out-dir': { type: 'string' },
  split: { type: 'string' },
  seed: { type: 'string' },
  tag: { type: 'string', multiple: true },
  'exclude-tag': { type: 'string', multiple: true },
  where: { type: 'string', multiple: true },
  'group-duplicates': { type: 'boolean' },
  'allow-leaks': { type: 'boolean' },
  model: { type: 'string' },
  threshold: { type: 'string' },
  root: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function usageError(e: unknown): never {
  if (e instanceof CurationError) throw new CliError(e.message, 2);
  throw e;
}

/** Refuses an export whose splits would share near-duplicate queries, listing the first five pairs. */
function refuseLeaks(leaks: Awaited<ReturnType<typeof planExport>>['leaks']): never {
  const shown = leaks
    .slice(0, 5)
    .map((l) => `  "${l.a.query}" (${l.a.video}, ${l.a.split}) ~ "${l.b.query}" (${l.b.video}, ${l.b.split})`);
  throw new CliError(
    [
      `refused: ${leaks.length} near-duplicate query pairs would land in different splits:`,
      ...shown,
      ...(leaks.length > 5 ? [`  … and ${leaks.length - 5} more`] : []),
      'nothing was written; --group-duplicates keeps such videos in one split, --allow-leaks writes anyway and lists them in manifest.json',
    ].join('\n'),
  );
}

/** The table and lines printed after an export. */
function exportSummary(m: ReturnType<typeof renderExport>['manifest'], leakCount: number, written: string[]): string {
  const rows: (string | number)[][] = [['split', 'entries', 'videos', 'queries', 'by difficulty']];
  for (const [name, c] of Object.entries(m.counts))
    rows.push([
      name,
      c.entries,
      c.videos,
      c.queries,
      Object.entries(c.byDifficulty)
        .map(([d, n]) => `${d} ${n}`)
        .join(', '),
    ]);
  const reasons = Object.entries(m.dropped.byReason).map(([r, n]) => `  ${n} ${r}`);
  return (
    [
      table(rows),
      `kept ${m.kept} queries, dropped ${m.dropped.queries}${m.dropped.entries ? ` (and ${m.dropped.entries} entries)` : ''}`,
      ...reasons,
      ...(leakCount ? [`${leakCount} near-duplicate pairs across splits (listed in manifest.json)`] : []),
      ...written.map((w) => `wrote ${w}`),
    ].join('\n') + '\n'
  );
}

/** The `export` command. */
export const exportCommand: Command = {
  name: 'export',
  usage: exportUsage,
  async run(args) {
    const { values, positionals } = parse(args, spec);
    if (!positionals.length || !values['out-dir']) throw new CliError(`usage: ${exportUsage}`, 2);
    const outDir = resolve(values['out-dir']);
    let split;
    let where;
    try {
      split = values.split ? parseSplit(values.split) : undefined;
      where = (values.where ?? []).map(parseClause);
    } catch (e) {
      usageError(e);
    }
    const seed = numberOption('seed', values.seed, 0, 2 ** 32 - 1) ?? 0;
    const threshold = numberOption('threshold', values.threshold, -1, 1);
    const root = resolve(values.root ?? '.');
    const tags = values.tag ?? [];
    const excludeTags = values['exclude-tag'] ?? [];
    const docs = await loadDocsForCli(positionals);
    const names = (split ?? [{ name: 'subset' }]).map((s) => resolve(outDir, `${s.name}.json`));
    for (const p of positionals)
      if ([...names, resolve(outDir, 'manifest.json')].includes(resolve(p)))
        throw new CliError(`${p}: --out-dir would overwrite this input; choose another folder`, 2);
    const flags = tags.length || excludeTags.length ? await readFlags(root) : [];
    const embedder = values.model ? await loadModelForCli(values.model, '--model') : undefined;
    try {
      const plan = await planExport(docs, {
        split,
        seed,
        where,
        tags,
        excludeTags,
        flags,
        flagFile: (d) => flagFileName(root, resolve(d.path)),
        groupDuplicates: !!values['group-duplicates'],
        embedder,
        threshold,
      });
      if (plan.leaks.length && !values['allow-leaks']) refuseLeaks(plan.leaks);
      const rendered = renderExport(docs, plan, {
        filter: { where: (where ?? []).map((c) => c.text), tags, excludeTags },
        split: split ? Object.fromEntries(split.map((s) => [s.name, s.ratio])) : null,
        seed,
        groupDuplicates: !!values['group-duplicates'],
      });
      const written = await writeExport(outDir, rendered);
      const m = rendered.manifest;
      if (values.json) {
        process.stdout.write(JSON.stringify({ written, manifest: m }, null, 2) + '\n');
        return 0;
      }
      process.stdout.write(exportSummary(m, plan.leaks.length, written));
      return 0;
    } finally {
      await embedder?.close();
    }
  },
};

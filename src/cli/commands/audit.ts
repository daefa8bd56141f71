/** `rarft audit <anno.json>... [--model DIR] [--json]` */
import { auditDocs } from '../../core/curation/audit';
import { CurationError, loadAnnoDoc, type AnnoDoc } from '../../core/curation/annoDoc';
import { toAuditJson } from '../../core/curation/findings';
import { CliError, mark, numberOption, parse, progressReporter, type Command } from '../io';
import { loadModelForCli } from '../sbertOptions';

export const auditUsage =
  'rarft audit <anno.json>... [--model DIR] [--duplicate-threshold 0.9] [--refusable-threshold 0.85] [--json]';

/** Reads annotation files for curation commands; errors name the file, line and column. */
export async function loadDocsForCli(paths: string[]): Promise<AnnoDoc[]> {
  const docs: AnnoDoc[] = [];
  for (const p of paths) {
    try {
      docs.push(await loadAnnoDoc(p));
    } catch (e) {
      if (e instanceof CurationError) throw new CliError(e.message);
      throw e;
    }
  }
  mark('read');
  return docs;
}

/** The `audit` command. */
export const auditCommand: Command = {
  name: 'audit',
  usage: auditUsage,
  async run(args) {
    const { values, positionals } = parse(args, {
      model: { type: 'string' },
      json: { type: 'boolean' },
      'duplicate-threshold': { type: 'string' },
      'refusable-threshold': { type: 'string' },
    });
    if (!positionals.length) throw new CliError(`usage: ${auditUsage}`, 2);
    const duplicate = numberOption('duplicate-threshold', values['duplicate-threshold'], -1, 1);
    const refusable = numberOption('refusable-threshold', values['refusable-threshold'], -1, 1);
    const docs = await loadDocsForCli(positionals);
    const embedder = values.model ? await loadModelForCli(values.model, '--model') : undefined;
    const progress = progressReporter('embedding queries');
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    try {
      const r = await auditDocs(docs, {
        embedder,
        thresholds: { duplicate, refusable },
        signal: ac.signal,
        onProgress: (_phase, d, n) => progress.update(d, n),
      });
      progress.end();
      mark('audit');
      for (const n of r.notRun) process.stderr.write(`rarft: ${n.code} not run: ${n.why}\n`);
      if (values.json) {
        process.stdout.write(JSON.stringify(toAuditJson(r.findings), null, 2) + '\n');
        return 0;
      }
      const lines = r.findings.map((f) => {
        const rel = f.related.length
          ? `\n    related: ${f.related
              .slice(0, 5)
              .map((p) => `${p.file}:${p.line}:${p.column}`)
              .join(', ')}${f.related.length > 5 ? ` and ${f.related.length - 5} more` : ''}`
          : '';
        return `${f.file}:${f.line}:${f.column}: ${f.severity} [${f.code}] ${f.message}${rel}`;
      });
      const counts = new Map<string, number>();
      for (const f of r.findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
      const summary = [...counts].map(([c, n]) => `${n} ${c}`).join(', ') || 'nothing';
      process.stdout.write([...lines, `audit: ${r.findings.length} findings (${summary})`].join('\n') + '\n');
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
      await embedder?.close();
    }
  },
};

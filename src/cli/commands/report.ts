/** `rarft report <items.json> [--compare <other.json>] [--rewards <rewards.json>] --out <report.html>` */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../core/fsAtomic';
import { dashboardData } from '../../core/report/build';
import { reportAssets, reportHtml } from '../../core/report/html';
import { CliError, numberOption, parse, readJsonFile, type Command } from '../io';
import { createJudge, judgeOptionSpec, judgeUsage } from '../judgeOptions';
import { checkAnnotationFiles, loadRun } from '../runSide';

const usage =
  'rarft report <items.json> --out <report.html> [--compare <other.json>] [--rewards <rewards.json>] ' +
  `[--anno <annotation.json>]... [--seed N] [--json] ${judgeUsage}`;

/** The `report` command. */
export const reportCommand: Command = {
  name: 'report',
  usage,
  async run(args) {
    const { values, positionals } = parse(args, {
      out: { type: 'string' },
      compare: { type: 'string' },
      rewards: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      anno: { type: 'string', multiple: true },
      ...judgeOptionSpec,
    });
    if (positionals.length !== 1 || typeof values.out !== 'string') throw new CliError(`usage: ${usage}`, 2);
    if (!/\.html?$/i.test(values.out)) throw new CliError(`--out ${values.out}: expected an .html file`, 2);
    const seed = numberOption('seed', values.seed, 0, 2 ** 32 - 1) ?? 0;
    const annotationFiles = values.anno ?? [];
    await checkAnnotationFiles(annotationFiles);
    const setup = await createJudge({ ...values, anno: undefined, out: positionals[0] });
    try {
      const run = await loadRun(positionals[0], setup, { annotationFiles });
      const other = values.compare ? await loadRun(values.compare, setup, { annotationFiles }) : undefined;
      const rewardsPath = values.rewards ?? join(dirname(positionals[0]), 'rewards.json');
      let rewards: Record<string, unknown>[] | undefined;
      if (values.rewards || existsSync(rewardsPath)) {
        const r = await readJsonFile(rewardsPath);
        if (!Array.isArray(r)) throw new CliError(`${rewardsPath}: expected the array \`rarft rewards\` writes`);
        rewards = r as Record<string, unknown>[];
      }
      const data = dashboardData(run, { rewards, compare: other, seed });
      let assets;
      try {
        assets = await reportAssets(__dirname);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const html = reportHtml(data, assets.script, assets.css);
      await writeFileAtomic(values.out, html);
      const bytes = Buffer.byteLength(html);
      if (values.json)
        process.stdout.write(
          JSON.stringify({ out: values.out, bytes, items: data.columns.n, compared: !!other, rewards: !!rewards }) +
            '\n',
        );
      else
        process.stdout.write(
          `wrote ${values.out} (${(bytes / 1e6).toFixed(2)} MB, ${data.columns.n} items` +
            `${other ? `, compared with ${values.compare}` : ''}${rewards ? ', rewards' : ''}); ` +
            'open it in any browser, no network needed\n',
        );
      return 0;
    } finally {
      await setup.close?.();
    }
  },
};

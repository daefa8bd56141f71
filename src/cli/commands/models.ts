/** `rarft models download <name> [--to DIR] [--base-url URL] [--revision REV] [--timeout SECONDS]` */
import { DEFAULT_HUB, DEFAULT_TIMEOUT_MS, DownloadError, downloadModel } from '../../core/embed/download';
import { defaultModelDir } from '../../core/embed/paths';
import { abortOnSignals, CliError, MAX_TIMEOUT_S, numberOption, parse, progressLine, type Command } from '../io';

export const modelsUsage =
  'rarft models download <name> [--to <dir>] [--base-url <url>] [--revision <rev>] [--timeout <seconds>]';

const mb = (n: number) => (n / 1048576).toFixed(1);

/** The `models` command. */
export const modelsCommand: Command = {
  name: 'models',
  usage: modelsUsage,
  async run(args) {
    const { values, positionals } = parse(args, {
      to: { type: 'string' },
      'base-url': { type: 'string' },
      revision: { type: 'string' },
      timeout: { type: 'string' },
    });
    if (positionals[0] !== 'download' || positionals.length !== 2) throw new CliError(`usage: ${modelsUsage}`, 2);
    const name = positionals[1];
    const timeoutS = numberOption('timeout', values.timeout, 0.001, MAX_TIMEOUT_S) ?? DEFAULT_TIMEOUT_MS / 1000;
    const to = values.to ?? defaultModelDir(name);
    const baseUrl = values['base-url'] ?? process.env.RARFT_HUB_URL ?? DEFAULT_HUB;
    const stop = abortOnSignals();
    const progress = progressLine({ afterMs: 0, everyMs: 500, logEveryMs: Infinity });
    let lastFile = '';
    try {
      const r = await downloadModel({
        name,
        to,
        baseUrl,
        revision: values.revision,
        timeoutMs: timeoutS * 1000,
        signal: stop.signal,
        onProgress: (p) => {
          const line = `${p.file}: ${mb(p.fileBytes)}/${mb(p.fileTotal)} MB (total ${mb(p.bytes)}/${mb(p.total)} MB)`;
          progress.show(line, p.fileBytes === p.fileTotal || (p.file !== lastFile && process.stderr.isTTY));
          lastFile = p.file;
        },
      });
      progress.end();
      const fetched = r.files.filter((f) => !f.skipped).length;
      process.stdout.write(`${r.repo} → ${r.dir} (${fetched} fetched, ${r.files.length - fetched} already complete)\n`);
      process.stdout.write(`use it with: rarft rewards … --model ${r.dir}   or   rarft evaluate … --sbert ${r.dir}\n`);
      return 0;
    } catch (e) {
      if (e instanceof DownloadError) throw new CliError(e.message);
      throw e;
    } finally {
      stop.dispose();
    }
  },
};

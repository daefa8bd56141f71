/** The `rarft` command line: argument handling over src/core. */
import { parseArgs } from 'node:util';
import { runEvaluate, evaluateUsage } from './commands/evaluate';
import { runIndex, indexUsage } from './commands/index';
import { runMerge, mergeUsage } from './commands/merge';
import { CliError } from './io';

declare const __VERSION__: string;

const USAGE = `usage:
  rarft --version
  ${indexUsage}
  ${evaluateUsage}
  ${mergeUsage}

exit codes: 0 ok, 1 failed, 2 usage error`;

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case '--version':
      case '-v':
        process.stdout.write(`${__VERSION__}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      case 'index': {
        const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
        return await runIndex(positionals, !!values.json);
      }
      case 'evaluate': {
        const { values, positionals } = parse(rest, {
          out: { type: 'string' },
          'items-out': { type: 'string' },
          judge: { type: 'string', default: 'offline' },
        });
        if (positionals.length !== 1 || typeof values.out !== 'string') throw new CliError(`usage: ${evaluateUsage}`, 2);
        return await runEvaluate({ input: positionals[0], out: values.out, itemsOut: values['items-out'] as string | undefined, judge: values.judge as string });
      }
      case 'merge': {
        const { values, positionals } = parse(rest, { force: { type: 'boolean' } });
        return await runMerge(positionals, !!values.force);
      }
      default:
        throw new CliError(`unknown command '${command}'\n${USAGE}`, 2);
    }
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`rarft: ${e.message}\n`);
      return e.exitCode;
    }
    if ((e as Error)?.name === 'AbortError') {
      process.stderr.write('rarft: stopped; work done so far is kept\n');
      return 1;
    }
    process.stderr.write(`rarft: ${(e as Error)?.stack ?? e}\n`);
    return 1;
  }
}

type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/** Strict option parsing; unknown options are usage errors (exit 2). */
export function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
}

/** Entry used by bin/rarft.js: runs with process.argv and sets the exit code. */
export function run(): void {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`rarft: ${e?.stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}

/** The `rarft` command line: argument handling over src/core. */
import { auditCommand } from './commands/audit';
import { compareCommand } from './commands/compare';
import { curvesCommand } from './commands/curves';
import { evaluateCommand } from './commands/evaluate';
import { exportCommand } from './commands/export';
import { flagCommand } from './commands/flag';
import { indexCommand } from './commands/index';
import { mergeCommand } from './commands/merge';
import { reportCommand } from './commands/report';
import { modelsCommand } from './commands/models';
import { remoteCommand } from './commands/remote';
import { rewardsCommand } from './commands/rewards';
import { CliError, mark, printProfile, stopSignal, type Command } from './io';

declare const __VERSION__: string;

/** Every command, in the order `rarft --help` lists them. Add new commands here. */
const COMMANDS: Command[] = [
  indexCommand,
  evaluateCommand,
  compareCommand,
  reportCommand,
  mergeCommand,
  rewardsCommand,
  modelsCommand,
  flagCommand,
  auditCommand,
  exportCommand,
  curvesCommand,
  remoteCommand,
];

function usage(): string {
  return [
    'usage:',
    '  rarft --version',
    ...COMMANDS.map((c) => `  ${c.usage}`),
    '',
    'exit codes: 0 ok, 1 failed, 2 usage error',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  mark('startup');
  try {
    if (name === '--version' || name === '-v') {
      process.stdout.write(`${__VERSION__}\n`);
      return 0;
    }
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(usage() + '\n');
      return name === undefined ? 2 : 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new CliError(`unknown command '${name}'\n${usage()}`, 2);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`usage: ${command.usage}\n`);
      return 0;
    }
    const code = await command.run(rest);
    printProfile();
    return code;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`rarft: ${e.message}\n`);
      return e.exitCode;
    }
    if ((e as Error)?.name === 'AbortError') {
      const by = stopSignal() ?? 'SIGINT';
      process.stderr.write(`rarft: stopped; work done so far is kept, temp files removed (${by})\n`);
      return by === 'SIGTERM' ? 143 : 130;
    }
    // A system error (a file that cannot be read or written, a full disk) is the user's to fix, not a bug: no stack.
    if (/^E[A-Z]+$/.test(String((e as NodeJS.ErrnoException)?.code))) {
      process.stderr.write(`rarft: ${(e as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`rarft: ${(e as Error)?.stack ?? e}\n`);
    return 1;
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

/** The `rarft` command line: argument handling over src/core. */
import { CliError, mark, printProfile, stopSignal, type Command } from './io';

declare const __VERSION__: string;

/** Every command, in the order `rarft --help` lists them. Add new commands here. Each is loaded only
 * when used (esbuild keeps a dynamically imported module lazy), so `rarft --version` loads no
 * judge, embedding or curation code. */
const COMMANDS: [name: string, load: () => Promise<Command>][] = [
  ['index', async () => (await import('./commands/index')).indexCommand],
  ['evaluate', async () => (await import('./commands/evaluate')).evaluateCommand],
  ['compare', async () => (await import('./commands/compare')).compareCommand],
  ['report', async () => (await import('./commands/report')).reportCommand],
  ['merge', async () => (await import('./commands/merge')).mergeCommand],
  ['rewards', async () => (await import('./commands/rewards')).rewardsCommand],
  ['models', async () => (await import('./commands/models')).modelsCommand],
  ['flag', async () => (await import('./commands/flag')).flagCommand],
  ['audit', async () => (await import('./commands/audit')).auditCommand],
  ['export', async () => (await import('./commands/export')).exportCommand],
  ['curves', async () => (await import('./commands/curves')).curvesCommand],
  ['remote', async () => (await import('./commands/remote')).remoteCommand],
];

async function usage(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map(([, load]) => load()));
  return [
    'usage:',
    '  rarft --version',
    ...commands.map((c) => `  ${c.usage}`),
    '',
    'exit codes: 0 ok, 1 failed, 2 usage error, 130/143 stopped by Ctrl-C/SIGTERM',
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
      process.stdout.write((await usage()) + '\n');
      return name === undefined ? 2 : 0;
    }
    const entry = COMMANDS.find(([n]) => n === name);
    if (!entry) throw new CliError(`unknown command '${name}'\n${await usage()}`, 2);
    const command = await entry[1]();
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

/**
 * A reader that stops early (`rarft index . --json | head`) closes the pipe: stop quietly with
 * status 0, as command lines do, instead of an unhandled EPIPE and its stack trace. What the
 * command had written to files is complete (they are written before the summary is printed).
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

/** Entry used by bin/rarft.js: runs with process.argv and sets the exit code. */
export function run(): void {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`rarft: ${e?.stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}

/** Small CLI helpers: errors with exit codes, progress on stderr, table printing. */
import { parseArgs } from 'node:util';
import { checkOutputs, OutputRefused, type InputSpec, type OutputSpec } from '../core/fsAtomic';
import { indexText } from '../core/dataset/indexer';
import { InputError, parseJsonText, readItems, readTextFile } from '../core/eval/read';

/** A failure the user caused or can fix: printed without a stack, exit code 1 (or 2 for usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** Reads and parses a JSON file; errors name the file, line and column. */
export async function readJsonFile(path: string): Promise<unknown> {
  return userErrors(async () => {
    const text = await readTextFile(path);
    mark('read');
    const value = parseJsonText(path, text);
    mark('parse');
    return value;
  });
}

/** Reads an items file (core `readItems`); input errors become exit-1 `CliError`s. */
export async function readItemsFile(path: string): Promise<Record<string, unknown>[]> {
  return (await userErrors(() => readItems(path, mark))).items;
}

/** Reads an HI-VTG annotation file (`--anno`); anything else is an error naming the file (and line:column). */
export async function readAnnotationFile(path: string) {
  const text = await userErrors(() => readTextFile(path, 'an annotation JSON file'));
  const f = indexText(path, text);
  const broken = f.kind === 'invalid' ? f.problems[0] : undefined;
  if (broken) throw new CliError(`${path}:${broken.line}:${broken.column}: ${broken.message}`);
  if (f.kind !== 'annotations')
    throw new CliError(
      `${path}: not an annotation file (found ${f.kind}); --anno takes HI-VTG annotation files with "GRPO" query lists`,
    );
  return f;
}

/** Runs `f`, turning core's `InputError` (a message for the user) into a `CliError`. */
export async function userErrors<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.message);
    throw e;
  }
}

/** Core's `checkOutputs`, a refusal a usage error (exit 2) naming both files. */
export async function checkOutputsForCli(outputs: OutputSpec[], inputs: InputSpec[], force: boolean): Promise<void> {
  try {
    await checkOutputs(outputs, inputs, force);
  } catch (e) {
    if (e instanceof OutputRefused) throw new CliError(e.message, 2);
    throw e;
  }
}

let stoppedBy: NodeJS.Signals | undefined;

/** The signal that stopped the run (SIGINT or SIGTERM), for the exit code (130 or 143). */
export function stopSignal(): NodeJS.Signals | undefined {
  return stoppedBy;
}

/**
 * An AbortSignal that Ctrl-C (SIGINT) and SIGTERM (what Slurm and CI send) abort; `dispose`
 * removes the handlers. Both stop the run the same way: replies kept, temp files removed.
 */
export function abortOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const h = () => {
      stoppedBy ??= name;
      controller.abort();
    };
    process.once(name, h);
    return [name, h] as const;
  });
  return { signal: controller.signal, dispose: () => handlers.forEach(([n, h]) => process.off(n, h)) };
}

/**
 * One progress line on stderr, for every command: rewritten in place on a terminal (at most
 * every `everyMs`), one line per `logEveryMs` in a log; nothing until the work has taken
 * `afterMs`. `final` lines (a file done, the last item) always show.
 */
export function progressLine(opts: { afterMs?: number; everyMs?: number; logEveryMs?: number } = {}): {
  /** `line` may be a function: it is called only when the line is shown (progress is updated per item). */
  show(line: string | (() => string), final?: boolean): void;
  end(): void;
} {
  const { afterMs = 1000, everyMs = 250 } = opts;
  const tty = process.stderr.isTTY;
  const every = tty ? everyMs : (opts.logEveryMs ?? everyMs);
  const start = Date.now();
  let last = 0;
  let shown = false;
  return {
    show(line, final = false) {
      const now = Date.now();
      if (now - start < afterMs || (!final && now - last < every)) return;
      last = now;
      shown = true;
      const text = typeof line === 'function' ? line() : line;
      if (tty) process.stderr.write(`\r${text}\x1b[K`);
      else process.stderr.write(text + '\n');
    },
    end() {
      if (shown && tty) process.stderr.write('\n');
    },
  };
}

/** `done/total (rate/s, ETA s)` since `start` (ms). */
export function rateEta(done: number, total: number, start: number): string {
  const rate = done / Math.max(1e-3, (Date.now() - start) / 1000);
  const eta = rate > 0 ? (total - done) / rate : 0;
  return `${done}/${total} (${rate.toFixed(0)}/s, ETA ${eta.toFixed(0)} s)`;
}

/** Reports `label: done/total (rate, ETA)` on stderr once the work has taken longer than `afterMs`. */
export function progressReporter(
  label: string,
  afterMs = 1000,
): { update(done: number, total: number, waiting?: string): void; end(): void } {
  const start = Date.now();
  const line = progressLine({ afterMs });
  return {
    update(done, total, waiting) {
      line.show(() => `${label}: ${rateEta(done, total, start)}${waiting ? `; ${waiting}` : ''}`, done === total);
    },
    end: () => line.end(),
  };
}

/** Formats rows as a left-aligned text table. */
export function table(rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map(String));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** A number for tables: fixed decimals, or "n/a" for null. */
export function fmt(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined ? 'n/a' : v.toFixed(digits);
}

/** One `rarft` subcommand. */
export interface Command {
  name: string;
  /** One usage line, shown by `rarft --help`. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/**
 * Strict option parsing; unknown options, missing values and an option given twice (unless it
 * takes several values) are usage errors (exit 2), said in our words.
 */
export function parse<O extends Options>(args: string[], options: O) {
  let r;
  try {
    r = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    const msg = (e as Error).message;
    const dash = /^Option '(--?[\w-]+)[^']*' argument is ambiguous/.exec(msg);
    if (dash) {
      const value = args[args.indexOf(dash[1]) + 1] ?? '';
      throw new CliError(
        `${dash[1]} ${value}: a value that starts with a dash reads as an option; write ${dash[1]}=${value}`,
        2,
      );
    }
    throw new CliError(msg.split('\n')[0], 2);
  }
  const seen = new Set<string>();
  for (const t of r.tokens ?? []) {
    if (t.kind !== 'option' || options[t.name]?.multiple) continue;
    if (seen.has(t.name)) throw new CliError(`--${t.name} given twice; give it once`, 2);
    seen.add(t.name);
  }
  return r;
}

/** The longest wait a timer can hold (2^31 − 1 ms), in seconds: the bound of every --timeout. */
export const MAX_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);

/** A number option: undefined when absent, a usage error when not a number in range. */
export function numberOption(name: string, v: unknown, min = -Infinity, max = Infinity): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new CliError(
      `--${name}: expected a number${min > -Infinity ? ` ≥ ${min}` : ''}${max < Infinity ? ` ≤ ${max}` : ''}, got '${v}'`,
      2,
    );
  }
  return n;
}

const profileOn = !!process.env.RARFT_PROFILE;
let profileLast = performance.now();
const profileMarks: [string, number][] = [];

/** With RARFT_PROFILE=1, records the time since the previous mark under `phase`. */
export function mark(phase: string): void {
  if (!profileOn) return;
  const now = performance.now();
  profileMarks.push([phase, now - profileLast]);
  profileLast = now;
}

const profileNotes: string[] = [];

/** With RARFT_PROFILE=1, adds `key=value` to the profile line (how a run went, beside its times). */
export function profileNote(key: string, value: string | number): void {
  if (profileOn) profileNotes.push(`${key}=${value}`);
}

/** With RARFT_PROFILE=1, prints phase times and peak memory on stderr. */
export function printProfile(): void {
  if (!profileOn) return;
  const phases = [...profileMarks.map(([p, ms]) => `${p}=${ms.toFixed(1)}ms`), ...profileNotes].join(' ');
  const rss = process.resourceUsage().maxRSS / 1024;
  process.stderr.write(`profile: ${phases} total=${performance.now().toFixed(1)}ms maxRSS=${rss.toFixed(0)}MB\n`);
}

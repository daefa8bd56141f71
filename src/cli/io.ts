/** Small CLI helpers: errors with exit codes, progress on stderr, table printing. */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { looksLikeAnnotations } from '../core/dataset/annotations';
import { placeProblems } from '../core/dataset/place';
import { LineIndex, parseJson } from '../core/json/positions';

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
  return (await readJsonText(path)).value;
}

/** Reads and parses a JSON file, also giving the text (to place later errors at their line and column); errors name the file, line and column. */
async function readJsonText(path: string): Promise<{ text: string; value: unknown }> {
  let text: string;
  try {
    text = (await readFile(path)).toString('utf8');
    mark('read');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a JSON file' : (e as Error).message}`,
    );
  }
  const r = parseJson(text);
  mark('parse');
  if (!r.ok) {
    const p = new LineIndex(text).position(r.offset);
    throw new CliError(`${path}:${p.line}:${p.column}: not valid JSON: ${r.message}`);
  }
  return { text, value: r.value };
}

/**
 * Reads a file of model-output items (inference results or a per-item evaluation file). A file
 * where no item has `model_output` (an annotation file given by mistake) is an error, not a run.
 */
export async function readItemsFile(path: string): Promise<Record<string, unknown>[]> {
  const { text, value } = await readJsonText(path);
  const expected = 'expected a JSON array of inference items (video, query, model_output, gt_relevant, …)';
  if (!Array.isArray(value)) throw new CliError(`${path}: ${expected}`);
  const items = value.map((v, i) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      const [p] = placeProblems(path, text, [{ severity: 'error', code: 'wrong-type', path: [i], message: '' }]);
      throw new CliError(`${path}:${p.line}:${p.column}: item ${i} is not an object`);
    }
    return v as Record<string, unknown>;
  });
  if (items.length && !items.some((it) => 'model_output' in it)) {
    const what = looksLikeAnnotations(value)
      ? 'this is an annotation file (videos with "GRPO" queries), not model outputs'
      : 'no item has "model_output"';
    throw new CliError(`${path}: ${what}; ${expected}`);
  }
  return items;
}

/** Reports progress on stderr once the work has taken longer than `afterMs`. */
export function progressReporter(
  label: string,
  afterMs = 1000,
): { update(done: number, total: number): void; end(): void } {
  const start = Date.now();
  let last = 0;
  let shown = false;
  const tty = process.stderr.isTTY;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - start < afterMs || (now - last < 250 && done < total)) return;
      last = now;
      shown = true;
      const rate = done / ((now - start) / 1000);
      const eta = rate > 0 ? (total - done) / rate : 0;
      const line = `${label}: ${done}/${total} (${rate.toFixed(0)}/s, ETA ${eta.toFixed(0)} s)`;
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else process.stderr.write(line + '\n');
    },
    end() {
      if (shown && tty) process.stderr.write('\n');
    },
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

/** Strict option parsing; unknown options and missing values are usage errors (exit 2). */
export function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
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

/** With RARFT_PROFILE=1, prints phase times and peak memory on stderr. */
export function printProfile(): void {
  if (!profileOn) return;
  const phases = profileMarks.map(([p, ms]) => `${p}=${ms.toFixed(1)}ms`).join(' ');
  const rss = process.resourceUsage().maxRSS / 1024;
  process.stderr.write(`profile: ${phases} total=${performance.now().toFixed(1)}ms maxRSS=${rss.toFixed(0)}MB\n`);
}

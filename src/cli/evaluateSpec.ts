/**
 * The options of `rarft evaluate` as data, and which runs go in two parts (core/eval/parts.ts).
 * Kept apart from the commands (no judge, no embedder imported): the worker that bin/rarft.js
 * starts before the CLI bundle is compiled reads the same arguments with it, so that it can
 * start on its part of the file while this thread loads.
 */
import { parseArgs } from 'node:util';

/** parseArgs options for the judge (evaluate, compare, report). */
export const judgeOptionSpec = {
  judge: { type: 'string', default: 'offline' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  concurrency: { type: 'string' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  'max-retries': { type: 'string' },
  timeout: { type: 'string' },
  'give-up': { type: 'string' },
  price: { type: 'string' },
} as const;

/** parseArgs options for step 4. */
export const sbertOptionSpec = {
  sbert: { type: 'string' },
} as const;

/** parseArgs options of `evaluate`. */
export const evaluateOptionSpec = {
  out: { type: 'string' },
  'items-out': { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  rejudge: { type: 'boolean' },
  force: { type: 'boolean' },
  'max-judge-errors': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  ...judgeOptionSpec,
  ...sbertOptionSpec,
} as const;

/**
 * The input file an `evaluate` run with these options reads in two parts, on two threads: one
 * that writes only the metrics, judged offline, with no sentence model and no judgment redone
 * (the worker has the offline judge, and the items file would need every item here).
 */
export function twoPartInput(values: Record<string, unknown>, positionals: readonly string[]): string | undefined {
  if (positionals.length !== 1 || typeof values.out !== 'string' || values['dry-run']) return undefined;
  if (values['items-out'] !== undefined || values.rejudge || values.sbert !== undefined) return undefined;
  return String(values.judge ?? 'offline') === 'offline' ? positionals[0] : undefined;
}

/** `twoPartInput` of raw `evaluate` arguments; undefined when they do not parse (the command says why). */
export function twoPartInputOf(args: string[]): string | undefined {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: evaluateOptionSpec,
      allowPositionals: true,
      strict: true,
    });
    return twoPartInput(values, positionals);
  } catch {
    return undefined;
  }
}

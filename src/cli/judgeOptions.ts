/**
 * Judge options of `rarft evaluate` and the factory that builds the judge from them.
 * (Owned by the judge feature: new judges add their options and cases here.)
 */
import type { Judge } from '../core/eval/judge';
import { offlineJudge } from '../core/eval/judge';
import { CliError } from './io';

/** parseArgs options the judge understands. */
export const judgeOptionSpec = {
  judge: { type: 'string', default: 'offline' },
} as const;

/** Usage text for the judge options. */
export const judgeUsage = '[--judge offline]';

/** A judge built for one run, with an optional report printed after the summary. */
export interface JudgeSetup {
  judge: Judge;
  /** Lines printed after the evaluation summary (usage, cost, cache hits…). */
  report?: () => string;
  /** Extra keys merged into metrics.evaluation. */
  metricsInfo?: () => Record<string, unknown>;
  /** Releases resources (flushes caches, closes clients). */
  close?: () => Promise<void>;
}

/** Builds the judge named by `--judge`. */
export async function createJudge(values: Record<string, unknown>): Promise<JudgeSetup> {
  const name = String(values.judge ?? 'offline');
  if (name === 'offline') return { judge: offlineJudge };
  throw new CliError(`--judge ${name}: unknown judge (expected offline)`, 2);
}

/** What the trainer-log parsers read out of a log, one record per recognised piece. */

/** A logged value: a number (NaN and ±Infinity kept as such in memory), or null for `None`. */
export type LogValue = number | null;

/** A tqdm bar as last drawn. */
export interface Progress {
  /** The bar's description (`Training`, `Map`, …), empty when none. */
  desc: string;
  n: number;
  total: number;
  /** Seconds elapsed and still to go, as the bar printed them; null for `?`. */
  elapsed: number | null;
  remaining: number | null;
  /** Iterations per second (the bar's `s/it` turned around); null when unknown. */
  rate: number | null;
}

/** A log problem: where it is and what was expected there. */
export interface LogProblem {
  line: number;
  column: number;
  message: string;
}

/** One record of a log. `line` is 1-based. */
export type LogRecord =
  | { kind: 'metrics'; line: number; values: Record<string, LogValue>; step?: number }
  | { kind: 'summary'; line: number; values: Record<string, LogValue> }
  | { kind: 'progress'; line: number; progress: Progress }
  | { kind: 'query'; line: number; text: string }
  | { kind: 'taskType'; line: number; text: string }
  | { kind: 'completions'; line: number; count: number }
  | { kind: 'completion'; line: number; index: number; text: string }
  /** A further line of the completion just before (answers can hold newlines). */
  | { kind: 'completionMore'; line: number; text: string }
  | { kind: 'rewards'; line: number; name: string; values: LogValue[] }
  /** The trainer said it resumes from a checkpoint: the next step may repeat the last epoch. */
  | { kind: 'resume'; line: number }
  | ({ kind: 'problem' } & LogProblem);

/**
 * The numeric entries of a logged dict: numbers and None kept, `step` taken out, strings,
 * lists and booleans left out (they are not curve points).
 */
export function metricsRecord(line: number, dict: Record<string, unknown>): LogRecord {
  const values: Record<string, LogValue> = {};
  let step: number | undefined;
  for (const k in dict) {
    const v = dict[k];
    if (k === 'step' && typeof v === 'number' && Number.isInteger(v)) step = v;
    else if (typeof v === 'number' || v === null) values[k] = v;
  }
  if ('train_runtime' in values) return { kind: 'summary', line, values };
  return step === undefined ? { kind: 'metrics', line, values } : { kind: 'metrics', line, values, step };
}

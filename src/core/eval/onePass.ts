/**
 * Judging in the validation pass: with a local judge (it answers at once and asks no one: the
 * offline judge) and no sentence model, each item is judged right after it is checked, and its
 * judgment summed into the metrics: one pass over 50,000 items instead of three.
 */
import { judgeItem } from './evaluate';
import { isPromise } from './itemSteps';
import type { Judge } from './judge';
import { JudgmentStore } from './judgmentStore';
import { MetricsTally } from './metrics';

/** What a one-pass run needs to know of its evaluation. */
export interface OnePassOptions {
  judge: { judge: Judge; disagreements?: boolean };
  similarity?: unknown;
  rejudge?: boolean;
}

/** Whether a run can judge in its validation pass. */
export const judgesInOnePass = (o: OnePassOptions): boolean => !!o.judge.judge.local && !o.similarity && !o.rejudge;

/**
 * `each` for the validation pass (item `i` goes to index `i` of the store) and `done` for its
 * judgments and sums; undefined when the run cannot judge there (`judgesInOnePass`).
 */
export function localJudging(length: number, options: OnePassOptions, signal: AbortSignal | undefined) {
  if (!judgesInOnePass(options)) return undefined;
  const { judge, disagreements } = options.judge;
  const store = new JudgmentStore(length);
  const tally = new MetricsTally();
  const opts = { judge, signal, disagreements };
  return {
    store,
    tally,
    each(item: Record<string, unknown>, i: number) {
      if ((i & 1023) === 0) signal?.throwIfAborted();
      const j = judgeItem(item, opts, i);
      if (isPromise(j)) throw new Error(`the ${judge.name} judge is local but answered item ${i} asynchronously`);
      store.set(i, j);
      tally.add(j);
    },
  };
}

/**
 * What a logged GRPO group means: each completion's reward breakdown and total, the GRPO
 * advantages (core's grpo.ts), whether it refuses and the span it predicts (core's text
 * helpers and the offline rule), and whether the group carries any learning signal.
 */
import { groupAdvantages } from '../rewards/grpo';
import { answerText, type Span } from '../text';
import { ruleRelevance } from '../eval/judge';
import type { LoggedGroup } from './curves';
import type { LogValue } from './records';

/** One completion with everything the rollouts view and `rarft curves --json` show. */
export interface CompletionView {
  index: number;
  /** The answer text as logged. */
  answer: string;
  /** Reward name → this completion's value (null where the list is short or holds None). */
  rewards: Record<string, LogValue>;
  /** Sum of the rewards the trainer adds up; null when one is missing or not a number. */
  total: number | null;
  advantage: number | null;
  /** No `X to Y` span in the answer text: the completion refuses (the offline rule); null without text. */
  refusal: boolean | null;
  predSpan: Span | null;
}

/** A group with its derived values. */
export interface GroupView {
  index: number;
  line: number;
  step: number;
  query: string | null;
  taskType: string | null;
  expected: number | null;
  rewardNames: string[];
  /** The names summed into `total` (a combined `a_b` is left out when `a` and `b` are logged too). */
  summed: string[];
  completions: CompletionView[];
  /** Every total equal (two or more): all advantages are 0, no learning signal. */
  zeroVariance: boolean;
  notes: string[];
}

/** Reward names whose values make up the total: `explain_correction` is not added again beside `explain` and `correction`. */
export function summedRewards(names: readonly string[]): string[] {
  const set = new Set(names);
  return names.filter((n) => !names.some((a) => a !== n && n.startsWith(`${a}_`) && set.has(n.slice(a.length + 1))));
}

/** The derived view of a logged group. */
export function groupView(g: LoggedGroup): GroupView {
  const rewardNames = Object.keys(g.rewards);
  const summed = summedRewards(rewardNames);
  const notes: string[] = [];
  const lengths = rewardNames.map((n) => g.rewards[n].length);
  const n = Math.max(g.completions.length, ...lengths, 0);
  if (g.expected !== null && g.completions.length !== g.expected)
    notes.push(`${g.completions.length} of ${g.expected} completions logged`);
  for (const name of rewardNames)
    if (g.completions.length && g.rewards[name].length !== g.completions.length)
      notes.push(`reward_${name} has ${g.rewards[name].length} values for ${g.completions.length} completions`);
  const completions: CompletionView[] = [];
  for (let i = 0; i < n; i++) {
    const c = g.completions[i];
    const answer = c ? c.text.trimEnd() : '';
    const rewards: Record<string, LogValue> = {};
    let total: number | null = summed.length ? 0 : null;
    for (const name of rewardNames) {
      const v = g.rewards[name][i];
      rewards[name] = v === undefined ? null : v;
      if (total !== null && summed.includes(name))
        total = typeof v === 'number' && Number.isFinite(v) ? total + v : null;
    }
    const verdict = ruleRelevance(answerText(answer));
    completions.push({
      index: c ? c.index : i,
      answer,
      rewards,
      total,
      advantage: null,
      refusal: c ? verdict.classification === 'irrelevant' : null,
      predSpan: verdict.span,
    });
  }
  const totals = completions.map((c) => c.total);
  const known = totals.every((t): t is number => t !== null) && totals.length > 0;
  if (known) {
    const adv = groupAdvantages(totals);
    completions.forEach((c, i) => (c.advantage = Number.isFinite(adv[i]) ? adv[i] : null));
  }
  const zeroVariance = known && totals.length > 1 && totals.every((t) => t === totals[0]);
  return { ...pick(g), rewardNames, summed, completions, zeroVariance, notes };
}

function pick(g: LoggedGroup) {
  return { index: g.index, line: g.line, step: g.step, query: g.query, taskType: g.taskType, expected: g.expected };
}

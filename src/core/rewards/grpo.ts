/** GRPO group statistics as the trainer computes them (FORMATS.md §5). */

/** Epsilon added to the group's standard deviation. */
export const ADVANTAGE_EPS = 1e-4;

/** Mean and unbiased (N − 1) standard deviation; std is NaN for a group of one, as torch gives. */
export function groupStats(rewards: readonly number[]): { mean: number; std: number } {
  const n = rewards.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let sum = 0;
  for (const r of rewards) sum += r;
  const mean = sum / n;
  let ss = 0;
  for (const r of rewards) ss += (r - mean) ** 2;
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN };
}

/** Advantages of one group of G completions of the same prompt: (r − mean) / (std + 1e-4). */
export function groupAdvantages(rewards: readonly number[]): number[] {
  const { mean, std } = groupStats(rewards);
  return rewards.map((r) => (r - mean) / (std + ADVANTAGE_EPS));
}

/** Advantages for consecutive groups of `groupSize` (the trainer's layout: G completions per prompt). */
export function advantages(rewards: readonly number[], groupSize: number): number[] {
  if (!Number.isInteger(groupSize) || groupSize < 1)
    throw new Error(`group size must be a positive integer, got ${groupSize}`);
  if (rewards.length % groupSize !== 0)
    throw new Error(`${rewards.length} rewards do not split into groups of ${groupSize}`);
  const out: number[] = [];
  for (let i = 0; i < rewards.length; i += groupSize) out.push(...groupAdvantages(rewards.slice(i, i + groupSize)));
  return out;
}

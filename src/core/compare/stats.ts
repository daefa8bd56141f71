/** The statistics of a paired comparison: the cluster bootstrap and McNemar's exact test. */

/** The p-quantile of sorted values, interpolated linearly between ranks (numpy's default, type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Exact (conditional) McNemar test, two-sided: with b and c the discordant counts,
 * p = min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, 1/2); 1 when b = c.
 * Summed in log space, so it holds for any count.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  const k = Math.min(b, c);
  if (b === c) return 1;
  let logTerm = -n * Math.LN2; // log P(X = 0)
  let maxLog = logTerm;
  const logs = [logTerm];
  for (let i = 0; i < k; i++) {
    logTerm += Math.log((n - i) / (i + 1));
    logs.push(logTerm);
    if (logTerm > maxLog) maxLog = logTerm;
  }
  let s = 0;
  for (const l of logs) s += Math.exp(l - maxLog);
  return Math.min(1, 2 * Math.exp(maxLog + Math.log(s)));
}

/**
 * Sufficient statistics of ratio metrics per cluster: for cluster v and metric m,
 * `data[(v * metrics + m) * 4 + 0..3]` = numerator A, denominator A, numerator B, denominator B.
 * Every metric of the comparison (accuracy, F1, R@k, means) is Σnum / Σden over items.
 */
export interface ClusterTable {
  clusters: number;
  metrics: number;
  data: Float64Array;
}

/** A ratio that is NaN when its denominator is 0. */
export const ratio = (num: number, den: number) => (den > 0 ? num / den : Number.NaN);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../../src/core/compare/compare';
import { bootstrapDeltas } from '../../../src/core/compare/bootstrap';
import { mcnemarExact, quantileSorted } from '../../../src/core/compare/stats';
import type { ItemJudgment } from '../../../src/core/eval/evaluate';
import { rng } from '../../../scripts/lib/random.mjs';
import { referenceBootstrapDeltas } from '../../support/bootstrapReference';

/** Two-sided exact McNemar by exact rational arithmetic (BigInt binomial coefficients). */
function mcnemarBig(b: number, c: number): number {
  if (b === c) return 1;
  const n = b + c;
  const k = Math.min(b, c);
  let coef = 1n;
  let tail = 0n;
  for (let i = 0; i <= k; i++) {
    tail += coef;
    coef = (coef * BigInt(n - i)) / BigInt(i + 1);
  }
  // 2 · tail / 2^n, as a double: scale to keep 60 significant bits.
  const shift = Math.max(0, n - 60);
  const p = Number((2n * tail) >> BigInt(shift)) / 2 ** (n - shift);
  return Math.min(1, p);
}

test('McNemar exact p matches the published value', () => {
  // Fagerland, Lydersen & Laake, "The McNemar test for binary matched-pairs data: mid-p and
  // asymptotic are better than exact conditional", BMC Med Res Methodol 13:91 (2013), Table 1
  // (Bentur et al. 2009, airway hyper-responsiveness before/after stem cell transplantation,
  // discordant pairs 1 and 7): exact conditional p = 0.070 (2 · 9/256 = 0.0703125).
  assert.equal(Number(mcnemarExact(1, 7).toFixed(3)), 0.07);
  assert.equal(mcnemarExact(1, 7), 0.0703125);
  assert.equal(mcnemarExact(7, 1), 0.0703125);
  // Closed forms: no discordant pairs or a tie → 1; 0 vs 5 → 2 / 32.
  assert.equal(mcnemarExact(0, 0), 1);
  assert.equal(mcnemarExact(12, 12), 1);
  assert.equal(mcnemarExact(0, 5), 0.0625);
});

test('McNemar exact p equals exact rational arithmetic, small and large counts', () => {
  for (const [b, c] of [
    [3, 11],
    [40, 60],
    [372, 457],
    [2000, 2300],
    [24000, 25000],
  ]) {
    const want = mcnemarBig(b, c);
    const got = mcnemarExact(b, c);
    assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(want, 1e-300), `${b}, ${c}: ${got} vs ${want}`);
  }
  assert.ok(mcnemarExact(24000, 25000) < 1e-5);
});

test('quantiles interpolate as numpy does (type 7)', () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([1, 2, 3, 4], 0), 1);
  assert.equal(quantileSorted([1, 2, 3, 4], 1), 4);
  assert.ok(Math.abs(quantileSorted([0, 10], 0.025) - 0.25) < 1e-12);
});

/** A judged pair for a video: correct (1) or not (0) on each side. */
function judged(gtRelevant: boolean, correct: boolean, iou = correct ? 1 : 0): ItemJudgment {
  return {
    gtRelevant,
    predRelevant: correct ? gtRelevant : !gtRelevant,
    predSpan: null,
    iou,
    predCategories: null,
    jaccard: null,
    reasoningScore: null,
    sbert: null,
    gtCategories: [],
    errors: [],
    notComputed: [],
  };
}

/** Four videos, with 1, 2, 1 and 3 queries; each query right or wrong in A and in B. */
const CASE: { video: string; a: boolean; b: boolean }[] = [
  { video: 'v0', a: false, b: true },
  { video: 'v1', a: true, b: true },
  { video: 'v1', a: false, b: true },
  { video: 'v2', a: true, b: false },
  { video: 'v3', a: false, b: true },
  { video: 'v3', a: false, b: false },
  { video: 'v3', a: true, b: true },
];

function sides() {
  const items = CASE.map((c, i) => ({ video: c.video, query: `q${i}`, model_output: '', gt_relevant: false }));
  return {
    a: { items, judgments: CASE.map((c) => judged(false, c.a)) },
    b: { items, judgments: CASE.map((c) => judged(false, c.b)) },
  };
}

/** Accuracy delta of one resample (counts per video), from the raw queries. */
function deltaOf(counts: number[]): number {
  const videos = ['v0', 'v1', 'v2', 'v3'];
  let n = 0;
  let d = 0;
  CASE.forEach((c) => {
    const w = counts[videos.indexOf(c.video)];
    n += w;
    d += w * (Number(c.b) - Number(c.a));
  });
  return d / n;
}

test('bootstrap with a fixed seed: the same draws, recomputed from the raw queries, give the same interval', () => {
  const { a, b } = sides();
  const seed = 42;
  const resamples = 2000;
  const { comparison } = compareRuns(a, b, { seed, resamples });
  // Independently: the same PRNG (scripts/lib/random.mjs), the same draws of 4 videos, the delta
  // recomputed from the queries, the 2.5% / 97.5% quantiles of the sorted deltas.
  const r = rng(seed);
  const deltas: number[] = [];
  for (let k = 0; k < resamples; k++) {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) counts[Math.floor(r() * 4)]++;
    deltas.push(deltaOf(counts));
  }
  deltas.sort((x, y) => x - y);
  const acc = comparison.metrics.accuracy;
  assert.equal(acc.a, 3 / 7);
  assert.equal(acc.b, 5 / 7);
  assert.ok(Math.abs(acc.delta! - 2 / 7) < 1e-12);
  assert.ok(acc.ci95);
  assert.ok(Math.abs(acc.ci95[0] - quantileSorted(deltas, 0.025)) < 1e-12, `${acc.ci95[0]}`);
  assert.ok(Math.abs(acc.ci95[1] - quantileSorted(deltas, 0.975)) < 1e-12, `${acc.ci95[1]}`);
});

test('bootstrap interval converges to the exact bootstrap distribution (all 4^4 resamples enumerated)', () => {
  // The exact distribution: every one of the 256 equally likely draws of 4 videos.
  const dist: number[] = [];
  for (let x = 0; x < 256; x++) {
    const counts = [0, 0, 0, 0];
    for (let i = 0, y = x; i < 4; i++, y = Math.floor(y / 4)) counts[y % 4]++;
    dist.push(deltaOf(counts));
  }
  dist.sort((p, q) => p - q);
  // Exact quantiles of a discrete distribution: the smallest atom whose CDF reaches p.
  const atom = (p: number) => dist[Math.ceil(p * dist.length) - 1];
  const cdf = (v: number) => dist.filter((d) => d <= v + 1e-12).length / dist.length;
  const lo = atom(0.025);
  const hi = atom(0.975);
  // The case is chosen so that neither quantile sits on a CDF step (the estimate is then stable).
  assert.ok(cdf(lo) - 0.025 > 0.005 && 0.025 - cdf(lo - 1e-9) > 0.005, `lo ${lo}`);
  assert.ok(cdf(hi) - 0.975 > 0.005 && 0.975 - cdf(hi - 1e-9) > 0.005, `hi ${hi}`);
  const { a, b } = sides();
  const ci = compareRuns(a, b, { seed: 7, resamples: 20000 }).comparison.metrics.accuracy.ci95!;
  assert.ok(Math.abs(ci[0] - lo) < 1e-12, `${ci[0]} vs exact ${lo}`);
  assert.ok(Math.abs(ci[1] - hi) < 1e-12, `${ci[1]} vs exact ${hi}`);
});

test('bootstrapDeltas: a metric whose denominator is 0 in every resample has no interval', () => {
  const data = new Float64Array([1, 1, 0, 0, 0, 1, 0, 0]); // 2 clusters, 1 metric: B has no denominator
  assert.deepEqual(bootstrapDeltas({ clusters: 2, metrics: 1, data }, 100, 1), [null]);
});

/**
 * A table shaped like a comparison's: per cluster and metric, counts (shared denominators), hit
 * numerators, F1-like denominators that differ between the sides, IoU sums (not integers), and
 * metrics no cluster has (zero columns).
 */
function randomTable(clusters: number, seed: number) {
  const r = rng(seed);
  // rng's values are multiples of 2^-32, whose sums are exact in any order: divide by 3 to get
  // full-mantissa fractions, whose sums depend on the order of the additions.
  const frac = () => r() / 3;
  const M = 6;
  const data = new Float64Array(clusters * M * 4);
  for (let v = 0; v < clusters; v++) {
    const n = 1 + Math.floor(r() * 4);
    const put = (m: number, vals: number[]) => vals.forEach((x, k) => (data[(v * M + m) * 4 + k] = x));
    const hitsA = Math.floor(r() * (n + 1));
    const hitsB = Math.floor(r() * (n + 1));
    put(0, [hitsA, n, hitsB, n]); // accuracy: shared denominator
    put(1, [2 * hitsA, 2 * hitsA + (n - hitsA), 2 * hitsB, 2 * hitsB + Math.floor(r() * 3)]); // F1-like
    put(2, [frac() * n, n, frac() * n, n]); // a mean IoU: fractions
    put(3, [100 * hitsA, n, 100 * hitsB, n]); // R@k in percent
    if (r() < 0.3) put(4, [frac(), 1, frac(), 1]); // a sparse mean (refusable items only)
    // metric 5: nothing (a figure the offline judge does not compute)
  }
  return { clusters, metrics: M, data };
}

test('bootstrapDeltas gives exactly the intervals of the reference implementation for a fixed seed', () => {
  for (const [clusters, seed, resamples] of [
    [7, 1, 500],
    [300, 2, 400],
    [2000, 3, 200],
    [5000, 0, 100],
  ]) {
    const table = randomTable(clusters, seed + 100);
    const got = bootstrapDeltas(table, resamples, seed);
    const want = referenceBootstrapDeltas(table, resamples, seed);
    assert.deepStrictEqual(got, want, `${clusters} clusters, seed ${seed}`);
    assert.equal(got[5], null);
    assert.ok(got.slice(0, 5).every((ci) => ci !== null && ci[0] <= ci[1]));
  }
});

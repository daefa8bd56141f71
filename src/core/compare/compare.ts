/**
 * Paired comparison of two evaluated runs of the same data (issue 10): outcomes and their flips,
 * metric deltas with a paired bootstrap resampled by video, exact McNemar tests, per hardness level.
 */
import { gtSpan } from '../dataset/runs';
import type { ItemJudgment } from '../eval/evaluate';
import { HARDNESS_LEVELS } from '../taxonomy';
import { levelMetrics, OVERALL_METRICS, type RatioMetric } from './metrics';
import { OUTCOMES, outcomeOf, r05Hit, relevanceCorrect, type Outcome } from './outcomes';
import { pairItems, type PairIndex } from './pair';
import { provenanceJson, provenanceWarnings, type ProvenanceJson, type RunProvenance } from './provenance';
import { bootstrapDeltas } from './bootstrap';
import { mcnemarExact, ratio, type ClusterTable } from './stats';

/** One side of a comparison: its items, their judgments (same order) and where they came from. */
export interface CompareSide {
  items: readonly Record<string, unknown>[];
  judgments: readonly ItemJudgment[];
  provenance?: RunProvenance;
}

/** Options of `compareRuns`. */
export interface CompareOptions {
  /** Run A's `metricShares` and `pairIndex`, when the caller computed them already. */
  sharesA?: Float64Array;
  indexA?: PairIndex;
  /** Bootstrap seed (default 0): the same seed gives the same intervals. */
  seed?: number;
  /** Bootstrap replicates (default 1000). */
  resamples?: number;
}

/** A metric of both runs, B − A and its 95% bootstrap interval (null where a side has no value). */
export interface MetricDelta {
  a: number | null;
  b: number | null;
  delta: number | null;
  ci95: [number, number] | null;
}

/** Exact McNemar: pairs right in A only, right in B only, two-sided p. */
export interface McNemar {
  a_only: number;
  b_only: number;
  p: number;
}

/** Flip counts: A outcome → B outcome → pairs. */
export type FlipMatrix = Record<Outcome, Record<Outcome, number>>;

/** The figures of one group of pairs (all, or one hardness level). */
export interface GroupComparison {
  paired: number;
  videos: number;
  metrics: Record<string, MetricDelta>;
  mcnemar: { accuracy: McNemar; 'R@0.5': McNemar };
}

/** What `rarft compare --json` prints. */
export interface Comparison extends GroupComparison {
  unpaired: { a: number; b: number };
  /** Pairs left out because a side could not judge the item (judge error). */
  excluded: number;
  flips: FlipMatrix;
  by_level: Record<string, GroupComparison>;
  warnings: string[];
  seed: number;
  resamples: number;
  /** Which files each side was made on (when the sides carry a provenance). */
  provenance?: { a: ProvenanceJson; b: ProvenanceJson };
}

/** One compared sample, for views that open the samples behind a flip cell. */
export interface ComparedPair {
  a: number;
  b: number;
  outcomeA: Outcome;
  outcomeB: Outcome;
  level?: string;
  /** The pair's video, numbered in pair order (the bootstrap's cluster). */
  video: number;
}

/** The comparison and its pairs. */
export interface CompareResult {
  comparison: Comparison;
  pairs: ComparedPair[];
  unpairedA: number[];
  unpairedB: number[];
}

/** An empty flip matrix. */
export function emptyFlips(): FlipMatrix {
  const m = {} as FlipMatrix;
  for (const a of OUTCOMES) {
    m[a] = {} as Record<Outcome, number>;
    for (const b of OUTCOMES) m[a][b] = 0;
  }
  return m;
}

function mcnemar(pairs: ComparedPair[], right: (o: Outcome) => boolean): McNemar {
  let aOnly = 0;
  let bOnly = 0;
  for (const p of pairs) {
    const ra = right(p.outcomeA);
    const rb = right(p.outcomeB);
    if (ra && !rb) aOnly++;
    else if (rb && !ra) bOnly++;
  }
  return { a_only: aOnly, b_only: bOnly, p: mcnemarExact(aOnly, bOnly) };
}

/**
 * Each item's share of every overall metric: `[numerator, denominator]` of metric m for item i at
 * `(i · M + m) · 2` (M = OVERALL_METRICS.length), written by the metric's own `add`. A side's
 * shares need only its judgments: `compare` computes run A's while a worker still judges run B.
 */
export function metricShares(judgments: readonly ItemJudgment[]): Float64Array {
  const M = OVERALL_METRICS.length;
  const out = new Float64Array(judgments.length * M * 2);
  for (let i = 0; i < judgments.length; i++)
    for (let m = 0; m < M; m++) OVERALL_METRICS[m].add(judgments[i], out, (i * M + m) * 2);
  return out;
}

/** Which overall metric each of `metrics` sums (a level's F1 is one of the two class F1s). */
function overallIndexes(metrics: RatioMetric[]): Uint32Array {
  return Uint32Array.from(metrics, (m) => {
    const k = OVERALL_METRICS.findIndex((o) => o.add === m.add);
    if (k < 0) throw new Error(`metric ${m.name} is not an overall metric`);
    return k;
  });
}

/**
 * Per-video sums of every metric's numerator and denominator on both sides (videos numbered in
 * pair order), from the items' shares: added in pair order, as the metrics' `add` would add them.
 */
function clusterTable(
  pairs: ComparedPair[],
  sharesA: Float64Array,
  sharesB: Float64Array,
  metrics: RatioMetric[],
): ClusterTable {
  let max = -1;
  for (const p of pairs) if (p.video > max) max = p.video;
  const local = new Int32Array(max + 1).fill(-1);
  let clusters = 0;
  for (const p of pairs) if (local[p.video] < 0) local[p.video] = clusters++;
  const M = metrics.length;
  const O = OVERALL_METRICS.length;
  const index = overallIndexes(metrics);
  const data = new Float64Array(clusters * M * 4);
  for (const p of pairs) {
    const base = local[p.video] * M * 4;
    const a = p.a * O * 2;
    const b = p.b * O * 2;
    for (let m = 0; m < M; m++) {
      const at = base + m * 4;
      const k = index[m] * 2;
      data[at] += sharesA[a + k];
      data[at + 1] += sharesA[a + k + 1];
      data[at + 2] += sharesB[b + k];
      data[at + 3] += sharesB[b + k + 1];
    }
  }
  return { clusters, metrics: M, data };
}

/** One group of pairs (all, or one hardness level) with its metrics and cluster table, before the bootstrap. */
interface PlannedGroup {
  pairs: ComparedPair[];
  metrics: RatioMetric[];
  table: ClusterTable;
}

/** The 95% intervals of each metric of each table, in table order (`bootstrapDeltas` of each). */
export type Bootstrapper = (
  tables: ClusterTable[],
  resamples: number,
  seed: number,
) => Promise<([number, number] | null)[][]>;

function planGroup(
  pairs: ComparedPair[],
  sharesA: Float64Array,
  sharesB: Float64Array,
  metrics: RatioMetric[],
): PlannedGroup {
  return { pairs, metrics, table: clusterTable(pairs, sharesA, sharesB, metrics) };
}

function finishGroup(g: PlannedGroup, cis: ([number, number] | null)[]): GroupComparison {
  const { pairs, metrics, table } = g;
  const totals = new Float64Array(metrics.length * 4);
  for (let i = 0; i < table.data.length; i++) totals[i % totals.length] += table.data[i];
  const out: Record<string, MetricDelta> = {};
  metrics.forEach((m, k) => {
    const va = ratio(totals[k * 4], totals[k * 4 + 1]);
    const vb = ratio(totals[k * 4 + 2], totals[k * 4 + 3]);
    const known = (x: number) => (Number.isNaN(x) ? null : x);
    out[m.name] = {
      a: known(va),
      b: known(vb),
      delta: known(vb - va),
      ci95: cis[k],
    };
  });
  return {
    paired: pairs.length,
    videos: table.clusters,
    metrics: out,
    mcnemar: { accuracy: mcnemar(pairs, relevanceCorrect), 'R@0.5': mcnemar(pairs, r05Hit) },
  };
}

const sameGt = (x: Record<string, unknown>, y: Record<string, unknown>) => {
  if (!!x.gt_relevant !== !!y.gt_relevant) return false;
  const sx = gtSpan(x.gt_timestamp);
  const sy = gtSpan(y.gt_timestamp);
  return sx === null ? sy === null : sy !== null && sx[0] === sy[0] && sx[1] === sy[1];
};

/** Compares two judged runs. Pure: same inputs and seed, same result. */
export function compareRuns(a: CompareSide, b: CompareSide, options: CompareOptions = {}): CompareResult {
  const plan = planComparison(a, b, options);
  const { resamples, seed } = plan.opts;
  return assemble(
    plan,
    plan.groups.map((g) => bootstrapDeltas(g.table, resamples, seed)),
  );
}

/**
 * `compareRuns` with the bootstraps (one per group: all pairs, each hardness level) handed to
 * `bootstrap`, e.g. a pool of threads. The same inputs and seed give the same result.
 */
export async function compareRunsWith(
  a: CompareSide,
  b: CompareSide,
  options: CompareOptions,
  bootstrap: Bootstrapper,
): Promise<CompareResult> {
  const plan = planComparison(a, b, options);
  const { resamples, seed } = plan.opts;
  return assemble(
    plan,
    await bootstrap(
      plan.groups.map((g) => g.table),
      resamples,
      seed,
    ),
  );
}

type ComparisonPlan = ReturnType<typeof planComparison>;

/** Pairs the runs, counts flips and builds each group's cluster table (overall first, then the levels). */
function planComparison(a: CompareSide, b: CompareSide, options: CompareOptions) {
  const opts = { seed: options.seed ?? 0, resamples: options.resamples ?? 1000 };
  const pairing = pairItems(a.items, b.items, options.indexA);
  const pairs: ComparedPair[] = [];
  const flips = emptyFlips();
  let excluded = 0;
  let gtDiffers = 0;
  const videos = new Map<string, number>();
  for (const [ia, ib] of pairing.pairs) {
    const ja = a.judgments[ia];
    const jb = b.judgments[ib];
    const oa = outcomeOf(ja);
    const ob = outcomeOf(jb);
    if (!sameGt(a.items[ia], b.items[ib])) gtDiffers++;
    if (!oa || !ob) {
      excluded++;
      continue;
    }
    flips[oa][ob]++;
    const v = String(a.items[ia].video ?? '');
    let video = videos.get(v);
    if (video === undefined) videos.set(v, (video = videos.size));
    pairs.push({ a: ia, b: ib, outcomeA: oa, outcomeB: ob, level: ja.level ?? jb.level, video });
  }
  const sharesA = options.sharesA ?? metricShares(a.judgments);
  const sharesB = metricShares(b.judgments);
  if (sharesA.length !== a.judgments.length * OVERALL_METRICS.length * 2)
    throw new RangeError(`sharesA: ${sharesA.length} numbers for ${a.judgments.length} judgments`);
  const groups = [planGroup(pairs, sharesA, sharesB, OVERALL_METRICS)];
  const levels: string[] = [];
  for (const level of HARDNESS_LEVELS) {
    const sub = pairs.filter((p) => p.level === level);
    if (!sub.length) continue;
    levels.push(level);
    groups.push(planGroup(sub, sharesA, sharesB, levelMetrics(level)));
  }
  const warnings = provenanceWarnings(a.provenance, b.provenance);
  if (gtDiffers)
    warnings.push(
      `${gtDiffers} paired samples have a different ground truth (gt_relevant or gt_timestamp): the runs were scored against different annotations`,
    );
  if (excluded) warnings.push(`${excluded} pairs left out: a side could not judge the item (judge errors)`);
  return { a, b, opts, pairing, pairs, flips, excluded, warnings, groups, levels };
}

/** The comparison from its plan and each group's intervals. */
function assemble(plan: ComparisonPlan, cis: ([number, number] | null)[][]): CompareResult {
  const { a, b, opts, pairing, pairs, flips, excluded, warnings, groups, levels } = plan;
  const overall = finishGroup(groups[0], cis[0]);
  const byLevel: Record<string, GroupComparison> = {};
  levels.forEach((level, k) => {
    byLevel[level] = finishGroup(groups[k + 1], cis[k + 1]);
  });
  return {
    comparison: {
      ...overall,
      unpaired: { a: pairing.unpairedA.length, b: pairing.unpairedB.length },
      excluded,
      flips,
      by_level: byLevel,
      warnings,
      seed: opts.seed,
      resamples: opts.resamples,
      ...(a.provenance || b.provenance
        ? { provenance: { a: provenanceJson(a.provenance ?? {}), b: provenanceJson(b.provenance ?? {}) } }
        : {}),
    },
    pairs,
    unpairedA: pairing.unpairedA,
    unpairedB: pairing.unpairedB,
  };
}

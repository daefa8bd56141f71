/**
 * The paired cluster bootstrap of a comparison, made fast without changing a single replicate:
 * the table is compacted into columns, integer columns (counts, hits, correct answers) are summed
 * over groups of clusters with equal integer rows (exact in any order), and the other columns are
 * summed over their non-zero clusters in cluster order, as `Σ count · value`, exactly as before.
 */
import { quantileSorted, ratio, type ClusterTable } from './stats';

/** How each metric's delta is read from the compacted columns (-1: a column of zeros). */
interface Plan {
  columns: Float64Array[];
  /** shared: [Δnum, den] (both sides have the same denominators); else [numA, denA, numB, denB]. */
  metrics: { shared: boolean; cols: number[] }[];
}

function same(x: Float64Array, y: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function column(table: ClusterTable, m: number, k: number): Float64Array {
  const { clusters: V, metrics: M, data } = table;
  const out = new Float64Array(V);
  for (let v = 0; v < V; v++) out[v] = data[(v * M + m) * 4 + k];
  return out;
}

/**
 * Compacts the table: where A and B share denominators, one column of numerator differences
 * replaces both numerators; identical columns (the item counts of most metrics) are kept once
 * and zero columns not at all. The sums, and so the replicates, are the same.
 */
function compact(table: ClusterTable): Plan {
  const columns: Float64Array[] = [];
  const byHash = new Map<number, number[]>();
  const add = (c: Float64Array): number => {
    let h = 0;
    let zero = true;
    for (let i = 0; i < c.length; i++) {
      if (c[i] !== 0) zero = false;
      h = (h * 31 + c[i] * (i + 1)) % 1e9;
    }
    if (zero) return -1;
    const list = byHash.get(h) ?? [];
    for (const k of list) if (same(columns[k], c)) return k;
    columns.push(c);
    list.push(columns.length - 1);
    byHash.set(h, list);
    return columns.length - 1;
  };
  const metrics: Plan['metrics'] = [];
  for (let m = 0; m < table.metrics; m++) {
    const [nA, dA, nB, dB] = [0, 1, 2, 3].map((k) => column(table, m, k));
    if (same(dA, dB)) {
      const delta = new Float64Array(nB.length);
      for (let i = 0; i < delta.length; i++) delta[i] = nB[i] - nA[i];
      metrics.push({ shared: true, cols: [add(delta), add(dA)] });
    } else metrics.push({ shared: false, cols: [add(nA), add(dA), add(nB), add(dB)] });
  }
  return { columns, metrics };
}

/** A column whose every sum of `count · value` is an exact integer (|sum| ≤ clusters · max < 2^53). */
function isIntegerColumn(c: Float64Array): boolean {
  let max = 0;
  for (let i = 0; i < c.length; i++) {
    if (!Number.isInteger(c[i])) return false;
    max = Math.max(max, Math.abs(c[i]));
  }
  return max * c.length < 2 ** 53;
}

/** The columns laid out for summing: integer columns by group of equal rows, others sparse. */
interface SumPlan {
  /** Group of each cluster, and per group the values of the integer columns (G × ints.length). */
  groupOf: Uint32Array;
  groups: number;
  groupValues: Float64Array;
  ints: number[];
  /** Other columns: their non-zero clusters (ascending) and values. */
  sparse: { k: number; at: Uint32Array; values: Float64Array }[];
}

function sumPlan(columns: Float64Array[], V: number): SumPlan {
  const ints: number[] = [];
  const sparse: SumPlan['sparse'] = [];
  columns.forEach((c, k) => {
    if (isIntegerColumn(c)) return ints.push(k);
    const at: number[] = [];
    for (let v = 0; v < V; v++) if (c[v] !== 0) at.push(v);
    sparse.push({ k, at: Uint32Array.from(at), values: Float64Array.from(at, (v) => c[v]) });
  });
  // Groups numbered in order of first occurrence; rows found by a hash of their values, then
  // compared value by value (no key string per video).
  const I = ints.length;
  const cols = ints.map((k) => columns[k]);
  const groupOf = new Uint32Array(V);
  const byHash = new Map<number, number[]>();
  const values: number[] = [];
  let groups = 0;
  const sameRow = (g: number, v: number) => {
    for (let j = 0; j < I; j++) if (values[g * I + j] !== cols[j][v]) return false;
    return true;
  };
  for (let v = 0; v < V; v++) {
    let h = 0;
    for (let j = 0; j < I; j++) h = (Math.imul(h, 31) + (cols[j][v] | 0) + j) | 0;
    let list = byHash.get(h);
    if (!list) byHash.set(h, (list = []));
    let g = -1;
    for (const c of list)
      if (sameRow(c, v)) {
        g = c;
        break;
      }
    if (g < 0) {
      g = groups++;
      list.push(g);
      for (let j = 0; j < I; j++) values.push(cols[j][v]);
    }
    groupOf[v] = g;
  }
  return { groupOf, groups, groupValues: Float64Array.from(values), ints, sparse };
}

/**
 * One replicate's draws: `V` clusters with replacement, by the seeded PRNG of `seededRandom` (core/random.ts)
 * (mulberry32, inlined: the same state, the same draws). Counts per cluster and per group.
 * Returns the PRNG state after the draws.
 */
function draw(state: number, V: number, p: SumPlan, counts: Float64Array, groupCounts: Float64Array): number {
  groupCounts.fill(0);
  const { groupOf } = p;
  const perCluster = p.sparse.length > 0; // else only the groups' counts are read
  if (perCluster) counts.fill(0);
  let a = state;
  for (let i = 0; i < V; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * V);
    if (perCluster) counts[v]++;
    groupCounts[groupOf[v]]++;
  }
  return a;
}

/** Each column's sum over the drawn clusters, into `sums`. */
function sumColumns(p: SumPlan, counts: Float64Array, groupCounts: Float64Array, sums: Float64Array): void {
  for (const { k, at, values } of p.sparse) {
    let s = 0;
    for (let i = 0; i < at.length; i++) s += counts[at[i]] * values[i];
    sums[k] = s;
  }
  const I = p.ints.length;
  for (let j = 0; j < I; j++) {
    let s = 0;
    for (let g = 0; g < p.groups; g++) s += groupCounts[g] * p.groupValues[g * I + j];
    sums[p.ints[j]] = s;
  }
}

/**
 * Paired cluster bootstrap of B − A for every metric of the table: each replicate draws
 * `clusters` clusters with replacement (seeded), sums their statistics and takes the
 * difference of the ratios. Returns the 2.5% and 97.5% quantiles per metric (NaN replicates,
 * where a denominator is 0, are left out; null when none is left).
 */
export function bootstrapDeltas(table: ClusterTable, resamples: number, seed: number): ([number, number] | null)[] {
  const { clusters: V, metrics: M } = table;
  const plan = compact(table);
  const K = plan.columns.length;
  const p = sumPlan(plan.columns, V);
  const counts = new Float64Array(V);
  const groupCounts = new Float64Array(p.groups);
  const sums = new Float64Array(K + 1); // sums[K] stays 0: the value of a column of zeros
  const at = (k: number) => (k < 0 ? K : k);
  const deltas: Float64Array[] = Array.from({ length: M }, () => new Float64Array(resamples));
  const kept = new Uint32Array(M);
  let state = seed >>> 0;
  for (let r = 0; r < resamples; r++) {
    state = draw(state, V, p, counts, groupCounts);
    sumColumns(p, counts, groupCounts, sums);
    for (let m = 0; m < M; m++) {
      const { shared, cols } = plan.metrics[m];
      const d = shared
        ? ratio(sums[at(cols[0])], sums[at(cols[1])])
        : ratio(sums[at(cols[2])], sums[at(cols[3])]) - ratio(sums[at(cols[0])], sums[at(cols[1])]);
      if (!Number.isNaN(d)) deltas[m][kept[m]++] = d;
    }
  }
  return deltas.map((arr, m) => {
    if (!kept[m]) return null;
    const s = arr.subarray(0, kept[m]).sort();
    return [quantileSorted(s, 0.025), quantileSorted(s, 0.975)];
  });
}

/**
 * The paired cluster bootstrap as it was before it was made fast (main at e1dc831), kept verbatim as
 * the reference the fast one must equal exactly: same seed, same replicates, same intervals.
 */
import { quantileSorted, ratio, type ClusterTable } from '../../src/core/compare/stats';
import { seededRandom } from '../../src/core/random';

/** How each metric's delta is read from the compacted columns (-1: a column of zeros). */
interface Plan {
  columns: Float64Array[];
  /** shared: [Δnum, den] (both sides have the same denominators); else [numA, denA, numB, denB]. */
  metrics: { shared: boolean; cols: number[] }[];
}

/**
 * Compacts the table for the bootstrap: where A and B share denominators, one column of numerator
 * differences replaces both numerators; identical columns (the item counts of most metrics) are
 * kept once and zero columns not at all. The sums, and so the replicates, are the same.
 */
function compact(table: ClusterTable): Plan {
  const { clusters: V, metrics: M, data } = table;
  const col = (m: number, k: number) => {
    const out = new Float64Array(V);
    for (let v = 0; v < V; v++) out[v] = data[(v * M + m) * 4 + k];
    return out;
  };
  const columns: Float64Array[] = [];
  const byHash = new Map<number, number[]>();
  const same = (x: Float64Array, y: Float64Array) => x.every((val, i) => val === y[i]);
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
  for (let m = 0; m < M; m++) {
    const [nA, dA, nB, dB] = [0, 1, 2, 3].map((k) => col(m, k));
    if (same(dA, dB)) {
      const delta = nB.map((x, i) => x - nA[i]);
      metrics.push({ shared: true, cols: [add(delta), add(dA)] });
    } else metrics.push({ shared: false, cols: [add(nA), add(dA), add(nB), add(dB)] });
  }
  return { columns, metrics };
}

/**
 * Paired cluster bootstrap of B − A for every metric of the table: each replicate draws
 * `clusters` clusters with replacement (seeded), sums their statistics and takes the
 * difference of the ratios. Returns the 2.5% and 97.5% quantiles per metric (NaN replicates,
 * where a denominator is 0, are left out; null when none is left).
 */
export function referenceBootstrapDeltas(
  table: ClusterTable,
  resamples: number,
  seed: number,
): ([number, number] | null)[] {
  const { clusters: V, metrics: M } = table;
  const plan = compact(table);
  const K = plan.columns.length;
  const rows = new Float64Array(V * K);
  plan.columns.forEach((c, k) => {
    for (let v = 0; v < V; v++) rows[v * K + k] = c[v];
  });
  const rand = seededRandom(seed);
  const counts = new Uint32Array(V);
  const sums = new Float64Array(K + 1); // sums[K] stays 0: the value of a column of zeros
  const at = (k: number) => (k < 0 ? K : k);
  const deltas: Float64Array[] = Array.from({ length: M }, () => new Float64Array(resamples));
  const kept = new Uint32Array(M);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < V; i++) counts[Math.floor(rand() * V)]++;
    sums.fill(0);
    for (let v = 0; v < V; v++) {
      const c = counts[v];
      if (!c) continue;
      const base = v * K;
      for (let k = 0; k < K; k++) sums[k] += c * rows[base + k];
    }
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

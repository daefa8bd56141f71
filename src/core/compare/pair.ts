/** Joins two runs' items by (video, query) for a paired comparison. */

/** The join of two runs: index pairs and the items of each side that pair with nothing. */
export interface Pairing {
  /** `[indexInA, indexInB]`, in A's order. */
  pairs: [number, number][];
  unpairedA: number[];
  unpairedB: number[];
}

/** Item indexes by video, then query (nested maps: no key string is built per item). */
export type PairIndex = Map<string, Map<string, number[]>>;

/** A run's items indexed for `pairItems` (a side's index needs only its items: `compare` builds A's while B is judged). */
export function pairIndex(items: readonly Record<string, unknown>[]): PairIndex {
  const byVideo: PairIndex = new Map();
  items.forEach((it, i) => {
    const v = String(it.video ?? '');
    const q = String(it.query ?? '');
    let byQuery = byVideo.get(v);
    if (!byQuery) byVideo.set(v, (byQuery = new Map()));
    const list = byQuery.get(q);
    if (list) list.push(i);
    else byQuery.set(q, [i]);
  });
  return byVideo;
}

/**
 * Pairs items with the same (video, query). When a key occurs several times on a side, its
 * k-th occurrence in A pairs with its k-th occurrence in B; the extras are unpaired, never guessed.
 * `inA` is `pairIndex(a)`, when the caller has it.
 */
export function pairItems(
  a: readonly Record<string, unknown>[],
  b: readonly Record<string, unknown>[],
  inA: PairIndex = pairIndex(a),
): Pairing {
  const taken = new Map<number[], number>();
  const bOfA = new Int32Array(a.length).fill(-1);
  const unpairedB: number[] = [];
  b.forEach((it, j) => {
    const list = inA.get(String(it.video ?? ''))?.get(String(it.query ?? ''));
    const n = list ? (taken.get(list) ?? 0) : 0;
    if (list && n < list.length) {
      bOfA[list[n]] = j;
      taken.set(list, n + 1);
    } else unpairedB.push(j);
  });
  const pairs: [number, number][] = [];
  const unpairedA: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (bOfA[i] >= 0) pairs.push([i, bOfA[i]]);
    else unpairedA.push(i);
  }
  return { pairs, unpairedA, unpairedB };
}

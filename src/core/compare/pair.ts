/** Joins two runs' items by (video, query) for a paired comparison. */

/** The join of two runs: index pairs and the items of each side that pair with nothing. */
export interface Pairing {
  /** `[indexInA, indexInB]`, in A's order. */
  pairs: [number, number][];
  unpairedA: number[];
  unpairedB: number[];
}

const keyOf = (it: Record<string, unknown>) => `${String(it.video ?? '')}\u0000${String(it.query ?? '')}`;

/**
 * Pairs items with the same (video, query). When a key occurs several times on a side, its
 * k-th occurrence in A pairs with its k-th occurrence in B; the extras are unpaired, never guessed.
 */
export function pairItems(a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]): Pairing {
  const inB = new Map<string, number[]>();
  b.forEach((it, i) => {
    const k = keyOf(it);
    const list = inB.get(k);
    if (list) list.push(i);
    else inB.set(k, [i]);
  });
  const taken = new Map<string, number>();
  const pairs: [number, number][] = [];
  const unpairedA: number[] = [];
  const usedB = new Uint8Array(b.length);
  a.forEach((it, i) => {
    const k = keyOf(it);
    const list = inB.get(k);
    const n = taken.get(k) ?? 0;
    if (list && n < list.length) {
      pairs.push([i, list[n]]);
      usedB[list[n]] = 1;
      taken.set(k, n + 1);
    } else unpairedA.push(i);
  });
  const unpairedB: number[] = [];
  for (let i = 0; i < b.length; i++) if (!usedB[i]) unpairedB.push(i);
  return { pairs, unpairedA, unpairedB };
}

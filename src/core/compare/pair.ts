/** Joins two runs' items by (video, query) for a paired comparison. */

/** The join of two runs: index pairs and the items of each side that pair with nothing. */
export interface Pairing {
  /** `[indexInA, indexInB]`, in A's order. */
  pairs: [number, number][];
  unpairedA: number[];
  unpairedB: number[];
}

/** Item indexes by video, then query (nested maps: no key string is built per item). */
type Index = Map<string, Map<string, number[]>>;

function indexOf(items: readonly Record<string, unknown>[]): Index {
  const byVideo: Index = new Map();
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
 */
export function pairItems(a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]): Pairing {
  const inB = indexOf(b);
  const taken = new Map<number[], number>();
  const pairs: [number, number][] = [];
  const unpairedA: number[] = [];
  const usedB = new Uint8Array(b.length);
  a.forEach((it, i) => {
    const list = inB.get(String(it.video ?? ''))?.get(String(it.query ?? ''));
    const n = list ? (taken.get(list) ?? 0) : 0;
    if (list && n < list.length) {
      pairs.push([i, list[n]]);
      usedB[list[n]] = 1;
      taken.set(list, n + 1);
    } else unpairedA.push(i);
  });
  const unpairedB: number[] = [];
  for (let i = 0; i < b.length; i++) if (!usedB[i]) unpairedB.push(i);
  return { pairs, unpairedA, unpairedB };
}

/**
 * Judgments packed for a trip between threads. A structured clone of 50,000 `ItemJudgment`s
 * costs the receiving thread more than judging them did (every object and every repeated reason
 * string is rebuilt one by one); packed, the numbers travel in one typed array, the strings and
 * string lists once each, and the receiver builds plain objects from them in one loop.
 */
import type { ItemJudgment } from '../eval/evaluate';

/** Judgments as columns. `extras` holds the rare parts (errors, disagreements) by item index. */
export interface PackedJudgments {
  count: number;
  /** Per item: predSpan start, end, iou, jaccard, reasoningScore, sbert (see `nulls`). */
  numbers: Float64Array;
  /** Per item, bits: gtRelevant, predRelevant known, predRelevant, categoriesUnjudged, predSpan, predCategories. */
  flags: Uint8Array;
  /** Per item, bit k set: number k of `numbers` (from iou on) is null. */
  nulls: Uint8Array;
  /** Per item: index into `lists` of level (as a one-string list, -1 none), gtCategories, predCategories, notComputed, reused (-1 none). */
  lists: Int32Array;
  strings: string[][];
  extras: [number, Pick<ItemJudgment, 'errors' | 'disagreement'>][];
}

const NUMS = 6;
const LISTS = 5;
const NUMBER_KEYS = ['iou', 'jaccard', 'reasoningScore', 'sbert'] as const;

/** The buffers of a packed set, to transfer rather than copy. */
export const packedBuffers = (p: PackedJudgments): ArrayBuffer[] =>
  [p.numbers, p.flags, p.nulls, p.lists].map((a) => a.buffer as ArrayBuffer);

/** Packs judgments; `unpackJudgments` gives back equal ones. */
export function packJudgments(judgments: readonly ItemJudgment[]): PackedJudgments {
  const n = judgments.length;
  const numbers = new Float64Array(n * NUMS);
  const flags = new Uint8Array(n);
  const nulls = new Uint8Array(n);
  const lists = new Int32Array(n * LISTS);
  const strings: string[][] = [];
  const ids = new Map<string, number>();
  const extras: PackedJudgments['extras'] = [];
  const listId = (l: readonly string[] | null | undefined): number => {
    if (!l) return -1;
    const key = l.join('\u0000') + (l.length ? '' : '\u0001');
    let id = ids.get(key);
    if (id === undefined) {
      id = strings.length;
      strings.push([...l]);
      ids.set(key, id);
    }
    return id;
  };
  judgments.forEach((j, i) => {
    const span = j.predSpan;
    flags[i] =
      (j.gtRelevant ? 1 : 0) |
      (j.predRelevant !== null ? 2 : 0) |
      (j.predRelevant ? 4 : 0) |
      (j.categoriesUnjudged ? 8 : 0) |
      (span ? 16 : 0) |
      (j.predCategories ? 32 : 0);
    const at = i * NUMS;
    if (span) {
      numbers[at] = span[0];
      numbers[at + 1] = span[1];
    }
    NUMBER_KEYS.forEach((k, b) => {
      const v = j[k];
      if (v === null) nulls[i] |= 1 << b;
      else numbers[at + 2 + b] = v;
    });
    const l = i * LISTS;
    lists[l] = j.level === undefined ? -1 : listId([j.level]);
    lists[l + 1] = listId(j.gtCategories);
    lists[l + 2] = listId(j.predCategories);
    lists[l + 3] = listId(j.notComputed);
    lists[l + 4] = listId(j.reused);
    if (j.errors.length || j.disagreement) {
      const extra: Pick<ItemJudgment, 'errors' | 'disagreement'> = { errors: j.errors };
      if (j.disagreement) extra.disagreement = j.disagreement;
      extras.push([i, extra]);
    }
  });
  return { count: n, numbers, flags, nulls, lists, strings, extras };
}

/** The judgments `packJudgments` packed (list fields of equal content share one array: read them, do not change them). */
export function unpackJudgments(p: PackedJudgments): ItemJudgment[] {
  const { numbers, flags, nulls, lists, strings } = p;
  const out: ItemJudgment[] = new Array(p.count);
  const list = (id: number) => (id < 0 ? null : strings[id]);
  const num = (i: number, b: number) => (nulls[i] & (1 << b) ? null : numbers[i * NUMS + 2 + b]);
  const none: never[] = [];
  for (let i = 0; i < p.count; i++) {
    const f = flags[i];
    const l = i * LISTS;
    const j: ItemJudgment = {
      gtRelevant: (f & 1) !== 0,
      predRelevant: f & 2 ? (f & 4) !== 0 : null,
      predSpan: f & 16 ? [numbers[i * NUMS], numbers[i * NUMS + 1]] : null,
      iou: num(i, 0),
      predCategories: f & 32 ? list(lists[l + 2]) : null,
      jaccard: num(i, 1),
      reasoningScore: num(i, 2),
      sbert: num(i, 3),
      gtCategories: list(lists[l + 1]) ?? none,
      errors: none,
      notComputed: list(lists[l + 3]) ?? none,
    };
    if (lists[l] >= 0) j.level = strings[lists[l]][0] as ItemJudgment['level'];
    if (f & 8) j.categoriesUnjudged = true;
    const reused = list(lists[l + 4]);
    if (reused) j.reused = reused as ItemJudgment['reused'];
    out[i] = j;
  }
  for (const [i, extra] of p.extras) Object.assign(out[i], extra);
  return out;
}

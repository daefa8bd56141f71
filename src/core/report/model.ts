/**
 * What the dashboard and the report draw for one slice of a run: cards, charts and tables, all
 * from `computeMetrics` over the slice's judgments (the numbers are `metrics.json`'s), plus the
 * rows behind any bar, cell or bin.
 */
import type { Metrics } from '../eval/metrics';
import { HARDNESS_LEVELS, toDifficulty } from '../taxonomy';
import type { RunColumns } from './columns';

/** A slice: -1 means every value of that dimension. */
export interface Slice {
  level: number;
  category: number;
  source: number;
  /** Index into `columns.flags.tags` (-1: any row). */
  flag: number;
}

/** Every row. */
export const ALL: Slice = { level: -1, category: -1, source: -1, flag: -1 };

/** What a click on a chart element selects (within the slice). */
export type Target =
  | { kind: 'all' }
  | { kind: 'level'; level: number }
  | { kind: 'category'; category: number }
  | { kind: 'confusion'; gt: 0 | 1; pred: 0 | 1 }
  | { kind: 'iou'; bin: number }
  | { kind: 'reward'; component: number; bin: number }
  | { kind: 'disagreement'; value: 1 | 2 }
  | { kind: 'flip'; a: number; b: number };

/** One summary card. */
export interface Card {
  id: string;
  label: string;
  value: string;
  detail?: string;
}

/** A table ready for CSV, Markdown or LaTeX. */
export interface Table {
  id: string;
  title: string;
  header: string[];
  rows: (string | number | null)[][];
}

/** A histogram: `counts[k]` values in [edges[k], edges[k + 1]) (the last bin closed). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** Everything drawn for one slice. */
export interface SliceModel {
  rows: number;
  metrics: Metrics;
  cards: Card[];
  byLevel: { levels: string[]; series: { name: string; values: (number | null)[] }[] };
  categories: { labels: string[]; accuracy: (number | null)[]; total: number[] };
  confusion: { TP: number; FP: number; FN: number; TN: number };
  iou: Histogram;
  /** Reward components with any value (`component` indexes `columns.rewards.names`). */
  rewards: { name: string; component: number; hist: Histogram }[];
  disagreements: { labels: string[]; counts: number[] };
  flips?: { label: string; outcomes: string[]; counts: number[][] };
  tables: Table[];
}

/** Display names of the hardness levels, with the data's difficulty names. */
export const LEVEL_LABELS = HARDNESS_LEVELS.map((l) => (l === 'original' ? l : `${l} (${toDifficulty(l)})`));

const IOU_BINS = 10;
const REWARD_BINS = 10;

/** True when row `i` is in the slice. */
export function inSlice(c: RunColumns, s: Slice, i: number): boolean {
  return (
    (s.level < 0 || c.level[i] === s.level) &&
    (s.category < 0 || (c.cats[i] & (1 << s.category)) !== 0) &&
    (s.source < 0 || c.source[i] === s.source) &&
    (s.flag < 0 || ((c.flags?.mask[i] ?? 0) & (1 << s.flag)) !== 0)
  );
}

function binOf(v: number, lo: number, hi: number, bins: number): number {
  if (hi <= lo) return 0;
  return Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
}

/** The value range of a reward component over all rows (so bins stay put across slices). */
export function rewardRange(c: RunColumns, k: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of c.rewards!.values[k]) {
    if (v === null) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** True when row `i` (already in the slice) is behind the clicked element. */
export function matches(c: RunColumns, t: Target, i: number): boolean {
  switch (t.kind) {
    case 'all':
      return true;
    case 'level':
      return c.level[i] === t.level;
    case 'category':
      return c.gt[i] === 0 && (c.cats[i] & (1 << t.category)) !== 0 && c.pred[i] >= 0;
    case 'confusion':
      return c.gt[i] === t.gt && c.pred[i] === t.pred;
    case 'iou':
      return c.gt[i] === 1 && c.pred[i] >= 0 && c.iou[i] >= 0 && binOf(c.iou[i], 0, 1, IOU_BINS) === t.bin;
    case 'reward': {
      const v = c.rewards?.values[t.component]?.[i];
      if (v === null || v === undefined) return false;
      const [lo, hi] = rewardRange(c, t.component);
      return binOf(v, lo, hi, REWARD_BINS) === t.bin;
    }
    case 'disagreement':
      return c.disagreement[i] === t.value;
    case 'flip':
      return c.outcome[i] === t.a && c.compare?.outcome[i] === t.b;
    default: {
      const never: never = t;
      return never;
    }
  }
}

/** The rows of the slice behind a clicked element, in file order. */
export function selectRows(c: RunColumns, s: Slice, t: Target): number[] {
  const out: number[] = [];
  for (let i = 0; i < c.n; i++) if (inSlice(c, s, i) && matches(c, t, i)) out.push(i);
  return out;
}

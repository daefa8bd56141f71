/**
 * A run's judged items as compact columns: what the dashboard and the report need to redraw every
 * chart for any slice (hardness × category × source) and to find the samples behind a bar, a cell
 * or a bin. Plain JSON (numbers and strings), so it crosses to a webview or into an HTML file.
 */
import type { ItemJudgment, StepError } from '../eval/evaluate';
import { CATEGORIES, HARDNESS_LEVELS, type HardnessLevel } from '../taxonomy';
import { OUTCOMES, outcomeOf } from '../compare/outcomes';

const STEPS: StepError['step'][] = ['relevance', 'categories', 'reasoning', 'sbert'];

/** Reward components in the order `rarft rewards` writes them. */
export const REWARD_COMPONENTS = ['format', 'refuse_iou', 'explain', 'correction', 'explain_correction', 'total'];

/** Columns of one run; `-1` marks an unknown number, item `i` is row `i` of every column. */
export interface RunColumns {
  n: number;
  /** Video paths (deduplicated) and each item's index into them. */
  videos: string[];
  video: number[];
  query: string[];
  /** Sources (annotation file or video folder) and each item's index into them. */
  sources: string[];
  source: number[];
  /** Index into HARDNESS_LEVELS, -1 without a level. */
  level: number[];
  /** Bit k set: GT category CATEGORIES[k]. */
  cats: number[];
  gt: number[];
  /** 1 relevant, 0 irrelevant, -1 not judged. */
  pred: number[];
  iou: number[];
  jaccard: number[];
  /** 1 when the categories are the default, not a judgment (RT-IoU then has nothing behind it). */
  unjudged: number[];
  reasoning: number[];
  sbert: number[];
  /** Index into OUTCOMES, -1 when not judged. */
  outcome: number[];
  /** Bit k set: a judge error in step STEPS[k]. */
  errors: number[];
  /** Not-computed reasons (deduplicated) and, per item, a bit mask of them. */
  reasons: string[];
  notComputed: number[];
  /** 0 none; 1 the judge's class differs from the offline rule's; 2 only the span differs. */
  disagreement: number[];
  /** Reward components per item (`-1` null), when a rewards file was joined. */
  rewards?: { names: string[]; values: (number | null)[][] };
  /** The outcome of the same (video, query) in a compared run (-1: unpaired or not judged). */
  compare?: { label: string; outcome: number[] };
  /** Flag tags in use (at most 30) and, per row, a bit mask of the tags on its sample (.rarft/flags.json). */
  flags?: { tags: string[]; mask: number[] };
}

// Numbers are kept exact: a rounded IoU of 0.4999999 would count as an R@0.5 hit.
const num = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : -1);

/** Where an item comes from: its `source`/`annotation_file` key, else the video's folder. */
export function sourceOf(item: Record<string, unknown>): string {
  for (const k of ['source', 'annotation_file', 'dataset'])
    if (typeof item[k] === 'string' && item[k]) return item[k] as string;
  const v = String(item.video ?? '');
  const cut = v.lastIndexOf('/');
  return cut > 0 ? v.slice(0, cut) : '(no folder)';
}

function interner() {
  const ids = new Map<string, number>();
  const list: string[] = [];
  return {
    list,
    id(s: string) {
      let k = ids.get(s);
      if (k === undefined) {
        k = list.length;
        ids.set(s, k);
        list.push(s);
      }
      return k;
    },
  };
}

/** Builds the columns of judged items (`judgments[i]` judges `items[i]`). */
export function buildColumns(
  items: readonly Record<string, unknown>[],
  judgments: readonly ItemJudgment[],
): RunColumns {
  const videos = interner();
  const sources = interner();
  const reasons = interner();
  const c: RunColumns = {
    n: items.length,
    videos: videos.list,
    video: [],
    query: [],
    sources: sources.list,
    source: [],
    level: [],
    cats: [],
    gt: [],
    pred: [],
    iou: [],
    jaccard: [],
    unjudged: [],
    reasoning: [],
    sbert: [],
    outcome: [],
    errors: [],
    reasons: reasons.list,
    notComputed: [],
    disagreement: [],
  };
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const j = judgments[i];
    c.video.push(videos.id(String(it.video ?? '')));
    c.query.push(String(it.query ?? ''));
    c.source.push(sources.id(sourceOf(it)));
    c.level.push(j.level ? HARDNESS_LEVELS.indexOf(j.level) : -1);
    let cats = 0;
    for (const g of j.gtCategories) {
      const k = (CATEGORIES as readonly string[]).indexOf(g);
      if (k >= 0) cats |= 1 << k;
    }
    c.cats.push(cats);
    c.gt.push(j.gtRelevant ? 1 : 0);
    c.pred.push(j.predRelevant === null ? -1 : j.predRelevant ? 1 : 0);
    c.iou.push(num(j.iou));
    c.jaccard.push(num(j.jaccard));
    c.unjudged.push(j.categoriesUnjudged ? 1 : 0);
    c.reasoning.push(num(j.reasoningScore));
    c.sbert.push(num(j.sbert));
    const o = outcomeOf(j);
    c.outcome.push(o ? OUTCOMES.indexOf(o) : -1);
    let e = 0;
    for (const x of j.errors) e |= 1 << STEPS.indexOf(x.step);
    c.errors.push(e);
    let nc = 0;
    for (const r of j.notComputed) nc |= 2 ** Math.min(30, reasons.id(r));
    c.notComputed.push(nc);
    const d = j.disagreement;
    c.disagreement.push(!d ? 0 : d.offline.classification !== d.judge.classification ? 1 : 2);
  }
  return c;
}

/** The judgment of row `i`, rebuilt from the columns (what `computeMetrics` reads). */
export function judgmentAt(c: RunColumns, i: number): ItemJudgment {
  const known = (v: number) => (v < 0 ? null : v);
  const gtCategories: string[] = [];
  for (let k = 0; k < CATEGORIES.length; k++) if (c.cats[i] & (1 << k)) gtCategories.push(CATEGORIES[k]);
  const errors: StepError[] = [];
  STEPS.forEach((step, k) => {
    if (c.errors[i] & (1 << k)) errors.push({ step, error: 'judge error' });
  });
  const notComputed: string[] = [];
  c.reasons.forEach((r, k) => {
    if (c.notComputed[i] & (2 ** Math.min(30, k))) notComputed.push(r);
  });
  const level = c.level[i] >= 0 ? (HARDNESS_LEVELS[c.level[i]] as HardnessLevel) : undefined;
  return {
    gtRelevant: c.gt[i] === 1,
    predRelevant: c.pred[i] < 0 ? null : c.pred[i] === 1,
    predSpan: null,
    iou: known(c.iou[i]),
    predCategories: null,
    jaccard: known(c.jaccard[i]),
    ...(c.unjudged[i] ? { categoriesUnjudged: true as const } : {}),
    reasoningScore: known(c.reasoning[i]),
    sbert: known(c.sbert[i]),
    level,
    gtCategories,
    errors,
    notComputed,
  };
}

/** Adds reward components to the columns, joined by (video, query) (null: no reward for that row). */
export function addRewards(c: RunColumns, rewards: readonly Record<string, unknown>[]): void {
  const at = new Map<string, Record<string, unknown>>();
  for (const r of rewards) at.set(`${String(r.video)}\u0000${String(r.query)}`, r);
  const values = REWARD_COMPONENTS.map(() => new Array<number | null>(c.n).fill(null));
  for (let i = 0; i < c.n; i++) {
    const r = at.get(`${c.videos[c.video[i]]}\u0000${c.query[i]}`);
    if (!r) continue;
    REWARD_COMPONENTS.forEach((name, k) => {
      const v = r[name];
      values[k][i] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    });
  }
  c.rewards = { names: REWARD_COMPONENTS, values };
}

/** Adds the flag tags of each row's sample (`tagsOf(video, query)`); tags past the 30th are not offered. */
export function addFlags(c: RunColumns, tagsOf: (video: string, query: string) => readonly string[]): void {
  const tags: string[] = [];
  const mask = new Array<number>(c.n).fill(0);
  for (let i = 0; i < c.n; i++)
    for (const t of tagsOf(c.videos[c.video[i]], c.query[i])) {
      let k = tags.indexOf(t);
      if (k < 0 && tags.length < 30) k = tags.push(t) - 1;
      if (k >= 0) mask[i] |= 1 << k;
    }
  c.flags = tags.length ? { tags, mask } : undefined;
}

/** Builds the cards, charts and tables of one slice (see model.ts). */
import { OUTCOMES } from '../compare/outcomes';
import { computeMetrics, type Metrics } from '../eval/metrics';
import { CATEGORIES, HARDNESS_LEVELS } from '../taxonomy';
import { judgmentAt, type RunColumns } from './columns';
import {
  inSlice,
  LEVEL_LABELS,
  rewardRange,
  type Card,
  type Histogram,
  type Slice,
  type SliceModel,
  type Table,
} from './model';

const f = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? '–' : v.toFixed(d));

/** A figure for people, as the CLI prints it: `–` when nothing is behind it (evaluation.not_computed.figures). */
function figures(m: Metrics): (path: string, v: number | null | undefined, d?: number) => string {
  const empty = new Set(m.evaluation.not_computed.figures);
  return (path, v, d = 3) => (empty.has(path) ? '–' : f(v, d));
}

/** The RT-IoU of a level, or null when nothing is behind it. */
const levelRtIou = (m: Metrics, level: string, x: LevelMetrics) =>
  x.total &&
  !m.evaluation.not_computed.figures.includes(`hardness_level_analysis.metrics_by_hardness_level.${level}.RT-IoU`)
    ? x['RT-IoU']
    : null;

type LevelMetrics = {
  total: number;
  accuracy: number;
  f1: number;
  'RA-IoU': { 'R@0.5': number };
  'RT-IoU': number;
  irrelevant_samples: { mean_reasoning_score: number | null };
};

function cards(m: Metrics, rows: number): Card[] {
  const r = m.relevance;
  const pc = r.per_class;
  const ev = m.evaluation;
  const errors = Object.values(ev.judge_errors_by_step).reduce((a, b) => a + b, 0);
  const notComputed = Object.values(ev.not_computed.items_by_reason).reduce((a, b) => a + b, 0);
  const fig = figures(m);
  const rel = (v: number) => fig('relevance', v);
  const recall = (k: 'R@0.3' | 'R@0.5' | 'R@0.7') => fig('RA-IoU', m['RA-IoU'][k], 1);
  return [
    { id: 'accuracy', label: 'Accuracy', value: rel(r.overall_accuracy), detail: `${m.num_items} judged of ${rows}` },
    {
      id: 'relevant',
      label: 'Relevant P / R / F1',
      value: `${rel(pc.relevant.precision)} / ${rel(pc.relevant.recall)} / ${rel(pc.relevant.f1)}`,
      detail: `TP ${r.confusion.TP} · FP ${r.confusion.FP} · FN ${r.confusion.FN}`,
    },
    {
      id: 'irrelevant',
      label: 'Irrelevant P / R / F1',
      value: `${rel(pc.irrelevant.precision)} / ${rel(pc.irrelevant.recall)} / ${rel(pc.irrelevant.f1)}`,
      detail: `TN ${r.confusion.TN}`,
    },
    { id: 'ra-iou', label: 'RA-IoU mean', value: fig('RA-IoU', m['RA-IoU'].mean_all), detail: `${m.num_items} items` },
    { id: 'recall', label: 'R@0.3 / 0.5 / 0.7', value: `${recall('R@0.3')} / ${recall('R@0.5')} / ${recall('R@0.7')}` },
    {
      id: 'rt-iou',
      label: 'RT-IoU',
      value: fig('RT-IoU', m['RT-IoU']),
      detail: `${m.irrelevant_samples.count} refusable`,
    },
    {
      id: 'reasoning',
      label: 'Reasoning (0–5)',
      value: fig('irrelevant_samples.mean_reasoning_score', m.irrelevant_samples.mean_reasoning_score, 2),
      detail: `${m.irrelevant_samples.scored_count} scored`,
    },
    {
      id: 'sbert',
      label: 'SBERT similarity',
      value: fig('irrelevant_samples.mean_sbert_similarity', m.irrelevant_samples.mean_sbert_similarity),
      detail: `${m.irrelevant_samples.sbert_count} scored`,
    },
    {
      id: 'errors',
      label: 'Judge errors',
      value: String(errors),
      detail: `${ev.items_excluded} items left out of the metrics`,
    },
    {
      id: 'not-computed',
      label: 'Not computed',
      value: String(notComputed),
      detail: Object.entries(ev.not_computed.items_by_reason)
        .map(([why, n]) => `${n} × ${why}`)
        .join('; '),
    },
  ];
}

function hist(values: Iterable<number>, lo: number, hi: number, bins: number): Histogram {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo || 1)) * bins)))]++;
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + ((hi - lo) * k) / bins);
  return { edges, counts };
}

/** The model of one slice: cards, charts and tables from `computeMetrics` over the slice's rows. */
export function sliceModel(c: RunColumns, s: Slice): SliceModel {
  const rows: number[] = [];
  for (let i = 0; i < c.n; i++) if (inSlice(c, s, i)) rows.push(i);
  const metrics = computeMetrics(
    rows.map((i) => judgmentAt(c, i)),
    {},
  );
  const byLevelRaw = metrics.hardness_level_analysis.metrics_by_hardness_level as Record<string, LevelMetrics>;
  const lv = HARDNESS_LEVELS.map((l) => byLevelRaw[l]);
  const known = (m: LevelMetrics, v: number | null) => (m.total ? v : null);
  const byLevel = {
    levels: LEVEL_LABELS,
    series: [
      { name: 'accuracy', values: lv.map((m) => known(m, m.accuracy)) },
      { name: 'F1', values: lv.map((m) => known(m, m.f1)) },
      { name: 'R@0.5 (÷100)', values: lv.map((m) => known(m, m['RA-IoU']['R@0.5'] / 100)) },
      { name: 'RT-IoU', values: lv.map((m, k) => (k === 0 ? null : levelRtIou(metrics, HARDNESS_LEVELS[k], m))) },
      {
        name: 'reasoning (÷5)',
        values: lv.map((m, k) => {
          const r = m.irrelevant_samples.mean_reasoning_score;
          return k === 0 || r === null ? null : known(m, r / 5);
        }),
      },
    ],
  };
  const cat = metrics.category_irrelevant_classification.metrics_by_category;
  const categories = {
    labels: [...CATEGORIES],
    accuracy: CATEGORIES.map((l) => (cat[l].total ? cat[l].accuracy : null)),
    total: CATEGORIES.map((l) => cat[l].total),
  };
  const ious: number[] = [];
  for (const i of rows) if (c.gt[i] === 1 && c.pred[i] >= 0 && c.iou[i] >= 0) ious.push(c.iou[i]);
  const rewards: SliceModel['rewards'] = [];
  (c.rewards?.names ?? []).forEach((name, k) => {
    const vals = c.rewards!.values[k];
    const present = rows.map((i) => vals[i]).filter((v): v is number => v !== null);
    // A component nothing computed (no sentence model) gets no chart; the cards say what is missing.
    if (!vals.some((v) => v !== null)) return;
    const [lo, hi] = rewardRange(c, k);
    rewards.push({ name, component: k, hist: hist(present, lo, hi, 10) });
  });
  const dis = [0, 0];
  for (const i of rows) if (c.disagreement[i] > 0) dis[c.disagreement[i] - 1]++;
  let flips: SliceModel['flips'];
  if (c.compare) {
    const counts = OUTCOMES.map(() => OUTCOMES.map(() => 0));
    for (const i of rows)
      if (c.outcome[i] >= 0 && c.compare.outcome[i] >= 0) counts[c.outcome[i]][c.compare.outcome[i]]++;
    flips = { label: c.compare.label, outcomes: [...OUTCOMES], counts };
  }
  const model: SliceModel = {
    rows: rows.length,
    metrics,
    cards: cards(metrics, rows.length),
    byLevel,
    categories,
    confusion: { ...metrics.relevance.confusion },
    iou: hist(ious, 0, 1, 10),
    rewards,
    disagreements: { labels: ['class differs', 'span differs'], counts: dis },
    flips,
    tables: [],
  };
  model.tables = tablesOf(model, lv);
  return model;
}

function tablesOf(m: SliceModel, lv: LevelMetrics[]): Table[] {
  const tables: Table[] = [
    {
      id: 'summary',
      title: 'Summary',
      header: ['metric', 'value'],
      rows: m.cards.map((c) => [c.label, c.value]),
    },
    {
      id: 'levels',
      title: 'By hardness level',
      header: ['level', 'items', 'accuracy', 'F1', 'R@0.5', 'RT-IoU', 'reasoning'],
      rows: lv.map((x, k) => [
        m.byLevel.levels[k],
        x.total,
        x.total ? f(x.accuracy) : null,
        x.total ? f(x.f1) : null,
        x.total ? f(x['RA-IoU']['R@0.5'], 1) : null,
        k && levelRtIou(m.metrics, HARDNESS_LEVELS[k], x) !== null ? f(x['RT-IoU']) : null,
        k && x.total ? f(x.irrelevant_samples.mean_reasoning_score, 2) : null,
      ]),
    },
    {
      id: 'categories',
      title: 'Refusal accuracy by category',
      header: ['category', 'refusable items', 'accuracy'],
      rows: m.categories.labels.map((l, k) => [l, m.categories.total[k], f(m.categories.accuracy[k])]),
    },
    {
      id: 'confusion',
      title: 'Confusion (relevant = positive)',
      header: ['GT \\ predicted', 'relevant', 'irrelevant'],
      rows: [
        ['relevant', m.confusion.TP, m.confusion.FN],
        ['irrelevant', m.confusion.FP, m.confusion.TN],
      ],
    },
  ];
  if (m.flips)
    tables.push({
      id: 'flips',
      title: `Flips (rows: this run, columns: ${m.flips.label})`,
      header: ['A \\ B', ...m.flips.outcomes],
      rows: m.flips.outcomes.map((o, k) => [o, ...m.flips!.counts[k]]),
    });
  return tables;
}

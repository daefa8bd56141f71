/** The dashboard's sections for one slice: cards, charts (with a keyboard table each), flips, provenance. */
import { OUTCOMES } from '../../src/core/compare/outcomes';
import type { DashboardData } from '../../src/core/report/data';
import type { SliceModel, Table, Target } from '../../src/core/report/model';
import { barChart, type BarSpec, type Chart } from '../shared/charts';
import { h } from '../inspector/dom';

/** What sections call back into. */
export interface SectionHooks {
  select(target: Target, label: string): void;
  exportPng(name: string, chart: Chart): void;
  exportTable(table: Table): void;
  /** Charts drawn, to destroy on the next render. */
  charts: Chart[];
}

const fmt = (v: number | null, d = 3) => (v === null ? 'n/a' : v.toFixed(d));

function tableButtons(t: Table | undefined, hooks: SectionHooks): HTMLElement | null {
  if (!t) return null;
  return h(
    'span',
    { class: 'exports' },
    ...(['csv', 'md', 'tex'] as const).map((f) => {
      const b = h(
        'button',
        { type: 'button', 'data-testid': `export-${t.id}-${f}` },
        f === 'md' ? 'Markdown' : f === 'tex' ? 'LaTeX' : 'CSV',
      );
      b.addEventListener('click', () => hooks.exportTable({ ...t, id: `${t.id}.${f}` }));
      return b;
    }),
  );
}

/** A chart section: title, canvas, export buttons, and a table of the same values whose cells select. */
function chartSection(
  id: string,
  title: string,
  spec: BarSpec,
  targetOf: (d: number, i: number) => Target,
  hooks: SectionHooks,
  table?: Table,
): HTMLElement {
  const canvas = h('canvas', { 'data-testid': `chart-${id}`, role: 'img', 'aria-label': title });
  const png = h('button', { type: 'button', 'data-testid': `export-${id}-png` }, 'PNG');
  const label = (d: number, i: number) =>
    `${title}: ${spec.labels[i]}${spec.datasets.length > 1 ? ` (${spec.datasets[d].label})` : ''}`;
  const keyboard = h(
    'table',
    { class: 'values', 'data-testid': `values-${id}` },
    h('tr', {}, h('th', {}, ''), ...spec.datasets.map((d) => h('th', {}, d.label))),
    ...spec.labels.map((l, i) =>
      h(
        'tr',
        {},
        h('th', {}, l),
        ...spec.datasets.map((d, k) => {
          const v = d.data[i];
          const b = h(
            'button',
            { type: 'button', class: 'cell', title: `show the samples of ${label(k, i)}` },
            fmt(v ?? null),
          );
          b.addEventListener('click', () => hooks.select(targetOf(k, i), label(k, i)));
          return h('td', {}, b);
        }),
      ),
    ),
  );
  const section = h(
    'section',
    { class: 'chart-section', 'data-testid': `section-${id}` },
    h('h3', {}, title, h('span', { class: 'exports' }, png), tableButtons(table, hooks)),
    h('div', { class: `chart ${spec.horizontal ? 'tall' : ''}` }, canvas),
    h('details', {}, h('summary', {}, 'values (keyboard: each value opens its samples)'), keyboard),
  );
  queueMicrotask(() => {
    const chart = barChart(canvas, { ...spec, onClick: (d, i) => hooks.select(targetOf(d, i), label(d, i)) });
    hooks.charts.push(chart);
    png.addEventListener('click', () => hooks.exportPng(id, chart));
  });
  return section;
}

/** A heatmap as a grid of buttons, shaded by count through the CSSOM. */
function heatmap(
  id: string,
  title: string,
  rows: string[],
  cols: string[],
  counts: number[][],
  targetOf: (r: number, c: number) => Target,
  hooks: SectionHooks,
  table?: Table,
): HTMLElement {
  const max = Math.max(1, ...counts.flat());
  const grid = h(
    'table',
    { class: 'heatmap', 'data-testid': `heatmap-${id}` },
    h('tr', {}, h('th', {}, ''), ...cols.map((c) => h('th', { scope: 'col' }, c))),
    ...rows.map((r, ri) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, r),
        ...cols.map((c, ci) => {
          const n = counts[ri][ci];
          const b = h(
            'button',
            {
              type: 'button',
              class: 'heat',
              'data-row': r,
              'data-col': c,
              'data-count': String(n),
              title: `${r} → ${c}: ${n}`,
            },
            String(n),
          );
          b.style.setProperty('--heat', String(n / max));
          b.addEventListener('click', () => hooks.select(targetOf(ri, ci), `${title}: ${r} → ${c}`));
          return h('td', {}, b);
        }),
      ),
    ),
  );
  return h(
    'section',
    { class: 'chart-section', 'data-testid': `section-${id}` },
    h('h3', {}, title, tableButtons(table, hooks)),
    grid,
  );
}

/** The summary cards. */
export function cardsSection(m: SliceModel): HTMLElement {
  return h(
    'section',
    { class: 'cards', 'data-testid': 'cards' },
    ...m.cards.map((c) =>
      h(
        'div',
        { class: 'card', 'data-testid': `card-${c.id}` },
        h('div', { class: 'card-label' }, c.label),
        h('div', { class: 'card-value' }, c.value),
        c.detail ? h('div', { class: 'card-detail' }, c.detail) : null,
      ),
    ),
  );
}

/** The charts every slice has: hardness levels, categories, confusion matrix, IoU. */
function outcomeCharts(
  m: SliceModel,
  hooks: SectionHooks,
  t: (id: string) => SliceModel['tables'][number] | undefined,
) {
  return [
    chartSection(
      'levels',
      'By hardness level',
      { labels: m.byLevel.levels, datasets: m.byLevel.series.map((s) => ({ label: s.name, data: s.values })), yMax: 1 },
      (_d, i) => ({ kind: 'level', level: i }),
      hooks,
      t('levels'),
    ),
    chartSection(
      'categories',
      'Refusal accuracy by category',
      {
        labels: m.categories.labels,
        datasets: [{ label: 'accuracy', data: m.categories.accuracy }],
        yMax: 1,
        horizontal: true,
      },
      (_d, i) => ({ kind: 'category', category: i }),
      hooks,
      t('categories'),
    ),
    heatmap(
      'confusion',
      'Confusion matrix (rows: GT, columns: predicted)',
      ['relevant', 'irrelevant'],
      ['relevant', 'irrelevant'],
      [
        [m.confusion.TP, m.confusion.FN],
        [m.confusion.FP, m.confusion.TN],
      ],
      (r, c) => ({ kind: 'confusion', gt: r === 0 ? 1 : 0, pred: c === 0 ? 1 : 0 }),
      hooks,
      t('confusion'),
    ),
    chartSection(
      'iou',
      'IoU of answerable items',
      {
        labels: m.iou.counts.map((_, k) => `${m.iou.edges[k].toFixed(1)}–${m.iou.edges[k + 1].toFixed(1)}`),
        datasets: [{ label: 'items', data: m.iou.counts }],
      },
      (_d, i) => ({ kind: 'iou', bin: i }),
      hooks,
    ),
  ];
}

/** Every chart section of the slice. */
export function chartSections(m: SliceModel, data: DashboardData, hooks: SectionHooks): HTMLElement[] {
  const t = (id: string) => m.tables.find((x) => x.id === id);
  const out: HTMLElement[] = outcomeCharts(m, hooks, t);
  m.rewards.forEach((r) =>
    out.push(
      chartSection(
        `reward-${r.name}`,
        `Reward: ${r.name}`,
        {
          labels: r.hist.counts.map((_, b) => `${r.hist.edges[b].toFixed(2)}–${r.hist.edges[b + 1].toFixed(2)}`),
          datasets: [{ label: 'completions', data: r.hist.counts }],
        },
        (_d, bin) => ({ kind: 'reward', component: r.component, bin }),
        hooks,
      ),
    ),
  );
  out.push(
    chartSection(
      'disagreements',
      'Judge disagreements with the offline rule (step 1)',
      { labels: m.disagreements.labels, datasets: [{ label: 'items', data: m.disagreements.counts }] },
      (_d, i) => ({ kind: 'disagreement', value: (i + 1) as 1 | 2 }),
      hooks,
    ),
  );
  if (m.flips) {
    out.push(
      heatmap(
        'flips',
        `Flips (rows: this run, columns: ${m.flips.label})`,
        [...OUTCOMES],
        [...OUTCOMES],
        m.flips.counts,
        (a, b) => ({ kind: 'flip', a, b }),
        hooks,
        t('flips'),
      ),
    );
  }
  if (data.comparison) out.push(compareSection(data, hooks));
  return out;
}

/** `rarft compare`'s deltas and McNemar tests. */
function compareSection(data: DashboardData, hooks: SectionHooks): HTMLElement {
  const c = data.comparison!;
  const s = (v: number | null, d: number) => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(d)}`);
  const table: Table = {
    id: 'compare',
    title: 'B − A with 95% paired bootstrap intervals (by video)',
    header: ['metric', 'A', 'B', 'B − A', '95% CI'],
    rows: Object.entries(c.metrics).map(([name, m]) => {
      const d = name.startsWith('R@') ? 2 : 3;
      return [
        name,
        fmt(m.a, d),
        fmt(m.b, d),
        s(m.delta, d),
        m.ci95 ? `[${s(m.ci95[0], d)}, ${s(m.ci95[1], d)}]` : 'n/a',
      ];
    }),
  };
  const mc = (['accuracy', 'R@0.5'] as const).map(
    (k) =>
      `${k}: ${c.mcnemar[k].a_only} right in A only, ${c.mcnemar[k].b_only} in B only, exact McNemar p = ${c.mcnemar[k].p.toPrecision(3)}`,
  );
  return h(
    'section',
    { class: 'chart-section', 'data-testid': 'section-compare' },
    h('h3', {}, table.title, tableButtons(table, hooks)),
    h('p', {}, `${c.paired} pairs over ${c.videos} videos; unpaired: ${c.unpaired.a} in A, ${c.unpaired.b} in B`),
    ...c.warnings.map((w) => h('p', { class: 'warning' }, `warning: ${w}`)),
    h(
      'table',
      { class: 'values' },
      h('tr', {}, ...table.header.map((x) => h('th', {}, x))),
      ...table.rows.map((r) => h('tr', {}, ...r.map((x) => h('td', {}, String(x))))),
    ),
    ...mc.map((x) => h('p', {}, x)),
  );
}

/** The provenance block. */
export function provenanceSection(data: DashboardData): HTMLElement {
  return h(
    'section',
    { class: 'provenance', 'data-testid': 'provenance' },
    h('h3', {}, 'Provenance'),
    h('dl', {}, ...data.provenance.flatMap((p) => [h('dt', {}, p.label), h('dd', {}, p.value)])),
  );
}

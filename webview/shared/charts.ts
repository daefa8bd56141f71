/**
 * chart.js helpers shared by the webview apps (dashboard, report, training curves): theme colours
 * from VS Code's CSS variables, bar charts whose bars are clickable, and PNG export. chart.js 4
 * styles its canvas through the CSSOM, so it runs under `default-src 'none'` without 'unsafe-inline'.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
  LineController,
  LineElement,
  PointElement,
);

/** Colours of the current theme (VS Code's chart colours, with fallbacks outside VS Code). */
export interface ThemeColors {
  foreground: string;
  grid: string;
  series: string[];
}

const SERIES_VARS: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-red', '#f14c4c'],
];

/** Reads the theme colours from the document's CSS variables. */
export function themeColors(): ThemeColors {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    foreground: v('--vscode-foreground', '#333'),
    grid: v('--vscode-panel-border', '#8884'),
    series: SERIES_VARS.map(([name, fb]) => v(name, fb)),
  };
}

/** Input of `barChart`. */
export interface BarSpec {
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
  /** Horizontal bars (long category names). */
  horizontal?: boolean;
  yMax?: number;
  yTitle?: string;
  /** Called with the dataset and the bar index clicked. */
  onClick?: (dataset: number, index: number) => void;
}

/** Number of bars with a value (what a reader sees). */
export function barCount(spec: BarSpec): number {
  let n = 0;
  for (const d of spec.datasets) for (const v of d.data) if (v !== null && v !== undefined) n++;
  return n;
}

/**
 * Draws a bar chart in `canvas` (animation off) and records, on the canvas, `data-bars` (bars with
 * a value) and `data-hits` (each bar's centre in CSS pixels: dataset, index, x, y) for tests and tools.
 */
export function barChart(canvas: HTMLCanvasElement, spec: BarSpec, colors = themeColors()): Chart<'bar'> {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((d, k) => ({
        label: d.label,
        data: d.data,
        backgroundColor: colors.series[k % colors.series.length],
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: spec.horizontal ? 'y' : 'x',
      color: colors.foreground,
      scales: {
        [spec.horizontal ? 'y' : 'x']: { ticks: { color: colors.foreground }, grid: { color: colors.grid } },
        [spec.horizontal ? 'x' : 'y']: {
          beginAtZero: true,
          max: spec.yMax,
          ticks: { color: colors.foreground },
          grid: { color: colors.grid },
          title: spec.yTitle ? { display: true, text: spec.yTitle, color: colors.foreground } : undefined,
        },
      },
      plugins: { legend: { display: spec.datasets.length > 1, labels: { color: colors.foreground } } },
      onHover: (e, els) => {
        const t = e.native?.target as HTMLElement | undefined;
        if (t) t.style.cursor = els.length && spec.onClick ? 'pointer' : 'default';
      },
      onClick: (_e, els) => {
        if (els.length && spec.onClick) spec.onClick(els[0].datasetIndex, els[0].index);
      },
    },
    plugins: [{ id: 'rarftHits', afterRender: (c) => recordHits(c as Chart<'bar'>, canvas) }],
  });
  canvas.dataset.bars = String(barCount(spec));
  return chart;
}

function recordHits(chart: Chart<'bar'>, canvas: HTMLCanvasElement): void {
  const hits: { d: number; i: number; x: number; y: number }[] = [];
  chart.data.datasets.forEach((ds, d) => {
    const meta = chart.getDatasetMeta(d);
    meta.data.forEach((el, i) => {
      const v = ds.data[i];
      if (v === null || v === undefined) return;
      const p = el.getProps(['x', 'y', 'base'], true) as { x: number; y: number; base: number };
      // The middle of the bar (a bar of 0 still gets its base line).
      const horizontal = chart.options.indexAxis === 'y';
      hits.push({
        d,
        i,
        x: Math.round(horizontal ? (p.x + p.base) / 2 : p.x),
        y: Math.round(horizontal ? p.y : (p.y + p.base) / 2),
      });
    });
  });
  canvas.dataset.hits = JSON.stringify(hits);
}

/** The chart as a PNG data URL, on the theme's background. */
export function chartPng(chart: Chart): string {
  const src = chart.canvas;
  const out = document.createElement('canvas');
  out.width = src.width;
  out.height = src.height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, 0, 0);
  return out.toDataURL('image/png');
}

export { Chart };

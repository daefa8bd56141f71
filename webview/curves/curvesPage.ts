/** The training-curves page: one line chart per panel, appended to as the log grows. */
import { Chart, themeColors } from '../shared/charts';
import type {
  Alert,
  CurvesAppendMessage,
  CurvesResetMessage,
  CurvesUiState,
  Progress,
  StepPoint,
} from '../../src/protocol/curves';
import { fill, h } from '../inspector/dom';
import { panelsFor, samePanels, type Panel } from './panels';

type Point = { x: number; y: number | null };
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The page's state and DOM. */
export class CurvesPage {
  private steps: StepPoint[] = [];
  private keys = new Set<string>();
  private panels: Panel[] = [];
  private readonly charts = new Map<string, { chart: Chart<'line'>; canvas: HTMLCanvasElement; panel: Panel }>();
  private readonly header = h('header', { class: 'head' });
  private readonly alertsBox = h('ul', { class: 'alerts', 'data-testid': 'alerts', 'aria-live': 'assertive' });
  private readonly toggles = h('fieldset', { class: 'toggles' });
  private readonly grid = h('div', { class: 'charts' });
  private file = '';

  constructor(
    private readonly app: HTMLElement,
    private readonly ui: CurvesUiState,
    private readonly save: () => void,
    private readonly openRollouts: () => void,
  ) {
    // Theme changes (VS Code swaps the body class): redraw with the new colours.
    new MutationObserver(() => this.rebuild()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  reset(m: CurvesResetMessage): void {
    this.file = m.file;
    this.ui.file = m.path;
    this.save();
    this.steps = m.steps.slice();
    this.keys = new Set(this.steps.flatMap((s) => Object.keys(s.values)));
    this.panels = panelsFor(this.keys);
    this.renderHeader(m.progress, m.groups, m.zeroVarianceGroups, m.summary);
    this.renderAlerts(m.alerts);
    this.rebuild();
    this.mark();
  }

  append(m: CurvesAppendMessage): void {
    const pure = m.from === this.steps.length;
    this.steps.length = Math.min(this.steps.length, m.from);
    for (const s of m.steps) {
      this.steps.push(s);
      for (const k in s.values) this.keys.add(k);
    }
    this.renderHeader(m.progress, m.groups, m.zeroVarianceGroups, m.summary);
    this.renderAlerts(m.alerts);
    const next = panelsFor(this.keys);
    if (!samePanels(next, this.panels)) {
      this.panels = next;
      this.rebuild();
    } else if (pure) this.push(m.steps);
    else this.refill();
    this.mark();
  }

  error(message: string): void {
    fill(this.app, h('p', { class: 'empty', 'data-testid': 'error' }, message));
    document.body.dataset.ready = '1';
  }

  private mark(): void {
    document.body.dataset.ready = '1';
    document.body.dataset.steps = String(this.steps.length);
    document.body.dataset.lastStep = String(this.steps[this.steps.length - 1]?.step ?? 0);
  }

  private renderHeader(
    progress: Progress | null,
    groups: number,
    zero: number,
    summary: Record<string, number | null> | null,
  ): void {
    const last = this.steps[this.steps.length - 1];
    const rollouts = h('button', { type: 'button', 'data-testid': 'open-rollouts' }, 'Show Rollouts');
    rollouts.addEventListener('click', () => this.openRollouts());
    fill(
      this.header,
      h('h1', {}, `Training curves: ${this.file}`),
      h(
        'p',
        { 'data-testid': 'status' },
        `${this.steps.length} steps${last ? ` (last ${last.step})` : ''} · ${groups} groups logged, ${zero} with zero variance`,
      ),
      progress ? h('p', { 'data-testid': 'progress' }, progressText(progress)) : null,
      summary ? h('p', { 'data-testid': 'summary' }, summaryText(summary)) : null,
      groups ? rollouts : null,
    );
  }

  private renderAlerts(alerts: Alert[]): void {
    fill(
      this.alertsBox,
      ...alerts.map((a) =>
        h('li', { class: `alert ${a.severity}`, 'data-testid': 'alert', 'data-kind': a.kind }, a.message),
      ),
    );
  }

  private renderToggles(): void {
    const legend = h('legend', {}, 'Charts');
    const boxes = this.panels.map((p) => {
      const id = `toggle-${p.id}`;
      const input = h('input', { type: 'checkbox', id, 'data-testid': 'toggle', 'data-panel': p.id });
      input.checked = this.visible(p);
      input.addEventListener('change', () => {
        const rest = this.ui.hidden.filter((x) => x !== p.id && x !== `+${p.id}`);
        if (input.checked !== p.shownByDefault) rest.push(input.checked ? `+${p.id}` : p.id);
        this.ui.hidden = rest;
        this.save();
        this.rebuild();
      });
      return h('label', { for: id }, input, ` ${p.title}`);
    });
    fill(this.toggles, legend, ...boxes);
  }

  /** Shown: the default, unless the user flipped it (`id` hidden, `+id` shown). */
  private visible(p: Panel): boolean {
    if (this.ui.hidden.includes(p.id)) return false;
    if (this.ui.hidden.includes(`+${p.id}`)) return true;
    return p.shownByDefault;
  }

  private rebuild(): void {
    for (const c of this.charts.values()) c.chart.destroy();
    this.charts.clear();
    if (!this.header.isConnected) fill(this.app, this.header, this.alertsBox, this.toggles, this.grid);
    this.renderToggles();
    const colors = themeColors();
    const cards: HTMLElement[] = [];
    for (const p of this.panels) {
      if (!this.visible(p)) continue;
      const canvas = h('canvas', { role: 'img', tabindex: '0', 'data-testid': 'curves-chart', 'data-panel': p.id });
      const card = h('section', { class: 'card' }, h('h2', {}, p.title), h('div', { class: 'chart-box' }, canvas));
      cards.push(card);
      const chart = new Chart(canvas, {
        type: 'line',
        data: {
          datasets: p.keys.map((k, i) => ({
            label: k,
            data: this.series(k),
            borderColor: colors.series[i % colors.series.length],
            backgroundColor: colors.series[i % colors.series.length],
            borderWidth: 1.5,
            pointRadius: this.steps.length > 200 ? 0 : 2,
            spanGaps: false,
          })),
        },
        options: {
          animation: false,
          parsing: false,
          normalized: true,
          responsive: true,
          maintainAspectRatio: false,
          color: colors.foreground,
          interaction: { mode: 'nearest', axis: 'x', intersect: false },
          scales: {
            x: {
              type: 'linear',
              title: { display: true, text: 'step', color: colors.foreground },
              ticks: { color: colors.foreground, precision: 0 },
              grid: { color: colors.grid },
            },
            y: { ticks: { color: colors.foreground }, grid: { color: colors.grid } },
          },
          plugins: { legend: { display: p.keys.length > 1, labels: { color: colors.foreground } } },
        },
      });
      this.charts.set(p.id, { chart, canvas, panel: p });
    }
    fill(this.grid, ...cards);
    for (const c of this.charts.values()) this.label(c.canvas, c.chart, c.panel);
  }

  private series(key: string): Point[] {
    return this.steps.map((s) => ({ x: s.step, y: finite(s.values[key]) }));
  }

  /** Pure append: new points at the end of every dataset. */
  private push(steps: StepPoint[]): void {
    for (const { chart, canvas, panel } of this.charts.values()) {
      panel.keys.forEach((k, i) => {
        const data = chart.data.datasets[i].data as Point[];
        for (const s of steps) data.push({ x: s.step, y: finite(s.values[k]) });
      });
      chart.update('none');
      this.label(canvas, chart, panel);
    }
  }

  /** Steps were replaced (a resumed run): every dataset from the steps again. */
  private refill(): void {
    for (const { chart, canvas, panel } of this.charts.values()) {
      panel.keys.forEach((k, i) => (chart.data.datasets[i].data = this.series(k)));
      chart.update('none');
      this.label(canvas, chart, panel);
    }
  }

  /** `data-points` (points with a value, for tests) and a spoken summary of the latest values. */
  private label(canvas: HTMLCanvasElement, chart: Chart<'line'>, panel: Panel): void {
    let points = 0;
    const latest: string[] = [];
    chart.data.datasets.forEach((d, i) => {
      const data = d.data as Point[];
      let last: Point | undefined;
      for (const p of data)
        if (p.y !== null) {
          points++;
          last = p;
        }
      if (last) latest.push(`${panel.keys[i]} ${formatValue(last.y!)} at step ${last.x}`);
    });
    canvas.dataset.points = String(points);
    canvas.setAttribute('aria-label', `${panel.title}: ${latest.join('; ') || 'no values yet'}`);
  }
}

function formatValue(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : String(Math.round(v * 1e4) / 1e4);
}

function clock(s: number | null): string {
  if (s === null) return '?';
  const t = Math.round(s);
  const hh = Math.floor(t / 3600);
  const mm = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

function progressText(p: Progress): string {
  const rate =
    p.rate === null ? '' : p.rate >= 1 ? ` · ${p.rate.toFixed(2)} it/s` : ` · ${(1 / p.rate).toFixed(1)} s/it`;
  return `${p.desc ? `${p.desc}: ` : ''}${p.n}/${p.total} · elapsed ${clock(p.elapsed)} · ETA ${clock(p.remaining)}${rate}`;
}

function summaryText(s: Record<string, number | null>): string {
  return `Finished: ${Object.entries(s)
    .map(([k, v]) => `${k} ${v === null ? '–' : formatValue(v)}`)
    .join(', ')}`;
}

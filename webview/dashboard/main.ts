/**
 * The dashboard app. In a VS Code webview it asks the host for its data and sends clicks and
 * exports back; inside a report file it reads the data inlined in the page and shows clicked
 * samples itself. Every chart is redrawn for the chosen slice (hardness × category × source).
 */
import type { DashboardHostMessage, DashboardViewMessage } from '../../src/protocol/dashboard';
import { assertNever } from '../../src/protocol/messages';
import type { DashboardData } from '../../src/core/report/data';
import { ALL, LEVEL_LABELS, selectRows, type Slice, type Table, type Target } from '../../src/core/report/model';
import { sliceModel } from '../../src/core/report/sliceModel';
import { tableCsv, tableLatex, tableMarkdown } from '../../src/core/report/tableText';
import { CATEGORIES } from '../../src/core/taxonomy';
import { chartPng, type Chart } from '../shared/charts';
import { fill, h } from '../inspector/dom';
import { cardsSection, chartSections, provenanceSection, type SectionHooks } from './sections';

interface VsCodeApi {
  postMessage(msg: DashboardViewMessage): void;
  getState(): { slice?: Slice } | undefined;
  setState(s: { slice: Slice }): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
const app = document.getElementById('app')!;
let data: DashboardData | undefined;
let slice: Slice = { ...ALL, ...(vscode?.getState()?.slice ?? {}) };
let charts: Chart[] = [];
let nextId = 1;

function download(name: string, content: string, type: string): void {
  const a = h('a', { download: name });
  a.href = content.startsWith('data:') ? content : URL.createObjectURL(new Blob([content], { type }));
  document.body.append(a);
  a.click();
  a.remove();
}

function exportTable(t: Table): void {
  const [id, format] = t.id.split('.') as [string, 'csv' | 'md' | 'tex'];
  const base = { ...t, id };
  const content = format === 'csv' ? tableCsv(base) : format === 'md' ? tableMarkdown(base) : tableLatex(base);
  if (vscode) vscode.postMessage({ type: 'dashboard/export', id: nextId++, name: id, format, content });
  else download(`${id}.${format}`, content, 'text/plain');
}

function showRowsHere(rows: number[], label: string): void {
  const c = data!.columns;
  const list = document.getElementById('selection')!;
  fill(
    list,
    h('h3', {}, `${label}: ${rows.length} samples`),
    h(
      'ol',
      { 'data-testid': 'selection-list' },
      ...rows.slice(0, 200).map((i) => h('li', {}, `${c.videos[c.video[i]]} — ${c.query[i]}`)),
    ),
    rows.length > 200 ? h('p', {}, `… ${rows.length - 200} more`) : null,
  );
  list.scrollIntoView({ block: 'nearest' });
}

function select(target: Target, label: string): void {
  const rows = selectRows(data!.columns, slice, target);
  document.body.dataset.selected = String(rows.length);
  if (vscode)
    vscode.postMessage({ type: 'dashboard/select', id: nextId++, label, rows, compare: target.kind === 'flip' });
  else showRowsHere(rows, label);
}

function picker(id: string, label: string, options: string[], value: number, set: (v: number) => void): HTMLElement {
  const sel = h('select', { id: `slice-${id}`, 'data-testid': `slice-${id}` }, h('option', { value: '-1' }, 'all'));
  options.forEach((o, k) => sel.append(h('option', { value: String(k) }, o)));
  sel.value = String(value);
  sel.addEventListener('change', () => {
    set(Number(sel.value));
    vscode?.setState({ slice });
    render();
  });
  return h('label', { class: 'slice' }, `${label} `, sel);
}

function render(): void {
  if (!data) return;
  const t0 = performance.now();
  for (const c of charts) c.destroy();
  charts = [];
  const c = data.columns;
  const model = sliceModel(c, slice);
  const hooks: SectionHooks = {
    select,
    exportTable,
    exportPng: (name, chart) => {
      const png = chartPng(chart);
      if (vscode) vscode.postMessage({ type: 'dashboard/export', id: nextId++, name, format: 'png', content: png });
      else download(`${name}.png`, png, 'image/png');
    },
    charts,
  };
  const toolbar = h(
    'div',
    { class: 'toolbar', role: 'toolbar' },
    picker('level', 'Hardness', LEVEL_LABELS, slice.level, (v) => (slice = { ...slice, level: v })),
    picker('category', 'Category', [...CATEGORIES], slice.category, (v) => (slice = { ...slice, category: v })),
    picker('source', 'Source', c.sources, slice.source, (v) => (slice = { ...slice, source: v })),
    ...(c.flags ? [picker('flag', 'Flag', c.flags.tags, slice.flag, (v) => (slice = { ...slice, flag: v }))] : []),
    h('span', { class: 'muted', 'data-testid': 'slice-rows' }, `${model.rows} of ${c.n} samples`),
  );
  if (vscode) {
    const report = h('button', { type: 'button', 'data-testid': 'export-report' }, 'Export Report');
    report.addEventListener('click', () => vscode.postMessage({ type: 'dashboard/report', id: nextId++ }));
    toolbar.append(report);
  }
  fill(
    app,
    h('h2', {}, data.title),
    toolbar,
    cardsSection(model),
    h('div', { class: 'sections' }, ...chartSections(model, data, hooks)),
    h('section', { id: 'selection', 'aria-live': 'polite' }),
    provenanceSection(data),
  );
  // Charts are created in microtasks once the sections are in the document; then say ready.
  queueMicrotask(() => {
    const ms = performance.now() - t0;
    document.body.dataset.ready = '1';
    document.body.dataset.renderMs = ms.toFixed(1);
    document.body.dataset.charts = String(charts.length);
    vscode?.postMessage({ type: 'dashboard/timing', ms });
  });
}

function onMessage(m: DashboardHostMessage): void {
  switch (m.type) {
    case 'dashboard/show':
      data = m.data;
      if (slice.source >= data.columns.sources.length) slice = { ...slice, source: -1 };
      if (slice.flag >= (data.columns.flags?.tags.length ?? 0)) slice = { ...slice, flag: -1 };
      render();
      break;
    case 'dashboard/empty':
      data = undefined;
      fill(app, h('p', { class: 'empty' }, m.message));
      document.body.dataset.ready = '1';
      break;
    default:
      assertNever(m);
  }
}

// Theme changes (VS Code sets the body class): charts read colours when drawn, so redraw.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

if (vscode) {
  window.addEventListener('message', (e) => onMessage(e.data as DashboardHostMessage));
  vscode.postMessage({ type: 'dashboard/ready' });
} else {
  const inline = document.getElementById('rarft-data');
  if (inline?.textContent) onMessage({ type: 'dashboard/show', data: JSON.parse(inline.textContent) });
}

/** The rollouts page: each GRPO group's completions with reward breakdown, advantages and spans against the GT. */
import type { CompletionView } from '../../src/core/logs/groups';
import type { CurvesUiState, RolloutGroup, RolloutsShowMessage, Span } from '../../src/protocol/curves';
import { fill, h, num } from '../inspector/dom';

/** The page's state and DOM. */
export class RolloutsPage {
  private last: RolloutsShowMessage | null = null;
  private onlyZero = false;

  constructor(
    private readonly app: HTMLElement,
    private readonly ui: CurvesUiState,
    private readonly save: () => void,
    private readonly openCurves: () => void,
  ) {
    this.onlyZero = ui.hidden.includes('rollouts:non-zero');
  }

  show(m: RolloutsShowMessage): void {
    this.last = m;
    this.ui.file = m.path;
    this.save();
    this.render();
  }

  private render(): void {
    const m = this.last;
    if (!m) return;
    const zero = m.groups.filter((g) => g.zeroVariance).length;
    const filter = h('input', { type: 'checkbox', id: 'only-zero', 'data-testid': 'filter-zero' });
    filter.checked = this.onlyZero;
    filter.addEventListener('change', () => {
      this.onlyZero = filter.checked;
      this.ui.hidden = this.onlyZero ? ['rollouts:non-zero'] : [];
      this.save();
      this.render();
    });
    const curves = h('button', { type: 'button', 'data-testid': 'open-curves' }, 'Show Training Curves');
    curves.addEventListener('click', () => this.openCurves());
    const groups = m.groups.filter((g) => !this.onlyZero || g.zeroVariance).reverse();
    fill(
      this.app,
      h(
        'header',
        { class: 'head' },
        h('h1', {}, `Rollouts: ${m.file}`),
        h(
          'p',
          { 'data-testid': 'status' },
          `${m.groups.length} groups${m.omitted ? ` (the newest; ${m.omitted} older not shown)` : ''}, ` +
            `${zero} with zero variance: all rewards equal, so no learning signal (candidates for curation)`,
        ),
        h('label', { for: 'only-zero' }, filter, ' Only zero-variance groups'),
        curves,
      ),
      groups.length
        ? h('div', { class: 'groups' }, ...groups.map(groupCard))
        : h('p', { class: 'empty', 'data-testid': 'empty' }, 'No GRPO groups in this log yet.'),
    );
    document.body.dataset.ready = '1';
    document.body.dataset.groups = String(m.groups.length);
  }
}

function groupCard(g: RolloutGroup): HTMLElement {
  const names = g.rewardNames;
  const head = h(
    'h2',
    {},
    `Step ${g.step} · group ${g.index + 1}`,
    g.taskType ? h('span', { class: 'badge' }, g.taskType) : null,
    g.zeroVariance
      ? h(
          'span',
          { class: 'badge warn', 'data-testid': 'zero-variance-tag', title: 'All rewards equal: every advantage is 0' },
          'zero variance · curate',
        )
      : null,
  );
  const gt = g.gt
    ? `GT ${g.gt.span ? `${g.gt.span[0]} to ${g.gt.span[1]} s` : 'refusal (no span)'} in ${g.gt.video}${g.gt.duration ? ` (${g.gt.duration} s)` : ''}`
    : `No GT drawn: ${g.gtNote ?? 'not joined'}`;
  const rows = g.completions.map((c) => completionRow(c, names, g));
  const table = h(
    'table',
    { 'data-testid': 'completions' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, '#'),
        h('th', { scope: 'col' }, 'Answer and span'),
        ...names.map((n) => h('th', { scope: 'col' }, n)),
        h('th', { scope: 'col' }, 'total'),
        h('th', { scope: 'col' }, 'advantage'),
      ),
    ),
    h('tbody', {}, ...rows),
  );
  return h(
    'section',
    {
      class: `group${g.zeroVariance ? ' zero' : ''}`,
      'data-testid': 'group',
      'data-index': String(g.index),
      'data-zero-variance': g.zeroVariance ? '1' : '0',
    },
    head,
    h('p', { class: 'query', 'data-testid': 'group-query' }, g.query ?? '(no query logged)'),
    h('p', { class: 'gt', 'data-testid': 'group-gt' }, gt),
    ...g.notes.map((n) => h('p', { class: 'note' }, n)),
    table,
  );
}

function completionRow(c: CompletionView, names: string[], g: RolloutGroup): HTMLElement {
  const adv = c.advantage;
  return h(
    'tr',
    { 'data-testid': 'completion', 'data-refusal': c.refusal === null ? '' : c.refusal ? '1' : '0' },
    h('td', {}, String(c.index)),
    h('td', { class: 'answer' }, h('div', { class: 'text' }, c.answer), timeline(c.predSpan, g)),
    ...names.map((n) => h('td', { class: 'num' }, num(c.rewards[n], 3))),
    h('td', { class: 'num' }, num(c.total, 3)),
    h('td', { class: `num ${adv === null ? '' : adv > 0 ? 'pos' : adv < 0 ? 'neg' : ''}` }, num(adv, 3)),
  );
}

/** The predicted span against the GT on one bar as long as the video (or the spans, without a duration). */
function timeline(pred: Span | null, g: RolloutGroup): HTMLElement | null {
  const gtSpan = g.gt?.span ?? null;
  if (!pred && !gtSpan) return null;
  const length = g.gt?.duration ?? Math.max(pred?.[1] ?? 0, gtSpan?.[1] ?? 0, 1);
  const bar = h('div', { class: 'timeline', 'data-testid': 'timeline' });
  const place = (span: Span, cls: string, id: string) => {
    const el = h('div', { class: cls, 'data-testid': id, 'data-start': String(span[0]), 'data-end': String(span[1]) });
    const a = Math.max(0, Math.min(span[0], length));
    const b = Math.max(a, Math.min(span[1], length));
    el.style.left = `${(a / length) * 100}%`;
    el.style.width = `${Math.max(((b - a) / length) * 100, 0.5)}%`;
    el.title = `${id === 'gt-span' ? 'GT' : 'predicted'} ${span[0]} to ${span[1]} s`;
    bar.append(el);
  };
  if (gtSpan) place(gtSpan, 'span gt', 'gt-span');
  if (pred) place(pred, 'span pred', 'pred-span');
  bar.setAttribute(
    'aria-label',
    `predicted ${pred ? `${pred[0]} to ${pred[1]}` : 'none'}, GT ${gtSpan ? `${gtSpan[0]} to ${gtSpan[1]}` : 'none'}`,
  );
  bar.setAttribute('role', 'img');
  return bar;
}

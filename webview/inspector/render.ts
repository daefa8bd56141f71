/** Renders the text side of a sample: query, GT and output side by side, scores, rewards, sibling queries. */
import type { QueryListItem } from '../../src/core/inspect/sampleTypes';
import type { EditableField, RewardNote, Rewards, SampleRef, SampleView } from '../../src/protocol/messages';
import { BUCKET_LABELS } from '../../src/core/buckets';
import { h, num, secs } from './dom';
import { highlighted } from './highlight';

function badge(text: string, cls = ''): HTMLElement {
  return h('span', { class: `badge ${cls}` }, text);
}

function kind(answerable: boolean | null): string {
  return answerable === true ? 'answerable' : answerable === false ? 'refusable' : 'unknown';
}

function column(title: string, testid: string, ...body: (Node | string)[]): HTMLElement {
  return h(
    'section',
    { class: 'column' },
    h('h3', {}, title),
    h('div', { class: 'column-body', 'data-testid': testid }, ...body),
  );
}

function row(label: string, value: string, note?: string): HTMLElement {
  return h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, value), h('td', { class: 'note' }, note ?? ''));
}

type Actions = { select: (ref: SampleRef) => void; reveal: () => void; editField: (field: EditableField) => void };

/** The whole text side of the inspector. */
export function renderSample(s: SampleView, actions: Actions): DocumentFragment {
  const frag = document.createDocumentFragment();
  const bar = editBar(s, actions);
  frag.append(header(s, actions), ...(bar ? [bar] : []), textColumns(s), scoreRow(s), siblings(s, actions));
  return frag;
}

function header(s: SampleView, actions: Actions): HTMLElement {
  const reveal = h('vscode-button', { secondary: '', 'data-testid': 'reveal' }, 'Open in file');
  reveal.addEventListener('click', actions.reveal);
  return h(
    'header',
    { class: 'sample-header' },
    h('h2', { class: 'query', 'data-testid': 'query-text' }, s.query),
    h(
      'div',
      { class: 'badges' },
      badge(kind(s.answerable), kind(s.answerable)),
      s.difficulty ? badge(s.difficulty) : null,
      ...s.categories.map((c) => badge(c, 'category')),
      s.bucket ? badge(BUCKET_LABELS[s.bucket], `bucket bucket-${s.bucket}`) : null,
      h('span', { class: 'video-name', title: s.video }, s.video),
      reveal,
    ),
  );
}

/** Buttons that edit the annotation query in VS Code inputs (keyboard: Tab to one, Enter or Space). */
function editBar(s: SampleView, actions: Actions): HTMLElement | null {
  if (s.ref.kind !== 'query') return null;
  const button = (field: EditableField, label: string, title: string) => {
    const b = h('vscode-button', { secondary: '', 'data-testid': `edit-${field}`, title }, label);
    b.addEventListener('click', () => actions.editField(field));
    return b;
  };
  return h(
    'div',
    { class: 'edit-bar', role: 'toolbar', 'aria-label': 'Edit this query' },
    button('q', 'Query text…', 'Edit the query text'),
    button('r', 'Answerable / refusable…', 'Set whether the video answers the query'),
    button('difficulty', 'Difficulty…', 'Set the difficulty'),
    s.answerable === false ? button('c', 'Categories…', 'Pick the mismatch categories from the taxonomy') : null,
    button(
      'a',
      s.answerable === false ? 'Refusal explanation…' : 'GT answer…',
      'Edit the GT answer (for a refusable query, the refusal explanation)',
    ),
  );
}

function outputBody(s: SampleView): (Node | string)[] {
  if (!s.output) return [h('p', { class: 'muted' }, 'No run in this workspace has an output for this query.')];
  const p = s.output.parsed;
  const format = p.truncated
    ? 'truncated (a tag is never closed)'
    : p.wellFormatted
      ? 'think · answer · correction'
      : 'not exactly think · answer · correction';
  return [
    highlighted(s.output.text),
    h(
      'dl',
      { class: 'parsed' },
      h('dt', {}, 'answer'),
      h('dd', { class: 'in-answer' }, p.answer ?? '(no <answer> block)'),
      h('dt', {}, 'correction'),
      h('dd', { class: 'in-correction' }, p.correction ?? '(no <correction> block)'),
      h('dt', {}, 'format'),
      h('dd', {}, format),
    ),
    h('p', { class: 'source' }, `from ${s.output.file}`),
  ];
}

function textColumns(s: SampleView): HTMLElement {
  return h(
    'div',
    { class: 'columns' },
    column(
      'Query',
      'query-column',
      h('p', {}, s.query),
      s.gtSpan
        ? h('p', { class: 'muted' }, `GT span ${secs(s.gtSpan[0])} – ${secs(s.gtSpan[1])}`)
        : h('p', { class: 'muted' }, 'No GT span (refusable)'),
    ),
    column('GT answer', 'gt-answer', highlighted(s.gtAnswer)),
    column('Model output', 'model-output', ...outputBody(s)),
  );
}

function scoreTable(s: SampleView): HTMLElement {
  const j = s.judgment;
  const scores = h('table', { class: 'scores' });
  const source = j ? (j.source === 'cached' ? 'cached judgment' : 'offline judge') : 'no prediction';
  scores.append(row('IoU', num(j?.iou ?? null), source));
  if (!j) return scores;
  const predicted = j.predRelevant === null ? '–' : j.predRelevant ? 'relevant' : 'irrelevant';
  const verdict = j.correct === null ? '' : j.correct ? 'classification correct' : 'classification wrong';
  scores.append(row('Predicted', predicted, verdict));
  scores.append(row('Predicted span', s.predSpan ? `${secs(s.predSpan[0])} – ${secs(s.predSpan[1])}` : '–'));
  if (!s.answerable) {
    const cats = j.predCategories ? j.predCategories.join(', ') || '(none)' : '–';
    scores.append(row('Categories', cats, `Jaccard ${num(j.jaccard)}`));
    scores.append(row('Reasoning score', num(j.reasoningScore, 1)));
    scores.append(row('SBERT', num(j.sbert)));
  }
  return scores;
}

function scoreRow(s: SampleView): HTMLElement {
  const j = s.judgment;
  const iou = h('div', { class: 'iou', 'data-testid': 'iou' }, `IoU ${num(j?.iou ?? null)}`);
  const notes = j?.notes.length
    ? h('ul', { class: 'notes' }, ...j.notes.map((n) => h('li', { 'data-code': n.code }, n.text)))
    : null;
  return h(
    'div',
    { class: 'score-row' },
    h('section', { class: 'judge' }, h('h3', {}, 'Judgment'), iou, scoreTable(s), notes),
    h('section', { 'data-testid': 'rewards', class: 'reward-box' }, ...rewardsBody(s.rewards)),
  );
}

function siblings(s: SampleView, actions: Actions): HTMLElement {
  const list = h('ul', {
    class: 'query-list',
    'data-testid': 'query-list',
    role: 'listbox',
    'aria-label': 'Queries of this video',
  });
  for (const q of s.queries) list.append(siblingItem(q, actions));
  return h('section', { class: 'siblings' }, h('h3', {}, `Queries of this video (${s.queries.length})`), list);
}

function siblingItem(q: QueryListItem, actions: Actions): HTMLElement {
  const li = h(
    'li',
    {
      'data-testid': 'query-item',
      role: 'option',
      tabindex: '0',
      class: q.current ? 'current' : '',
      'aria-selected': q.current ? 'true' : 'false',
      'data-status': q.bucket ?? kind(q.answerable),
    },
    h('span', { class: `dot ${kind(q.answerable)}`, title: kind(q.answerable) }),
    h('span', { class: 'q' }, q.query),
    q.bucket
      ? badge(BUCKET_LABELS[q.bucket], `bucket bucket-${q.bucket}`)
      : badge(kind(q.answerable), kind(q.answerable)),
  );
  const go = () => !q.current && actions.select(q.ref);
  li.addEventListener('click', go);
  li.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') go();
    else if (e.key === 'ArrowDown') (li.nextElementSibling as HTMLElement | null)?.focus();
    else if (e.key === 'ArrowUp') (li.previousElementSibling as HTMLElement | null)?.focus();
    else return;
    e.preventDefault();
  });
  return li;
}

/** The reward table ("needs a sentence model" where one is required and missing). */
export function rewardsBody(r: Rewards | null, model?: string): (Node | string)[] {
  if (!r) return [h('h3', {}, 'Rewards'), h('p', { class: 'muted' }, 'No model output: no rewards.')];
  const why = (reward: RewardNote['reward']) => {
    const n = r.notes.find((x) => x.reward === reward);
    return n?.code === 'needs-sentence-model' ? 'needs a sentence model' : n?.text;
  };
  const table = h('table', { class: 'rewards' });
  table.append(row('format', num(r.format)));
  table.append(row('refuse_iou', num(r.refuse_iou), why('refuse_iou')));
  table.append(row('explain', num(r.explain), r.explain === null ? why('explain') : undefined));
  table.append(row('correction', num(r.correction), r.correction === null ? why('correction') : undefined));
  table.append(row('total', num(r.total), r.total === null ? 'incomplete' : undefined));
  return [h('h3', {}, 'Rewards'), table, model ? h('p', { class: 'source' }, `sentence model: ${model}`) : ''];
}

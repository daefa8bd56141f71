/**
 * A sample opened from a comparison (a flip cell of the dashboard): each run's predicted span in
 * its own lane under the GT, labelled by run, and a key naming the runs with their outcomes.
 * Kept apart from player.ts, which only calls these two functions.
 */
import type { ComparedRun, SampleView } from '../../src/protocol/messages';
import { h, secs } from './dom';

type Bar = (span: [number, number], cls: string, testid: string | undefined, title: string) => HTMLElement;

const spanText = (r: ComparedRun) => (r.span ? `${secs(r.span[0])}–${secs(r.span[1])}` : 'no span');
const describe = (r: ComparedRun) =>
  `${r.label}: ${spanText(r)}${r.outcome ? ` (${r.outcome.replace('_', ' ')})` : ''}`;

/** The compared runs' span bars (one lane each, the side's letter on the bar); none outside a comparison. */
export function comparedBars(s: SampleView, bar: Bar): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const r of s.compared ?? []) {
    if (!r.span) continue;
    const side = r.side.toLowerCase();
    const el = bar(r.span, `compared run-${side}`, `compared-span-${side}`, describe(r));
    el.dataset.label = r.label;
    el.append(h('span', { class: 'run-letter' }, r.side));
    out.push(el);
  }
  return out;
}

/** Shows (or removes) the key of the compared runs right under `timeline`, and sizes the timeline for their lanes. */
export function showComparedKey(timeline: HTMLElement, s: SampleView): void {
  const runs = s.compared ?? [];
  timeline.classList.toggle('with-compared', runs.length > 0);
  timeline.parentElement?.querySelector(':scope > .compared-key')?.remove();
  if (!runs.length) return;
  const key = h(
    'div',
    { class: 'legend compared-key', 'data-testid': 'compared-key' },
    ...runs.map((r) => h('span', { class: `key run-${r.side.toLowerCase()}`, 'data-side': r.side }, describe(r))),
  );
  timeline.after(key);
}

/**
 * The GT span on the timeline, editable: drag an edge handle or the whole span (snapping to
 * 0.1 s, Alt held: free), type the start and end, or nudge a focused edge handle (←/→ 0.1 s,
 * Shift 1 s). Each committed change (drag end, number typed, nudge) goes to the host as one
 * request; the span shown is the draft until the host's repaint from the document takes over.
 */
import { moveSpan, nudgeSpan, type SpanPart, spanProblem } from '../../src/core/curation/spanDraft';
import type { SampleView } from '../../src/protocol/messages';
import { h, secs } from './dom';

type Span = [number, number];

export interface SpanEditorHooks {
  /** The timeline's length in seconds (the data's duration, else the video's). */
  duration(): number;
  /** Sends a committed span; resolves with the host's answer. */
  commit(span: Span): Promise<{ ok: boolean; error?: string }>;
  /** The draft moved (the player keeps a locked play span inside it). */
  moved(span: Span): void;
}

interface Drag {
  part: SpanPart;
  from: Span;
  t0: number;
  pointer: number;
}

/** Owns the GT bar (with its two handles) and the start/end fields. */
export class SpanEditor {
  readonly bar: HTMLElement;
  readonly fields: HTMLElement;
  private readonly handles: Record<'start' | 'end', HTMLElement>;
  private readonly inputs: Record<'start' | 'end', HTMLInputElement>;
  private readonly message: HTMLElement;
  private sample: SampleView | null = null;
  private draft: Span | null = null;
  private pending = 0;
  private drag: Drag | null = null;

  constructor(
    private readonly timeline: HTMLElement,
    private readonly hooks: SpanEditorHooks,
  ) {
    const handle = (part: 'start' | 'end') =>
      h('div', {
        class: `edge edge-${part}`,
        'data-testid': `gt-${part}-handle`,
        role: 'slider',
        tabindex: '0',
        'aria-label': `GT ${part}: drag, or ←/→ 0.1 s, Shift 1 s`,
      });
    this.handles = { start: handle('start'), end: handle('end') };
    this.bar = h('div', { class: 'span gt', 'data-testid': 'gt-span' }, this.handles.start, this.handles.end);
    const input = (part: 'start' | 'end') =>
      h('input', {
        type: 'number',
        step: '0.1',
        min: '0',
        class: 'span-input',
        'data-testid': `gt-${part}-input`,
        'aria-label': `GT ${part} in seconds`,
      });
    this.inputs = { start: input('start'), end: input('end') };
    this.message = h('span', { class: 'span-error', 'data-testid': 'span-error', role: 'alert' });
    this.fields = h(
      'div',
      { class: 'span-fields' },
      h('label', {}, 'GT span ', this.inputs.start),
      h('label', {}, ' to ', this.inputs.end, ' s'),
      this.message,
    );
    this.wire();
  }

  /** The span shown (the draft while an edit is on its way, else the sample's). */
  get span(): Span | null {
    return this.draft;
  }

  private get editable(): boolean {
    return this.sample?.ref.kind === 'query';
  }

  /** A new sample, or the same one repainted from its document. */
  setSample(s: SampleView): void {
    const same = this.sample && this.sample.ref.file === s.ref.file && this.sample.video === s.video;
    const stillQuery = same && this.sample?.query === s.query;
    this.sample = s;
    if (!stillQuery) this.message.textContent = '';
    // While edits are on their way, the draft stays: the repaint of an earlier one is older than it.
    if (!(stillQuery && (this.pending || this.drag))) this.draft = s.gtSpan ? [s.gtSpan[0], s.gtSpan[1]] : null;
    this.fields.hidden = !s.gtSpan;
    for (const part of ['start', 'end'] as const) {
      this.inputs[part].disabled = !this.editable;
      this.handles[part].hidden = !this.editable;
    }
    this.render();
  }

  /** Places the bar and fills the fields from the draft. */
  render(): void {
    const span = this.draft;
    if (!span) return;
    const d = this.hooks.duration();
    const pct = (x: number) => Math.max(0, Math.min(100, (100 * x) / d));
    this.bar.style.left = `${pct(span[0])}%`;
    this.bar.style.width = `${pct(span[1]) - pct(span[0])}%`;
    this.bar.dataset.start = String(span[0]);
    this.bar.dataset.end = String(span[1]);
    this.bar.title = `GT ${secs(span[0])}–${secs(span[1])}`;
    for (const [i, part] of (['start', 'end'] as const).entries()) {
      this.handles[part].setAttribute('aria-valuenow', String(span[i]));
      if (document.activeElement !== this.inputs[part]) this.inputs[part].value = String(span[i]);
      this.inputs[part].removeAttribute('aria-invalid');
    }
  }

  private wire(): void {
    this.bar.addEventListener('pointerdown', (e) => this.startDrag(e));
    // The drag's moves and its end are taken wherever they land (the window, capture phase): a
    // pointer capture lost to a repaint must not leave a drag that never ends.
    window.addEventListener('pointermove', (e) => this.moveDrag(e), true);
    window.addEventListener('pointerup', (e) => this.endDrag(e, true), true);
    window.addEventListener('pointercancel', (e) => this.endDrag(e, false), true);
    for (const part of ['start', 'end'] as const) {
      this.handles[part].addEventListener('keydown', (e) => this.onHandleKey(e, part));
      this.inputs[part].addEventListener('change', () => this.onInput(part));
    }
  }

  private timeAt(clientX: number): number {
    const r = this.timeline.getBoundingClientRect();
    return Math.min(1, Math.max(0, (clientX - r.left) / Math.max(1, r.width))) * this.hooks.duration();
  }

  private startDrag(e: PointerEvent): void {
    if (!this.editable || !this.draft || e.button !== 0) return;
    e.stopPropagation(); // not a scrub of the timeline
    const t = e.target as HTMLElement;
    const part: SpanPart = t === this.handles.start ? 'start' : t === this.handles.end ? 'end' : 'body';
    this.drag = { part, from: this.draft, t0: this.timeAt(e.clientX), pointer: e.pointerId };
    this.bar.setPointerCapture(e.pointerId);
    this.bar.dataset.dragging = part;
    if (part !== 'body') this.handles[part].focus();
  }

  private moveDrag(e: PointerEvent): void {
    const d = this.drag;
    if (!d || e.pointerId !== d.pointer) return;
    e.stopPropagation();
    const t = this.timeAt(e.clientX);
    this.setDraft(moveSpan(d.from, d.part, d.part === 'body' ? t - d.t0 : t, this.hooks.duration(), e.altKey));
  }

  private endDrag(e: PointerEvent, commit: boolean): void {
    const d = this.drag;
    if (!d || e.pointerId !== d.pointer) return;
    e.stopPropagation();
    this.drag = null;
    delete this.bar.dataset.dragging;
    if (this.bar.hasPointerCapture(e.pointerId)) this.bar.releasePointerCapture(e.pointerId);
    if (!commit) {
      this.setDraft(d.from);
      return;
    }
    const now = this.draft;
    if (now && (now[0] !== d.from[0] || now[1] !== d.from[1])) this.commit(now);
  }

  private onHandleKey(e: KeyboardEvent, part: 'start' | 'end'): void {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    if (e.ctrlKey || e.metaKey || e.altKey || !this.draft || !this.editable) return;
    e.preventDefault();
    e.stopPropagation(); // not the timeline's ±1 s seek
    const step = (e.shiftKey ? 1 : 0.1) * (e.key === 'ArrowLeft' ? -1 : 1);
    const next = nudgeSpan(this.draft, part, step, this.hooks.duration());
    if (next[0] === this.draft[0] && next[1] === this.draft[1]) return;
    this.setDraft(next);
    this.commit(next);
  }

  private onInput(part: 'start' | 'end'): void {
    if (!this.draft || !this.editable) return;
    const read = (el: HTMLInputElement) => (el.value.trim() === '' ? Number.NaN : Number(el.value));
    const span: Span = [read(this.inputs.start), read(this.inputs.end)];
    if (span[0] === this.draft[0] && span[1] === this.draft[1]) return;
    const problem = spanProblem(span, this.sample?.duration ?? null);
    if (problem) {
      // Never applied: the typed value stays for the user to fix, marked invalid, with why.
      this.message.textContent = `GT span not changed: ${problem}`;
      this.inputs[part].setAttribute('aria-invalid', 'true');
      return;
    }
    this.setDraft(span);
    this.commit(span);
  }

  private setDraft(span: Span): void {
    this.draft = span;
    this.render();
    this.hooks.moved(span);
  }

  private commit(span: Span): void {
    this.message.textContent = '';
    this.pending++;
    this.bar.dataset.pending = String(this.pending);
    void this.hooks.commit(span).then((reply) => {
      this.pending--;
      if (!reply.ok) this.message.textContent = reply.error ?? 'the edit was refused';
      if (this.pending) {
        this.bar.dataset.pending = String(this.pending);
        return;
      }
      delete this.bar.dataset.pending;
      // Every edit is answered after its repaint: the sample now holds what the document says.
      const s = this.sample?.gtSpan;
      if (s) this.setDraft([s[0], s[1]]);
    });
  }
}

/**
 * The video and the timeline under it: GT span, predicted span, think timesteps (captions on
 * hover), playhead; click or drag to scrub; play GT / prediction / loop; keyboard shortcuts.
 */
import { videoStatus } from '../../src/core/video/status';
import { sameSample } from '../../src/core/inspect/sampleKey';
import type { SampleView, VideoStatus } from '../../src/protocol/messages';
import { comparedBars, showComparedKey } from './compared';
import { h, secs } from './dom';
import { onPlayerKey } from './keys';
import { SpanEditor } from './spanEditor';
import { StateBox } from './stateBox';

type Span = [number, number];

/** The colour key and the keyboard hint under the timeline. */
function legend(): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    h('span', { class: 'key gt' }, 'GT'),
    h('span', { class: 'key pred' }, 'prediction'),
    h('span', { class: 'key step' }, 'think timesteps'),
    h('span', { class: 'hint' }, 'Space play/pause · J/K/L back/pause/play · [ ] segment edges · G GT start · ←/→ 1 s'),
  );
}

/** Owns the persistent player DOM; `setSample` and `setStatus` update it. */
export class Player {
  readonly root: HTMLElement;
  readonly video: HTMLVideoElement;
  private readonly stateBox: StateBox;
  readonly timeline: HTMLElement;
  private readonly track: HTMLElement;
  private readonly playhead: HTMLElement;
  private readonly clock: HTMLElement;
  private readonly loopBox: HTMLElement & { checked?: boolean };
  private readonly jumpGt: HTMLElement & { disabled?: boolean };
  private readonly playGt: HTMLElement & { disabled?: boolean };
  private readonly playPred: HTMLElement & { disabled?: boolean };
  /** The sample shown (read by the keys). */
  sample: SampleView | null = null;
  private src = '';
  /** What is playing as a segment: a fixed span, or `gt`, the GT span as it is being edited. */
  private segment: Span | 'gt' | null = null;
  private readonly spanEditor: SpanEditor;
  private scrubbing = false;

  constructor(
    private readonly hooks: {
      mapRoot: () => void;
      retry: () => void;
      failed: (code: number, message: string) => void;
      loopChanged: (loop: boolean) => void;
      commitSpan: (span: Span) => Promise<{ ok: boolean; error?: string }>;
    },
    loop: boolean,
  ) {
    this.video = h('video', { 'data-testid': 'video', preload: 'auto', playsinline: '', muted: '' });
    this.video.muted = true;
    this.stateBox = new StateBox(hooks);
    this.playhead = h('div', { class: 'playhead', 'data-testid': 'playhead', 'data-time': '0' });
    this.track = h('div', { class: 'track' });
    this.timeline = h(
      'div',
      {
        class: 'timeline',
        'data-testid': 'timeline',
        tabindex: '0',
        role: 'slider',
        'aria-label': 'Timeline: click or drag to seek',
        'aria-valuemin': '0',
      },
      this.track,
      this.playhead,
    );
    this.clock = h('span', { class: 'clock', 'data-testid': 'clock' }, '0.0 s');
    this.playGt = h('vscode-button', { 'data-testid': 'play-gt', secondary: '', title: 'Play the GT span' }, 'Play GT');
    this.playPred = h(
      'vscode-button',
      { 'data-testid': 'play-pred', secondary: '', title: 'Play the predicted span' },
      'Play prediction',
    );
    this.jumpGt = h(
      'vscode-button',
      { 'data-testid': 'jump-gt-start', secondary: '', title: 'Seek to the GT start' },
      'GT start',
    );
    this.spanEditor = new SpanEditor(this.timeline, {
      duration: () => this.duration(),
      commit: hooks.commitSpan,
      moved: (span) => this.spanMoved(span),
    });
    this.loopBox = h('vscode-checkbox', { 'data-testid': 'loop', label: 'Loop' });
    this.loopBox.checked = loop;
    if (loop) this.loopBox.setAttribute('checked', '');
    this.root = h(
      'section',
      { class: 'player' },
      h('div', { class: 'video-box' }, this.video, this.stateBox.el),
      this.timeline,
      h('div', { class: 'controls' }, this.playGt, this.playPred, this.jumpGt, this.loopBox, this.clock),
      this.spanEditor.fields,
      legend(),
    );
    this.wire();
  }

  private wire(): void {
    const v = this.video;
    const onTime = () => this.updatePlayhead();
    v.addEventListener('timeupdate', () => {
      const seg = this.playing();
      if (seg && v.currentTime >= seg[1]) {
        if (this.loop) v.currentTime = seg[0];
        else {
          v.pause();
          this.segment = null;
        }
      }
      onTime();
    });
    v.addEventListener('seeked', onTime);
    v.addEventListener('seeking', onTime);
    v.addEventListener('loadedmetadata', () => {
      this.flushPending();
      this.layout();
    });
    const playable = () => {
      if (v.src && this.stateBox.state === 'loading') this.showState(videoStatus('playable'));
    };
    v.addEventListener('loadeddata', playable);
    v.addEventListener('canplay', playable);
    v.addEventListener('error', () => {
      if (!v.getAttribute('src')) return;
      const err = v.error;
      this.showState(videoStatus('cannot-play', { error: err?.message || `MediaError ${err?.code ?? '?'}` }));
      this.hooks.failed(err?.code ?? 0, err?.message ?? '');
    });
    this.playGt.addEventListener('click', () => this.playSpan('gt'));
    this.playPred.addEventListener('click', () => this.playSpan(this.sample?.predSpan ?? null));
    this.jumpGt.addEventListener('click', () => {
      const s = this.gtSpan;
      if (s) this.seek(s[0]);
    });
    this.loopBox.addEventListener('change', () => this.hooks.loopChanged(this.loop));
    const seekAt = (e: PointerEvent) => {
      const r = this.timeline.getBoundingClientRect();
      const f = Math.min(1, Math.max(0, (e.clientX - r.left) / Math.max(1, r.width)));
      this.segment = null;
      this.seek(f * this.duration());
    };
    this.timeline.addEventListener('pointerdown', (e) => {
      this.scrubbing = true;
      this.timeline.setPointerCapture(e.pointerId);
      seekAt(e);
    });
    this.timeline.addEventListener('pointermove', (e) => this.scrubbing && seekAt(e));
    const end = () => (this.scrubbing = false);
    this.timeline.addEventListener('pointerup', end);
    this.timeline.addEventListener('pointercancel', end);
    document.addEventListener('keydown', (e) => onPlayerKey(e, this));
  }

  get loop(): boolean {
    return !!this.loopBox.checked;
  }

  /** The GT span as shown (while it is edited, the draft). */
  get gtSpan(): Span | null {
    return this.spanEditor.span;
  }

  private playing(): Span | null {
    return this.segment === 'gt' ? this.gtSpan : this.segment;
  }

  /** A locked GT play follows the span being edited: outside it, it goes back to its start. */
  private spanMoved(span: Span): void {
    const t = this.currentTime();
    if (this.segment === 'gt' && !this.video.paused && (t < span[0] || t >= span[1])) this.seek(span[0]);
  }

  /** Jumps to the previous (-1) or next (+1) edge of the GT or predicted span. */
  edge(dir: -1 | 1): void {
    const s = this.sample;
    if (!s) return;
    const edges = [...(this.gtSpan ?? []), ...(s.predSpan ?? [])].sort((a, b) => a - b);
    const now = this.currentTime();
    const next = dir > 0 ? edges.find((x) => x > now + 0.05) : [...edges].reverse().find((x) => x < now - 0.05);
    if (next !== undefined) this.seek(next);
  }

  private playSpan(which: Span | 'gt' | null): void {
    const span = which === 'gt' ? this.gtSpan : which;
    if (!span) return;
    this.segment = which;
    this.seek(span[0]);
    void this.video.play().catch(() => undefined);
  }

  /** Seeks the video (when it has one) and the playhead. */
  seek(time: number): void {
    const t = Math.max(0, Math.min(this.duration(), time));
    if (this.video.getAttribute('src') && this.video.readyState >= 1) this.video.currentTime = t;
    else this.pendingTime = t;
    this.updatePlayhead(t);
  }

  private pendingTime: number | null = null;

  private currentTime(): number {
    return this.video.getAttribute('src') && this.video.readyState >= 1
      ? this.video.currentTime
      : (this.pendingTime ?? 0);
  }

  private duration(): number {
    const s = this.sample;
    const d =
      s?.duration ?? (Number.isFinite(this.video.duration) && this.video.duration > 0 ? this.video.duration : null);
    if (d) return d;
    const ends = [s?.gtSpan?.[1] ?? 0, s?.predSpan?.[1] ?? 0, ...(s?.output?.parsed.timesteps.map((x) => x.end) ?? [])];
    return Math.max(1, ...ends) * 1.1;
  }

  private updatePlayhead(time = this.currentTime()): void {
    const d = this.duration();
    this.playhead.style.left = `${Math.min(100, (100 * time) / d)}%`;
    this.playhead.dataset.time = time.toFixed(3);
    this.timeline.setAttribute('aria-valuenow', time.toFixed(1));
    this.timeline.setAttribute('aria-valuemax', d.toFixed(1));
    this.clock.textContent = `${secs(time)} / ${secs(d)}`;
  }

  /** Shows a new sample; keeps the loaded video when it is the same file. */
  setSample(s: SampleView, status: VideoStatus): void {
    const sameVideo = this.sample?.video === s.video;
    // A repaint of the same sample (after an edit) keeps what is playing.
    if (!sameSample(this.sample?.ref, s.ref)) this.segment = null;
    this.sample = s;
    this.spanEditor.setSample(s);
    this.playGt.disabled = !s.gtSpan;
    this.jumpGt.disabled = !s.gtSpan;
    this.playPred.disabled = !s.predSpan;
    if (!sameVideo) {
      this.src = '';
      this.video.removeAttribute('src');
      this.video.load();
      this.pendingTime = 0;
    }
    this.setStatus(status);
    this.layout();
  }

  /** Applies a video status from the host. */
  setStatus(status: VideoStatus): void {
    if (status.src && status.src !== this.src) {
      this.src = status.src;
      this.video.src = status.src;
      this.video.load();
    }
    if (status.src && status.state === 'loading' && this.video.readyState >= 2) this.showState(videoStatus('playable'));
    else this.showState(status);
  }

  private showState(status: VideoStatus): void {
    this.stateBox.show(status);
    this.root.classList.toggle('has-video', status.state === 'playable' || status.state === 'loading');
  }

  /** Draws spans and timesteps at their positions on the track. */
  private layout(): void {
    const s = this.sample;
    if (!s) return;
    const d = this.duration();
    const pct = (x: number) => `${Math.max(0, Math.min(100, (100 * x) / d))}%`;
    const bar = (span: Span, cls: string, testid: string | undefined, title: string) => {
      const el = h('div', {
        class: `span ${cls}`,
        'data-testid': testid,
        title,
        'data-start': String(span[0]),
        'data-end': String(span[1]),
      });
      el.style.left = pct(span[0]);
      el.style.width = `calc(${pct(span[1])} - ${pct(span[0])})`;
      return el;
    };
    const steps = (s.output?.parsed.timesteps ?? []).map((t, i) => {
      const el = bar([t.start, t.end], 'step', 'think-step', `${secs(t.start)}–${secs(t.end)}: ${t.caption}`);
      el.style.top = `${4 + (i % 3) * 5}px`;
      return el;
    });
    const pred =
      s.predSpan && !s.compared?.length
        ? bar(s.predSpan, 'pred', 'pred-span', `Prediction ${secs(s.predSpan[0])}–${secs(s.predSpan[1])}`)
        : null;
    // The GT bar stays in the page across repaints: a focused edge handle keeps the focus.
    const gt = this.spanEditor.bar;
    for (const c of [...this.track.children]) if (c !== gt) c.remove();
    if (!this.gtSpan) gt.remove();
    else if (gt.parentElement !== this.track) this.track.append(gt);
    this.track.prepend(...steps);
    if (pred) this.track.append(pred);
    this.track.append(...comparedBars(s, bar));
    showComparedKey(this.timeline, s);
    this.spanEditor.render();
    this.updatePlayhead();
  }

  /** Seeks to a time sent by the host. */
  seekFromHost(time: number): void {
    this.segment = null;
    this.seek(time);
  }

  /** Applies a seek requested before the metadata was there. */
  flushPending(): void {
    if (this.pendingTime !== null && this.video.readyState >= 1) {
      this.video.currentTime = this.pendingTime;
      this.pendingTime = null;
    }
  }
}

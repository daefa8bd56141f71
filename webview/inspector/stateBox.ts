/** The box over the video that says where it stands (`data-state`, `data-code`) and offers Map folder / Retry. */
import type { VideoState, VideoStatus } from '../../src/protocol/messages';
import { fill, h } from './dom';

/** Owns the state element; `show` replaces what it says. */
export class StateBox {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private readonly actions: HTMLElement;

  constructor(private readonly hooks: { mapRoot: () => void; retry: () => void }) {
    this.text = h('span', { class: 'state-text' });
    this.actions = h('span', { class: 'state-actions' });
    this.el = h(
      'div',
      { class: 'video-state', 'data-testid': 'video-state', 'data-state': 'loading', role: 'status' },
      this.text,
      this.actions,
    );
  }

  get state(): VideoState {
    return (this.el.dataset.state as VideoState | undefined) ?? 'loading';
  }

  /** Shows a status: its state and code as data attributes, its message as text, its actions as buttons. */
  show(status: VideoStatus): void {
    this.el.dataset.state = status.state;
    this.el.dataset.code = status.code;
    const converting = status.state === 'transcoding' && status.progress !== undefined;
    this.text.textContent = converting ? `${status.message} ` : status.message;
    const actions: Node[] = [];
    if (converting) actions.push(h('progress', { max: '1', value: String(status.progress) }));
    if (status.canMap) actions.push(this.button('map-root', 'Map video folder…', false, this.hooks.mapRoot));
    if (status.state === 'error' || status.state === 'no-ffmpeg' || status.state === 'missing')
      actions.push(this.button('retry-video', 'Retry', true, this.hooks.retry));
    fill(this.actions, ...actions);
  }

  private button(testid: string, label: string, secondary: boolean, onClick: () => void): HTMLElement {
    const b = h('vscode-button', { 'data-testid': testid, secondary: secondary ? '' : undefined }, label);
    b.addEventListener('click', onClick);
    return b;
  }
}

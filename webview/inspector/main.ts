/** The sample inspector webview: renders what the host sends; says "ready"; keeps only UI state. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type {
  HostMessage,
  InspectorUiState,
  SampleRef,
  SampleView,
  VideoStatus,
  ViewMessage,
} from '../../src/protocol/messages';
import { renderSample, rewardsBody } from './render';
import { fill, h } from './dom';
import { Player } from './player';

interface VsCodeApi {
  postMessage(msg: ViewMessage): void;
  getState(): InspectorUiState | undefined;
  setState(s: InspectorUiState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const ui: InspectorUiState = { ref: null, loop: false, ...(vscode.getState() ?? {}) };
let nextId = 1;
let shownVideo = '';

const post = (m: ViewMessage) => vscode.postMessage(m);
const saveState = () => vscode.setState(ui);

const player = new Player(
  {
    mapRoot: () => post({ type: 'video/mapRoot', id: nextId++ }),
    retry: () => post({ type: 'video/retry' }),
    failed: (code, message) => post({ type: 'video/failed', code, message }),
    loopChanged: (loop) => {
      ui.loop = loop;
      saveState();
    },
  },
  ui.loop,
);

const app = document.getElementById('app')!;
const details = h('div', { class: 'details' });
const layout = h('div', { class: 'layout' }, h('div', { class: 'main' }, player.root, details));

function select(ref: SampleRef): void {
  post({ type: 'sample/select', id: nextId++, ref });
}

function show(sample: SampleView, video: VideoStatus): void {
  const t0 = performance.now();
  if (!layout.isConnected) fill(app, layout);
  shownVideo = sample.video;
  ui.ref = sample.ref;
  saveState();
  player.setSample(sample, video);
  fill(details, renderSample(sample, { select, reveal: () => post({ type: 'sample/reveal' }) }));
  document.body.dataset.ready = '1';
  requestAnimationFrame(() => {
    const ms = performance.now() - t0;
    document.body.dataset.renderMs = ms.toFixed(1);
    post({ type: 'render/timing', ms });
  });
}

function handle(msg: HostMessage): void {
  switch (msg.type) {
    case 'sample/show':
      show(msg.sample, msg.video);
      return;
    case 'sample/empty':
      fill(app, h('p', { class: 'empty', 'data-testid': 'empty' }, msg.message));
      ui.ref = null;
      saveState();
      return;
    case 'video/status':
      if (msg.video === shownVideo) player.setStatus(msg.status);
      return;
    case 'sample/rewards': {
      const box = details.querySelector('[data-testid=rewards]');
      if (box && ui.ref && JSON.stringify(ui.ref) === JSON.stringify(msg.ref))
        fill(box, ...rewardsBody(msg.rewards, msg.model));
      return;
    }
    case 'timeline/seek':
      player.seekFromHost(msg.time);
      return;
    case 'reply':
      if (!msg.ok && msg.error) console.warn(`request ${msg.replyTo}: ${msg.error}`);
      return;
    default: {
      const never: never = msg;
      console.warn('unknown message', never);
    }
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const msg = e.data as HostMessage;
  if (msg && typeof msg === 'object' && typeof msg.type === 'string') handle(msg);
});
post({ type: 'ready' });

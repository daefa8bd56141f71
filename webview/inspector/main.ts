/** The sample inspector webview: renders what the host sends; says "ready"; keeps only UI state. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type {
  EditableField,
  HostMessage,
  ReplyMessage,
  SampleChange,
  InspectorUiState,
  SampleRef,
  SampleView,
  VideoStatus,
  ViewMessage,
} from '../../src/protocol/messages';
import { sameSample } from '../../src/core/inspect/sampleKey';
import { fill, h } from './dom';
import { Player } from './player';
import { renderSample, rewardsBody } from './render';
import { Requests } from './requests';

interface VsCodeApi {
  postMessage(msg: ViewMessage): void;
  getState(): InspectorUiState | undefined;
  setState(s: InspectorUiState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const ui: InspectorUiState = { ref: null, loop: false, ...(vscode.getState() ?? {}) };
let shownVideo = '';

const post = (m: ViewMessage) => vscode.postMessage(m);
const requests = new Requests(post);
const saveState = () => vscode.setState(ui);
const warnIfRefused = (what: string) => (reply: { ok: boolean; error?: string }) => {
  if (!reply.ok) console.warn(`${what}: ${reply.error ?? 'refused'}`);
};

/** Sends one committed change of the shown sample; the host answers after the repaint from the document. */
function edit(change: SampleChange): Promise<ReplyMessage> {
  const ref = ui.ref;
  if (!ref) return Promise.resolve({ type: 'reply', replyTo: 0, ok: false, error: 'no sample is shown' });
  return requests.send({ type: 'sample/edit', ref, change });
}

function editField(field: EditableField): void {
  if (ui.ref) void requests.send({ type: 'sample/editField', ref: ui.ref, field }).then(warnIfRefused(`edit ${field}`));
}

const player = new Player(
  {
    mapRoot: () => void requests.send({ type: 'video/mapRoot' }).then(warnIfRefused('map video folder')),
    retry: () => post({ type: 'video/retry' }),
    failed: (code, message) => post({ type: 'video/failed', code, message }),
    loopChanged: (loop) => {
      ui.loop = loop;
      saveState();
    },
    commitSpan: (span) => edit({ field: 'span', value: span }),
  },
  ui.loop,
);

const app = document.getElementById('app')!;
const details = h('div', { class: 'details' });
const layout = h('div', { class: 'layout' }, h('div', { class: 'main' }, player.root, details));

function select(ref: SampleRef): void {
  void requests.send({ type: 'sample/select', ref }).then(warnIfRefused('show sample'));
}

function show(sample: SampleView, video: VideoStatus): void {
  const t0 = performance.now();
  if (!layout.isConnected) fill(app, layout);
  shownVideo = sample.video;
  ui.ref = sample.ref;
  saveState();
  player.setSample(sample, video);
  fill(details, renderSample(sample, { select, reveal: () => post({ type: 'sample/reveal' }), editField }));
  document.body.dataset.ready = '1';
  document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
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
      if (box && sameSample(ui.ref, msg.ref)) fill(box, ...rewardsBody(msg.rewards, msg.model));
      return;
    }
    case 'timeline/seek':
      player.seekFromHost(msg.time);
      return;
    case 'reply':
      if (!requests.settle(msg)) console.warn(`a reply to no pending request (${msg.replyTo})`);
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

/** The training-curves and rollouts webviews (one bundle; `body[data-app]` says which page). Says "ready"; keeps only UI state. */
import type { CurvesHostMessage, CurvesUiState, CurvesViewMessage } from '../../src/protocol/curves';
import { CurvesPage } from './curvesPage';
import { RolloutsPage } from './rolloutsPage';

interface VsCodeApi {
  postMessage(msg: CurvesViewMessage): void;
  getState(): CurvesUiState | undefined;
  setState(s: CurvesUiState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const ui: CurvesUiState = { file: '', hidden: [], ...(vscode.getState() ?? {}) };
const save = () => vscode.setState(ui);
const app = document.getElementById('app')!;
const isCurves = document.body.dataset.app === 'curves';
const curves = isCurves ? new CurvesPage(app, ui, save, () => vscode.postMessage({ type: 'rollouts/open' })) : null;
const rollouts = isCurves ? null : new RolloutsPage(app, ui, save, () => vscode.postMessage({ type: 'curves/open' }));

function handle(msg: CurvesHostMessage): void {
  switch (msg.type) {
    case 'curves/reset':
      curves?.reset(msg);
      return;
    case 'curves/append':
      curves?.append(msg);
      return;
    case 'curves/error':
      ui.file = msg.path;
      save();
      curves?.error(msg.message);
      return;
    case 'rollouts/show':
      rollouts?.show(msg);
      return;
    default: {
      const never: never = msg;
      console.warn('unknown message', never);
    }
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const msg = e.data as CurvesHostMessage;
  if (msg && typeof msg === 'object' && typeof msg.type === 'string') handle(msg);
});
vscode.postMessage({ type: 'ready' });

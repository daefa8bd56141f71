/** Extension entry: wires features, nothing else. */
import * as vscode from 'vscode';
import { registerIndexSummary } from './indexSummary';
import { registerJobs } from './jobs/jobsFeature';
import type { SampleRef } from '../core/inspect/sampleTypes';
import { registerDashboard } from './dashboard/register';
import { registerCurves } from './curves/curvesFeature';
import { FlagStore } from './curation/flagStore';
import { registerCuration } from './curation/registerCuration';
import { registerDiagnostics } from './diagnostics';
import { registerGettingStarted } from './gettingStarted';
import { registerInspector } from './inspector/registerInspector';
import { registerSentenceModels } from './models';
import { registerJudgeKey } from './judgeKey';
import { registerStatusBar } from './statusBar';
import { registerViews } from './views/registerViews';
import { WorkspaceIndex } from './workspaceIndex';

/** Called by VS Code when a workspace holds HI-VTG files or a command runs. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('RA-RFT', { log: true });
  const index = new WorkspaceIndex(log);
  const selection = new vscode.EventEmitter<SampleRef>();
  const flags = new FlagStore(log);
  const deps = { log, index, selection, flags };
  context.subscriptions.push(log, index, selection, flags);
  context.subscriptions.push(registerIndexSummary(context, deps));
  context.subscriptions.push(registerViews(context, deps));
  context.subscriptions.push(registerDiagnostics(context, deps));
  context.subscriptions.push(registerStatusBar(context, deps));
  context.subscriptions.push(registerInspector(context, deps));
  const dashboard = registerDashboard(context, deps);
  context.subscriptions.push(dashboard.disposable);
  context.subscriptions.push(registerGettingStarted(context, deps));
  context.subscriptions.push(registerCurves(context, deps));
  context.subscriptions.push(registerJobs(context, deps));
  context.subscriptions.push(registerSentenceModels(context, { log }));
  context.subscriptions.push(registerJudgeKey(context, { log }));
  context.subscriptions.push(registerCuration(context, deps));
  // Index after activation returns: activate() only wires.
  setTimeout(() => void index.ensureStarted(), 0);
  log.info(`activate() took ${(performance.now() - started).toFixed(1)} ms`);
}

/** Nothing to release beyond the subscriptions. */
export function deactivate(): void {}

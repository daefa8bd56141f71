/** Extension entry: wires features, nothing else. */
import * as vscode from 'vscode';
import { registerIndexSummary } from './indexSummary';
import { registerSentenceModels } from './models';
import { registerJudgeKey } from './judgeKey';

/** Called by VS Code when a workspace holds HI-VTG files or a command runs. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('RA-RFT', { log: true });
  context.subscriptions.push(log, registerIndexSummary(context, { log }));
  context.subscriptions.push(registerSentenceModels(context, { log }));
  context.subscriptions.push(registerJudgeKey(context, { log }));
}

/** Nothing to release beyond the subscriptions. */
export function deactivate(): void {}

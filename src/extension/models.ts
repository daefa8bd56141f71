/**
 * "RA-RFT: Download Sentence Model": fetches a sentence-transformers ONNX export into the
 * extension's global storage with progress and cancel (a later run resumes), then points the
 * `rarft.embeddings.rewardModel` or `rarft.embeddings.evalModel` setting at it.
 */
import * as vscode from 'vscode';
import { withAbortSignal } from './cancel';
import { join } from 'node:path';
import { DEFAULT_HUB, downloadModel } from '../core/embed/download';

/** What the command needs from the extension. */
export interface ModelDeps {
  log: vscode.LogOutputChannel;
}

type Role = 'rewardModel' | 'evalModel';

interface ModelPick extends vscode.QuickPickItem {
  name?: string;
  role?: Role;
}

const PICKS: ModelPick[] = [
  {
    label: 'all-MiniLM-L6-v2',
    description: 'rewards (explain, correction)',
    detail: 'sentence-transformers/all-MiniLM-L6-v2, about 90 MB',
    name: 'all-MiniLM-L6-v2',
    role: 'rewardModel',
  },
  {
    label: 'all-mpnet-base-v2',
    description: 'evaluation SBERT similarity',
    detail: 'sentence-transformers/all-mpnet-base-v2, about 440 MB',
    name: 'all-mpnet-base-v2',
    role: 'evalModel',
  },
  { label: 'Other…', description: 'any repository with onnx/model.onnx and tokenizer.json' },
];

async function chooseModel(): Promise<{ name: string; role: Role | undefined } | undefined> {
  const pick = await vscode.window.showQuickPick(PICKS, {
    ignoreFocusOut: true,
    title: 'RA-RFT: Download Sentence Model',
    placeHolder: 'Which sentence model?',
  });
  if (!pick) return undefined;
  if (pick.name) return { name: pick.name, role: pick.role };
  const name = await vscode.window.showInputBox({
    ignoreFocusOut: true,
    title: 'RA-RFT: Download Sentence Model',
    prompt: 'Model name (under sentence-transformers/) or owner/name',
    validateInput: (v) =>
      /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(v.trim()) && !v.includes('..')
        ? undefined
        : 'e.g. all-MiniLM-L6-v2 or owner/name',
  });
  if (!name) return undefined;
  const role = await vscode.window.showQuickPick(
    [
      { label: 'Rewards model', role: 'rewardModel' as const },
      { label: 'Evaluation (SBERT) model', role: 'evalModel' as const },
      { label: 'Neither: only download', role: undefined },
    ],
    { ignoreFocusOut: true, title: 'Use the downloaded model for…' },
  );
  if (!role) return undefined;
  return { name: name.trim(), role: role.role };
}

/** Registers the command; returns what to dispose. */
export function registerSentenceModels(context: vscode.ExtensionContext, deps: ModelDeps): vscode.Disposable {
  return vscode.commands.registerCommand('rarft.downloadSentenceModel', async () => {
    const choice = await chooseModel();
    if (!choice) return;
    const config = vscode.workspace.getConfiguration('rarft.embeddings');
    const baseUrl = config.get<string>('hubBaseUrl') || DEFAULT_HUB;
    const to = join(context.globalStorageUri.fsPath, 'models', choice.name.replace(/\//g, '__'));
    deps.log.info(`downloading ${choice.name} from ${baseUrl} to ${to}`);
    try {
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `RA-RFT: downloading ${choice.name}`,
          cancellable: true,
        },
        (progress, token) => {
          let shown = 0;
          return withAbortSignal(token, (signal) =>
            downloadModel({
              name: choice.name,
              to,
              baseUrl,
              signal,
              onProgress: (p) => {
                const pct = p.total ? (100 * p.bytes) / p.total : 0;
                if (pct - shown < 1 && p.bytes !== p.total) return;
                progress.report({
                  increment: pct - shown,
                  message: `${p.file} (${(p.bytes / 1048576).toFixed(1)} of ${(p.total / 1048576).toFixed(1)} MB)`,
                });
                shown = pct;
              },
            }),
          );
        },
      );
      deps.log.info(
        `downloaded ${result.repo}: ${result.files.map((f) => `${f.path}${f.skipped ? ' (already complete)' : ''}`).join(', ')}`,
      );
      if (choice.role) {
        await config.update(choice.role, to, vscode.ConfigurationTarget.Global);
        void vscode.window.showInformationMessage(
          `RA-RFT: ${choice.name} is ready and set as rarft.embeddings.${choice.role}.`,
        );
      } else {
        void vscode.window.showInformationMessage(`RA-RFT: ${choice.name} is in ${to}.`);
      }
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') {
        void vscode.window.showInformationMessage('RA-RFT: download stopped; run the command again to resume it.');
        return;
      }
      deps.log.error(`download of ${choice.name} failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`RA-RFT: download failed: ${(e as Error).message}`);
    }
  });
}

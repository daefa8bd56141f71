/**
 * "RA-RFT: Show Index Summary": re-indexes the workspace with the same core routine the views
 * use (progress, cancellable) and shows totals; every problem and skipped path goes to the log.
 */
import * as vscode from 'vscode';
import { withAbortSignal } from './cancel';
import type { WorkspaceIndex } from './workspaceIndex';

/** Dependencies shared by features. */
export interface Deps {
  log: vscode.LogOutputChannel;
  index: WorkspaceIndex;
}

/** Registers the command; returns what to dispose. */
export function registerIndexSummary(_context: vscode.ExtensionContext, deps: Deps): vscode.Disposable {
  return vscode.commands.registerCommand('rarft.showIndexSummary', async () => {
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage('RA-RFT: open a folder with HI-VTG annotation files first.');
      return;
    }
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'RA-RFT: indexing', cancellable: true },
        (progress, token) =>
          withAbortSignal(token, (signal) =>
            deps.index.reindexAll({
              signal,
              onProgress: (done, total, file) =>
                progress.report({
                  message: `${done}/${total} ${vscode.workspace.asRelativePath(file)}`,
                  increment: 100 / total,
                }),
            }),
          ),
      );
      if (deps.index.state === 'failed') throw new Error('see the RA-RFT output channel');
      const result = deps.index.summary();
      const t = result.totals;
      const shown = (p: string) => vscode.workspace.asRelativePath(p);
      deps.log.info(`indexed ${t.files} files: ${result.files.map((f) => `${shown(f.path)} (${f.kind})`).join(', ')}`);
      for (const p of result.problems) deps.log.warn(`${shown(p.file)}:${p.line}:${p.column} [${p.code}] ${p.message}`);
      for (const k of result.skipped) deps.log.info(`skipped ${shown(k.path)}: ${k.reason}`);
      void vscode.window.showInformationMessage(
        `RA-RFT: ${t.files} files, ${t.videos} videos, ${t.queries} queries ` +
          `(${t.answerable} answerable, ${t.refusable} refusable), ${result.problems.length} problems.`,
      );
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return;
      deps.log.error(String((e as Error)?.stack ?? e));
      void vscode.window.showErrorMessage(`RA-RFT: indexing failed: ${(e as Error).message}`);
    }
  });
}

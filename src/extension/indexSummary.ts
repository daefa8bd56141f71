/** "RA-RFT: Show Index Summary": indexes the workspace folders with core and shows totals. */
import * as vscode from 'vscode';
import { withAbortSignal } from './cancel';
import { indexPaths } from '../core/dataset/indexer';

/** Dependencies shared by features. */
export interface Deps {
  log: vscode.LogOutputChannel;
}

/** Registers the command; returns what to dispose. */
export function registerIndexSummary(_context: vscode.ExtensionContext, deps: Deps): vscode.Disposable {
  return vscode.commands.registerCommand('rarft.showIndexSummary', async () => {
    const folders = vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath) ?? [];
    if (!folders.length) {
      void vscode.window.showInformationMessage('RA-RFT: open a folder with HI-VTG annotation files first.');
      return;
    }
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'RA-RFT: indexing', cancellable: true },
        (progress, token) =>
          withAbortSignal(token, (signal) =>
            indexPaths(folders, {
              signal,
              relativeTo: folders[0],
              onProgress: (done, total, file) =>
                progress.report({ message: `${done}/${total} ${file}`, increment: 100 / total }),
            }),
          ),
      );
      const t = result.totals;
      const kinds = result.files.map((f) => `${f.path} (${f.kind})`).join(', ');
      deps.log.info(`indexed ${t.files} files: ${kinds}`);
      for (const p of result.problems) deps.log.warn(`${p.file}:${p.line}:${p.column} [${p.code}] ${p.message}`);
      void vscode.window.showInformationMessage(
        `RA-RFT: ${t.files} files, ${t.videos} videos, ${t.queries} queries (${t.answerable} answerable, ${t.refusable} refusable), ${result.problems.length} problems.`,
      );
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return;
      deps.log.error(String((e as Error)?.stack ?? e));
      void vscode.window.showErrorMessage(`RA-RFT: indexing failed: ${(e as Error).message}`);
    }
  });
}

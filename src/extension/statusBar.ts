/** The status-bar item: indexing state and problem counts; its text starts with "RA-RFT". */
import * as vscode from 'vscode';
import type { WorkspaceIndex } from './workspaceIndex';

/** Registers the item; it shows once the index starts. */
export function registerStatusBar(
  _context: vscode.ExtensionContext,
  deps: { index: WorkspaceIndex },
): vscode.Disposable {
  const { index } = deps;
  const item = vscode.window.createStatusBarItem('rarft.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'RA-RFT';
  item.command = 'workbench.actions.view.problems';
  const update = () => {
    if (index.state === 'idle') return;
    const c = index.problemCounts();
    const files = index.paths().length;
    if (index.state === 'indexing') item.text = 'RA-RFT $(sync~spin) indexing…';
    else if (index.state === 'failed') item.text = 'RA-RFT $(error) indexing failed';
    else item.text = `RA-RFT $(database) ${files} $(error) ${c.error} $(warning) ${c.warning}`;
    item.tooltip = `RA-RFT: ${files} HI-VTG files; ${c.error} errors, ${c.warning} warnings, ${c.info} infos. Click for the Problems panel.`;
    item.show();
  };
  return vscode.Disposable.from(item, index.onDidChangeState(update), index.onDidChange(update));
}

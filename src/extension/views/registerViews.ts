/** Registers the Datasets and Runs tree views, their filters and selection following. */
import * as vscode from 'vscode';
import type { FeatureDeps } from '../deps';
import { DatasetsProvider } from './datasetsView';
import { Filters } from './filters';
import type { TreeNode } from './nodes';
import { RunsProvider } from './runsView';

/** Registers both views; returns what to dispose. */
export function registerViews(_context: vscode.ExtensionContext, deps: FeatureDeps): vscode.Disposable {
  const filters = new Filters(deps.flags);
  const datasets = new DatasetsProvider(deps.index, filters);
  const runs = new RunsProvider(deps.index, filters);
  const dsView = vscode.window.createTreeView('rarft.datasets', { treeDataProvider: datasets, showCollapseAll: true });
  const runView = vscode.window.createTreeView('rarft.runs', { treeDataProvider: runs, showCollapseAll: true });
  const describe = () => {
    const msg = filters.active ? `Filter: ${filters.describe()}` : undefined;
    // A sample set from the dashboard filters the Runs view only.
    const dsFilter = filters.describe(false);
    const state = deps.index.state === 'indexing' && !deps.index.paths().length ? 'Indexing the workspace…' : undefined;
    dsView.message = state ?? (dsFilter ? `Filter: ${dsFilter}` : undefined);
    runView.message = state ?? msg;
    dsView.description = dsFilter ? 'filtered' : undefined;
    runView.description = filters.active ? 'filtered' : undefined;
  };
  const follow = (e: vscode.TreeViewSelectionChangeEvent<TreeNode>) => {
    const n = e.selection[0];
    if (n?.kind === 'sample') deps.selection.fire(n.ref);
  };
  return vscode.Disposable.from(
    filters,
    datasets,
    runs,
    dsView,
    runView,
    dsView.onDidChangeSelection(follow),
    runView.onDidChangeSelection(follow),
    filters.onDidChange(describe),
    deps.index.onDidChangeState(describe),
    vscode.commands.registerCommand('rarft.refreshIndex', () => deps.index.reindexAll()),
    // The flag filter (RA-RFT: Filter by Flag picks the tag).
    vscode.commands.registerCommand('rarft.setFlagFilter', (tag: unknown) =>
      filters.set({ flag: typeof tag === 'string' ? tag : null }),
    ),
    // The dashboard's API: show only these items of a run file in the Runs view (Clear Filters undoes it).
    vscode.commands.registerCommand(
      'rarft.showRunSamples',
      async (file: unknown, positions: unknown, label: unknown) => {
        if (typeof file !== 'string' || !Array.isArray(positions)) return;
        filters.set({ samples: { file, positions: new Set(positions as number[]), label: String(label ?? '') } });
        await vscode.commands.executeCommand('rarft.runs.focus');
      },
    ),
  );
}

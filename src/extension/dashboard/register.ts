/** Registers the dashboard: "Open Dashboard" and "Compare Runs…" (palette and the Runs view's context menu). */
import * as vscode from 'vscode';
import type { FeatureDeps } from '../deps';
import { withAbortSignal } from '../cancel';
import { DashboardPanel } from './dashboardPanel';
import { evaluateRun } from './evaluateRun';
import { loadJudgedRun } from './load';

const RUN_KINDS = new Set(['inference', 'inference-shard', 'evaluation-items']);

/** The run file a command was given (a Runs view row) or one the user picks. */
async function pickRun(deps: FeatureDeps, arg: unknown, title: string, except?: string): Promise<string | undefined> {
  const given = (arg as { file?: { path?: unknown } } | undefined)?.file?.path;
  if (typeof given === 'string' && given !== except) return given;
  await deps.index.ensureStarted();
  const runs = deps.index.browse.files.filter((f) => RUN_KINDS.has(f.kind) && f.path !== except);
  if (!runs.length) {
    void vscode.window.showInformationMessage('RA-RFT: no runs (inference_results*.json, metrics_items*.json) here.');
    return undefined;
  }
  // Evaluated runs first: they carry the judge's judgments.
  runs.sort((a, b) => Number(b.kind === 'evaluation-items') - Number(a.kind === 'evaluation-items'));
  const pick = await vscode.window.showQuickPick(
    runs.map((f) => ({
      label: vscode.workspace.asRelativePath(f.path),
      description: `${f.items?.length ?? 0} items · ${f.kind === 'evaluation-items' ? 'evaluated' : 'offline judge'}`,
      path: f.path,
    })),
    // Kept open when the focus moves: closing a palette hands the focus back to the active editor,
    // and a webview (the dashboard) takes it a moment later, which closed a fresh picker (seen in e2e).
    { title, placeHolder: 'Run file', ignoreFocusOut: true },
  );
  return pick?.path;
}

/** Registers the dashboard commands; returns the panel (the evaluation opens it) and what to dispose. */
export function registerDashboard(
  context: vscode.ExtensionContext,
  deps: FeatureDeps,
): { panel: DashboardPanel; disposable: vscode.Disposable } {
  const panel = new DashboardPanel(context, deps);
  const load = (paths: string[]) =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'RA-RFT: reading the run', cancellable: true },
      (_p, token) =>
        withAbortSignal(token, (signal) =>
          Promise.all(paths.map((p) => loadJudgedRun(p, signal, deps.index.browse.joins))),
        ),
    );
  const guard = (f: (arg: unknown) => Promise<void>) => async (arg: unknown) => {
    try {
      await f(arg);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return;
      deps.log.error(`dashboard: ${(e as Error)?.stack ?? e}`);
      void vscode.window.showErrorMessage(`RA-RFT: ${(e as Error).message}`);
    }
  };
  const disposable = vscode.Disposable.from(
    panel,
    vscode.commands.registerCommand(
      'rarft.openDashboard',
      guard(async (arg) => {
        const path = await pickRun(deps, arg, 'RA-RFT: Open Dashboard');
        if (!path) return;
        const [run] = await load([path]);
        panel.show(run);
      }),
    ),
    vscode.commands.registerCommand(
      'rarft.evaluateRunWithJudge',
      guard(async (arg) => {
        const path = await pickRun(deps, arg, 'RA-RFT: Evaluate Run');
        if (path) await evaluateRun(context, deps, panel, path);
      }),
    ),
    vscode.commands.registerCommand(
      'rarft.compareRuns',
      guard(async (arg) => {
        const a = await pickRun(deps, arg, 'RA-RFT: Compare Runs (A, the baseline)');
        if (!a) return;
        const b = await pickRun(deps, undefined, `RA-RFT: Compare ${vscode.workspace.asRelativePath(a)} with (B)`, a);
        if (!b) return;
        const [ra, rb] = await load([a, b]);
        panel.show(ra, rb);
      }),
    ),
  );
  // `rarft.dashboard.openOnStart`: open a run's dashboard once the workspace is up (npm start's sample workspace).
  const start = vscode.workspace.getConfiguration('rarft.dashboard').get<string>('openOnStart')?.trim();
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (start && folder) {
    const path = vscode.Uri.joinPath(folder.uri, start).fsPath;
    setTimeout(
      () =>
        void loadJudgedRun(path, undefined, deps.index.browse.joins).then(
          (run) => panel.show(run),
          (e) => deps.log.warn(`rarft.dashboard.openOnStart: ${(e as Error).message}`),
        ),
      0,
    );
  }
  return { panel, disposable };
}

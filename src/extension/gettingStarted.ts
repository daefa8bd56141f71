/**
 * Commands the walkthrough links to: open a sample workspace (copied from the HI-VTG files the
 * extension ships) and evaluate a run with the offline judge.
 */
import * as vscode from 'vscode';
import { withAbortSignal } from './cancel';
import { copyFile, cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { offlineJudge } from '../core/eval/judge';
import { InvalidItemsError, runEvaluation } from '../core/eval/run';
import { writeEvaluation } from '../core/eval/write';
import type { FeatureDeps } from './deps';

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies the shipped samples into global storage and opens them as a folder: the annotation
 * files of samples/data at the top, and the simulated run of samples/runs under runs/. Files
 * already there (perhaps edited) are kept.
 */
async function openSampleWorkspace(context: vscode.ExtensionContext): Promise<void> {
  const source = vscode.Uri.joinPath(context.extensionUri, 'samples', 'data').fsPath;
  const runs = vscode.Uri.joinPath(context.extensionUri, 'samples', 'runs').fsPath;
  const target = vscode.Uri.joinPath(context.globalStorageUri, 'sample-workspace').fsPath;
  await mkdir(join(target, '.vscode'), { recursive: true });
  for (const name of await readdir(source)) {
    if (!(await exists(join(target, name)))) await copyFile(join(source, name), join(target, name));
  }
  if (await exists(runs)) await cp(runs, join(target, 'runs'), { recursive: true, force: false, errorOnExist: false });
  const settings = join(target, '.vscode', 'settings.json');
  if (!(await exists(settings)))
    await writeFile(
      settings,
      JSON.stringify({ 'rarft.videoRoots': { '/data/sungjoon/Charades_v1': 'videos' } }, null, 2) + '\n',
    );
  await mkdir(join(target, 'videos'), { recursive: true });
  await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(target), { forceNewWindow: false });
}

/** Evaluates a run file with the offline judge, writing metrics.json and metrics_items.json beside it. */
async function evaluateRun(deps: FeatureDeps, arg: unknown): Promise<void> {
  await deps.index.ensureStarted();
  const runs = deps.index.browse.files.filter(
    (f) => f.kind === 'inference' || f.kind === 'inference-shard' || f.kind === 'evaluation-items',
  );
  const path = await pickRunPath(runs, arg);
  if (path === undefined) return;
  const file = runs.find((f) => f.path === path);
  if (!file?.items) return;
  const out = join(dirname(path), 'metrics.json');
  const itemsOut = join(dirname(path), 'metrics_items.json');
  if ((await exists(out)) && path !== itemsOut) {
    const ok = await vscode.window.showWarningMessage(
      `RA-RFT: overwrite ${vscode.workspace.asRelativePath(out)} and metrics_items.json?`,
      { modal: true },
      'Overwrite',
    );
    if (ok !== 'Overwrite') return;
  }
  const result = await evaluateOfflineWithProgress(path);
  if (!result) return;
  const r = result.report;
  if (r.items && !r.judged) {
    // Every item was left out after judge errors: empty figures are not a result; write nothing.
    void vscode.window.showErrorMessage(
      `RA-RFT: no item of ${vscode.workspace.asRelativePath(path)} could be judged; nothing was written.`,
    );
    return;
  }
  await writeEvaluation(result, out, path !== itemsOut ? itemsOut : undefined);
  deps.log.info(`evaluated ${path} with the offline judge → ${out}`);
  const open = await vscode.window.showInformationMessage(
    `RA-RFT: evaluated ${r.items} items (offline judge; the figures rest on ${r.judged}); wrote ${vscode.workspace.asRelativePath(out)}.`,
    'Open Metrics',
  );
  if (open) await vscode.window.showTextDocument(vscode.Uri.file(out));
}

/** The run file the command was given (from the Datasets view) or the one the user picks; undefined when none. */
async function pickRunPath(runs: { path: string; kind: string; items?: unknown[] }[], arg: unknown) {
  const given = (arg as { file?: { path?: unknown } } | undefined)?.file?.path;
  if (typeof given === 'string') return given;
  if (!runs.length) {
    void vscode.window.showInformationMessage(
      'RA-RFT: no inference results in this workspace (inference_results*.json).',
    );
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    runs.map((f) => ({
      label: vscode.workspace.asRelativePath(f.path),
      description: `${f.items?.length ?? 0} items · ${f.kind}`,
      path: f.path,
    })),
    { ignoreFocusOut: true, title: 'RA-RFT: Evaluate Run', placeHolder: 'Run to evaluate (offline judge)' },
  );
  return pick?.path;
}

/** Evaluates `path` with the offline judge under a cancellable progress notification; null when stopped or invalid. */
function evaluateOfflineWithProgress(path: string) {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'RA-RFT: evaluating', cancellable: true },
    (progress, token) => {
      let last = 0;
      return withAbortSignal(token, (signal) =>
        runEvaluation({ input: path, judge: { judge: offlineJudge } }, signal, (p) => {
          if (p.phase !== 'judge') return progress.report({ message: p.phase });
          const f = p.done / Math.max(1, p.total);
          if (f - last >= 0.01 || p.done === p.total) {
            progress.report({ increment: (f - last) * 100, message: `${p.done}/${p.total}` });
            last = f;
          }
        }),
      ).catch((e) => {
        if ((e as Error)?.name === 'AbortError') return null;
        if (e instanceof InvalidItemsError) {
          const first = e.problems[0];
          void vscode.window.showErrorMessage(
            `RA-RFT: ${e.message}; nothing was judged (first: line ${first.line}, column ${first.column}: ${first.message}). See the Problems panel.`,
          );
          return null;
        }
        throw e;
      });
    },
  );
}

/** Registers the getting-started commands. */
export function registerGettingStarted(context: vscode.ExtensionContext, deps: FeatureDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('rarft.openSampleWorkspace', () => openSampleWorkspace(context)),
    vscode.commands.registerCommand('rarft.evaluateRun', async (arg: unknown) => {
      try {
        await evaluateRun(deps, arg);
      } catch (e) {
        deps.log.error(`evaluation failed: ${(e as Error)?.stack ?? e}`);
        void vscode.window.showErrorMessage(`RA-RFT: evaluation failed: ${(e as Error).message}`);
      }
    }),
  );
}

/**
 * Commands the walkthrough links to: open a sample workspace (copied from the HI-VTG files the
 * extension ships) and evaluate a run with the offline judge.
 */
import * as vscode from 'vscode';
import { withAbortSignal } from './cancel';
import { copyFile, cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { itemWithJudgment, judgeItems } from '../core/eval/evaluate';
import { offlineJudge } from '../core/eval/judge';
import { computeMetrics } from '../core/eval/metrics';
import { writeFileAtomic } from '../core/fsAtomic';
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
  const given = (arg as { file?: { path?: unknown } } | undefined)?.file?.path;
  let path: string;
  if (typeof given === 'string') path = given;
  else {
    if (!runs.length) {
      void vscode.window.showInformationMessage(
        'RA-RFT: no inference results in this workspace (inference_results*.json).',
      );
      return;
    }
    const pick = await vscode.window.showQuickPick(
      runs.map((f) => ({
        label: vscode.workspace.asRelativePath(f.path),
        description: `${f.items?.length ?? 0} items · ${f.kind}`,
        path: f.path,
      })),
      { title: 'RA-RFT: Evaluate Run', placeHolder: 'Run to evaluate (offline judge)' },
    );
    if (!pick) return;
    path = pick.path;
  }
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
  const items = file.items.map((it) => it.raw);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'RA-RFT: evaluating', cancellable: true },
    (progress, token) =>
      withAbortSignal(token, async (signal) => {
        let last = 0;
        const judgments = await judgeItems(items, {
          judge: offlineJudge,
          signal,
          onProgress: (d, t) => {
            const f = d / t;
            if (f - last >= 0.01 || d === t) {
              progress.report({ increment: (f - last) * 100, message: `${d}/${t}` });
              last = f;
            }
          },
        });
        return judgments;
      }).catch((e) => {
        if ((e as Error)?.name === 'AbortError') return null;
        throw e;
      }),
  );
  if (!result) return;
  const metrics = computeMetrics(result, { judge: offlineJudge.name });
  await writeFileAtomic(out, JSON.stringify(metrics, null, 2) + '\n');
  if (path !== itemsOut)
    await writeFileAtomic(
      itemsOut,
      JSON.stringify(
        items.map((it, i) => itemWithJudgment(it, result[i])),
        null,
        2,
      ) + '\n',
    );
  deps.log.info(`evaluated ${path} with the offline judge → ${out}`);
  const open = await vscode.window.showInformationMessage(
    `RA-RFT: evaluated ${items.length} items (offline judge); wrote ${vscode.workspace.asRelativePath(out)}.`,
    'Open Metrics',
  );
  if (open) await vscode.window.showTextDocument(vscode.Uri.file(out));
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

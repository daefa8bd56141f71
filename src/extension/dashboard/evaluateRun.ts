/**
 * "RA-RFT: Evaluate Run…": pick the run, the judge (offline, LLM, hybrid) and an optional sentence
 * model; before an LLM run say how many requests it sends (cache misses) and confirm; judge with
 * cancellable progress (done/total, rate, ETA; every reply is cached as it arrives, so a rerun
 * resumes); write metrics.json and metrics_items.json beside the run and open the dashboard.
 */
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { embedderSimilarity } from '../../core/embed/similarity';
import { loadOnnxEmbedder } from '../../core/embed/onnxEmbedder';
import { embeddingCacheDir } from '../../core/embed/paths';
import type { Similarity } from '../../core/eval/evaluate';
import { offlineJudge, type Judge } from '../../core/eval/judge';
import { InvalidItemsError, runEvaluation, type JudgeSetup } from '../../core/eval/run';
import { writeEvaluation } from '../../core/eval/write';
import { HybridJudge } from '../../core/judge/hybrid';
import { LlmJudge } from '../../core/judge/llmJudge';
import { provenanceFromMetrics, type RunProvenance } from '../../core/compare/provenance';
import { annotationFilesOf, fileSha256 } from '../../core/report/judgedRun';
import { planMessage } from '../../core/report/judgeEstimate';
import { planJudgeRequests } from '../../core/report/judgePlan';
import { withAbortSignal } from '../cancel';
import type { FeatureDeps } from '../deps';
import { readJudgeSettings } from '../judgeKey';
import type { DashboardPanel } from './dashboardPanel';
import { joinedAnnotationFiles } from './load';

type JudgeKind = 'offline' | 'llm' | 'hybrid';

async function pickJudge(baseUrl: string, model: string): Promise<JudgeKind | undefined> {
  const server = model ? `${model} at ${baseUrl}` : 'set rarft.judge.model first';
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Offline', description: 'rules only, no requests', judge: 'offline' as const },
      { label: 'LLM', description: server, judge: 'llm' as const },
      {
        label: 'Hybrid',
        description: `rule for plain "X to Y" answers, LLM otherwise · ${server}`,
        judge: 'hybrid' as const,
      },
    ],
    { ignoreFocusOut: true, title: 'RA-RFT: Evaluate Run — judge', placeHolder: 'Judge' },
  );
  return pick?.judge;
}

async function pickSentenceModel(): Promise<string | null | undefined> {
  const dir = vscode.workspace.getConfiguration('rarft.embeddings').get<string>('evalModel')?.trim();
  if (!dir) return null;
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'With SBERT similarity', description: dir, dir },
      { label: 'Without SBERT similarity', description: 'not computed', dir: null },
    ],
    { ignoreFocusOut: true, title: 'RA-RFT: Evaluate Run — sentence model (rarft.embeddings.evalModel)' },
  );
  return pick ? pick.dir : undefined;
}

/** Runs the whole flow for `path`; resolves once the dashboard shows the result (or the user stopped). */
export async function evaluateRun(
  context: vscode.ExtensionContext,
  deps: FeatureDeps,
  dashboard: DashboardPanel,
  path: string,
): Promise<void> {
  const settings = await readJudgeSettings(context);
  const kind = await pickJudge(settings.baseUrl, settings.model);
  if (!kind) return;
  if (kind !== 'offline' && !settings.model) {
    const open = await vscode.window.showErrorMessage(
      'RA-RFT: set rarft.judge.model (the model the judge server serves).',
      'Open Settings',
    );
    if (open) await vscode.commands.executeCommand('workbench.action.openSettings', 'rarft.judge');
    return;
  }
  const sbertDir = await pickSentenceModel();
  if (sbertDir === undefined) return;
  const items = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>[];
  if (!Array.isArray(items)) throw new Error(`${path}: expected a JSON array of run items`);
  const cacheDir = join(dirname(path), '.rarft-cache', 'judge');
  const chosen = await makeJudge(kind, settings, items, cacheDir, deps);
  if (!chosen) return;
  const { judge, llm } = chosen;
  let similarity: Similarity | undefined;
  const embedder = sbertDir ? await loadOnnxEmbedder(sbertDir, { cacheDir: embeddingCacheDir() }) : undefined;
  if (embedder) similarity = embedderSimilarity(embedder);
  try {
    const setup: JudgeSetup = {
      judge,
      itemConcurrency: llm ? Math.max(64, settings.concurrency * 4) : undefined,
      disagreements: !!llm,
      metricsInfo: llm ? () => (judge as LlmJudge | HybridJudge).info() : undefined,
    };
    const result = await evaluateWithProgress(path, setup, similarity);
    const { metrics, judgments } = result;
    const dir = dirname(path);
    const out = join(dir, 'metrics.json');
    const itemsOut = join(dir, 'metrics_items.json');
    const rows = result.rows();
    await writeEvaluation(result, out, itemsOut);
    deps.log.info(`evaluated ${path} (${judge.name}) → ${out}, ${itemsOut}`);
    void deps.index.reindexAll();
    dashboard.show({ items: rows, judgments, provenance: await evaluatedProvenance(metrics, itemsOut, rows, deps) });
    if (!metrics.num_items && result.items.length)
      void vscode.window.showErrorMessage(
        `RA-RFT: no item could be judged; the errors are in ${vscode.workspace.asRelativePath(itemsOut)} (judge_errors).`,
      );
  } catch (e) {
    if (e instanceof InvalidItemsError) {
      const first = e.problems[0];
      void vscode.window.showErrorMessage(
        `RA-RFT: ${e.message}; nothing was judged (first: line ${first.line}, column ${first.column}: ${first.message}).`,
      );
      return;
    }
    if ((e as Error)?.name === 'AbortError') {
      void vscode.window.showInformationMessage(
        'RA-RFT: evaluation stopped; every reply so far is cached, run it again to resume.',
      );
      return;
    }
    throw e;
  } finally {
    await embedder?.close();
  }
}

/** The provenance of a run just evaluated: the items file written (sha256) and the annotation files it joins to. */
async function evaluatedProvenance(
  metrics: Record<string, unknown>,
  itemsOut: string,
  rows: Record<string, unknown>[],
  deps: FeatureDeps,
): Promise<RunProvenance> {
  const recorded = provenanceFromMetrics(metrics);
  const named = joinedAnnotationFiles(rows, deps.index.browse.joins);
  return {
    ...recorded,
    path: itemsOut,
    items: rows.length,
    sha256: await fileSha256(itemsOut),
    annotationFiles: await annotationFilesOf(recorded.annotationFiles ?? [], named, dirname(itemsOut)),
  };
}

/** The judge for `kind`; an LLM or hybrid one only once the user confirms the requests it will send (else undefined). */
async function makeJudge(
  kind: NonNullable<Awaited<ReturnType<typeof pickJudge>>>,
  settings: Awaited<ReturnType<typeof readJudgeSettings>>,
  items: Record<string, unknown>[],
  cacheDir: string,
  deps: FeatureDeps,
): Promise<{ judge: Judge; llm?: LlmJudge } | undefined> {
  if (kind === 'offline') return { judge: offlineJudge };
  const plan = await planJudgeRequests(items, {
    baseUrl: settings.baseUrl,
    model: settings.model,
    cacheDir,
    hybrid: kind === 'hybrid',
  });
  const message = `RA-RFT: ${planMessage(plan, settings)}`;
  deps.log.info(message);
  const ok = await vscode.window.showInformationMessage(message, { modal: true }, 'Evaluate');
  if (ok !== 'Evaluate') return;
  const llm = new LlmJudge({
    baseUrl: settings.baseUrl,
    model: settings.model,
    apiKey: settings.apiKey,
    concurrency: settings.concurrency,
    cacheDir,
    price: settings.price,
    onEvent: (m) => deps.log.warn(`judge: ${m}`),
  });
  return { judge: kind === 'hybrid' ? new HybridJudge(llm) : llm, llm };
}

/** Runs the evaluation of `path` under a cancellable progress notification (rate and ETA while judging). */
function evaluateWithProgress(path: string, setup: JudgeSetup, similarity: Similarity | undefined) {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `RA-RFT: evaluating (${setup.judge.name})`,
      cancellable: true,
    },
    (progress, token) =>
      withAbortSignal(token, (signal) => {
        const t0 = Date.now();
        let last = 0;
        return runEvaluation({ input: path, judge: setup, similarity }, signal, (p) => {
          if (p.phase !== 'judge') return;
          const f = p.done / Math.max(1, p.total);
          if (f - last < 0.01 && p.done !== p.total) return;
          const s = (Date.now() - t0) / 1000;
          const rate = s > 0 ? p.done / s : 0;
          const eta = rate > 0 ? Math.round((p.total - p.done) / rate) : 0;
          progress.report({
            increment: (f - last) * 100,
            message: `${p.done}/${p.total} · ${rate.toFixed(1)}/s · ETA ${eta} s${p.waiting ? ` · ${p.waiting}` : ''}`,
          });
          last = f;
        });
      }),
  );
}

/**
 * Loads an evaluated run for `compare` and `report`: its items, their judgments (cached ones used
 * as they are, the rest judged as `evaluate` judges them) and its provenance from `metrics.json`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { provenanceFromMetrics, type RunProvenance } from '../core/compare/provenance';
import { judgeItems, type ItemJudgment } from '../core/eval/evaluate';
import { metricsBeside } from '../core/report/runFiles';
import type { JudgeSetup } from './judgeOptions';
import { mark, readItemsFile } from './io';

/** A run read and judged. */
export interface LoadedRun {
  path: string;
  items: Record<string, unknown>[];
  judgments: ItemJudgment[];
  provenance: RunProvenance;
  /** The `metrics.json` found beside the items, if any. */
  metrics?: Record<string, unknown>;
}

/** Reads and judges one run with `setup`'s judge; `hash` adds the file's sha256 to the provenance. */
export async function loadRun(
  path: string,
  setup: JudgeSetup,
  opts: { signal?: AbortSignal; hash?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<LoadedRun> {
  const items = await readItemsFile(path);
  const judgments = await judgeItems(items, {
    judge: setup.judge,
    signal: opts.signal,
    concurrency: setup.itemConcurrency,
    disagreements: setup.disagreements,
    onProgress: opts.onProgress,
  });
  mark('judge');
  const metrics = metricsBeside(path);
  const fromMetrics = provenanceFromMetrics(metrics);
  const judgedHere = judgments.some((_, i) => typeof items[i].classification_correct !== 'boolean');
  const provenance: RunProvenance = {
    ...fromMetrics,
    path,
    items: items.length,
    judge: fromMetrics.judge ?? (judgedHere ? setup.judge.name : undefined),
  };
  if (opts.hash) provenance.sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  return { path, items, judgments, provenance, metrics };
}

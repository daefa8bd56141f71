/**
 * Loads an evaluated run for `compare` and `report`: its items, their judgments through core's
 * one judging path (`judgeRun` → `judgeItems`: cached ones used as they are, the rest judged as
 * `evaluate` judges them) and its provenance (hashes of the run and its annotation files).
 */
import { judgeRun, type LoadedRun } from '../core/report/judgedRun';
import { mark, readAnnotationFile, readItemsFile } from './io';
import type { JudgeSetup } from './judgeOptions';

export type { LoadedRun } from '../core/report/judgedRun';

/** Reads and judges one run with `setup`'s judge; `annotationFiles` are recorded with their sha256. */
export async function loadRun(
  path: string,
  setup: JudgeSetup,
  opts: {
    signal?: AbortSignal;
    annotationFiles?: string[];
    onProgress?: (done: number, total: number) => void;
    /** The items, already being read (`readAhead`). */
    items?: Promise<Record<string, unknown>[]>;
  } = {},
): Promise<LoadedRun> {
  const items = await (opts.items ?? readItemsFile(path));
  const run = await judgeRun(path, items, {
    judge: setup.judge,
    signal: opts.signal,
    concurrency: setup.itemConcurrency,
    disagreements: setup.disagreements,
    onProgress: opts.onProgress,
    annotationFiles: opts.annotationFiles,
  });
  mark('judge');
  return run;
}

/**
 * Starts reading a second run's items while the first is judged (the read runs on the thread
 * pool); its error, if any, is raised where the result is awaited.
 */
export function readAhead(path: string): Promise<Record<string, unknown>[]> {
  const p = readItemsFile(path);
  p.catch(() => undefined);
  return p;
}

/** Checks that every `--anno` file is an HI-VTG annotation file (an error names the file otherwise). */
export async function checkAnnotationFiles(paths: readonly string[]): Promise<void> {
  for (const p of paths) await readAnnotationFile(p);
}

/** Reads and judges a run file for the dashboard (cached judgments as they are, the offline rule otherwise). */
import { readFile } from 'node:fs/promises';
import type { QueryRef } from '../../core/dataset/indexer';
import { joinKey } from '../../core/dataset/model';
import { offlineJudge } from '../../core/eval/judge';
import { parseJson } from '../../core/json/positions';
import { judgeRun, type LoadedRun } from '../../core/report/judgedRun';

/** The annotation files (paths) the workspace index joins the run's items to. */
export function joinedAnnotationFiles(items: Record<string, unknown>[], joins?: Map<string, QueryRef[]>): string[] {
  const files = new Set<string>();
  if (!joins) return [];
  for (const it of items) {
    for (const ref of joins.get(joinKey(String(it.video ?? ''), String(it.query ?? ''))) ?? [])
      files.add(ref.file.path);
  }
  return [...files].sort();
}

/**
 * A judged run read from `path` through core's one judging path (`judgeRun`); its provenance names
 * the annotation files the workspace joins it to, with their sha256. An error names the file when it is not a run.
 */
export async function loadJudgedRun(
  path: string,
  signal?: AbortSignal,
  joins?: Map<string, QueryRef[]>,
): Promise<LoadedRun> {
  const r = parseJson((await readFile(path)).toString('utf8'));
  if (!r.ok) throw new Error(`${path}: not valid JSON (${r.message})`);
  if (!Array.isArray(r.value)) throw new Error(`${path}: expected a JSON array of run items`);
  const items = r.value.filter(
    (x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x),
  );
  if (items.length !== r.value.length) throw new Error(`${path}: every item must be an object`);
  return judgeRun(path, items, { judge: offlineJudge, signal, annotationFiles: joinedAnnotationFiles(items, joins) });
}

/** Reads and judges a run file for the dashboard (cached judgments as they are, the offline rule otherwise). */
import { readFile } from 'node:fs/promises';
import type { RunProvenance } from '../../core/compare/provenance';
import { provenanceFromMetrics } from '../../core/compare/provenance';
import { judgeItems } from '../../core/eval/evaluate';
import { offlineJudge } from '../../core/eval/judge';
import { parseJson } from '../../core/json/positions';
import type { JudgedRun } from '../../core/report/build';
import { metricsBeside } from '../../core/report/runFiles';

/** A judged run read from `path`; an error names the file when it is not a run. */
export async function loadJudgedRun(path: string, signal?: AbortSignal): Promise<JudgedRun> {
  const r = parseJson((await readFile(path)).toString('utf8'));
  if (!r.ok) throw new Error(`${path}: not valid JSON (${r.message})`);
  if (!Array.isArray(r.value)) throw new Error(`${path}: expected a JSON array of run items`);
  const items = r.value.filter(
    (x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x),
  );
  if (items.length !== r.value.length) throw new Error(`${path}: every item must be an object`);
  const judgments = await judgeItems(items, { judge: offlineJudge, signal });
  const fromMetrics = provenanceFromMetrics(metricsBeside(path));
  const judgedHere = items.some((it) => typeof it.classification_correct !== 'boolean');
  const provenance: RunProvenance = {
    ...fromMetrics,
    path,
    items: items.length,
    judge: fromMetrics.judge ?? (judgedHere ? offlineJudge.name : undefined),
  };
  return { items, judgments, provenance };
}

/** Writes an evaluation's metrics and items files (FORMATS.md §4) with the one output writer. */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { writeOutputs } from '../fsAtomic';
import type { EvaluationResult } from './run';

/**
 * Items first, metrics last (the old metrics removed first), with a run id and the items
 * file's size in metrics.evaluation: a reader never sees a mismatched pair.
 */
export async function writeEvaluation(result: EvaluationResult, out: string, itemsOut?: string): Promise<void> {
  const runId = `${new Date().toISOString()}-${randomBytes(3).toString('hex')}`;
  const files: { path: string; data: () => string }[] = [];
  let itemsBytes = 0;
  if (itemsOut)
    files.push({
      path: itemsOut,
      data: () => {
        const text = JSON.stringify(result.rows(), null, 2) + '\n';
        itemsBytes = Buffer.byteLength(text);
        return text;
      },
    });
  files.push({
    path: out,
    data: () => {
      Object.assign(result.metrics.evaluation, {
        run_id: runId,
        ...(itemsOut ? { items_file: { path: resolve(itemsOut), bytes: itemsBytes } } : {}),
      });
      return JSON.stringify(result.metrics, null, 2) + '\n';
    },
  });
  await writeOutputs(files);
}

/**
 * Error buckets of the Runs view: one bucket per model-output item, from its judgment
 * (cached or offline) and the shape of its output.
 */
import type { ItemJudgment } from './eval/evaluate';
import { parseOutput } from './text';

/** Bucket ids, in the order the Runs view lists them. */
export const BUCKETS = [
  'truncated',
  'false-refusal',
  'span-on-irrelevant',
  'iou-below-0.3',
  'iou-below-0.5',
  'broken-format',
  'correct',
  'unjudged',
] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Human labels of the buckets. */
export const BUCKET_LABELS: Record<Bucket, string> = {
  truncated: 'Truncated output',
  'false-refusal': 'False refusal',
  'span-on-irrelevant': 'Span on an irrelevant query',
  'iou-below-0.3': 'IoU < 0.3',
  'iou-below-0.5': 'IoU < 0.5',
  'broken-format': 'Broken format',
  correct: 'Correct',
  unjudged: 'Not judged',
};

/**
 * The bucket of one item. Precedence, first match wins: a cut-off output (an opening
 * think/answer/correction tag never closed); a wrong relevance decision (false refusal, or a
 * span given for a refusable query); a low IoU on an answerable query; a completion that is
 * not exactly think/answer/correction; otherwise correct. `unjudged` when step 1 failed.
 */
export function bucketOf(modelOutput: string, j: Pick<ItemJudgment, 'gtRelevant' | 'predRelevant' | 'iou'>): Bucket {
  const parsed = parseOutput(modelOutput);
  if (parsed.truncated) return 'truncated';
  if (j.predRelevant === null) return 'unjudged';
  if (j.gtRelevant && !j.predRelevant) return 'false-refusal';
  if (!j.gtRelevant && j.predRelevant) return 'span-on-irrelevant';
  if (j.gtRelevant) {
    const iou = j.iou ?? 0;
    if (iou < 0.3) return 'iou-below-0.3';
    if (iou < 0.5) return 'iou-below-0.5';
  }
  if (!parsed.wellFormatted) return 'broken-format';
  return 'correct';
}

/** The two overlap measures of the evaluation (FORMATS.md §4). One of each, used everywhere. */
import type { Span } from '../text';

/** Temporal IoU of two `[start, end]` spans; 0 when they do not overlap or the union is 0. */
export function temporalIou(a: Span, b: Span): number {
  const inter = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  const union = Math.max(0, a[1] - a[0] + (b[1] - b[0]) - inter);
  return union === 0 ? 0 : inter / union;
}

/** Jaccard index of two label sets; 1 when both are empty. */
export function jaccard(pred: Iterable<string>, gt: Iterable<string>): number {
  const p = new Set(pred);
  const g = new Set(gt);
  let inter = 0;
  for (const x of p) if (g.has(x)) inter++;
  const union = p.size + g.size - inter;
  return union === 0 ? 1 : inter / union;
}

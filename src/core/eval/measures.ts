/** The two overlap measures of the evaluation (FORMATS.md §4). One of each, used everywhere. */
import type { Span } from '../text';

/** Temporal IoU of two `[start, end]` spans; 0 when they do not overlap or the union is 0. */
export function temporalIou(a: Span, b: Span): number {
  const inter = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  const union = Math.max(0, a[1] - a[0] + (b[1] - b[0]) - inter);
  return union === 0 ? 0 : inter / union;
}

/** Jaccard index of two label sets (lists, duplicates counted once); 1 when both are empty. */
export function jaccard(pred: readonly string[], gt: readonly string[]): number {
  // Label lists are a handful long: scanning them allocates nothing, where two Sets per item
  // (50,000 items) were a tenth of what the judging step left for the garbage collector.
  if (pred.length > SMALL || gt.length > SMALL) return jaccardOfSets(new Set(pred), new Set(gt));
  let p = 0;
  let inter = 0;
  for (let i = 0; i < pred.length; i++) {
    const x = pred[i];
    if (pred.indexOf(x) !== i) continue;
    p++;
    if (gt.includes(x)) inter++;
  }
  let g = 0;
  for (let i = 0; i < gt.length; i++) if (gt.indexOf(gt[i]) === i) g++;
  const union = p + g - inter;
  return union === 0 ? 1 : inter / union;
}

/** Past this length a list is deduplicated with a Set (the scan above is quadratic). */
const SMALL = 16;

function jaccardOfSets(p: Set<string>, g: Set<string>): number {
  let inter = 0;
  for (const x of p) if (g.has(x)) inter++;
  const union = p.size + g.size - inter;
  return union === 0 ? 1 : inter / union;
}

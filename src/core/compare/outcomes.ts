/** A sample's refusal-aware outcome (issue 10): what a paired comparison counts flips between. */
import type { ItemJudgment } from '../eval/evaluate';

/** The five outcomes, in the order tables list them. */
export const OUTCOMES = ['hit', 'miss', 'correct_refusal', 'false_refusal', 'missed_refusal'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** IoU at or above which an answerable prediction is a `hit` (R@0.5). */
export const HIT_IOU = 0.5;

/**
 * The outcome of one judged item: answerable and predicted relevant with IoU ≥ 0.5 → `hit`,
 * below → `miss`, predicted irrelevant → `false_refusal`; refusable and predicted irrelevant →
 * `correct_refusal`, predicted relevant → `missed_refusal`. Null when the item could not be judged
 * (step 1 failed, or the IoU of a predicted-relevant answerable item is unknown).
 */
export function outcomeOf(j: ItemJudgment): Outcome | null {
  if (j.predRelevant === null) return null;
  if (!j.gtRelevant) return j.predRelevant ? 'missed_refusal' : 'correct_refusal';
  if (!j.predRelevant) return 'false_refusal';
  if (j.iou === null) return null;
  return j.iou >= HIT_IOU ? 'hit' : 'miss';
}

/** True when the outcome is right on relevance (the classification was correct). */
export function relevanceCorrect(o: Outcome): boolean {
  return o === 'hit' || o === 'miss' || o === 'correct_refusal';
}

/** True when the outcome counts toward R@0.5 as `metrics.json` does (a correct refusal is IoU 1). */
export function r05Hit(o: Outcome): boolean {
  return o === 'hit' || o === 'correct_refusal';
}

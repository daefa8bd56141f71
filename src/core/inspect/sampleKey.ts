/** Comparing sample references (pure; the webview bundle uses it too). */
import type { SampleRef } from './sampleTypes';

/** A stable, printable key for a reference (tree item ids, comparisons). */
export function sampleKey(ref: SampleRef): string {
  return JSON.stringify([ref.kind, ref.file, ref.video, ref.query, ref.nth]);
}

/** True when both references name the same sample. */
export function sameSample(a: SampleRef | null | undefined, b: SampleRef | null | undefined): boolean {
  return !!a && !!b && sampleKey(a) === sampleKey(b);
}

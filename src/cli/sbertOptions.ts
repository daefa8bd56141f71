/**
 * SBERT options of `rarft evaluate` (step 4) and the factory for the similarity function.
 * (Owned by the embeddings feature.)
 */
import type { Similarity } from '../core/eval/evaluate';

/** parseArgs options for step 4. */
export const sbertOptionSpec = {} as const;

/** Usage text for the SBERT options. */
export const sbertUsage = '';

/** Builds the step-4 similarity, or undefined when no sentence model is configured. */
export async function createSimilarity(_values: Record<string, unknown>): Promise<{ similarity?: Similarity; close?: () => Promise<void> }> {
  return {};
}

/**
 * SBERT options of `rarft evaluate` (step 4) and the factory for the similarity function.
 * (Owned by the embeddings feature.)
 */
import type { Similarity } from '../core/eval/evaluate';
import { loadOnnxEmbedder, type OnnxEmbedder } from '../core/embed/onnxEmbedder';
import { embeddingCacheDir } from '../core/embed/paths';
import { embedderSimilarity } from '../core/embed/similarity';
import { CliError } from './io';

/** Usage text for the SBERT options. */
export const sbertUsage = '[--sbert <model dir>]';

/** Loads a sentence model folder for the CLI; a bad folder is a user error (exit 1). */
export async function loadModelForCli(dir: string, option: string): Promise<OnnxEmbedder> {
  try {
    return await loadOnnxEmbedder(dir, { cacheDir: embeddingCacheDir() });
  } catch (e) {
    // The evaluation's SBERT step uses all-mpnet-base-v2 (the paper's); the rewards all-MiniLM-L6-v2.
    const msg = (e as Error).message;
    throw new CliError(
      `${option} ${dir}: ${option === '--sbert' ? msg.replaceAll('all-MiniLM-L6-v2', 'all-mpnet-base-v2') : msg}`,
    );
  }
}

/** Builds the step-4 similarity, or undefined when no sentence model is configured. */
export async function createSimilarity(
  values: Record<string, unknown>,
): Promise<{ similarity?: Similarity; close?: () => Promise<void> }> {
  if (typeof values.sbert !== 'string') return {};
  const embedder = await loadModelForCli(values.sbert, '--sbert');
  return { similarity: embedderSimilarity(embedder), close: () => embedder.close() };
}

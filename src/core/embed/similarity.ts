/** Sentence similarity from an embedder: the evaluation's SBERT step (FORMATS.md §4). */
import type { Similarity } from '../eval/evaluate';
import { cosine, type Embedder } from './embedder';

/** Cosine of the two texts' embeddings; concurrent calls share the embedder's batches. */
export function embedderSimilarity(embedder: Embedder): Similarity {
  return async (a, b, signal) => {
    const [va, vb] = await embedder.embed([a, b], signal);
    return cosine(va, vb);
  };
}

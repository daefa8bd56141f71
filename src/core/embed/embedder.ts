/**
 * The sentence-embedding interface shared by the rewards and the evaluation's SBERT metric.
 * An ONNX model (onnxEmbedder.ts) and a fixed table (TableEmbedder) are interchangeable.
 */

/** One sentence vector. Tables keep their float64 values; models give float32. */
export type Vector = Float32Array | Float64Array | readonly number[];

/** Turns texts into vectors, one per text, in input order. */
export interface Embedder {
  /** Identifies the model (a fingerprint of its files, or "table:<n>"). */
  readonly id: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Vector[]>;
  /** Releases the model and flushes caches. */
  close(): Promise<void>;
}

/** Cosine similarity in float64; 0 when either vector is all zeros. */
export function cosine(a: Vector, b: Vector): number {
  if (a.length !== b.length) throw new Error(`cosine: vectors of different lengths (${a.length} and ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return 0;
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/** Embeds texts from a fixed table (text → vector): the reference numbers' stand-in for a model. */
export class TableEmbedder implements Embedder {
  readonly id: string;
  private readonly table: Map<string, Vector>;

  constructor(table: Record<string, readonly number[]> | Map<string, Vector>) {
    this.table = table instanceof Map ? table : new Map(Object.entries(table));
    this.id = `table:${this.table.size}`;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Vector[]> {
    signal?.throwIfAborted();
    return texts.map((t) => {
      const v = this.table.get(t);
      if (!v)
        throw new Error(
          `no vector in the embedding table for ${JSON.stringify(t.length > 80 ? t.slice(0, 80) + '…' : t)}`,
        );
      return v;
    });
  }

  async close(): Promise<void> {}
}

/** What to tell a user who has no sentence model configured. */
export const NO_MODEL_HINT =
  'no sentence model configured: download one with `rarft models download all-MiniLM-L6-v2` (or "RA-RFT: Download Sentence Model") and pass its folder';

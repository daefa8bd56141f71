/** Audit checks on sentence embeddings: near-duplicate queries and refusable queries too close to an answerable one. */
import type { Embedder, Vector } from '../embed/embedder';
import { normaliseQuery } from './annoDoc';
import { queryRef, type QueryAt } from './auditSpans';
import { finding, type Finding } from './findings';
import { dot, nearPairs } from './nearPairs';

/** Thresholds of the embedding checks. */
export interface EmbedThresholds {
  /** Cosine at or above which two queries are near-duplicates (default 0.9). */
  duplicate: number;
  /** Cosine at or above which a refusable query is too close to an answerable one of its video (default 0.85). */
  refusable: number;
}

function unit(v: Vector): Float32Array {
  const out = Float32Array.from(v as ArrayLike<number>);
  let n = 0;
  for (let i = 0; i < out.length; i++) n += out[i] * out[i];
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < out.length; i++) out[i] /= n;
  return out;
}

function clip(s: string, n = 50): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** The distinct query texts and their unit vectors, embedded in chunks (cancellable, with progress). */
export async function embedQueries(
  embedder: Embedder,
  queries: readonly QueryAt[],
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<{ texts: string[]; vectors: Float32Array[]; textOf: Map<string, number> }> {
  const textOf = new Map<string, number>();
  const texts: string[] = [];
  for (const q of queries) if (!textOf.has(q.q)) textOf.set(q.q, texts.push(q.q) - 1);
  const vectors: Float32Array[] = [];
  const CHUNK = 512;
  for (let k = 0; k < texts.length; k += CHUNK) {
    signal?.throwIfAborted();
    const got = await embedder.embed(texts.slice(k, k + CHUNK), signal);
    for (const v of got) vectors.push(unit(v));
    onProgress?.(Math.min(k + CHUNK, texts.length), texts.length);
  }
  return { texts, vectors, textOf };
}

/** Near-duplicate queries by embedding (pairs whose normalised texts are equal are left to the text check). */
export function nearDuplicateFindings(
  queries: readonly QueryAt[],
  emb: { texts: string[]; vectors: Float32Array[]; textOf: Map<string, number> },
  threshold: number,
  signal?: AbortSignal,
): Finding[] {
  const norm = emb.texts.map(normaliseQuery);
  const byText: QueryAt[][] = emb.texts.map(() => []);
  for (const q of queries) byText[emb.textOf.get(q.q) as number].push(q);
  const pairs = nearPairs(
    emb.vectors,
    threshold,
    (i, j) => norm[i] === norm[j],
    () => signal?.throwIfAborted(),
  );
  const out = pairs.map(({ i, j, cos }) => {
    const a = byText[i];
    const b = byText[j];
    const va = new Set(a.map((q) => q.video));
    const shared = b.find((q) => va.has(q.video));
    const first = shared ? (a.find((q) => q.video === shared.video) as QueryAt) : a[0];
    const others = [...a, ...b].filter((q) => q !== first).map(queryRef);
    const scope = shared ? `within ${shared.video}` : 'across videos';
    return finding(
      'near-duplicate-query',
      shared ? 'warning' : 'info',
      queryRef(first),
      others,
      `"${clip(emb.texts[i])}" and "${clip(emb.texts[j])}" are near-duplicates (cosine ${cos.toFixed(3)} ≥ ${threshold}) ${scope}`,
      cos,
    );
  });
  const first = out[0];
  if (pairs.more && first)
    first.message += ` (and ${pairs.more} more near-duplicate pairs not listed: only the first ${pairs.length} are; raise --duplicate-threshold)`;
  return out;
}

/**
 * Refusable queries whose embedding is at least `threshold` from an answerable query of the same
 * video: hard negatives that may describe the video after all. Ranked, closest first.
 */
export function refusableNearAnswerableFindings(
  queries: readonly QueryAt[],
  emb: { vectors: Float32Array[]; textOf: Map<string, number> },
  threshold: number,
): Finding[] {
  const byVideo = new Map<string, QueryAt[]>();
  for (const q of queries) {
    let l = byVideo.get(q.video);
    if (!l) byVideo.set(q.video, (l = []));
    l.push(q);
  }
  const hits: { q: QueryAt; best: QueryAt; cos: number }[] = [];
  for (const list of byVideo.values()) {
    const answerable = list.filter((q) => q.r === true);
    if (!answerable.length) continue;
    for (const q of list) {
      if (q.r !== false) continue;
      const v = emb.vectors[emb.textOf.get(q.q) as number];
      let best: QueryAt | null = null;
      let bestCos = -Infinity;
      for (const a of answerable) {
        const c = dot(v, emb.vectors[emb.textOf.get(a.q) as number]);
        if (c > bestCos) [best, bestCos] = [a, c];
      }
      if (best && bestCos >= threshold) hits.push({ q, best, cos: bestCos });
    }
  }
  hits.sort((x, y) => y.cos - x.cos);
  return hits.map((h, k) =>
    finding(
      'refusable-near-answerable',
      'warning',
      queryRef(h.q),
      [queryRef(h.best)],
      `review rank ${k + 1} of ${hits.length}: the refusable "${clip(h.q.q)}" embeds at cosine ${h.cos.toFixed(3)} ` +
        `(≥ ${threshold}) to the answerable "${clip(h.best.q)}" of ${h.q.video}: it may not be irrelevant`,
      h.cos,
    ),
  );
}

/**
 * Sentence embeddings from a sentence-transformers ONNX export on onnxruntime-node (CPU):
 * WordPiece/BPE tokenisation with @huggingface/tokenizers, length-sorted padded batches,
 * mean pooling of last_hidden_state over the attention mask, L2 normalisation. Identical
 * texts are embedded once; vectors are cached in memory (LRU) and on disk by model fingerprint.
 */
import type * as Ort from 'onnxruntime-node';
import type { Tokenizer as TokenizerT } from '@huggingface/tokenizers';
import { LRUCache } from 'lru-cache';
import { DiskCache, textKey } from './cache';
import type { Embedder, Vector } from './embedder';
import { readModelFolder, type ModelFolder } from './modelFolder';

/** Options of `loadOnnxEmbedder`. */
export interface OnnxEmbedderOptions {
  /** Texts per session.run (default 32). */
  batchSize?: number;
  /** Root folder of the on-disk cache; undefined or null keeps vectors in memory only. */
  cacheDir?: string | null;
  /** Vectors kept in the in-memory LRU (default 20,000). */
  memoryEntries?: number;
  /** Overrides the model's input limit (word pieces, special tokens included). */
  maxLength?: number;
  /** ORT intra-op threads (default: ORT's choice, all cores). */
  threads?: number;
}

/** Tokenised input of one text, already truncated. */
export interface Encoded {
  ids: number[];
  typeIds: number[];
}

/** Counters for tests and benchmarks. */
export interface EmbedStats {
  /** Texts asked for, duplicates included. */
  requested: number;
  memoryHits: number;
  diskHits: number;
  /** Texts run through the model. */
  computed: number;
  batches: number;
}

interface Request {
  texts: readonly string[];
  signal?: AbortSignal;
  resolve: (v: Vector[]) => void;
  reject: (e: unknown) => void;
}

/** An `Embedder` backed by an ONNX model folder. Create with `loadOnnxEmbedder`. */
export class OnnxEmbedder implements Embedder {
  readonly id: string;
  readonly stats: EmbedStats = { requested: 0, memoryHits: 0, diskHits: 0, computed: 0, batches: 0 };
  private readonly memory: LRUCache<string, Float32Array>;
  private readonly disk: DiskCache | null;
  private readonly batchSize: number;
  private readonly maxLength: number;
  private readonly padId: number;
  private readonly feedsTypes: boolean;
  private readonly outputName: string;
  private queue: Request[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    readonly folder: ModelFolder,
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    private readonly tokenizer: TokenizerT,
    options: OnnxEmbedderOptions = {},
  ) {
    this.id = folder.fingerprint;
    this.batchSize = Math.max(1, options.batchSize ?? 32);
    this.maxLength = Math.max(2, options.maxLength ?? folder.maxLength);
    this.memory = new LRUCache({ max: Math.max(1, options.memoryEntries ?? 20000) });
    this.disk = options.cacheDir ? new DiskCache(options.cacheDir, folder.fingerprint) : null;
    const padToken =
      typeof folder.tokenizerConfig.pad_token === 'string'
        ? folder.tokenizerConfig.pad_token
        : (folder.tokenizerConfig.pad_token as { content?: string } | undefined)?.content;
    this.padId = (padToken && tokenizer.token_to_id(padToken)) || 0;
    this.feedsTypes = session.inputNames.includes('token_type_ids');
    this.outputName = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0];
    for (const name of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(name))
        throw new Error(
          `${folder.modelPath}: the model has no '${name}' input (inputs: ${session.inputNames.join(', ')})`,
        );
    }
  }

  /** Tokenises one text and truncates it to the model's limit, keeping the final special token. */
  encode(text: string): Encoded {
    const e = this.tokenizer.encode(text, { return_token_type_ids: true });
    let ids = e.ids;
    let typeIds = e.token_type_ids ?? new Array(ids.length).fill(0);
    if (ids.length > this.maxLength) {
      ids = [...ids.slice(0, this.maxLength - 1), ids[ids.length - 1]];
      typeIds = [...typeIds.slice(0, this.maxLength - 1), typeIds[typeIds.length - 1]];
    }
    return { ids, typeIds };
  }

  /** Padded int64 tensors for a batch of encoded texts. */
  tensors(batch: readonly Encoded[]): Record<string, Ort.Tensor> {
    const B = batch.length;
    const S = Math.max(...batch.map((b) => b.ids.length));
    const ids = new BigInt64Array(B * S).fill(BigInt(this.padId));
    const mask = new BigInt64Array(B * S);
    const types = new BigInt64Array(B * S);
    batch.forEach((b, r) => {
      for (let j = 0; j < b.ids.length; j++) {
        ids[r * S + j] = BigInt(b.ids[j]);
        mask[r * S + j] = 1n;
        types[r * S + j] = BigInt(b.typeIds[j]);
      }
    });
    const feeds: Record<string, Ort.Tensor> = {
      input_ids: new this.ort.Tensor('int64', ids, [B, S]),
      attention_mask: new this.ort.Tensor('int64', mask, [B, S]),
    };
    if (this.feedsTypes) feeds.token_type_ids = new this.ort.Tensor('int64', types, [B, S]);
    return feeds;
  }

  /** Runs one padded batch and mean-pools each row over its own tokens; vectors are L2-normalised. */
  async runBatch(batch: readonly Encoded[]): Promise<Float32Array[]> {
    const feeds = this.tensors(batch);
    const out = await this.session.run(feeds, [this.outputName]);
    const t = out[this.outputName];
    const data = t.data as Float32Array;
    const [B, S, H] = t.dims as number[];
    if (t.dims.length !== 3 || B !== batch.length)
      throw new Error(
        `${this.folder.modelPath}: expected ${this.outputName} of shape [batch, sequence, hidden], got [${t.dims.join(', ')}]`,
      );
    this.stats.batches++;
    return batch.map((b, r) => meanPoolNormalize(data, r, S, H, b.ids.length));
  }

  embed(texts: readonly string[], signal?: AbortSignal): Promise<Vector[]> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Vector[]>((resolve, reject) => {
      this.queue.push({ texts, signal, resolve, reject });
      // Requests made in the same turn (e.g. many similarity calls) share batches.
      if (!this.draining) this.draining = new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const group = this.queue;
        this.queue = [];
        try {
          const allAborted = () => group.every((g) => g.signal?.aborted);
          const vectors = await this.embedUnique([...new Set(group.flatMap((g) => g.texts))], allAborted);
          for (const g of group) {
            if (g.signal?.aborted) g.reject(g.signal.reason ?? new DOMException('aborted', 'AbortError'));
            else g.resolve(g.texts.map((t) => vectors.get(t)!));
          }
          this.stats.requested += group.reduce((n, g) => n + g.texts.length, 0);
        } catch (e) {
          for (const g of group) g.reject(e);
        }
      }
    } finally {
      this.draining = null;
    }
  }

  private async embedUnique(unique: string[], stop: () => boolean): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    const todo: { text: string; key: string; enc: Encoded }[] = [];
    for (const text of unique) {
      const key = textKey(text);
      let v = this.memory.get(key);
      if (v) this.stats.memoryHits++;
      else if (this.disk && (v = await this.disk.get(key))) {
        this.stats.diskHits++;
        this.memory.set(key, v);
      }
      if (v) out.set(text, v);
      else todo.push({ text, key, enc: this.encode(text) });
    }
    todo.sort((a, b) => a.enc.ids.length - b.enc.ids.length);
    for (let i = 0; i < todo.length; i += this.batchSize) {
      if (stop()) throw new DOMException('embedding stopped', 'AbortError');
      const chunk = todo.slice(i, i + this.batchSize);
      const vectors = await this.runBatch(chunk.map((c) => c.enc));
      for (let k = 0; k < chunk.length; k++) {
        out.set(chunk[k].text, vectors[k]);
        this.memory.set(chunk[k].key, vectors[k]);
        if (this.disk) await this.disk.set(chunk[k].key, vectors[k]);
      }
      this.stats.computed += chunk.length;
    }
    if (this.disk && this.disk.pending >= 4096) await this.disk.flush();
    return out;
  }

  /** Writes the disk cache. The embedder stays usable. */
  async flush(): Promise<void> {
    await this.draining;
    await this.disk?.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.session.release();
  }
}

/** Mean of row `r`'s first `n` token vectors (the unpadded ones), L2-normalised, in float64 then float32. */
export function meanPoolNormalize(data: Float32Array, r: number, S: number, H: number, n: number): Float32Array {
  const acc = new Float64Array(H);
  const base = r * S * H;
  for (let j = 0; j < n; j++) {
    const o = base + j * H;
    for (let h = 0; h < H; h++) acc[h] += data[o + h];
  }
  let norm = 0;
  for (let h = 0; h < H; h++) {
    acc[h] /= n;
    norm += acc[h] * acc[h];
  }
  norm = Math.sqrt(norm) || 1;
  const v = new Float32Array(H);
  for (let h = 0; h < H; h++) v[h] = acc[h] / norm;
  return v;
}

/** Loads a model folder into an `OnnxEmbedder` (CPU execution provider). */
export async function loadOnnxEmbedder(dir: string, options: OnnxEmbedderOptions = {}): Promise<OnnxEmbedder> {
  const folder = await readModelFolder(dir);
  // Loaded on first use (not at CLI start-up): the native runtime takes a while to load.
  const ort = require('onnxruntime-node') as typeof Ort;
  const { Tokenizer } = require('@huggingface/tokenizers') as typeof import('@huggingface/tokenizers');
  const tokenizer = new Tokenizer(folder.tokenizerJson, folder.tokenizerConfig);
  const session = await ort.InferenceSession.create(folder.modelBytes, {
    executionProviders: ['cpu'],
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  });
  // The session holds its own copy of the weights: do not keep a second one alive.
  return new OnnxEmbedder({ ...folder, modelBytes: new Uint8Array(0) }, ort, session, tokenizer, options);
}

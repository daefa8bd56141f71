/**
 * A sentence-transformers model exported to ONNX, in a local folder: where its files are,
 * how long its inputs may be, and a fingerprint of its files for cache keys.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The files of a model folder, read into memory. */
export interface ModelFolder {
  dir: string;
  /** Path of the ONNX graph (`model.onnx` or `onnx/model.onnx`). */
  modelPath: string;
  modelBytes: Uint8Array;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  config: Record<string, unknown>;
  /** Longest input in word pieces, special tokens included. */
  maxLength: number;
  /** Hash of the model and tokenizer files (and the pooling code's version). */
  fingerprint: string;
}

/** Bumped when pooling or truncation changes, so cached vectors of older code are not reused. */
const POOLING_VERSION = 'mean-pool-l2/1';
const MODEL_CANDIDATES = ['model.onnx', 'onnx/model.onnx'];
/** sentence-transformers' own limit when a model says nothing smaller (its tokenizers say 512). */
const DEFAULT_MAX_LENGTH = 512;

async function exists(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function readJsonIfPresent(path: string): Promise<{ obj: Record<string, unknown>; bytes: Uint8Array } | null> {
  if (!(await exists(path))) return null;
  const bytes = await readFile(path);
  try {
    const obj = JSON.parse(bytes.toString('utf8'));
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error('not a JSON object');
    return { obj, bytes };
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

const positiveInt = (v: unknown): number | null =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 1e6 ? v : null;

/**
 * The input limit sentence-transformers would use: `max_seq_length` of sentence_bert_config.json
 * (256 for all-MiniLM-L6-v2, 384 for all-mpnet-base-v2), else the tokenizer's truncation or
 * model_max_length, bounded by the position table; 512 when nothing says.
 */
export function maxLengthOf(files: {
  sbert?: Record<string, unknown> | null;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  config: Record<string, unknown>;
}): number {
  const positions = positiveInt(files.config.max_position_embeddings);
  // RoBERTa-style position tables reserve two rows for the padding offset.
  const posLimit =
    positions === null
      ? Infinity
      : files.config.model_type === 'mpnet' || files.config.model_type === 'roberta'
        ? positions - 2
        : positions;
  const trunc = files.tokenizerJson.truncation as { max_length?: unknown } | null | undefined;
  const chosen =
    positiveInt(files.sbert?.max_seq_length) ??
    positiveInt(trunc?.max_length) ??
    positiveInt(files.tokenizerConfig.model_max_length) ??
    DEFAULT_MAX_LENGTH;
  return Math.min(chosen, posLimit);
}

/** Reads a model folder; errors say which file is missing and how to get a model. */
export async function readModelFolder(dir: string): Promise<ModelFolder> {
  let modelPath: string | null = null;
  for (const c of MODEL_CANDIDATES) {
    if (await exists(join(dir, c))) {
      modelPath = join(dir, c);
      break;
    }
  }
  if (!modelPath) {
    throw new Error(
      `${dir}: no model.onnx or onnx/model.onnx; get a sentence model with \`rarft models download all-MiniLM-L6-v2 --to ${dir}\``,
    );
  }
  const tokenizer = await readJsonIfPresent(join(dir, 'tokenizer.json'));
  if (!tokenizer)
    throw new Error(`${dir}: no tokenizer.json (a sentence-transformers ONNX export has one next to the model)`);
  const tokConfig = await readJsonIfPresent(join(dir, 'tokenizer_config.json'));
  const config = await readJsonIfPresent(join(dir, 'config.json'));
  const sbert = await readJsonIfPresent(join(dir, 'sentence_bert_config.json'));
  const specials = await readJsonIfPresent(join(dir, 'special_tokens_map.json'));
  const modelBytes = new Uint8Array(await readFile(modelPath));
  const tokenizerConfig = { ...(specials?.obj ?? {}), ...(tokConfig?.obj ?? {}) };
  const maxLength = maxLengthOf({
    sbert: sbert?.obj,
    tokenizerJson: tokenizer.obj,
    tokenizerConfig,
    config: config?.obj ?? {},
  });

  const h = createHash('sha256');
  h.update(POOLING_VERSION + '\0' + maxLength + '\0');
  const parts: [string, Uint8Array | undefined][] = [
    ['model', modelBytes],
    ['tokenizer.json', tokenizer.bytes],
    ['tokenizer_config.json', tokConfig?.bytes],
    ['config.json', config?.bytes],
    ['special_tokens_map.json', specials?.bytes],
  ];
  for (const [name, bytes] of parts) {
    if (!bytes) continue;
    h.update(`${name}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return {
    dir,
    modelPath,
    modelBytes,
    tokenizerJson: tokenizer.obj,
    tokenizerConfig,
    config: config?.obj ?? {},
    maxLength,
    fingerprint: h.digest('hex').slice(0, 24),
  };
}

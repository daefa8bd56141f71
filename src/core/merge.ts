/** Merges per-GPU inference shards into `inference_results_merged.json`. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shardNumber } from './dataset/model';
import { writeFileAtomic } from './fsAtomic';
import { parseJson, LineIndex } from './json/positions';

/** What a merge did. */
export interface MergeResult {
  out: string;
  shards: { file: string; shard: number; items: number }[];
  items: number;
  /** Shard numbers missing between 0 and the highest one found. */
  missing: number[];
  status: 'written' | 'unchanged';
}

/** A merge that must not go ahead; the message says why. */
export class MergeError extends Error {}

/**
 * Concatenates `inference_results_gpu{i}.json` in shard order. Refuses to overwrite a
 * different existing merged file, or to merge with shards missing, unless `force`.
 */
export async function mergeShards(dir: string, options: { force?: boolean; out?: string } = {}): Promise<MergeResult> {
  const names = (await readdir(dir)).filter((n) => shardNumber(n) !== undefined);
  if (!names.length) throw new MergeError(`${dir}: no inference_results_gpu{i}.json shards found`);
  const shards = names.map((n) => ({ file: n, shard: shardNumber(n)! })).sort((a, b) => a.shard - b.shard);
  const present = new Set(shards.map((s) => s.shard));
  const missing: number[] = [];
  for (let i = 0; i <= shards[shards.length - 1].shard; i++) if (!present.has(i)) missing.push(i);
  if (missing.length && !options.force) {
    throw new MergeError(
      `${dir}: shard(s) ${missing.map((m) => `gpu${m}`).join(', ')} missing (did a GPU process fail?); pass --force to merge what is there`,
    );
  }
  const merged: unknown[] = [];
  const done: MergeResult['shards'] = [];
  for (const s of shards) {
    const path = join(dir, s.file);
    const text = await readFile(path, 'utf8');
    const r = parseJson(text);
    if (!r.ok) {
      const p = new LineIndex(text).position(r.offset);
      throw new MergeError(`${path}:${p.line}:${p.column}: not valid JSON: ${r.message}`);
    }
    if (!Array.isArray(r.value)) throw new MergeError(`${path}: expected a JSON array of inference items`);
    for (const x of r.value) merged.push(x);
    done.push({ ...s, items: r.value.length });
  }
  const out = options.out ?? join(dir, 'inference_results_merged.json');
  const text = JSON.stringify(merged, null, 2) + '\n';
  let existing: string | undefined;
  try {
    existing = await readFile(out, 'utf8');
  } catch {
    existing = undefined;
  }
  if (existing !== undefined) {
    const prev = parseJson(existing);
    if (prev.ok && JSON.stringify(prev.value) === JSON.stringify(merged)) {
      return { out, shards: done, items: merged.length, missing, status: 'unchanged' };
    }
    if (!options.force)
      throw new MergeError(
        `${out} exists and differs from the merge of ${done.length} shard(s); pass --force to overwrite it`,
      );
  }
  await writeFileAtomic(out, text);
  return { out, shards: done, items: merged.length, missing, status: 'written' };
}

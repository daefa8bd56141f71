/** Merges per-GPU inference shards into `inference_results_merged.json`. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { looksLikeAnnotations } from './dataset/annotations';
import { joinKey, shardNumber } from './dataset/model';
import { describeFsError } from './dataset/walk';
import { writeOutputs } from './fsAtomic';
import { parseJson, LineIndex } from './json/positions';
import { isObject } from './json/values';

/** What a merge did. */
export interface MergeResult {
  out: string;
  shards: { file: string; shard: number; items: number }[];
  items: number;
  /** Shard numbers missing between 0 and the highest one found. */
  missing: number[];
  /** What `force` let through: shards numbered twice, overlaps, annotation files. */
  forced: string[];
  status: 'written' | 'unchanged';
}

/** A merge that must not go ahead; the message says why. */
export class MergeError extends Error {}

interface Shard {
  file: string;
  shard: number;
}

/** The shard files of a folder in shard order; shard numbers written twice (gpu1, gpu01) are named. */
async function listShards(dir: string): Promise<{ shards: Shard[]; refusals: string[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw e;
    throw new MergeError(describeFsError(dir, e).message);
  }
  const shards = names
    .flatMap((file) => {
      const shard = shardNumber(file);
      return shard === undefined ? [] : [{ file, shard }];
    })
    .sort((a, b) => a.shard - b.shard || (a.file < b.file ? -1 : 1));
  if (!shards.length) throw new MergeError(`${dir}: no inference_results_gpu{i}.json shards found`);
  const refusals: string[] = [];
  for (let k = 1; k < shards.length; k++)
    if (shards[k].shard === shards[k - 1].shard)
      refusals.push(`${shards[k - 1].file} and ${shards[k].file} are both shard gpu${shards[k].shard}`);
  return { shards, refusals };
}

async function readShard(path: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MergeError(describeFsError(path, e).message);
  }
  const r = parseJson(text);
  if (!r.ok) {
    const p = new LineIndex(text).position(r.offset);
    throw new MergeError(`${path}:${p.line}:${p.column}: not valid JSON: ${r.message}`);
  }
  if (!Array.isArray(r.value)) throw new MergeError(`${path}: expected a JSON array of inference items`);
  return r.value;
}

/** The first (video, query) of `items` already seen in an earlier shard, as a refusal; records the rest. */
function firstOverlap(items: unknown[], file: string, seen: Map<string, string>): string | null {
  let found: string | null = null;
  items.forEach((x, i) => {
    if (!isObject(x) || typeof x.video !== 'string' || typeof x.query !== 'string') return;
    const key = joinKey(x.video, x.query);
    const where = `${file} item ${i}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, where);
    else if (found === null)
      found = `${file} overlaps an earlier shard: item ${i} (video ${x.video}, query "${x.query.slice(0, 80)}") is also ${first}`;
  });
  return found;
}

/**
 * Concatenates `inference_results_gpu{i}.json` in shard order. Refuses, unless `force`: shards
 * missing between 0 and the highest one, a shard number written twice (gpu1 and gpu01), shards
 * that overlap (the same (video, query) in two shards), an annotation file named like a shard,
 * and overwriting a different existing merged file.
 */
export async function mergeShards(dir: string, options: { force?: boolean; out?: string } = {}): Promise<MergeResult> {
  const { shards, refusals } = await listShards(dir);
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
  const seen = new Map<string, string>();
  for (const s of shards) {
    const items = await readShard(join(dir, s.file));
    if (looksLikeAnnotations(items))
      refusals.push(`${s.file} is an annotation file (video entries with GRPO queries), not inference results`);
    else {
      const overlap = firstOverlap(items, s.file, seen);
      if (overlap) refusals.push(overlap);
    }
    for (const x of items) merged.push(x);
    done.push({ ...s, items: items.length });
  }
  if (refusals.length && !options.force)
    throw new MergeError(`${dir}: not merged: ${refusals.join('; ')}; pass --force to merge anyway`);
  const out = options.out ?? join(dir, 'inference_results_merged.json');
  const base = { out, shards: done, items: merged.length, missing, forced: refusals };
  if (await sameAsExisting(out, merged, done.length, !!options.force)) return { ...base, status: 'unchanged' };
  await writeOutputs([{ path: out, data: () => JSON.stringify(merged, null, 2) + '\n' }]);
  return { ...base, status: 'written' };
}

/** True when `out` already holds this merge; throws when it holds something else (unless force). */
async function sameAsExisting(out: string, merged: unknown[], shards: number, force: boolean): Promise<boolean> {
  let existing: string;
  try {
    existing = await readFile(out, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code === 'EISDIR') throw new MergeError(`${out}: cannot write: it is a folder`);
    throw new MergeError(describeFsError(out, e).message);
  }
  const prev = parseJson(existing);
  if (prev.ok && JSON.stringify(prev.value) === JSON.stringify(merged)) return true;
  if (!force)
    throw new MergeError(
      `${out} exists and differs from the merge of ${shards} shard(s); pass --force to overwrite it`,
    );
  return false;
}

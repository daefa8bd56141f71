/**
 * Samples by identity, never by position: a sample is its file, its video and its query text, and,
 * when that (video, query) pair occurs more than once in the file (a `duplicate-query` warning),
 * which occurrence. Inserting, removing or moving other entries leaves a reference pointing at the
 * same sample; a reference whose sample is gone resolves to null.
 */
import type { IndexedFile } from '../dataset/indexer';
import { joinKey, type QueryRecord, type VideoEntry } from '../dataset/model';
import type { BrowseIndex, ItemRef } from './runIndex';
import type { SampleRef } from './sampleTypes';

export { sameSample, sampleKey } from './sampleKey';

/** A resolved annotation query: its file, entry, record and position in the entry. */
export interface QueryHit {
  file: IndexedFile;
  entry: VideoEntry;
  q: QueryRecord;
  queryIndex: number;
}

/** Finds a file of the index by its path. */
export function fileByPath(index: BrowseIndex, path: string): IndexedFile | undefined {
  return index.files.find((f) => f.path === path);
}

/** The reference of the annotation query `entry.queries[queryIndex]` of `file`. */
export function queryRef(index: BrowseIndex, file: IndexedFile, entry: VideoEntry, queryIndex: number): SampleRef {
  const q = entry.queries[queryIndex];
  let nth = 0;
  for (const r of index.joins.get(joinKey(entry.video, q.q)) ?? []) {
    if (r.file !== file) continue;
    if (r.entry === entry && r.queryIndex === queryIndex) break;
    nth++;
  }
  return { kind: 'query', file: file.path, video: entry.video, query: q.q, nth };
}

/** The reference of the run item at `position` in `file.items`. */
export function itemRef(index: BrowseIndex, file: IndexedFile, position: number): SampleRef {
  const it = file.items![position];
  let nth = 0;
  for (const r of index.itemsByKey.get(joinKey(it.video, it.query)) ?? [])
    if (r.file === file && r.position < position) nth++;
  return { kind: 'item', file: file.path, video: it.video, query: it.query, nth };
}

/** The annotation query a reference names; null when it is not (or no longer) in the index. */
export function resolveQuery(index: BrowseIndex, ref: SampleRef): QueryHit | null {
  if (ref.kind !== 'query') return null;
  const hits = (index.joins.get(joinKey(ref.video, ref.query)) ?? []).filter((r) => r.file.path === ref.file);
  const hit = hits[ref.nth];
  return hit
    ? { file: hit.file, entry: hit.entry, q: hit.entry.queries[hit.queryIndex], queryIndex: hit.queryIndex }
    : null;
}

/** The run item a reference names; null when it is not (or no longer) in the index. */
export function resolveItem(index: BrowseIndex, ref: SampleRef): ItemRef | null {
  if (ref.kind !== 'item') return null;
  const hits = (index.itemsByKey.get(joinKey(ref.video, ref.query)) ?? [])
    .filter((r) => r.file.path === ref.file)
    .sort((a, b) => a.position - b.position);
  return hits[ref.nth] ?? null;
}

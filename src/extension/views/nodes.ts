/** Tree nodes shared by the Datasets and Runs views, and paging of long child lists. */
import type { Bucket } from '../../core/buckets';
import type { IndexedFile } from '../../core/dataset/indexer';
import type { SampleRef } from '../../core/inspect/sampleTypes';

export type TreeNode =
  | { kind: 'file'; file: IndexedFile }
  | { kind: 'video'; file: IndexedFile; video: string; entries: number[] }
  | { kind: 'bucket'; file: IndexedFile; bucket: Bucket; positions: number[] }
  | { kind: 'page'; parent: TreeNode; from: number; to: number; children: TreeNode[] }
  | { kind: 'sample'; ref: SampleRef; label: string; id: string };

/** Children per page: longer lists are split into "1–2000", "2001–4000"… nodes (the tree is virtualised; this bounds one IPC batch). */
export const PAGE = 2000;

/** Splits a long list into page nodes; short lists are returned as they are. */
export function paged(parent: TreeNode, children: TreeNode[]): TreeNode[] {
  if (children.length <= PAGE) return children;
  const out: TreeNode[] = [];
  for (let i = 0; i < children.length; i += PAGE) {
    out.push({
      kind: 'page',
      parent,
      from: i,
      to: Math.min(children.length, i + PAGE),
      children: children.slice(i, i + PAGE),
    });
  }
  return out;
}

/** A stable id for a sample reference (tree item ids, de-duplication). */
export function refId(ref: SampleRef): string {
  return ref.kind === 'query' ? `q:${ref.file}#${ref.entry}/${ref.query}` : `i:${ref.file}#${ref.item}`;
}

/** Shortens a text for descriptions. */
export function clip(s: string, n = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

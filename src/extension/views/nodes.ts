/** Tree nodes of the Datasets and Runs views, and paging of long child lists. */
import type { Bucket } from '../../core/buckets';
import type { IndexedFile } from '../../core/dataset/indexer';
import { sampleKey } from '../../core/inspect/identity';
import type { SampleRef } from '../../core/inspect/sampleTypes';

export interface FileNode {
  kind: 'file';
  file: IndexedFile;
}
export interface VideoNode {
  kind: 'video';
  file: IndexedFile;
  video: string;
  /** Positions in `file.entries` of the entries of this video. */
  entries: number[];
}
export interface BucketNode {
  kind: 'bucket';
  file: IndexedFile;
  bucket: Bucket;
  /** Positions in `file.items`. */
  positions: number[];
}
/** A query or run item, by identity (`id` is its `sampleKey`). */
export interface SampleNode {
  kind: 'sample';
  ref: SampleRef;
  label: string;
  id: string;
}
export interface PageNode<P, C> {
  kind: 'page';
  parent: P;
  from: number;
  to: number;
  children: C[];
}

/** Nodes of the Datasets view. */
export type DatasetNode = FileNode | VideoNode | SampleNode | PageNode<FileNode | VideoNode, VideoNode | SampleNode>;
/** Nodes of the Runs view. */
export type RunNode = FileNode | BucketNode | SampleNode | PageNode<BucketNode, SampleNode>;
export type TreeNode = DatasetNode | RunNode;

/** Children per page: longer lists are split into "1–2000", "2001–4000"… nodes (the tree is virtualised; this bounds one IPC batch). */
export const PAGE = 2000;

/** Splits a long list into page nodes; short lists are returned as they are. */
export function paged<P, C>(parent: P, children: C[]): (C | PageNode<P, C>)[] {
  if (children.length <= PAGE) return children;
  const out: PageNode<P, C>[] = [];
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

/** A tree node for a sample. */
export function sampleNode(ref: SampleRef, label: string): SampleNode {
  return { kind: 'sample', ref, label: label || '(empty query)', id: sampleKey(ref) };
}

/** Shortens a text for descriptions. */
export function clip(s: string, n = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

/** Compile-time exhaustiveness for tree-node switches. */
export function unknownNode(node: never): never {
  throw new Error(`unknown tree node ${JSON.stringify(node)}`);
}

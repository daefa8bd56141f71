/** The in-memory model of HI-VTG annotations and inference runs (FORMATS.md §1–2). */
import type { Difficulty, HardnessLevel } from '../taxonomy';
import type { Span } from '../text';

/** One query of a video (an element of `GRPO`). */
export interface QueryRecord {
  /** Index of the video entry in the file. */
  entry: number;
  /** Index in the entry's `GRPO` array. */
  index: number;
  q: string;
  a: string;
  /** True answerable (relevant), false refusable (hard-irrelevant); null when unreadable. */
  r: boolean | null;
  qOrigin?: string;
  difficulty?: Difficulty;
  level?: HardnessLevel;
  /** Mismatch categories (refusable only), as written, including unknown labels. */
  categories: string[];
}

/** One element of an annotation file: a video and its queries. */
export interface VideoEntry {
  index: number;
  video: string;
  duration: number | null;
  videoStart: number | null;
  videoEnd: number | null;
  /** GT segment of the answerable queries; null when `[]` or unreadable. */
  timestamp: Span | null;
  queries: QueryRecord[];
}

/** Counts shared by the index table and the JSON output. */
export interface FileStats {
  videos: number;
  queries: number;
  answerable: number;
  refusable: number;
  byDifficulty: Record<string, number>;
  byCategory: Record<string, number>;
}

/** Kinds of file the indexer tells apart by content. */
export type FileKind =
  | 'annotations'
  | 'inference'
  | 'inference-shard'
  | 'evaluation-items'
  | 'metrics'
  | 'invalid'
  | 'other';

/** A model-output item (inference result or per-item evaluation record). */
export interface RunItem {
  index: number;
  video: string;
  query: string;
  modelOutput: string;
  gtRelevant: boolean;
  gtTimestamp: Span | null;
  gtOutput: string;
  level?: HardnessLevel;
  gtCategories: string[];
  /** The record as read, every key kept. */
  raw: Record<string, unknown>;
}

/** A GPU shard's file name, `inference_results_gpu{i}.json` (i in decimal, as the inference script writes it). */
export const SHARD_NAME = /^inference_results_gpu(\d+)\.json$/;

/** The shard number of a file name, or undefined when it is not a shard's name. */
export function shardNumber(fileName: string): number | undefined {
  const m = SHARD_NAME.exec(fileName);
  return m ? Number(m[1]) : undefined;
}

/** Key used to join items to annotation queries. */
export function joinKey(video: string, query: string): string {
  return video + '\u0000' + query;
}

/** Empty counts. */
export function emptyStats(): FileStats {
  return { videos: 0, queries: 0, answerable: 0, refusable: 0, byDifficulty: {}, byCategory: {} };
}

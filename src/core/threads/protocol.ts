/** The messages between a command's thread and its worker threads (pool.ts, worker.ts). */
import type { ClusterTable } from '../compare/stats';
import type { PackedJudgments } from '../compare/wire';
import type { LoadedRun } from '../report/judgedRun';

/** What a worker is asked. */
export type ThreadRequest =
  /** Some tables' bootstraps (`bootstrapDeltas` of each). */
  | { id: number; kind: 'bootstrap'; tables: ClusterTable[]; resamples: number; seed: number }
  /** A run file read and judged offline, for a comparison. */
  | { id: number; kind: 'side'; path: string; annotationFiles: readonly string[] };

/** The intervals of each table of a bootstrap request, in its order. */
export type Intervals = ([number, number] | null)[];

/** A worker's answer (`error`: it could not, and the caller does that work itself). */
export type ThreadReply =
  | { id: number; intervals: Intervals[] }
  | { id: number; run: Omit<LoadedRun, 'judgments'>; judgments: PackedJudgments }
  | { id: number; error: string };

/** The messages between a command's thread and its worker threads (pool.ts, src/cli/worker.ts). */
import type { ClusterTable } from '../compare/stats';
import type { PackedJudgments } from '../compare/wire';
import type { SecondPart } from '../eval/parts';
import type { Cut } from '../eval/split';
import type { LoadedRun } from '../report/judgedRun';

/** What a worker is asked. */
export type ThreadRequest =
  /** Some tables' bootstraps (`bootstrapDeltas` of each). */
  | { id: number; kind: 'bootstrap'; tables: ClusterTable[]; resamples: number; seed: number }
  /** A run file read and judged offline, for a comparison. */
  | { id: number; kind: 'side'; path: string; annotationFiles: readonly string[] }
  /** The second part of an items file cut at `cut`, read, checked and judged offline (eval/parts.ts). */
  | { id: number; kind: 'part'; path: string; cut: Cut };

/** The intervals of each table of a bootstrap request, in its order. */
export type Intervals = ([number, number] | null)[];

/** A worker's answer (`error`: it could not, and the caller does that work itself). */
export type ThreadReply =
  | { id: number; intervals: Intervals[] }
  | { id: number; run: Omit<LoadedRun, 'judgments'>; judgments: PackedJudgments }
  | { id: number; part: SecondPart }
  | { id: number; error: string };

/** The messages between a command's thread and its worker threads (pool.ts, worker.ts). */
import type { ClusterTable } from '../compare/stats';
import type { PackedJudgments } from '../compare/wire';
import type { LoadedRun } from '../report/judgedRun';

/** What a worker is asked. */
export type ThreadRequest =
  /** Some tables' bootstraps (`bootstrapDeltas` of each). */
  | { id: number; kind: 'bootstrap'; tables: ClusterTable[]; resamples: number; seed: number }
  /** A run file read and judged offline, for a comparison. */
  | { id: number; kind: 'side'; path: string; annotationFiles: readonly string[] }
  /** A part of an items file (whole items, UTF-8, without the enclosing brackets) validated and judged offline. */
  | { id: number; kind: 'evaluate-part'; bytes: Uint8Array; rejudge: boolean };

/** The intervals of each table of a bootstrap request, in its order. */
export type Intervals = ([number, number] | null)[];

/** What a worker that validated and judged a part of an items file sends back. */
export interface EvaluatedPart {
  items: number;
  /** Validation errors found (any: the caller evaluates the file in one thread, to place them). */
  errors: number;
  warningsByCode: Record<string, number>;
  /** Whether any item of the part has `model_output` (a file where none has is not a run). */
  hasModelOutput: boolean;
  /** Each (video, query) at its first occurrence in the part, flattened: video, query, video, … */
  firstKeys: string[];
  judgments: PackedJudgments;
}

/** A worker's answer (`error`: it could not, and the caller does that work itself). */
export type ThreadReply =
  | { id: number; intervals: Intervals[] }
  | { id: number; run: Omit<LoadedRun, 'judgments'>; judgments: PackedJudgments }
  | ({ id: number } & EvaluatedPart)
  | { id: number; error: string };

/**
 * `compare` on worker threads (core/threads): while this thread reads and judges run A, a worker
 * reads and judges run B (offline judge only), then the bootstraps (one per group of pairs: all,
 * then each hardness level) are spread over this thread and the workers.
 *
 * The result is the same as in one thread: a table's intervals are `bootstrapDeltas` of it
 * wherever it runs (a pure function of the table, the replicates and the seed), run B is judged by
 * the same `judgeRun`, and what a worker cannot deliver is done in this thread instead.
 */
import { readItems } from '../eval/read';
import { offlineJudge } from '../eval/judge';
import { judgeRun, type LoadedRun } from '../report/judgedRun';
import type { WorkerThreads } from '../threads/pool';
import type { Intervals, ThreadReply } from '../threads/protocol';
import { bootstrapDeltas } from './bootstrap';
import type { Bootstrapper } from './compare';
import type { ClusterTable } from './stats';
import { packJudgments, unpackJudgments } from './wire';

/** The item keys a comparison reads from run B (the join and the ground truth). */
export const SIDE_KEYS = ['video', 'query', 'gt_relevant', 'gt_timestamp'] as const;

/** A table's work: draws per replicate (clusters) times the columns it sums (metrics). */
const cost = (t: ClusterTable) => t.clusters * (t.metrics + 1);

/**
 * Splits tables over `threads` threads (0 is this one), largest first onto the least loaded
 * thread: returns each table's thread.
 */
export function assignTables(tables: ClusterTable[], threads: number): number[] {
  const load = new Array<number>(threads).fill(0);
  const thread = new Array<number>(tables.length).fill(0);
  const order = tables.map((_, i) => i).sort((x, y) => cost(tables[y]) - cost(tables[x]));
  for (const i of order) {
    let best = 0;
    for (let k = 1; k < threads; k++) if (load[k] < load[best]) best = k;
    thread[i] = best;
    load[best] += cost(tables[i]);
  }
  return thread;
}

/** In a worker: the run judged offline, with only the item keys a comparison reads (the rest stays there). */
export async function sideJob(path: string, annotationFiles: readonly string[]) {
  const { items } = await readItems(path);
  const { judgments, ...run } = await judgeRun(path, items, { judge: offlineJudge, annotationFiles });
  const slim = items.map((it) => {
    const out: Record<string, unknown> = {};
    for (const k of SIDE_KEYS) if (k in it) out[k] = it[k];
    return out;
  });
  return { run: { ...run, items: slim }, judgments: packJudgments(judgments) };
}

/** Has the first worker read and judge the run file `path` offline; undefined when it could not (do it here). */
export async function loadSide(
  threads: WorkerThreads,
  path: string,
  annotationFiles: readonly string[] = [],
): Promise<LoadedRun | undefined> {
  const reply = await threads.ask<Extract<ThreadReply, { run: unknown }>>(0, { kind: 'side', path, annotationFiles });
  return reply ? { ...reply.run, judgments: unpackJudgments(reply.judgments) } : undefined;
}

/** A `Bootstrapper` that shares the tables out over this thread and the workers. */
export function threadBootstrapper(threads: WorkerThreads): Bootstrapper {
  return async (tables, resamples, seed) => {
    const thread = assignTables(tables, threads.size + 1);
    const out: Intervals[] = new Array(tables.length);
    const asks = Array.from({ length: threads.size }, async (_, k) => {
      const mine = tables.map((_, i) => i).filter((i) => thread[i] === k + 1);
      if (!mine.length) return;
      const request = { kind: 'bootstrap' as const, tables: mine.map((i) => tables[i]), resamples, seed };
      const reply = await threads.ask<Extract<ThreadReply, { intervals: unknown }>>(k, request);
      if (reply) mine.forEach((i, j) => (out[i] = reply.intervals[j]));
      else for (const i of mine) out[i] = bootstrapDeltas(tables[i], resamples, seed);
    });
    tables.forEach((t, i) => {
      if (thread[i] === 0) out[i] = bootstrapDeltas(t, resamples, seed);
    });
    await Promise.all(asks);
    return out;
  };
}

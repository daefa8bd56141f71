/**
 * Threads for `compare`, started with the command: while this thread reads and judges run A, a
 * worker reads and judges run B (offline judge only), then the bootstraps (one per group of
 * pairs: all, then each hardness level) are spread over this thread and the workers.
 *
 * Nothing depends on the threads for its result: a table's intervals are `bootstrapDeltas` of it
 * wherever it runs (a pure function of the table, the replicates and the seed), run B is judged by
 * the same `judgeRun`, and whatever a worker cannot deliver (it failed, exited, or found an error
 * in the file) is done in this thread instead, with this thread's messages.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LoadedRun } from '../report/judgedRun';
import { bootstrapDeltas } from './bootstrap';
import type { Bootstrapper } from './compare';
import type { ClusterTable } from './stats';
import { unpackJudgments, type PackedJudgments } from './wire';

type Intervals = ([number, number] | null)[];

/** What a worker is asked: some tables' bootstraps, or a run file read and judged offline. */
export type ThreadRequest =
  | { id: number; kind: 'bootstrap'; tables: ClusterTable[]; resamples: number; seed: number }
  | { id: number; kind: 'side'; path: string; annotationFiles: readonly string[] };

/** A worker's answer: the intervals in the order of the request's tables, or the judged run. */
export type ThreadReply =
  | { id: number; intervals: Intervals[] }
  | { id: number; run: Omit<LoadedRun, 'judgments'>; judgments: PackedJudgments }
  | { id: number; error: string };

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

/** A few compare workers. Close it when done. */
export class CompareThreads {
  private readonly workers: Worker[] = [];
  private next = 1;

  /**
   * Starts `size` workers from `workerFile` (the built `compareWorker.js`); none when the file is
   * not there or the machine has one core (then everything runs in this thread).
   */
  constructor(workerFile: string, size = Math.min(3, availableParallelism() - 1)) {
    if (size < 1 || !existsSync(workerFile)) return;
    for (let i = 0; i < size; i++) {
      const w = new Worker(workerFile);
      w.on('error', () => undefined); // what it held is done here (see `ask`)
      w.unref();
      this.workers.push(w);
    }
  }

  /** Has a worker read and judge the run file `path` offline; undefined when it could not (do it here). */
  async loadSide(path: string, annotationFiles: readonly string[] = []): Promise<LoadedRun | undefined> {
    const w = this.workers[0];
    if (!w) return undefined;
    const reply = await this.ask(w, { id: this.next++, kind: 'side', path, annotationFiles });
    return reply && 'run' in reply ? { ...reply.run, judgments: unpackJudgments(reply.judgments) } : undefined;
  }

  readonly bootstrap: Bootstrapper = async (tables, resamples, seed) => {
    const thread = assignTables(tables, this.workers.length + 1);
    const out: Intervals[] = new Array(tables.length);
    const asks = this.workers.map(async (w, k) => {
      const mine = tables.map((_, i) => i).filter((i) => thread[i] === k + 1);
      if (!mine.length) return;
      const request = {
        id: this.next++,
        kind: 'bootstrap' as const,
        tables: mine.map((i) => tables[i]),
        resamples,
        seed,
      };
      const reply = await this.ask(w, request);
      if (reply && 'intervals' in reply) mine.forEach((i, j) => (out[i] = reply.intervals[j]));
      else for (const i of mine) out[i] = bootstrapDeltas(tables[i], resamples, seed);
    });
    tables.forEach((t, i) => {
      if (thread[i] === 0) out[i] = bootstrapDeltas(t, resamples, seed);
    });
    await Promise.all(asks);
    return out;
  };

  /** Sends `request` to `w`; its reply, or undefined when the worker failed or exited first. */
  private ask(w: Worker, request: ThreadRequest): Promise<ThreadReply | undefined> {
    w.ref(); // an unref'd worker would let the process end before it answers
    return new Promise((resolve) => {
      const done = (reply?: ThreadReply) => {
        w.unref();
        w.off('message', onMessage);
        w.off('exit', onExit);
        w.off('error', onExit);
        resolve(reply && !('error' in reply) ? reply : undefined);
      };
      const onMessage = (reply: ThreadReply) => {
        if (reply.id === request.id) done(reply);
      };
      const onExit = () => done();
      w.on('message', onMessage);
      w.once('exit', onExit);
      w.once('error', onExit);
      try {
        w.postMessage(request);
      } catch {
        done();
      }
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

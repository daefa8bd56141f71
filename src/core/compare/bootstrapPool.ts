/**
 * The bootstraps of a comparison (one per group of pairs: all, then each hardness level) spread
 * over threads: this one and a few workers started ahead, while the runs are still being read.
 * Each table's intervals are `bootstrapDeltas` of it wherever it runs (a pure function of the
 * table, the replicates and the seed), so the result is the same as in one thread; a worker that
 * fails or exits has its share computed here instead.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { bootstrapDeltas } from './bootstrap';
import type { Bootstrapper } from './compare';
import type { ClusterTable } from './stats';

type Intervals = ([number, number] | null)[];

/** What a worker is asked: some tables' bootstraps. */
export interface BootstrapRequest {
  id: number;
  tables: ClusterTable[];
  resamples: number;
  seed: number;
}

/** A worker's answer, in the order of the request's tables. */
export type BootstrapReply = { id: number; intervals: Intervals[] } | { id: number; error: string };

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

/** A few bootstrap workers; `bootstrap` is a `Bootstrapper`. Close it when done. */
export class BootstrapPool {
  private readonly workers: Worker[] = [];
  private next = 1;

  /**
   * Starts `size` workers from `workerFile` (the built `bootstrapWorker.js`); none when the file
   * is not there or the machine has one core (then everything runs in this thread).
   */
  constructor(workerFile: string, size = Math.min(3, availableParallelism() - 1)) {
    if (size < 1 || !existsSync(workerFile)) return;
    for (let i = 0; i < size; i++) {
      const w = new Worker(workerFile);
      w.on('error', () => undefined); // the share it held is computed here (see `ask`)
      w.unref();
      this.workers.push(w);
    }
  }

  readonly bootstrap: Bootstrapper = async (tables, resamples, seed) => {
    const thread = assignTables(tables, this.workers.length + 1);
    const out: Intervals[] = new Array(tables.length);
    const asks = this.workers.map((w, k) => {
      const mine = tables.map((_, i) => i).filter((i) => thread[i] === k + 1);
      return mine.length ? this.ask(w, mine, tables, resamples, seed, out) : Promise.resolve();
    });
    tables.forEach((t, i) => {
      if (thread[i] === 0) out[i] = bootstrapDeltas(t, resamples, seed);
    });
    await Promise.all(asks);
    return out;
  };

  /** Has `w` compute the tables `mine`; on any failure they are computed here. */
  private ask(
    w: Worker,
    mine: number[],
    tables: ClusterTable[],
    resamples: number,
    seed: number,
    out: Intervals[],
  ): Promise<void> {
    const id = this.next++;
    const local = () => {
      for (const i of mine) out[i] ??= bootstrapDeltas(tables[i], resamples, seed);
    };
    w.ref(); // an unref'd worker would let the process end before it answers
    return new Promise<void>((resolve) => {
      const done = (reply?: BootstrapReply) => {
        w.unref();
        w.off('message', onMessage);
        w.off('exit', onExit);
        w.off('error', onExit);
        if (reply && 'intervals' in reply) mine.forEach((i, k) => (out[i] = reply.intervals[k]));
        else local();
        resolve();
      };
      const onMessage = (reply: BootstrapReply) => {
        if (reply.id === id) done(reply);
      };
      const onExit = () => done();
      w.on('message', onMessage);
      w.once('exit', onExit);
      w.once('error', onExit);
      const request: BootstrapRequest = { id, tables: mine.map((i) => tables[i]), resamples, seed };
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

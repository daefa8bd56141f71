/**
 * A few worker threads for work that splits (a comparison's two runs and its bootstraps), started
 * as a command starts so that they are up when the work is ready.
 *
 * Nothing depends on a worker for its result: `ask` answers undefined when the worker failed,
 * exited or replied with an error, and the caller then does that share in this thread, with this
 * thread's code and messages.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, type Transferable } from 'node:worker_threads';
import type { ThreadReply, ThreadRequest } from './protocol';

/** The built worker beside the bundle that runs this code (`dist/worker.js`). */
export const BUILT_WORKER = join(__dirname, 'worker.js');

/** `RARFT_THREADS=N` allows at most N workers (0: everything in the command's thread), as OMP_NUM_THREADS does on a shared node. */
function threadCap(): number {
  const v = process.env.RARFT_THREADS;
  const n = v === undefined || v.trim() === '' ? Number.POSITIVE_INFINITY : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : Number.POSITIVE_INFINITY;
}

/**
 * A worker bin/rarft.js started before it compiled the bundle (`evaluate`: see src/cli/worker.ts), and
 * its first message (the part it started on by itself; undefined when it exited first).
 */
export interface EarlyWorker {
  worker: Worker;
  reply: Promise<unknown>;
}

const EARLY = Symbol.for('rarft.earlyWorker');

/** Takes the worker bin/rarft.js started early, if it did (once: a second call gets undefined). */
export function takeEarlyWorker(): EarlyWorker | undefined {
  const g = globalThis as { [EARLY]?: EarlyWorker };
  const early = g[EARLY];
  delete g[EARLY];
  return early;
}

/** Worker threads; close them when done. */
export class WorkerThreads {
  private readonly workers: Worker[] = [];
  private next = 1;
  /** The first message of an early worker (worker 0), for `earlyReply`. */
  private early: Promise<unknown> | undefined;

  /**
   * Starts `size` workers from `workerFile`; none when the file is not there (a run from the
   * sources) or the machine has one core (then everything runs in this thread).
   */
  constructor(workerFile = BUILT_WORKER, size = Math.min(3, availableParallelism() - 1), early?: EarlyWorker) {
    size = Math.min(size, threadCap());
    if (early && size >= 1) {
      this.workers.push(early.worker);
      this.early = early.reply;
    } else void early?.worker.terminate();
    if (size < 1 || !existsSync(workerFile)) return;
    for (let i = this.workers.length; i < size; i++) {
      const w = new Worker(workerFile);
      w.on('error', () => undefined); // what it held is done here (see `ask`)
      w.unref();
      this.workers.push(w);
    }
  }

  /** What worker 0 sent by itself when it was started early (then once only); undefined otherwise. */
  earlyReply(): Promise<unknown> | undefined {
    const r = this.early;
    this.early = undefined;
    const w = this.workers[0];
    if (!r || !w) return undefined;
    w.ref(); // an unref'd worker would let the process end before it answers
    return r.finally(() => w.unref());
  }

  /** How many workers there are. */
  get size(): number {
    return this.workers.length;
  }

  /** Sends a request to worker `k`; its reply, or undefined when it failed, exited or replied with an error. */
  ask<R extends ThreadReply>(
    k: number,
    request: DistributiveOmit<ThreadRequest, 'id'>,
    transfer: Transferable[] = [],
  ): Promise<R | undefined> {
    const w = this.workers[k];
    if (!w) return Promise.resolve(undefined);
    const id = this.next++;
    w.ref(); // an unref'd worker would let the process end before it answers
    return new Promise((resolve) => {
      const done = (reply?: ThreadReply) => {
        w.unref();
        w.off('message', onMessage);
        w.off('exit', onExit);
        w.off('error', onExit);
        resolve(reply && !('error' in reply) ? (reply as R) : undefined);
      };
      const onMessage = (reply: ThreadReply) => {
        if (reply.id === id) done(reply);
      };
      const onExit = () => done();
      w.on('message', onMessage);
      w.once('exit', onExit);
      w.once('error', onExit);
      try {
        w.postMessage({ ...request, id }, transfer);
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

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

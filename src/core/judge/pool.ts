/** The bound on judge requests in flight, shared by all steps: p-limit plus a whole-pool pause. */
import pLimit, { type LimitFunction } from 'p-limit';
import { abortError, sleep } from './retry';

/**
 * At most `size` tasks run at once; the rest wait in order (p-limit). `pauseUntil` holds back
 * new starts (a server's Retry-After applies to everyone): a task that gets its slot during a
 * pause waits in it before starting. Records the peak in flight.
 */
export class RequestPool {
  private readonly limit: LimitFunction;
  private running = 0;
  private resumeAt = 0;
  /** Largest number of tasks seen running at once. */
  peak = 0;

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new RangeError(`pool size must be ≥ 1, got ${size}`);
    this.limit = pLimit(size);
  }

  /** Tasks running now (past the pause). */
  get inFlight(): number {
    return this.running;
  }

  /** Tasks waiting for a slot or for a pause to end. */
  get waiting(): number {
    return this.limit.pendingCount + this.limit.activeCount - this.running;
  }

  /** When a pause ends (ms since epoch), or undefined when there is none. */
  get pausedUntil(): number | undefined {
    return this.resumeAt > Date.now() ? this.resumeAt : undefined;
  }

  /** Runs `task` once a slot is free; waiting ends with an AbortError when `signal` fires. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const queued = this.limit(async () => {
      for (let wait = this.resumeAt - Date.now(); wait > 0; wait = this.resumeAt - Date.now())
        await sleep(wait, signal);
      if (signal?.aborted) throw abortError(signal);
      this.peak = Math.max(this.peak, ++this.running);
      try {
        return await task();
      } finally {
        this.running--;
      }
    });
    if (!signal) return queued;
    // A task still queued when the run is aborted leaves at once (its slot, when it comes, is
    // given back without running it).
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      queued.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** No new task starts before `time` (ms since epoch). */
  pauseUntil(time: number): void {
    if (time > this.resumeAt) this.resumeAt = time;
  }
}

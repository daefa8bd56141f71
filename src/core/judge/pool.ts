/** The bound on judge requests in flight, shared by all steps. */
import { abortError } from './retry';

/**
 * At most `size` tasks run at once; the rest wait in order. `pauseUntil` holds back new
 * starts (a server's Retry-After applies to everyone). Records the peak in flight.
 */
export class RequestPool {
  private active = 0;
  private readonly waiting: { start: () => void; fail: (e: Error) => void }[] = [];
  private resumeAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Largest number of tasks seen running at once. */
  peak = 0;

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new RangeError(`pool size must be ≥ 1, got ${size}`);
  }

  /** Tasks running now. */
  get inFlight(): number {
    return this.active;
  }

  /** Runs `task` once a slot is free; waiting ends with an AbortError when `signal` fires. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.active--;
      this.pump();
    }
  }

  /** No new task starts before `time` (ms since epoch). */
  pauseUntil(time: number): void {
    if (time <= this.resumeAt) return;
    this.resumeAt = time;
    this.pump();
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: reject,
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      this.pump();
    });
  }

  private pump(): void {
    const wait = this.resumeAt - Date.now();
    if (wait > 0) {
      if (!this.timer && this.waiting.length) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
      }
      return;
    }
    while (this.active < this.size && this.waiting.length) {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      this.waiting.shift()!.start();
    }
  }
}

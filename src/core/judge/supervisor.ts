/**
 * The judge run's supervisor: what is outstanding, when the run gives up (then every request
 * in flight is cancelled and none is sent again), and the status it reports while it works.
 */
import { setMaxListeners } from 'node:events';
import type { RequestPool } from './pool';
import { FailureWatch, type GiveUpPolicy, type JudgeStatus } from './watch';

/** Something that reports a judge status (the LLM and hybrid judges). */
export interface StatusSource {
  status(): JudgeStatus;
  /** Calls `fn` at least every status interval while requests are outstanding, and once on stopping; returns an unsubscribe. */
  onStatus(fn: (s: JudgeStatus) => void): () => void;
}

/** Bookkeeping of one judge's requests. */
export class Supervisor {
  readonly watch: FailureWatch;
  /** Fires when the run gives up; every request listens to it. */
  private readonly stopper = new AbortController();
  private readonly linked = new WeakMap<AbortSignal, AbortSignal>();
  fatal: string | undefined;
  private readonly started = new Map<number, number>();
  private seq = 0;
  private outstanding = 0;
  backingOff = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly listeners = new Set<(s: JudgeStatus) => void>();

  constructor(
    readonly baseUrl: string,
    readonly timeoutMs: number,
    readonly pool: RequestPool,
    policy: GiveUpPolicy,
    readonly intervalMs: number,
    private readonly onFatal: (why: string) => void,
  ) {
    this.watch = new FailureWatch(policy);
    // Every request in flight listens to it: many at once is expected, not a leak.
    setMaxListeners(0, this.stopper.signal);
  }

  /** The signal a request is sent with: the run's, and the supervisor's stop. */
  requestSignal(run?: AbortSignal): AbortSignal {
    if (!run) return this.stopper.signal;
    // One linked signal per run signal (not AbortSignal.any per request, which costs per call).
    let linked = this.linked.get(run);
    if (!linked) {
      const c = new AbortController();
      setMaxListeners(0, c.signal);
      const follow = (from: AbortSignal) => {
        if (from.aborted) c.abort(from.reason);
        else from.addEventListener('abort', () => c.abort(from.reason), { once: true });
      };
      follow(run);
      follow(this.stopper.signal);
      linked = c.signal;
      this.linked.set(run, linked);
    }
    return linked;
  }

  /** A judgment starts needing the server; `end` when it is settled. */
  begin(): void {
    if (this.outstanding++ === 0) {
      this.watch.busyFrom(Date.now());
      const every = Math.max(10, Math.min(this.intervalMs, this.watch.policy.stallMs / 4));
      this.ticker = setInterval(() => this.tick(), every);
      (this.ticker as { unref?: () => void }).unref?.();
    }
  }

  end(): void {
    if (--this.outstanding === 0) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      this.watch.idle();
    }
  }

  /** A request was sent; returns its id for `replied`. */
  sent(): number {
    this.started.set(++this.seq, Date.now());
    return this.seq;
  }

  replied(id: number): void {
    this.started.delete(id);
  }

  /** Gives up: says why once, cancels what is in flight. */
  stop(why: string): void {
    if (this.fatal) return;
    this.fatal = why;
    this.onFatal(why);
    this.stopper.abort(new Error(why));
    const st = this.status();
    for (const fn of this.listeners) fn(st);
  }

  onStatus(fn: (s: JudgeStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private tick(): void {
    const why = this.watch.stalled(Date.now());
    if (why) {
      this.stop(why);
      return;
    }
    const st = this.status();
    for (const fn of this.listeners) fn(st);
  }

  /** What the run is waiting for now. */
  status(): JudgeStatus {
    const now = Date.now();
    let oldest: number | null = null;
    for (const t of this.started.values()) oldest = oldest === null ? t : Math.min(oldest, t);
    const paused = this.pool.pausedUntil;
    const inFlight = this.started.size;
    const state = this.fatal
      ? 'stopped'
      : this.outstanding === 0
        ? 'idle'
        : paused !== undefined
          ? 'rate-limited'
          : inFlight === 0 && this.backingOff > 0
            ? 'backoff'
            : 'requests';
    return {
      state,
      baseUrl: this.baseUrl,
      inFlight,
      queued: this.pool.waiting,
      backingOff: this.backingOff,
      oldestRequestMs: oldest === null ? null : now - oldest,
      timeoutMs: this.timeoutMs,
      sinceReplyMs: this.watch.sinceReplyMs(now),
      everAnswered: this.watch.everAnswered,
      consecutiveFailures: this.watch.consecutive,
      ...(this.watch.lastFailure ? { lastFailure: this.watch.lastFailure } : {}),
      giveUpInMs: this.fatal ? null : this.watch.giveUpInMs(now),
      ...(paused !== undefined ? { rateLimitMs: paused - now } : {}),
      ...(this.fatal ? { fatal: this.fatal } : {}),
    };
  }
}

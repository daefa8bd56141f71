/**
 * When to give up on a judge server, and what a run is waiting for: consecutive failed
 * requests with no success between them, and time with work outstanding but no good reply.
 */

/** When the judge stops asking (defaults in `giveUpPolicy`). */
export interface GiveUpPolicy {
  /** Failed requests in a row (timeouts, connection errors, 5xx, malformed replies) that stop the run. */
  maxConsecutiveFailures: number;
  /** Time with requests outstanding and no good reply (nor a 429) that stops the run (ms). */
  stallMs: number;
}

/** The defaults: 2 × concurrency failures (at least 16); 2.5 × the request timeout (at least 150 s). */
export function giveUpPolicy(concurrency: number, timeoutMs: number, p: Partial<GiveUpPolicy> = {}): GiveUpPolicy {
  return {
    maxConsecutiveFailures: p.maxConsecutiveFailures ?? Math.max(16, 2 * concurrency),
    stallMs: p.stallMs ?? Math.max(150_000, 2.5 * timeoutMs),
  };
}

/** What a run is waiting for, as data (the evaluation's progress carries it; `statusText` says it). */
export interface JudgeStatus {
  /** `requests`: waiting for replies; `rate-limited`: the server asked to wait; `backoff`: waiting to retry; `stopped`: given up. */
  state: 'idle' | 'requests' | 'rate-limited' | 'backoff' | 'stopped';
  baseUrl: string;
  /** Requests sent and not yet answered. */
  inFlight: number;
  /** Judgments waiting for a slot in the pool (or for a rate-limit pause to end). */
  queued: number;
  /** Judgments waiting to retry after a failure. */
  backingOff: number;
  /** How long the oldest unanswered request has waited (ms), null when none. */
  oldestRequestMs: number | null;
  timeoutMs: number;
  /** Time since the last good reply, or since work began when there was none (ms). */
  sinceReplyMs: number;
  /** Whether any good reply has arrived in this run. */
  everAnswered: boolean;
  consecutiveFailures: number;
  /** The last failure, in words. */
  lastFailure?: string;
  /** Time left before the run gives up if nothing answers (ms); null when idle or stopped. */
  giveUpInMs: number | null;
  /** Time left of a rate-limit pause (ms). */
  rateLimitMs?: number;
  /** Why the run stopped asking. */
  fatal?: string;
}

const s = (ms: number) => `${Math.round(ms / 1000)} s`;

/** One line for people: what the run is waiting for. */
export function statusText(st: JudgeStatus): string {
  if (st.state === 'stopped') return `judge: stopped asking ${st.baseUrl}: ${st.fatal}`;
  if (st.state === 'idle') return `judge: idle (${st.baseUrl})`;
  const parts: string[] = [];
  if (st.state === 'rate-limited') parts.push(`rate limited by ${st.baseUrl}, resuming in ${s(st.rateLimitMs ?? 0)}`);
  if (st.inFlight)
    parts.push(
      `waiting for ${st.inFlight} ${st.inFlight === 1 ? 'reply' : 'replies'} from ${st.baseUrl}` +
        (st.oldestRequestMs !== null ? ` (oldest ${s(st.oldestRequestMs)} of the ${s(st.timeoutMs)} timeout)` : ''),
    );
  if (st.backingOff) parts.push(`${st.backingOff} waiting to retry`);
  if (st.queued) parts.push(`${st.queued} queued`);
  const last = st.everAnswered
    ? `last good reply ${s(st.sinceReplyMs)} ago`
    : `no reply yet after ${s(st.sinceReplyMs)}`;
  parts.push(last);
  if (st.consecutiveFailures)
    parts.push(`${st.consecutiveFailures} failed in a row${st.lastFailure ? ` (last: ${st.lastFailure})` : ''}`);
  if (st.giveUpInMs !== null) parts.push(`giving up in ${s(st.giveUpInMs)} unless it answers`);
  return `judge: ${parts.join('; ')}`;
}

/**
 * True when the run is held up and worth a line to the user: no good reply for a while (10 s,
 * or half the give-up time when that is shorter), failures, a rate limit or retries pending.
 */
export function heldUp(st: JudgeStatus): boolean {
  if (st.state === 'idle' || st.state === 'stopped') return false;
  if (st.state === 'rate-limited' || st.state === 'backoff' || st.consecutiveFailures > 0) return true;
  return st.sinceReplyMs >= Math.min(10_000, (st.sinceReplyMs + (st.giveUpInMs ?? 0)) / 2);
}

/** Tracks failures and replies; says when to give up. Times are ms since epoch. */
export class FailureWatch {
  consecutive = 0;
  lastFailure: string | undefined;
  everAnswered = false;
  /** Start of the current stretch without a good reply. */
  private since = 0;
  private busy = false;

  constructor(readonly policy: GiveUpPolicy) {}

  /** Work began after the judge was idle: the stall clock starts now unless a reply is recent. */
  busyFrom(now: number): void {
    if (!this.busy) this.since = Math.max(this.since, now);
    this.busy = true;
  }

  idle(): void {
    this.busy = false;
  }

  /** A good reply (or a 429: the server is there and asks us to wait). */
  answered(now: number, counts = true): void {
    this.since = now;
    if (counts) {
      this.everAnswered = true;
      this.consecutive = 0;
    }
  }

  /** A failed request; returns why to give up, if it is time. */
  failed(reason: string, now: number): string | undefined {
    this.consecutive++;
    this.lastFailure = reason;
    if (this.consecutive >= this.policy.maxConsecutiveFailures)
      return `${this.consecutive} requests failed in a row with no success between them (last: ${reason})`;
    return this.stalled(now);
  }

  /** Why to give up for lack of replies, if it is time. */
  stalled(now: number): string | undefined {
    if (!this.busy || now - this.since < this.policy.stallMs) return undefined;
    const what = this.everAnswered ? 'no good reply' : 'no reply at all';
    return `${what} for ${s(now - this.since)}${this.lastFailure ? ` (last: ${this.lastFailure})` : ''}`;
  }

  sinceReplyMs(now: number): number {
    return Math.max(0, now - this.since);
  }

  giveUpInMs(now: number): number | null {
    return this.busy ? Math.max(0, this.policy.stallMs - (now - this.since)) : null;
  }
}

/**
 * The project's one retry loop for HTTP requests: Retry-After on 429, exponential backoff
 * with jitter on 5xx, timeouts, connection errors and malformed replies; bounded attempts;
 * aborts end it at once.
 */

/** How to wait between attempts. */
export interface RetryPolicy {
  /** Retries after the first attempt (0 = one attempt only). */
  maxRetries: number;
  /** First backoff step (ms); doubled per retry. */
  baseDelayMs: number;
  /** Cap of one backoff wait and of a server's Retry-After (ms). */
  maxDelayMs: number;
  /** [0, 1) source for jitter (tests pin it). */
  random?: () => number;
}

/** What the classifier says about a failed attempt. */
export type RetryDecision = { retry: false } | { retry: true; delayMs?: number; reason: string };

/** An abort as the rest of the project expects it (`name === 'AbortError'`). */
export function abortError(signal?: AbortSignal): Error {
  const r = signal?.reason as unknown;
  if (r instanceof Error && r.name === 'AbortError') return r;
  return new DOMException('The operation was aborted', 'AbortError');
}

/** Resolves after `ms`, or rejects with an AbortError when `signal` fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Header lookup as both fetch `Headers` and plain records offer it. */
export type HeaderSource =
  | { get(name: string): string | null | undefined }
  | Record<string, string | undefined>
  | undefined
  | null;

function header(h: HeaderSource, name: string): string | undefined {
  if (!h) return undefined;
  if (typeof (h as { get?: unknown }).get === 'function')
    return (h as { get(n: string): string | null | undefined }).get(name) ?? undefined;
  const rec = h as Record<string, string | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : rec[key];
}

/**
 * The wait a server asks for: `retry-after-ms` (milliseconds), else `Retry-After` as
 * seconds or an HTTP date. Undefined when absent or unreadable; never negative.
 */
export function retryAfterMs(headers: HeaderSource, now = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = header(headers, 'retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Number(ra) * 1000;
  const t = Date.parse(ra);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

/** Exponential backoff with jitter for retry number `n` (1-based): half fixed, half random. */
export function backoffMs(n: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
  return cap / 2 + (cap / 2) * (policy.random ?? Math.random)();
}

/** Result of `withRetries`: the value and how many retries it took. */
export interface Retried<T> {
  value: T;
  retries: number;
}

/**
 * Runs `attempt` until it succeeds, the classifier says stop, or retries run out (then the
 * last error is thrown). `onRetry` sees each wait before it happens.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  classify: (e: unknown) => RetryDecision,
  policy: RetryPolicy,
  signal?: AbortSignal,
  onRetry?: (info: { retry: number; delayMs: number; reason: string }) => void,
): Promise<Retried<T>> {
  for (let n = 0; ; n++) {
    if (signal?.aborted) throw abortError(signal);
    try {
      return { value: await attempt(n), retries: n };
    } catch (e) {
      if (signal?.aborted) throw abortError(signal);
      const d = classify(e);
      if (!d.retry || n >= policy.maxRetries) throw e;
      const delayMs = Math.min(policy.maxDelayMs, d.delayMs ?? backoffMs(n + 1, policy));
      onRetry?.({ retry: n + 1, delayMs, reason: d.reason });
      await sleep(delayMs, signal);
    }
  }
}

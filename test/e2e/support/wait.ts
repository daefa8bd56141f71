/** Waiting for a state, never for a fixed time. */

/**
 * Polls `fn` until it returns a truthy value (a thrown error counts as not yet); throws with `what`
 * and the last error after `timeoutMs`. The deadline is generous: it ends a hang, it is not a bound.
 */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String((last as Error).message ?? last)}` : ''}`,
      );
    await new Promise((ok) => setTimeout(ok, everyMs));
  }
}

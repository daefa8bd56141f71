import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestPool } from '../../../src/core/judge/pool';
import { backoffMs, retryAfterMs, sleep, withRetries } from '../../../src/core/judge/retry';

test('Retry-After: seconds, HTTP date, retry-after-ms; absent or unreadable gives undefined', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' }), now), 2000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '0.5' }), now), 500);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 12:00:03 GMT' }), now), 3000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 11:59:00 GMT' }), now), 0);
  assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }), now), 150);
  assert.equal(retryAfterMs({ 'Retry-After': '4' }, now), 4000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now), undefined);
  assert.equal(retryAfterMs(new Headers(), now), undefined);
  assert.equal(retryAfterMs(undefined, now), undefined);
});

test('backoff doubles per retry, stays within [cap/2, cap] and under the maximum', () => {
  const p = { maxRetries: 9, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffMs(1, { ...p, random: () => 0 }), 50);
  assert.equal(backoffMs(1, { ...p, random: () => 0.999999 }) < 100, true);
  assert.equal(backoffMs(3, { ...p, random: () => 0 }), 200);
  assert.equal(backoffMs(9, { ...p, random: () => 0 }), 500);
  for (let n = 1; n < 12; n++) assert.ok(backoffMs(n, p) <= 1000);
});

test('withRetries: retries what the classifier allows, up to maxRetries, then throws the last error', async () => {
  let calls = 0;
  const waits: number[] = [];
  const r = await withRetries(
    async () => {
      if (++calls < 3) throw new Error(`fail ${calls}`);
      return 'ok';
    },
    () => ({ retry: true, delayMs: 5, reason: 'test' }),
    { maxRetries: 5, baseDelayMs: 1, maxDelayMs: 100 },
    undefined,
    (i) => waits.push(i.delayMs),
  );
  assert.deepEqual(r, { value: 'ok', retries: 2 });
  assert.deepEqual(waits, [5, 5]);

  calls = 0;
  await assert.rejects(
    withRetries(
      async () => {
        throw new Error(`fail ${++calls}`);
      },
      () => ({ retry: true, reason: 'x' }),
      { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
    ),
    /fail 3/,
  );
  calls = 0;
  await assert.rejects(
    withRetries(
      async () => {
        throw new Error(`fail ${++calls}`);
      },
      () => ({ retry: false }),
      { maxRetries: 5, baseDelayMs: 1, maxDelayMs: 2 },
    ),
    /fail 1/,
  );
});

test('an abort ends a backoff wait at once with an AbortError (mock clock: no time passes)', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const c = new AbortController();
  let attempts = 0;
  const run = withRetries(
    async () => {
      attempts++;
      throw new Error('x');
    },
    () => ({ retry: true, delayMs: 10_000, reason: 'x' }),
    { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 20_000 },
    c.signal,
    () => c.abort(),
  );
  await assert.rejects(run, (e: Error) => e.name === 'AbortError');
  assert.equal(attempts, 1, 'the 10 s wait was never waited out');
  t.mock.timers.reset();
});

test('pool: never more than its size at once, all tasks run, peak recorded', async () => {
  const pool = new RequestPool(3);
  let running = 0;
  let most = 0;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      pool.run(async () => {
        most = Math.max(most, ++running);
        await sleep(5 + (i % 3));
        running--;
        return i;
      }),
    ),
  );
  assert.deepEqual(
    results,
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal(most, 3);
  assert.equal(pool.peak, 3);
  assert.equal(pool.inFlight, 0);
});

const turns = async (n = 10) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

test('pool: pauseUntil holds back new starts until the time (mock clock); an abort while waiting leaves the queue', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  try {
    const pool = new RequestPool(1);
    const t0 = Date.now();
    pool.pauseUntil(t0 + 80);
    assert.equal(pool.pausedUntil, t0 + 80);
    const started: number[] = [];
    const a = pool.run(async () => started.push(Date.now() - t0));
    const c = new AbortController();
    const blocked = pool.run(async () => started.push(-1), c.signal);
    c.abort();
    await assert.rejects(blocked, (e: Error) => e.name === 'AbortError');
    await turns();
    t.mock.timers.tick(79);
    await turns();
    assert.deepEqual(started, [], 'nothing started during the pause');
    pool.pauseUntil(t0 + 50); // an earlier time does not shorten the pause
    t.mock.timers.tick(1);
    await a;
    assert.deepEqual(started, [80]);
    await turns(); // the aborted task's slot comes and is given back without running it
    assert.deepEqual(started, [80]);
    assert.equal(pool.pausedUntil, undefined);
    assert.equal(pool.inFlight, 0);
    assert.equal(pool.waiting, 0);
  } finally {
    t.mock.timers.reset();
  }
});

test('pool: a pause extended while tasks wait holds them to the new time (mock clock)', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  try {
    const pool = new RequestPool(2);
    const t0 = Date.now();
    pool.pauseUntil(t0 + 100);
    const started: number[] = [];
    const runs = [1, 2, 3].map(() => pool.run(async () => started.push(Date.now() - t0)));
    await turns();
    assert.equal(pool.waiting, 3);
    t.mock.timers.tick(50);
    pool.pauseUntil(t0 + 300);
    t.mock.timers.tick(60);
    await turns();
    assert.deepEqual(started, []);
    t.mock.timers.tick(190);
    await Promise.all(runs);
    assert.deepEqual(started, [300, 300, 300]);
    assert.equal(pool.peak, 2);
  } finally {
    t.mock.timers.reset();
  }
});

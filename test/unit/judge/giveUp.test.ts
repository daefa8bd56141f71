// A judge that hangs, refuses or keeps failing is given up on quickly, and says what it waits for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { LlmJudge, type LlmJudgeOptions } from '../../../src/core/judge/llmJudge';
import { heldUp, statusText, type JudgeStatus } from '../../../src/core/judge/watch';
import { PLAIN_WEB_SERVER_501, startOpenAiServer, startSilentServer, type Reply } from '../../support/openaiServer';

const ask = (j: LlmJudge, i: number) => j.relevance({ answerText: `answer number ${i}`, output: '' });

async function judgeAll(j: LlmJudge, n: number) {
  return Promise.all(Array.from({ length: n }, (_, i) => ask(j, i)));
}

const options = (baseUrl: string, o: Partial<LlmJudgeOptions> = {}): LlmJudgeOptions => ({
  baseUrl,
  model: 'm',
  concurrency: 4,
  backoff: { baseDelayMs: 5, maxDelayMs: 20 },
  ...o,
});

for (const [name, reply] of [
  ['501 (python3 -m http.server answers every POST so)', PLAIN_WEB_SERVER_501],
  ['405', { status: 405, body: { error: { message: 'Method Not Allowed' } } }],
  ['a 200 web page that is not the API', { status: 200, raw: '<html>hello</html>', contentType: 'text/html' }],
] as [string, Reply][]) {
  test(`${name}: the run stops at once; one request sent, every judgment an error naming why`, async () => {
    const s = await startOpenAiServer({ script: () => reply });
    const events: string[] = [];
    try {
      const j = new LlmJudge(options(s.baseUrl, { concurrency: 1, onEvent: (m) => events.push(m) }));
      const out = await judgeAll(j, 20);
      assert.ok(out.every((v) => v.status === 'error'));
      assert.equal(s.log.length, 1, 'no retry and no other request');
      assert.equal(events.filter((e) => /no further requests are sent/.test(e)).length, 1, events.join('\n'));
      assert.match(String(j.info().judge_fatal_error), /501|405|not answer with a chat completion/);
      assert.equal(j.status().state, 'stopped');
    } finally {
      await s.close();
    }
  });
}

test('a real `python3 -m http.server` as the judge: stopped after its first 501', async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  const py = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', String(port)], { stdio: 'pipe' });
  try {
    // Ready when it prints its banner (stdout) or logs (stderr).
    await new Promise<void>((resolve, reject) => {
      py.once('error', reject);
      py.stdout.once('data', () => resolve());
      py.stderr.once('data', () => resolve());
    });
    const j = new LlmJudge(options(`http://127.0.0.1:${port}/v1`, { concurrency: 2 }));
    const out = await judgeAll(j, 30);
    assert.ok(out.every((v) => v.status === 'error'));
    // It answers 501 without reading the body, so a request may also see the connection reset
    // and be retried once; without the stop, 30 judgments × 6 attempts.
    assert.ok(j.usage.total('requests') <= 4, `requests sent: ${j.usage.total('requests')}`);
    assert.match(String(j.info().judge_fatal_error), /^501 from http:\/\/127\.0\.0\.1:\d+\/v1/);
  } finally {
    py.kill();
  }
});

test('N failures in a row with no success between them stop the run; in-flight requests are cancelled', async () => {
  const s = await startOpenAiServer({ script: () => ({ status: 500 }) });
  try {
    const j = new LlmJudge(options(s.baseUrl, { maxRetries: 5, giveUp: { maxConsecutiveFailures: 6 } }));
    const out = await judgeAll(j, 40);
    assert.ok(out.every((v) => v.status === 'error'));
    assert.ok(s.log.length >= 6 && s.log.length <= 6 + 3, `requests: ${s.log.length} (40 × 6 without the stop)`);
    assert.match(String(j.info().judge_fatal_error), /6 requests failed in a row with no success between them/);
    assert.ok(out.some((v) => v.status === 'error' && /^not asked: /.test(v.error)));
  } finally {
    await s.close();
  }
});

test('failures with successes between them do not stop the run', async () => {
  // Each judgment's first attempt fails, its retry succeeds: failures never come N in a row.
  const seen = new Set<string>();
  const s = await startOpenAiServer({
    script: (r) => (seen.has(r.user) ? undefined : (seen.add(r.user), { status: 503 })),
  });
  try {
    const j = new LlmJudge(
      options(s.baseUrl, { concurrency: 1, maxRetries: 3, giveUp: { maxConsecutiveFailures: 2 } }),
    );
    // One at a time, so that a failure is always followed by its own successful retry.
    const out = [];
    for (let i = 0; i < 10; i++) out.push(await ask(j, i));
    assert.equal(s.log.length, 20);
    assert.ok(
      out.every((v) => v.status === 'ok'),
      JSON.stringify(out.find((v) => v.status !== 'ok')),
    );
    assert.equal(j.info().judge_fatal_error, undefined);
  } finally {
    await s.close();
  }
});

test('a server that accepts and never answers: given up after the stall time, requests cancelled, statuses say what it waits for', async () => {
  const s = await startSilentServer();
  const statuses: JudgeStatus[] = [];
  try {
    const j = new LlmJudge(
      options(s.baseUrl, {
        concurrency: 2,
        timeoutMs: 600_000,
        giveUp: { stallMs: 400 },
        statusIntervalMs: 50,
        onStatus: (st) => statuses.push(st),
      }),
    );
    const out = await judgeAll(j, 12);
    assert.ok(out.every((v) => v.status === 'error'));
    assert.match(String(j.info().judge_fatal_error), /no reply at all for \d+ s/);
    assert.ok(out.some((v) => v.status === 'error' && /^stopped: no reply at all/.test(v.error)));
    assert.equal(j.usage.total('requests'), 2, 'the two in flight, none after');
    const waiting = statuses.filter((st) => st.state === 'requests');
    assert.ok(waiting.length >= 1, `${statuses.length} statuses`);
    assert.equal(waiting.at(-1)!.inFlight, 2);
    assert.equal(waiting.at(-1)!.queued, 10);
    assert.equal(waiting.at(-1)!.everAnswered, false);
    assert.match(
      statusText(waiting.at(-1)!),
      /waiting for 2 replies from http:\/\/127\.0\.0\.1:\d+\/v1 .*no reply yet/,
    );
    assert.equal(statuses.at(-1)!.state, 'stopped');
    // Held up (worth a line to the user) once half the give-up time passed without a reply; not at the start.
    assert.equal(heldUp(waiting.at(-1)!), waiting.at(-1)!.sinceReplyMs >= 200);
    assert.equal(heldUp(waiting[0]), waiting[0].sinceReplyMs >= 200);
    assert.ok(waiting.some((st) => heldUp(st)));
    assert.equal(heldUp(statuses.at(-1)!), false, 'stopped: said once by the event, not again');
  } finally {
    await s.close();
  }
});

// One mock-clock session for both cases: timer handles of one session must not meet another's.
test(
  'with the defaults (and with --concurrency 1), a server that accepts and never answers is given up on ' +
    'within 3 minutes, with a status at least every 15 s (mock clock)',
  async (t) => {
    const s = await startSilentServer();
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 });
    try {
      for (const concurrency of [undefined, 1]) {
        const statuses: number[] = [];
        const j = new LlmJudge({
          baseUrl: s.baseUrl,
          model: 'm',
          concurrency,
          onStatus: () => statuses.push(Date.now()),
        });
        const t0 = Date.now();
        let settledAt = 0;
        const all = judgeAll(j, 120).then((v) => ((settledAt = Date.now()), v));
        // Let real I/O happen between steps of the mock clock (one second each).
        for (let i = 0; i < 400 && !settledAt; i++) {
          for (let k = 0; k < 20 && !settledAt; k++) await new Promise((r) => setImmediate(r));
          t.mock.timers.tick(1000);
        }
        const out = await all;
        const what =
          `concurrency ${concurrency ?? 'default'}: gave up after ${(settledAt - t0) / 1000} s, ` +
          `${j.usage.total('requests')} requests: ${j.info().judge_fatal_error}`;
        t.diagnostic(what);
        assert.ok(out.every((v) => v.status === 'error'));
        assert.ok(settledAt - t0 <= 180_000, what);
        assert.ok(settledAt - t0 >= 60_000, `${what}: not before the first requests timed out`);
        assert.match(String(j.info().judge_fatal_error), /failed in a row|no reply/);
        assert.ok(j.usage.total('requests') <= 3 * (concurrency ?? 8), what);
        const gaps = statuses.map((x, i) => x - (statuses[i - 1] ?? t0));
        assert.ok(statuses.length >= 2 && Math.max(...gaps) <= 15_000, `${what}; status gaps ${gaps.join(', ')}`);
      }
    } finally {
      t.mock.timers.reset();
      await s.close();
    }
  },
);

test('https against a plain http port: our words naming the URL, not an OpenSSL message', async () => {
  const s = await startOpenAiServer({});
  try {
    const url = s.baseUrl.replace('http:', 'https:');
    const events: string[] = [];
    const j = new LlmJudge(options(url, { maxRetries: 1, onEvent: (m) => events.push(m) }));
    const v = await ask(j, 0);
    assert.equal(v.status, 'error');
    const error = (v as { error: string }).error;
    assert.match(error, /https:\/\/127\.0\.0\.1:\d+\/v1: the TLS handshake failed; the port answers plain http/);
    assert.match(error, /try http:\/\/127\.0\.0\.1/);
    assert.doesNotMatch(error + events.join('\n'), /SSL routines|wrong version number|ERR_SSL/);
    assert.match(String(j.info().judge_fatal_error), /TLS handshake failed/);
  } finally {
    await s.close();
  }
});

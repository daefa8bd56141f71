// The LLM judge driven through the real `openai` client against a real HTTP server on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmJudge, type LlmJudgeOptions } from '../../../src/core/judge/llmJudge';
import { PROMPT_VERSION } from '../../../src/core/judge/prompts';
import { startOpenAiServer, type FakeOpenAi, type ServerOptions } from '../../support/openaiServer';
import { tempDir } from '../../support/fixtures';

/** A server and a judge pointed at it, closed after `fn`. */
async function withServer(
  server: ServerOptions,
  judge: Partial<LlmJudgeOptions>,
  fn: (s: FakeOpenAi, j: LlmJudge) => Promise<void>,
) {
  const s = await startOpenAiServer(server);
  try {
    const j = new LlmJudge({
      baseUrl: s.baseUrl,
      model: 'judge-model',
      apiKey: 'sk-test',
      timeoutMs: 5000,
      backoff: { baseDelayMs: 10, maxDelayMs: 5000 },
      ...judge,
    });
    await fn(s, j);
  } finally {
    await s.close();
  }
}

const rel = (answerText: string) => ({ answerText, output: `<answer>${answerText}</answer>` });

test('requests: step 1 sends exactly the answer text as the user message, with the strict json_schema format', async () => {
  await withServer({}, {}, async (s, j) => {
    const answer = 'The man opens the fridge from 3.5 to 9 seconds.';
    assert.deepEqual(await j.relevance(rel(answer)), {
      status: 'ok',
      value: { classification: 'relevant', span: [3.5, 9] },
    });
    const r = s.log[0];
    const messages = r.body.messages as { role: string; content: string }[];
    assert.deepEqual(
      messages.map((m) => m.role),
      ['system', 'user'],
    );
    assert.equal(messages[1].content, answer);
    assert.match(messages[0].content, /"classification"/);
    assert.equal(r.body.model, 'judge-model');
    assert.equal(r.body.temperature, 0);
    const rf = r.body.response_format as any;
    assert.equal(rf.type, 'json_schema');
    assert.equal(rf.json_schema.name, 'rarft_relevance');
    assert.equal(rf.json_schema.strict, true);
    assert.deepEqual(rf.json_schema.schema.properties.classification.enum, ['relevant', 'irrelevant']);
    assert.equal(r.headers.authorization, 'Bearer sk-test');

    const reasoning = 'The clip shows a cup, not a laptop.';
    const c = await j.categories({ reasoningText: reasoning, output: '' });
    assert.equal(c.status, 'ok');
    assert.equal(s.log[1].user, reasoning);
    assert.equal((s.log[1].body.response_format as any).json_schema.name, 'rarft_categories');
    assert.equal((s.log[1].body.response_format as any).json_schema.schema.properties.categories.items.enum.length, 11);

    const sc = await j.reasoning({ reasoningText: reasoning, gtText: 'There is no laptop in the video.' });
    assert.equal(sc.status, 'ok');
    assert.equal((s.log[2].body.response_format as any).json_schema.name, 'rarft_reasoning');
    assert.ok(s.log[2].user.includes(reasoning) && s.log[2].user.includes('There is no laptop in the video.'));
    assert.equal(j.usage.total('requests'), 3);
  });
});

test('one pool bounds requests in flight across steps; latency overlaps', async () => {
  await withServer({ latencyMs: 60 }, { concurrency: 4 }, async (s, j) => {
    const calls = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 0
        ? j.relevance(rel(`${i} to ${i + 2}`))
        : i % 3 === 1
          ? j.categories({ reasoningText: `reason ${i}`, output: '' })
          : j.reasoning({ reasoningText: `reason ${i}`, gtText: 'gt' }),
    );
    const results = await Promise.all(calls);
    assert.ok(results.every((r) => r.status === 'ok'));
    assert.equal(s.log.length, 24);
    // Kept full (how fast that is, is bench/judge.mjs's business, not a test's).
    assert.equal(s.peakInFlight, 4);
    assert.equal(j.pool.peak, 4);
  });
});

test('429: Retry-After (seconds) and retry-after-ms are honoured, not the short backoff', async () => {
  let n = 0;
  await withServer(
    { script: () => (++n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : undefined) },
    {},
    async (s, j) => {
      const r = await j.relevance(rel('1 to 2'));
      assert.equal(r.status, 'ok');
      assert.equal(s.log.length, 2);
      // The wait the retry loop took, not a wall-clock gap: the server's second, not the 10 ms backoff.
      assert.equal(j.usage.steps.relevance.retry_wait_ms, 1000);
      assert.equal(j.usage.steps.relevance.retries, 1);
    },
  );
  n = 0;
  await withServer(
    { script: () => (++n === 1 ? { status: 429, headers: { 'retry-after-ms': '300' } } : undefined) },
    {},
    async (s, j) => {
      assert.equal((await j.relevance(rel('1 to 2'))).status, 'ok');
      assert.equal(s.log.length, 2);
      assert.equal(j.usage.steps.relevance.retry_wait_ms, 300);
    },
  );
});

test('a 429 holds back the whole pool, not only the request that got it', async () => {
  // Requests 2–4 are answered only once the judge has taken in the 429 (its pool is paused), so
  // the order of events is fixed whatever the load: every request sent after that waits out the pause.
  let pausedAt = 0;
  let onPause = () => {};
  const paused = new Promise<void>((resolve) => (onPause = resolve));
  await withServer(
    {
      script: (r) =>
        r.n === 1 ? { status: 429, headers: { 'retry-after-ms': '400' } } : r.n <= 4 ? { after: paused } : undefined,
    },
    { concurrency: 4 },
    async (s, j) => {
      const pauseUntil = j.pool.pauseUntil.bind(j.pool);
      j.pool.pauseUntil = (time) => {
        pauseUntil(time);
        pausedAt = time;
        onPause();
      };
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => j.relevance(rel(`${i} to ${i + 1}`))));
      assert.ok(results.every((r) => r.status === 'ok'));
      const later = s.log.slice(4);
      assert.equal(later.length, 9);
      for (const r of later)
        assert.ok(r.at >= pausedAt, `request ${r.n} arrived ${pausedAt - r.at} ms before the pause ended`);
    },
  );
});

test('500s are retried with backoff; a server that keeps failing gives an error after maxRetries', async () => {
  let n = 0;
  await withServer({ script: () => (++n <= 2 ? { status: 500 } : undefined) }, { maxRetries: 3 }, async (s, j) => {
    assert.equal((await j.reasoning({ reasoningText: 'r', gtText: 'g' })).status, 'ok');
    assert.equal(s.log.length, 3);
    assert.equal(j.usage.steps.reasoning.retries, 2);
  });
  await withServer({ script: () => ({ status: 503 }) }, { maxRetries: 2 }, async (s, j) => {
    const r = await j.relevance(rel('no'));
    assert.equal(r.status, 'error');
    assert.match((r as { error: string }).error, /503.*after 3 attempts/);
    assert.equal(s.log.length, 3);
    assert.equal(j.usage.steps.relevance.errors, 1);
  });
});

test('malformed content is retried; a reply that stays malformed is an error, not a value', async () => {
  let n = 0;
  await withServer(
    { script: () => (++n === 1 ? { content: 'I would say it is relevant.' } : undefined) },
    {},
    async (s, j) => {
      assert.deepEqual(await j.relevance(rel('4 to 5')), {
        status: 'ok',
        value: { classification: 'relevant', span: [4, 5] },
      });
      assert.equal(s.log.length, 2);
      assert.equal(j.usage.steps.relevance.malformed_replies, 1);
    },
  );
  const dir = tempDir();
  await withServer(
    { script: () => ({ content: '{"score": "excellent"}' }) },
    { maxRetries: 2, cacheDir: dir },
    async (s, j) => {
      const r = await j.reasoning({ reasoningText: 'r', gtText: 'g' });
      assert.equal(r.status, 'error');
      assert.match((r as { error: string }).error, /malformed reply: score must be a number/);
      assert.equal(s.log.length, 3);
      assert.deepEqual(readdirSync(dir), [], 'malformed replies are not cached');
    },
  );
});

test('a hung request times out and is retried', async () => {
  let n = 0;
  await withServer({ script: () => (++n === 1 ? { hang: true } : undefined) }, { timeoutMs: 300 }, async (s, j) => {
    const r = await j.relevance(rel('7 to 8'));
    assert.equal(r.status, 'ok');
    assert.equal(s.log.length, 2, 'the hung request was given up on and sent again');
    assert.equal(j.usage.steps.relevance.retries, 1);
  });
  await withServer({ script: () => ({ hang: true }) }, { timeoutMs: 100, maxRetries: 1 }, async (_s, j) => {
    const r = await j.relevance(rel('7 to 8'));
    assert.equal(r.status, 'error');
    assert.match((r as { error: string }).error, /timed out/);
  });
});

test('a server that ignores response_format (fences, Python dicts, prose) is still read', async () => {
  await withServer({ ignoreResponseFormat: true }, {}, async (s, j) => {
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await j.relevance(rel(`${i} to ${i + 1}.5`)), {
        status: 'ok',
        value: { classification: 'relevant', span: [i, i + 1.5] },
      });
      assert.deepEqual(await j.relevance(rel(`nothing here ${i}`)), {
        status: 'ok',
        value: { classification: 'irrelevant', span: null },
      });
      const c = await j.categories({ reasoningText: `why ${i}`, output: '' });
      assert.equal(c.status, 'ok');
      assert.ok((c as { value: string[] }).value.length >= 1);
    }
    assert.equal(s.log.length, 9);
    assert.equal(j.usage.total('retries'), 0);
  });
});

test('a server that refuses response_format: asked again without it, once for the whole run', async () => {
  const events: string[] = [];
  await withServer({ rejectResponseFormat: true }, { onEvent: (m) => events.push(m) }, async (s, j) => {
    assert.equal((await j.relevance(rel('1 to 2'))).status, 'ok');
    assert.equal((await j.relevance(rel('3 to 4'))).status, 'ok');
    assert.deepEqual(
      s.log.map((r) => 'response_format' in r.body),
      [true, false, false],
    );
    assert.equal(j.info().judge_structured_output, false);
    assert.equal(events.length, 1);
  });
});

test('a model that refuses temperature 0 is asked again without one', async () => {
  const script = (r: { body: Record<string, unknown> }) =>
    'temperature' in r.body
      ? {
          status: 400,
          body: {
            error: {
              message: "Unsupported value: 'temperature' does not support 0 with this model.",
              type: 'invalid_request_error',
            },
          },
        }
      : undefined;
  await withServer({ script }, {}, async (s, j) => {
    assert.equal((await j.relevance(rel('1 to 2'))).status, 'ok');
    assert.equal((await j.relevance(rel('3 to 4'))).status, 'ok');
    assert.deepEqual(
      s.log.map((r) => 'temperature' in r.body),
      [true, false, false],
    );
  });
});

test('a bad key (401) stops all further requests; every judgment says why', async () => {
  await withServer(
    { script: () => ({ status: 401, body: { error: { message: 'Incorrect API key provided' } } }) },
    {},
    async (s, j) => {
      const a = await j.relevance(rel('1 to 2'));
      const b = await j.relevance(rel('3 to 4'));
      assert.equal(a.status, 'error');
      assert.equal(b.status, 'error');
      assert.match((b as { error: string }).error, /not asked: 401/);
      assert.equal(s.log.length, 1);
    },
  );
});

test('labels outside the taxonomy are dropped and counted; scores clipped and flagged', async () => {
  const script = (r: { step: string }) =>
    r.step === 'categories'
      ? { content: '{"categories": ["Object/ObjectExistence", "Weather/Rain"]}' }
      : r.step === 'reasoning'
        ? { content: '{"score": 9}' }
        : undefined;
  await withServer({ script }, {}, async (_s, j) => {
    const c = await j.categories({ reasoningText: 'r', output: '' });
    assert.deepEqual(c, {
      status: 'ok',
      value: ['Object/ObjectExistence'],
      note: 'labels outside the taxonomy dropped: Weather/Rain',
    });
    const sc = await j.reasoning({ reasoningText: 'r', gtText: 'g' });
    assert.deepEqual(sc, { status: 'ok', value: 5, note: 'score 9 clipped to 5' });
    assert.equal(j.usage.steps.categories.labels_dropped, 1);
    assert.equal(j.usage.steps.reasoning.scores_clipped, 1);
  });
});

test('usage: tokens per step from the server, cost from the price', async () => {
  await withServer({}, { price: { input: 2, output: 8 } }, async (s, j) => {
    await j.relevance(rel('1 to 2'));
    await j.reasoning({ reasoningText: 'r', gtText: 'g' });
    const tokens = (t: string) => Math.ceil(t.length / 4);
    const msgs = (i: number) =>
      (s.log[i].body.messages as { content: string }[]).reduce((a, m) => a + tokens(m.content), 0);
    assert.equal(j.usage.steps.relevance.prompt_tokens, msgs(0));
    assert.equal(j.usage.steps.reasoning.prompt_tokens, msgs(1));
    const p = j.usage.total('prompt_tokens');
    const c = j.usage.total('completion_tokens');
    assert.ok(c > 0);
    assert.equal(j.usage.cost(), (p * 2 + c * 8) / 1e6);
    const info = j.info();
    assert.equal(info.judge_prompt_version, PROMPT_VERSION);
    assert.equal((info.judge_usage as { cost_usd: number }).cost_usd, j.usage.cost());
  });
});

test('cache: a rerun costs zero requests; identical judgments in one run share a request; another model asks again', async () => {
  const dir = tempDir();
  const texts = Array.from({ length: 30 }, (_, i) =>
    i % 10 === 0 ? 'I cannot find this in the video.' : `${i} to ${i + 3}`,
  );
  await withServer({ latencyMs: 10 }, { cacheDir: dir }, async (s, j) => {
    const first = await Promise.all(texts.map((t) => j.relevance(rel(t))));
    assert.equal(s.log.length, 28, 'three identical refusals share one request');
    assert.equal(j.usage.steps.relevance.shared, 2);
    const j2 = new LlmJudge({ baseUrl: s.baseUrl + '/', model: 'judge-model', cacheDir: dir });
    const again = await Promise.all(texts.map((t) => j2.relevance(rel(t))));
    assert.deepEqual(again, first);
    assert.equal(s.log.length, 28, 'the rerun sent no request');
    assert.equal(j2.usage.steps.relevance.cache_hits, 28);
    assert.ok(j2.usage.steps.relevance.cached_prompt_tokens > 0);
    const j3 = new LlmJudge({ baseUrl: s.baseUrl, model: 'other-model', cacheDir: dir });
    await j3.relevance(rel('1 to 4'));
    assert.equal(s.log.length, 29);
  });
});

test('an abort stops promptly with an AbortError; replies already in are cached and the rerun resumes', async () => {
  const dir = tempDir();
  const texts = Array.from({ length: 40 }, (_, i) => `${i} to ${i + 1}`);
  await withServer(
    {
      script: (r) => ({
        content: JSON.stringify({ classification: 'relevant', span: [0, 1] }),
        delayMs: r.n <= 8 ? 20 : 60_000,
      }),
    },
    { cacheDir: dir, concurrency: 8 },
    async (s, j) => {
      const c = new AbortController();
      const all = Promise.allSettled(texts.map((t) => j.relevance(rel(t), c.signal)));
      while (s.log.length < 16) await new Promise((r) => setTimeout(r, 10));
      c.abort();
      // The slow replies would come after 60 s (and time out after 5 s first): settling with
      // AbortErrors, not timeouts, shows the abort ended the waits.
      const settled = await all;
      const aborted = settled.filter((r) => r.status === 'rejected');
      assert.ok(aborted.every((r) => (r as PromiseRejectedResult).reason.name === 'AbortError'));
      const done = settled.filter((r) => r.status === 'fulfilled').length;
      assert.equal(done, 8);
      const cached = readdirSync(dir).reduce((n, d) => n + readdirSync(`${dir}/${d}`).length, 0);
      assert.equal(cached, 8);

      const before = s.log.length;
      const j2 = new LlmJudge({ baseUrl: s.baseUrl, model: 'judge-model', cacheDir: dir });
      // The judgments that finished (under load the first 8 requests to arrive need not be texts 0–7).
      const finished = texts.filter((_, i) => settled[i].status === 'fulfilled');
      const rerun = await Promise.all(finished.map((t) => j2.relevance(rel(t))));
      assert.ok(rerun.every((r) => r.status === 'ok'));
      assert.equal(s.log.length, before, 'the 8 finished judgments cost nothing on resume');
      assert.equal(j2.usage.steps.relevance.cache_hits, 8);
    },
  );
});

test('a cache folder that cannot be written: said once, the judgments still come back', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'file'), 'not a folder');
  const events: string[] = [];
  await withServer({}, { cacheDir: join(dir, 'file', 'cache'), onEvent: (m) => events.push(m) }, async (_s, j) => {
    const r = await Promise.all([1, 2, 3].map((i) => j.relevance(rel(`${i} to ${i + 1}`))));
    assert.ok(r.every((x) => x.status === 'ok'));
    assert.equal(events.length, 1);
    assert.match(events[0], /this run will not be resumable/);
    assert.equal(j.info().judge_cache_write_failures, 3);
  });
});

test('empty texts are decided without a request', async () => {
  await withServer({}, {}, async (s, j) => {
    assert.deepEqual((await j.relevance(rel('  '))).status, 'ok');
    assert.deepEqual(await j.reasoning({ reasoningText: '', gtText: 'g' }), {
      status: 'ok',
      value: 0,
      note: 'empty reasoning: score 0 without a request',
    });
    assert.equal(s.log.length, 0);
  });
});

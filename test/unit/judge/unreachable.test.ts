// A judge pointed at a port where nothing listens: the run stops asking instead of retrying every item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { LlmJudge } from '../../../src/core/judge/llmJudge';
import { startOpenAiServer } from '../../support/openaiServer';

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('a server that cannot be reached at all stops further requests after one judgment exhausts its retries; every item is an error, none a 0', async () => {
  const events: string[] = [];
  const j = new LlmJudge({
    baseUrl: `http://127.0.0.1:${await closedPort()}/v1`,
    model: 'm',
    concurrency: 2,
    maxRetries: 2,
    backoff: { baseDelayMs: 5, maxDelayMs: 20 },
    onEvent: (m) => events.push(m),
  });
  const answers = Array.from({ length: 40 }, (_, i) => `answer number ${i} about the video`);
  // Items four at a time, as `judgeItems` runs them (a bounded number in flight).
  const out = [];
  for (let i = 0; i < answers.length; i += 4)
    out.push(...(await Promise.all(answers.slice(i, i + 4).map((a) => j.relevance({ answerText: a, output: a })))));
  assert.ok(
    out.every((v) => v.status === 'error'),
    JSON.stringify(out.find((v) => v.status !== 'error')),
  );
  assert.ok(
    j.usage.steps.relevance.requests <= 4 * 3,
    `requests sent: ${j.usage.steps.relevance.requests} (40 items × 3 attempts without the stop)`,
  );
  assert.ok(out.some((v) => v.status === 'error' && /not asked: cannot reach/.test(v.error)));
  assert.ok(
    events.some((e) => /cannot reach .*no further requests/.test(e)),
    events.join('\n'),
  );
  assert.match(String(j.info().judge_fatal_error), /cannot reach http:\/\/127\.0\.0\.1:\d+\/v1/);
});

test('a server that answered before and then drops connections is still retried per judgment (not stopped)', async () => {
  const s = await startOpenAiServer({});
  const j = new LlmJudge({
    baseUrl: s.baseUrl,
    model: 'm',
    concurrency: 1,
    maxRetries: 1,
    backoff: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  assert.equal((await j.relevance({ answerText: '1 to 2', output: '' })).status, 'ok');
  await s.close();
  const v = await j.relevance({ answerText: '3 to 4', output: '' });
  assert.equal(v.status, 'error');
  assert.equal(j.info().judge_fatal_error, undefined);
});

test('rarft evaluate against a closed port: exits 1 saying no item could be judged, the errors recorded per item', async () => {
  const { rarft } = await import('../../support/cli');
  const { referencePath, tempDir, text } = await import('../../support/fixtures');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = tempDir();
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, 12);
  writeFileSync(join(dir, 'items.json'), text(items));
  const r = rarft([
    'evaluate',
    join(dir, 'items.json'),
    '--out',
    join(dir, 'm.json'),
    '--items-out',
    join(dir, 'out.json'),
    '--judge',
    'llm',
    '--model',
    'm',
    '--base-url',
    `http://127.0.0.1:${await closedPort()}/v1`,
    '--max-retries',
    '0',
  ]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /no item could be judged/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
  assert.ok(out.every((it: any) => it.judge_errors?.length && it.classification_correct === undefined));
});

test('a server that accepts connections but never answers also stops further requests once one judgment has timed out on every attempt', async () => {
  const { createServer: tcp } = await import('node:net');
  const sockets = new Set<import('node:net').Socket>();
  const silent = tcp((s) => void sockets.add(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const j = new LlmJudge({
      baseUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}/v1`,
      model: 'm',
      concurrency: 4,
      maxRetries: 1,
      timeoutMs: 200,
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    const out = [];
    for (let i = 0; i < 40; i += 4)
      out.push(
        ...(await Promise.all(
          Array.from({ length: 4 }, (_, k) => j.relevance({ answerText: `answer ${i + k}`, output: '' })),
        )),
      );
    assert.ok(out.every((v) => v.status === 'error'));
    assert.ok(j.usage.steps.relevance.requests <= 4 * 2, `requests sent: ${j.usage.steps.relevance.requests}`);
    assert.match(String(j.info().judge_fatal_error), /no reply from .* within 200 ms/);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  }
});

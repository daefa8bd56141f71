// `rarft evaluate --judge llm|hybrid` as users run it: the built CLI in its own process,
// against a real OpenAI-compatible server on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/fixtures';
import { startOpenAiServer, type ServerOptions } from '../../support/openaiServer';
import { countFiles, rarft, start, subset, userJudgeCache } from './cliRun';

test('judge options: usage errors exit 2 and say what is needed', async () => {
  const { input, dir } = subset(2);
  const out = join(dir, 'm.json');
  const cases: [string[], RegExp][] = [
    [['--judge', 'llm'], /--judge llm needs --model NAME/],
    [['--judge', 'gpt'], /unknown judge \(expected offline, llm or hybrid\)/],
    [['--judge', 'llm', '--model', 'm', '--base-url', 'ftp://x'], /--base-url: expected an http\(s\) URL/],
    [['--judge', 'llm', '--model', 'm', '--concurrency', '0'], /--concurrency: expected a number ≥ 1/],
    [['--judge', 'llm', '--model', 'm', '--price', 'cheap'], /--price: expected IN,OUT/],
    [['--judge', 'llm', '--model', 'm', '--timeout', '-1'], /--timeout/],
    [['--model', 'm', '--concurrency', '4'], /--model, --concurrency: only with --judge llm or --judge hybrid/],
    [
      ['--judge', 'llm', '--model', 'm', '--cache-dir', dir, '--no-cache'],
      /--cache-dir and --no-cache: give one of them/,
    ],
  ];
  for (const [args, re] of cases) {
    const r = await rarft(['evaluate', input, '--out', out, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  const r = await rarft(
    [
      'evaluate',
      input,
      '--out',
      out,
      '--judge',
      'llm',
      '--model',
      'gpt-4o-mini',
      '--base-url',
      'https://api.openai.com/v1',
    ],
    { OPENAI_API_KEY: '' },
  );
  assert.equal(r.status, 1);
  assert.match(r.stderr, /set OPENAI_API_KEY/);
});

let coldRequests = 0;

test('evaluate --judge llm: metrics, report, progress on stderr; the rerun costs zero requests', async () => {
  const server = await startOpenAiServer({ latencyMs: 20 });
  try {
    const { dir, input } = subset(300);
    const args = [
      'evaluate',
      input,
      '--out',
      join(dir, 'm.json'),
      '--items-out',
      join(dir, 'items.out.json'),
      '--judge',
      'llm',
      '--base-url',
      server.baseUrl,
      '--model',
      'judge-model',
      '--concurrency',
      '4',
      '--price',
      '0.15,0.6',
    ];
    const r = await rarft(args);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /300 items judged \(llm:judge-model\)/);
    assert.match(r.stdout, /step\s+judgments\s+requests\s+cache hits/);
    assert.match(r.stdout, /requests in flight: peak 4 of 4/);
    assert.match(r.stdout, /cost: \$\d+\.\d{4}\n/);
    assert.match(r.stdout, /judge disagreements \(offline rule vs judge, step 1\): none/);
    assert.match(r.stderr, /evaluating: \d+\/300 \(\d+\/s, ETA \d+ s\)/);
    const m = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    assert.equal(m.evaluation.judge, 'llm:judge-model');
    assert.match(m.evaluation.judge_prompt_version, /^rarft-judge-v\d+$/);
    assert.equal(m.evaluation.judge_usage.requests, server.log.length);
    assert.equal(m.evaluation.judge_peak_in_flight, 4);
    assert.ok(server.peakInFlight <= 4);
    assert.deepEqual(m.evaluation.judge_disagreements, { count: 0, items: [] });
    assert.ok(m.evaluation.judge_usage.cost_usd > 0);
    assert.equal(JSON.stringify(m).includes('sk-test'), false, 'the key is never written');
    coldRequests = server.log.length;
    assert.equal(countFiles(userJudgeCache), coldRequests, "one cache entry per request, in the user's cache folder");
    assert.equal(existsSync(join(dir, '.rarft-cache')), false, 'nothing next to the output');

    const again = await rarft(args);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(server.log.length, coldRequests, 'the rerun sent no request');
    const m2 = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    assert.equal(m2.evaluation.judge_usage.cache_hits, coldRequests);
    assert.equal(m2.evaluation.judge_usage.cost_usd, 0);
    // The cost of the cached replies stays in the report.
    const original = m.evaluation.judge_usage.cost_usd.toFixed(4);
    assert.equal(m2.evaluation.judge_usage.saved_by_cache_usd.toFixed(4), original);
    assert.match(
      again.stdout,
      new RegExp(
        `cost: \\$${original.replace('.', '\\.')} spent originally on ${coldRequests} cached replies, \\$0\\.0000 now`,
      ),
    );

    // Another output folder reuses the same replies: the cache is the user's, not the run's.
    const other = tempDir();
    const third = await rarft([...args.slice(0, 2), '--out', join(other, 'm.json'), ...args.slice(6)]);
    assert.equal(third.status, 0, third.stderr);
    assert.equal(server.log.length, coldRequests, 'another --out folder sent no request either');
    assert.deepEqual(m2.relevance, m.relevance);
    assert.deepEqual(m2.irrelevant_samples, m.irrelevant_samples);
  } finally {
    await server.close();
  }
});

test('Ctrl-C stops promptly with exit 130 and keeps the replies; the rerun resumes where it stopped', async () => {
  const opts: ServerOptions = { latencyMs: 150 };
  const server = await startOpenAiServer(opts);
  try {
    const { dir, input } = subset(300);
    const cacheDir = join(dir, 'cache');
    const args = [
      'evaluate',
      input,
      '--out',
      join(dir, 'm.json'),
      '--judge',
      'llm',
      '--base-url',
      server.baseUrl,
      '--model',
      'judge-model',
      '--concurrency',
      '4',
      '--cache-dir',
      cacheDir,
    ];
    const { child, done } = start(args);
    while (server.log.length < 24) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.status, 130, r.stderr);
    assert.match(r.stderr, /stopped; work done so far is kept/);
    assert.match(r.stderr, /cache: .*rerun the same command to resume/);
    assert.equal(existsSync(join(dir, 'm.json')), false, 'no partial metrics');
    const kept = countFiles(cacheDir);
    assert.ok(kept >= 16, `kept ${kept}`);

    opts.latencyMs = 0;
    const before = server.log.length;
    const again = await rarft(args);
    assert.equal(again.status, 0, again.stderr);
    const m = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    assert.equal(m.evaluation.judge_usage.cache_hits, kept);
    assert.equal(server.log.length - before, m.evaluation.judge_usage.requests);
    if (coldRequests)
      assert.equal(kept + m.evaluation.judge_usage.requests, coldRequests, 'nothing asked twice across the stop');
  } finally {
    await server.close();
  }
});

test('evaluate --judge hybrid: rule-decided step 1 reported as requests saved; disagreements listed in items and summary', async () => {
  const server = await startOpenAiServer({
    script: (r) =>
      r.step === 'relevance' && /<timestep>/.test(r.user)
        ? { content: '{"classification": "irrelevant", "span": null}' }
        : undefined,
  });
  try {
    const { dir, input } = subset(2194);
    const cachedBefore = countFiles(userJudgeCache);
    const r = await rarft([
      'evaluate',
      input,
      '--out',
      join(dir, 'm.json'),
      '--items-out',
      join(dir, 'out.json'),
      '--judge',
      'hybrid',
      '--base-url',
      server.baseUrl,
      '--model',
      'judge-model',
      '--no-cache',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    const h = m.evaluation.judge_hybrid;
    assert.ok(h.rule_decided > 0 && h.requests_saved > 0 && h.requests_saved <= h.rule_decided);
    assert.match(
      r.stdout,
      new RegExp(
        `hybrid: ${h.rule_decided} step-1 judgments decided by the rule; ${h.requests_saved} requests saved against --judge llm`,
      ),
    );
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as Record<string, any>[];
    const flagged = out.map((it, i) => [i, it] as const).filter(([, it]) => it.judge_disagreement);
    assert.ok(flagged.length > 0);
    assert.equal(m.evaluation.judge_disagreements.count, flagged.length);
    assert.deepEqual(
      m.evaluation.judge_disagreements.items.map((x: { index: number }) => x.index),
      flagged.map(([i]) => i),
    );
    for (const [, it] of flagged) assert.equal(it.judge_disagreement.judge.classification, 'irrelevant');
    assert.match(
      r.stdout,
      new RegExp(`judge disagreements \\(offline rule vs judge, step 1\\): ${flagged.length} items`),
    );
    assert.match(r.stdout, new RegExp(`#${flagged[0][0]} .*rule relevant \\[`));
    assert.equal(existsSync(join(dir, '.rarft-cache')), false, '--no-cache writes nothing');
    assert.equal(countFiles(userJudgeCache), cachedBefore, '--no-cache writes nothing to the user cache either');
  } finally {
    await server.close();
  }
});

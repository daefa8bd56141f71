// `rarft evaluate --judge llm|hybrid` as users run it: the built CLI in its own process,
// against a real OpenAI-compatible server on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '../../support/cli';
import { ROOT, referencePath, tempDir } from '../../support/fixtures';
import { startOpenAiServer, type ServerOptions } from '../../support/openaiServer';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts `rarft ...args` without blocking this process (the server lives here). */
function start(args: string[], env: Record<string, string> = {}) {
  ensureBuilt();
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'rarft.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, OPENAI_API_KEY: 'sk-test', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - t0 })),
  );
  return { child, done };
}

const rarft = (args: string[], env?: Record<string, string>) => start(args, env).done;

/** The first `n` reference items in a temp folder. */
function subset(n: number): { dir: string; input: string } {
  const dir = tempDir();
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, n);
  const input = join(dir, 'items.json');
  writeFileSync(input, JSON.stringify(items));
  return { dir, input };
}

const countFiles = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).reduce((n, d) => n + readdirSync(join(dir, d)).length, 0) : 0;

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
    assert.match(r.stdout, /cost: \$\d+\.\d{4}/);
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
    assert.equal(
      countFiles(join(dir, '.rarft-cache', 'judge')),
      coldRequests,
      'one cache entry per request, next to the output',
    );

    const again = await rarft(args);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(server.log.length, coldRequests, 'the rerun sent no request');
    const m2 = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    assert.equal(m2.evaluation.judge_usage.cache_hits, coldRequests);
    assert.equal(m2.evaluation.judge_usage.cost_usd, 0);
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
    const t0 = Date.now();
    child.kill('SIGINT');
    const r = await done;
    const stopMs = Date.now() - t0;
    assert.equal(r.status, 130, r.stderr);
    assert.ok(stopMs < 2000, `stopped after ${stopMs} ms`);
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
  } finally {
    await server.close();
  }
});

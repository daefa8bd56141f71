// `rarft evaluate` against judges that hang, refuse or speak another protocol: it gives up
// quickly, says what it waits for on stderr meanwhile, and exits 1 with the errors per item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startSilentServer } from '../../support/openaiServer';
import { rarft, subset } from './cliRun';

const judgeArgs = (dir: string, input: string, baseUrl: string, more: string[] = []) => [
  'evaluate',
  input,
  '--out',
  join(dir, 'm.json'),
  '--items-out',
  join(dir, 'out.json'),
  '--judge',
  'llm',
  '--model',
  'm',
  '--base-url',
  baseUrl,
  '--no-cache',
  ...more,
];

/** `python3 -m http.server` on a free port of 127.0.0.1, ready. */
async function pythonHttpServer(): Promise<{ port: number; proc: ChildProcess }> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  const proc = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', String(port)], { stdio: 'pipe' });
  await new Promise<void>((resolve, reject) => {
    proc.once('error', reject);
    proc.stdout!.once('data', () => resolve());
    proc.stderr!.once('data', () => resolve());
  });
  return { port, proc };
}

test('a server that accepts and never answers: the progress line says what the run waits for, then it gives up (--give-up) and exits 1', async () => {
  const s = await startSilentServer();
  try {
    const { dir, input } = subset(40);
    const r = await rarft(
      judgeArgs(dir, input, s.baseUrl, ['--concurrency', '2', '--timeout', '600', '--give-up', '7']),
    );
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        /evaluating: 0\/40 .*; judge: waiting for 2 replies from http:\/\/127\.0\.0\.1:\d+\/v1 /.source +
          /\(oldest \d+ s of the 600 s timeout\); \d+ queued; no reply yet after \d+ s; giving up in \d+ s unless it answers/
            .source,
      ),
    );
    assert.match(r.stderr, /rarft: judge: no reply at all for \d+ s; no further requests are sent/);
    assert.match(r.stderr, /no item could be judged/);
    const m = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    assert.equal(m.evaluation.judge_usage.requests, 2);
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    assert.ok(out.every((it: { judge_errors?: unknown[] }) => it.judge_errors?.length));
  } finally {
    await s.close();
  }
});

test('`python3 -m http.server` as the judge (501 for every POST): stops after the first answer and exits 1', async () => {
  const { port, proc } = await pythonHttpServer();
  try {
    const { dir, input } = subset(60);
    const r = await rarft(judgeArgs(dir, input, `http://127.0.0.1:${port}/v1`));
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /rarft: judge: 501 from http:\/\/127\.0\.0\.1:\d+\/v1: .*; no further requests are sent/);
    const m = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    assert.ok(m.evaluation.judge_usage.requests <= 16, `requests: ${m.evaluation.judge_usage.requests}`);
  } finally {
    proc.kill();
  }
});

test('https against a plain http port: our words naming the URL, never an OpenSSL message', async () => {
  const { port, proc } = await pythonHttpServer();
  try {
    const { dir, input } = subset(8);
    const url = `https://127.0.0.1:${port}/v1`;
    const r = await rarft(judgeArgs(dir, input, url, ['--max-retries', '0']));
    assert.equal(r.status, 1, r.stderr);
    assert.ok(
      r.stderr.includes(
        `${url}: the TLS handshake failed; the port answers plain http, not https (try http://127.0.0.1:${port}/v1)`,
      ),
      r.stderr,
    );
    assert.doesNotMatch(
      r.stderr + r.stdout + readFileSync(join(dir, 'out.json'), 'utf8'),
      /SSL routines|wrong version number|ERR_SSL/,
    );
  } finally {
    proc.kill();
  }
});

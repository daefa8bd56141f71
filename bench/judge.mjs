// `rarft evaluate --judge llm` on the reference run (2,194 items) against a local
// OpenAI-compatible server that answers every request after 200 ms, concurrency 16.
// Targets (issue 4): cold wall time ≤ 1.25 × (requests × 0.2 s / 16) + start-up, where start-up
// is the same command's wall time with a warm cache; the warm rerun sends 0 requests; the
// peak number of requests in flight is shown (≤ 16).
// Run: npm run build && node bench/judge.mjs [--items N]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, figure } from './lib.mjs';

// The test server is TypeScript: run under tsx (bench/run.mjs already does).
if (!process.execArgv.some((a) => a.includes('tsx'))) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: ROOT,
  });
  process.exit(r.status ?? 1);
}
const { startOpenAiServer } = await import('../test/support/openaiServer.ts');

const LATENCY_S = 0.2;
const CONCURRENCY = 16;
const n = process.argv.includes('--items') ? Number(process.argv[process.argv.indexOf('--items') + 1]) : Infinity;

const dir = mkdtempSync(join(tmpdir(), 'rarft-bench-judge-'));
const items = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/reference/charades.offline.items.json'), 'utf8')).slice(
  0,
  n,
);
const input = join(dir, 'items.json');
writeFileSync(input, JSON.stringify(items));

function rarft(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'rarft.js'), ...args], {
      env: { ...process.env, OPENAI_API_KEY: 'bench' },
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.resume();
    child.on('close', (code) =>
      code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`rarft failed (${code}): ${err}`)),
    );
  });
}

const server = await startOpenAiServer({ latencyMs: LATENCY_S * 1000 });
try {
  const args = [
    'evaluate',
    input,
    '--out',
    join(dir, 'metrics.json'),
    '--judge',
    'llm',
    '--base-url',
    server.baseUrl,
    '--model',
    'bench-model',
    '--concurrency',
    String(CONCURRENCY),
    '--cache-dir',
    join(dir, 'cache'),
  ];
  const cold = await rarft(args);
  const requests = server.log.length;
  const peak = server.peakInFlight;
  const before = server.log.length;
  const startup = await rarft(args);
  const warmRequests = server.log.length - before;

  const ideal = (requests * LATENCY_S) / CONCURRENCY;
  const bound = 1.25 * ideal + startup;
  console.log(
    `${items.length} items, ${requests} requests (cold), server latency ${LATENCY_S * 1000} ms, concurrency ${CONCURRENCY}`,
  );
  figure(
    'cold wall time',
    cold.toFixed(2),
    ' s',
    `≤ ${bound.toFixed(2)} s = 1.25 × ${ideal.toFixed(2)} s ideal + ${startup.toFixed(2)} s start-up`,
    cold <= bound,
  );
  console.log(
    `  = ${(cold / ideal).toFixed(3)} × the ideal ${ideal.toFixed(2)} s ` +
      `(${(requests / cold).toFixed(1)} requests/s; ideal ${(CONCURRENCY / LATENCY_S).toFixed(0)}/s)`,
  );
  figure('warm rerun requests', warmRequests, '', '0', warmRequests === 0);
  console.log(`warm rerun wall time: ${startup.toFixed(2)} s (no target; the start-up in the bound above)`);
  figure(
    'peak requests in flight (server side)',
    peak,
    '',
    `≤ ${CONCURRENCY}, and = ${CONCURRENCY} when the pool is kept full`,
    peak === CONCURRENCY,
  );
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

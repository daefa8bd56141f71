import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { ensureBuilt, rarft } from '../../support/cli';
import { referencePath, ROOT, tempDir, text } from '../../support/fixtures';

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** One item that needs the judge, one decided without a request (empty output). */
function twoItems(dir: string): string {
  const p = join(dir, 'items.json');
  writeFileSync(
    p,
    text([
      {
        video: 'a.mp4',
        query: 'q1',
        model_output: '<answer>The event happens at 1 to 2.</answer>',
        gt_relevant: true,
        gt_timestamp: [1, 2],
      },
      { video: 'b.mp4', query: 'q2', model_output: '', gt_relevant: false, gt_output: '<answer>No.</answer>' },
    ]),
  );
  return p;
}

test(
  'a judgment that failed gives exit 1 (files still written) unless --max-judge-errors allows it; ' +
    'the first line says what the figures rest on',
  async () => {
    const dir = tempDir();
    const items = twoItems(dir);
    const base = [
      'evaluate',
      items,
      '--out',
      join(dir, 'm.json'),
      '--judge',
      'llm',
      '--model',
      'm',
      '--max-retries',
      '0',
    ];
    const url = ['--base-url', `http://127.0.0.1:${await closedPort()}/v1`];
    const r = rarft([...base, ...url]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.equal(
      r.stdout.split('\n')[0],
      '1 items judged (llm:m): the figures rest on 1 of 2 items (1 left out after judge errors)',
    );
    assert.match(
      r.stderr,
      /1 of 2 items have failed judgments \(1 relevance errors\).*pass --items-out FILE to keep each item's judge_errors/,
    );
    assert.doesNotMatch(r.stderr, /the errors are in/);
    assert.equal(JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')).num_items, 1, 'metrics written all the same');
    assert.equal(rarft([...base, ...url, '--max-judge-errors', '1']).status, 0);
    assert.equal(rarft([...base, ...url, '--max-judge-errors', '50%']).status, 0);
    assert.equal(rarft([...base, ...url, '--max-judge-errors', '49%']).status, 1);
    const bad = rarft([...base, ...url, '--max-judge-errors=-3']);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--max-judge-errors: expected a whole number N or a percentage/);
    const dash = rarft([...base, ...url, '--max-judge-errors', '-3']);
    assert.equal(dash.status, 2);
    assert.equal(
      dash.stderr,
      'rarft: --max-judge-errors -3: a value that starts with a dash reads as an option; write --max-judge-errors=-3\n',
    );
    const twice = rarft([...base, ...url, '--out', join(dir, 'other.json')]);
    assert.equal(twice.status, 2);
    assert.match(twice.stderr, /--out given twice/);
  },
);

test('summary: – for figures with nothing behind them (offline RT-IoU, reasoning), an unknown level row', () => {
  const dir = tempDir();
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, 30);
  for (const it of items.slice(0, 3)) {
    delete it.hardness_level;
    delete it.irrelevance_level;
    delete it.difficulty;
  }
  writeFileSync(join(dir, 'items.json'), text(items));
  const r = rarft(['evaluate', join(dir, 'items.json'), '--out', join(dir, 'm.json')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^RT-IoU\s+–$/m);
  assert.match(r.stdout, /^reasoning \(irrelevant \/ TN\)\s+– \/ –$/m);
  assert.match(r.stdout, /^unknown\s+3\s/m);
  assert.doesNotMatch(r.stdout, /0\.000 \/ 0\.000|n\/a/);
  const m = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
  assert.equal(m['RT-IoU'], 0, 'the reference value is kept for parity');
  assert.ok(m.evaluation.not_computed.figures.includes('RT-IoU'));
});

test('invalid items stop evaluate before judging, each at file:line:col; --skip-invalid leaves them out and lists them', () => {
  const dir = tempDir();
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, 8);
  items[2].gt_relevant = 'false';
  items[4].gt_timestamp = [9, 3];
  const file = join(dir, 'items.json');
  writeFileSync(file, text(items));
  const lines = readFileSync(file, 'utf8').split('\n');
  const r = rarft(['evaluate', file, '--out', join(dir, 'm.json')]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /2 items failed validation; nothing was judged/);
  const at = [...r.stderr.matchAll(/items\.json:(\d+):(\d+): error ([a-z-]+)/g)];
  assert.deepEqual(
    at.map((m) => m[3]),
    ['wrong-type', 'timestamp-out-of-range'],
  );
  assert.match(lines[Number(at[0][1]) - 1].slice(Number(at[0][2]) - 1), /^"false"/);
  assert.match(lines[Number(at[1][1]) - 1].slice(Number(at[1][2]) - 1), /^\[/);
  const s = rarft(['evaluate', file, '--out', join(dir, 'm.json'), '--skip-invalid']);
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /the figures rest on 6 of 8 items \(2 invalid items skipped\)/);
  assert.match(s.stdout, /left out as invalid \(--skip-invalid\):\n.*items\.json:\d+:\d+: error wrong-type: item 2/);
});

test('SIGTERM stops evaluate like Ctrl-C: exit 143, one line on stderr, no temp files left', async () => {
  ensureBuilt();
  const dir = tempDir();
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, 20);
  writeFileSync(join(dir, 'items.json'), text(items));
  const sockets = new Set<Socket>();
  let connected!: () => void;
  const firstConnection = new Promise<void>((r) => (connected = r));
  const silent = createServer((s) => {
    sockets.add(s);
    connected();
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as { port: number }).port;
  try {
    const args = ['evaluate', join(dir, 'items.json'), '--out', join(dir, 'm.json'), '--judge', 'llm', '--model', 'm'];
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'rarft.js'), ...args, '--base-url', `http://127.0.0.1:${port}/v1`],
      {
        cwd: dir,
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await firstConnection;
    child.kill('SIGTERM');
    assert.equal(await exited, 143, stderr);
    assert.match(stderr, /rarft: stopped; work done so far is kept, temp files removed \(SIGTERM\)/);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
    );
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

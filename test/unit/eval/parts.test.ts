import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { offlineJudge } from '../../../src/core/eval/judge';
import { evaluateInParts, PARTS_MIN_BYTES, partRanges } from '../../../src/core/eval/parts';
import { runEvaluation } from '../../../src/core/eval/run';
import { WorkerThreads } from '../../../src/core/threads/pool';
import { rarft } from '../../support/cli';
import { referencePath, tempDir, text } from '../../support/fixtures';

/** The worker as `npm test` builds it (the build runs before the suites). */
const WORKER = join(__dirname, '..', '..', '..', 'dist', 'worker.js');

const load = (name: string): Record<string, unknown>[] => JSON.parse(readFileSync(referencePath(name), 'utf8'));

/** 900 items of the reference run; a few (video, query) pairs repeated far apart (so across parts), one with no GT answer. */
function items(): Record<string, unknown>[] {
  const base = load('charades.offline.items.json');
  const out = Array.from({ length: 900 }, (_, i) => ({ ...base[i % base.length] }));
  out[850] = { ...out[3] }; // the same (video, query) as item 3: a duplicate-query warning across parts
  out[700] = { ...out[420] };
  const refusable = out.findIndex((it) => it.gt_relevant === false);
  out[refusable] = { ...out[refusable], gt_output: '' }; // an empty-answer warning
  return out;
}

function write(dir: string, name: string, value: unknown, raw?: string): string {
  const path = join(dir, name);
  writeFileSync(path, raw ?? text(value));
  return path;
}

test('partRanges cuts between whole items, and only where a line break makes the tokens certain', () => {
  const list = [{ a: '}, {' }, { b: [1, { c: 2 }] }, { d: 'x' }, { e: null }];
  const buf = Buffer.from(JSON.stringify(list, null, 2));
  const ranges = partRanges(buf, 3)!;
  assert.equal(ranges.length, 3);
  const back = ranges.flatMap(([s, e]) => JSON.parse(`[${buf.toString('utf8', s, e)}]`));
  assert.deepStrictEqual(back, list);
  assert.equal(partRanges(Buffer.from(JSON.stringify(list)), 2), undefined, 'no line break: not cut');
  assert.equal(partRanges(Buffer.from(`${JSON.stringify(list, null, 2)} x`), 2), undefined, 'text after the array');
  assert.equal(partRanges(Buffer.from(`\ufeff${JSON.stringify(list, null, 2)}`), 2), undefined, 'a BOM');
  assert.equal(partRanges(Buffer.from(JSON.stringify({ a: list }, null, 2)), 2), undefined, 'not an array');
});

test('evaluated in parts on worker threads: the same metrics, judgments and warnings as in one thread', async (t) => {
  if (!existsSync(WORKER)) return t.skip('dist/worker.js is not built (npm run build)');
  const dir = tempDir('rarft-parts-');
  const path = write(dir, 'run.json', items());
  const judge = { judge: offlineJudge };
  const threads = new WorkerThreads(WORKER, 2);
  try {
    const parts = await evaluateInParts(path, { judge, minBytes: 0 }, threads);
    const one = await runEvaluation({ input: path, judge });
    assert.ok(parts, 'the file was evaluated in parts');
    assert.deepStrictEqual(parts.metrics, one.metrics);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(parts.judgments)), JSON.parse(JSON.stringify(one.judgments)));
    const sorted = (o: Record<string, number>) => Object.entries(o).sort();
    assert.deepStrictEqual(sorted(parts.report.warningsByCode), sorted(one.report.warningsByCode));
    assert.equal(one.report.warningsByCode['duplicate-query'], 2);
    assert.equal(parts.report.items, 900);
    // --rejudge: the judgments cached in an items file are judged again, in parts as in one thread.
    const again = await evaluateInParts(path, { judge, rejudge: true, minBytes: 0 }, threads);
    assert.deepStrictEqual(again?.metrics, (await runEvaluation({ input: path, judge, rejudge: true })).metrics);
  } finally {
    await threads.close();
  }
});

test('a validation error, an unreadable part or a failing worker leaves the file to one thread', async (t) => {
  if (!existsSync(WORKER)) return t.skip('dist/worker.js is not built (npm run build)');
  const dir = tempDir('rarft-parts-');
  const judge = { judge: offlineJudge };
  const bad = items();
  bad[880] = { ...bad[880], gt_relevant: 'yes' }; // an error in the worker's part
  const threads = new WorkerThreads(WORKER, 1);
  try {
    assert.equal(await evaluateInParts(write(dir, 'bad.json', bad), { judge, minBytes: 0 }, threads), undefined);
    const whole = text(items());
    const last = whole.lastIndexOf('\n  {\n');
    const notObject = `${whole.slice(0, last)}\n  7,${whole.slice(last)}`; // an item that is not an object, in the last part
    assert.equal(
      await evaluateInParts(write(dir, 'seven.json', null, notObject), { judge, minBytes: 0 }, threads),
      undefined,
    );
    assert.equal(
      await evaluateInParts(write(dir, 'small.json', items()), { judge }, threads),
      undefined,
      'below the size where parts pay',
    );
  } finally {
    await threads.close();
  }
  const crashing = write(
    dir,
    'crash.js',
    null,
    "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n",
  );
  const failing = new WorkerThreads(crashing, 1);
  try {
    assert.equal(await evaluateInParts(write(dir, 'ok.json', items()), { judge, minBytes: 0 }, failing), undefined);
  } finally {
    await failing.close();
  }
});

test('rarft evaluate on a file past the size where parts pay: metrics and summary as evaluated in one thread', async () => {
  const dir = tempDir('rarft-parts-cli-');
  const base = items();
  const big = Array.from({ length: 10_000 }, (_, i) => ({ ...base[i % base.length], video: `v${i % 2000}.mp4` }));
  const path = write(dir, 'big.json', big);
  assert.ok(readFileSync(path).length >= PARTS_MIN_BYTES, 'the file is large enough to be cut');
  const r = rarft(['evaluate', path, '--out', join(dir, 'm.json')], undefined, { RARFT_PROFILE: '1' });
  assert.equal(r.status, 0, r.stderr);
  if (availableParallelism() > 1) assert.doesNotMatch(r.stderr, /parse=/, 'read in parts: no whole-file parse phase');
  const written = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
  delete written.evaluation.run_id;
  const one = await runEvaluation({ input: path, judge: { judge: offlineJudge } });
  assert.deepStrictEqual(written, JSON.parse(JSON.stringify(one.metrics)));
  const single = rarft(['evaluate', path, '--out', join(dir, 'm1.json'), '--items-out', join(dir, 'items.json')]);
  assert.equal(single.status, 0, single.stderr);
  assert.equal(r.stdout, single.stdout, 'the same summary as the one-thread run (--items-out keeps it in one thread)');
});

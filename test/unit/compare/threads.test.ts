import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapDeltas } from '../../../src/core/compare/bootstrap';
import { assignTables, loadSide, SIDE_KEYS, threadBootstrapper } from '../../../src/core/compare/threads';
import { WorkerThreads } from '../../../src/core/threads/pool';
import { readItems } from '../../../src/core/eval/read';
import { offlineJudge } from '../../../src/core/eval/judge';
import { judgeRun } from '../../../src/core/report/judgedRun';
import { packJudgments, unpackJudgments } from '../../../src/core/compare/wire';
import type { ClusterTable } from '../../../src/core/compare/stats';
import { rng } from '../../../scripts/lib/random.mjs';
import { tempDir } from '../../support/fixtures';

/** The worker as `npm test` builds it (the build runs before the suites). */
const WORKER = join(__dirname, '..', '..', '..', 'dist', 'worker.js');

/** A table of `clusters` videos and 4 metrics: counts, hits, a fractional mean, a sparse one. */
function table(clusters: number, seed: number): ClusterTable {
  const r = rng(seed);
  const M = 4;
  const data = new Float64Array(clusters * M * 4);
  for (let v = 0; v < clusters; v++) {
    const n = 1 + Math.floor(r() * 4);
    const at = (m: number) => (v * M + m) * 4;
    data.set([Math.floor(r() * (n + 1)), n, Math.floor(r() * (n + 1)), n], at(0));
    data.set([r() * n, n, r() * n, n], at(1));
    if (r() < 0.4) data.set([r(), 1, r(), 1], at(2));
    data.set([Math.floor(r() * 2) * 100, 1, Math.floor(r() * 2) * 100, 1], at(3));
  }
  return { clusters, metrics: M, data };
}

const tables = [table(3000, 1), table(800, 2), table(1500, 3), table(40, 4), table(2200, 5)];
const oneThread = () => tables.map((t) => bootstrapDeltas(t, 300, 9));

test('assignTables spreads the work: the largest tables on different threads, every table placed', () => {
  const thread = assignTables(tables, 2);
  assert.equal(thread.length, tables.length);
  assert.notEqual(thread[0], thread[4], 'the two largest tables share a thread');
  assert.ok(thread.every((k) => k === 0 || k === 1));
  assert.deepEqual(assignTables(tables, 1), [0, 0, 0, 0, 0]);
});

test('a pool of worker threads gives exactly the intervals of one thread', async (t) => {
  if (!existsSync(WORKER)) return t.skip('dist/worker.js is not built (npm run build)');
  const threads = new WorkerThreads(WORKER, 2);
  try {
    assert.deepStrictEqual(await threadBootstrapper(threads)(tables, 300, 9), oneThread());
    // A second request on the same threads (the CLI asks once; the pool must not hold stale replies).
    assert.deepStrictEqual(await threadBootstrapper(threads)(tables.slice(1), 300, 9), oneThread().slice(1));
  } finally {
    await threads.close();
  }
});

test('a worker that dies has its share computed in this thread: the same intervals', async () => {
  const dir = tempDir('rarft-bootstrap-');
  const crashing = join(dir, 'crash.js');
  writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
  const threads = new WorkerThreads(crashing, 2);
  try {
    assert.deepStrictEqual(await threadBootstrapper(threads)(tables, 300, 9), oneThread());
  } finally {
    await threads.close();
  }
});

test('without the worker file the pool runs everything in this thread', async () => {
  const threads = new WorkerThreads(join(tempDir('rarft-bootstrap-'), 'missing.js'), 2);
  assert.deepStrictEqual(await threadBootstrapper(threads)(tables, 300, 9), oneThread());
  await threads.close();
});

/** A small run: answerable and refusable items over a few videos, some outputs without tags. */
function runFile(dir: string, name: string, seed: number): string {
  const r = rng(seed);
  const items = Array.from({ length: 60 }, (_, i) => {
    const answerable = i % 3 !== 0;
    const s = Math.round(r() * 20);
    const out = r() < 0.5 ? `<think>t</think><answer>${s} to ${s + 5}</answer>` : 'the video does not show it';
    return {
      video: `v${i % 7}.mp4`,
      query: `q${i}`,
      model_output: out,
      gt_relevant: answerable,
      gt_timestamp: answerable ? [5, 15] : null,
      gt_output: answerable ? '' : '<answer>no such event</answer>',
      gt_categories: answerable ? [] : ['action'],
      hardness_level: answerable ? 'original' : 'strong',
    };
  });
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(items, null, 2));
  return path;
}

test('a worker reads and judges a run exactly as this thread does (only the keys a comparison reads come back)', async (t) => {
  if (!existsSync(WORKER)) return t.skip('dist/worker.js is not built (npm run build)');
  const dir = tempDir('rarft-threads-');
  const path = runFile(dir, 'b.json', 3);
  const threads = new WorkerThreads(WORKER, 1);
  try {
    const got = await loadSide(threads, path);
    const { items } = await readItems(path);
    const want = await judgeRun(path, items, { judge: offlineJudge });
    assert.ok(got, 'the worker delivered the run');
    assert.deepStrictEqual(JSON.parse(JSON.stringify(got.judgments)), JSON.parse(JSON.stringify(want.judgments)));
    assert.deepStrictEqual(got.provenance, want.provenance);
    assert.equal(got.items.length, items.length);
    assert.deepStrictEqual(Object.keys(got.items[0]).sort(), [...SIDE_KEYS].sort());
    assert.deepStrictEqual(got.items[4].gt_timestamp, items[4].gt_timestamp);
    // A file the worker cannot read is left to this thread (whose messages the user sees).
    writeFileSync(join(dir, 'broken.json'), '[{"video": ');
    assert.equal(await loadSide(threads, join(dir, 'broken.json')), undefined);
    assert.equal(await loadSide(threads, join(dir, 'missing.json')), undefined);
  } finally {
    await threads.close();
  }
});

test('packed judgments unpack to equal judgments: nulls, spans, lists, reused steps, errors and disagreements', async () => {
  const dir = tempDir('rarft-wire-');
  const { items } = await readItems(runFile(dir, 'a.json', 5));
  items[1].classification_correct = true; // a reused judgment
  items[2].iou = 0.25;
  const judgments = [...(await judgeRun(join(dir, 'a.json'), items, { judge: offlineJudge })).judgments];
  judgments[3] = { ...judgments[3], errors: [{ step: 'relevance', error: 'HTTP 500' }], predRelevant: null, iou: null };
  judgments[4] = {
    ...judgments[4],
    disagreement: {
      offline: { classification: 'relevant', span: [1, 2] },
      judge: { classification: 'irrelevant', span: null },
    },
  };
  delete judgments[5].level;
  const back = unpackJudgments(packJudgments(judgments));
  assert.deepStrictEqual(JSON.parse(JSON.stringify(back)), JSON.parse(JSON.stringify(judgments)));
  back.forEach((j, i) => {
    assert.equal('level' in j, 'level' in judgments[i], `item ${i}: level`);
    assert.equal(j.iou, judgments[i].iou, `item ${i}: iou (null stays null)`);
  });
  assert.ok(back.some((j) => j.reused?.length) && back.some((j) => j.categoriesUnjudged));
});

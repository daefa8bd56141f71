import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapDeltas } from '../../../src/core/compare/bootstrap';
import { assignTables, BootstrapPool } from '../../../src/core/compare/bootstrapPool';
import type { ClusterTable } from '../../../src/core/compare/stats';
import { rng } from '../../../scripts/lib/random.mjs';
import { tempDir } from '../../support/fixtures';

/** The worker as `npm test` builds it (the build runs before the suites). */
const WORKER = join(__dirname, '..', '..', '..', 'dist', 'bootstrapWorker.js');

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
  if (!existsSync(WORKER)) return t.skip('dist/bootstrapWorker.js is not built (npm run build)');
  const pool = new BootstrapPool(WORKER, 2);
  try {
    assert.deepStrictEqual(await pool.bootstrap(tables, 300, 9), oneThread());
    // A second request on the same threads (the CLI asks once; the pool must not hold stale replies).
    assert.deepStrictEqual(await pool.bootstrap(tables.slice(1), 300, 9), oneThread().slice(1));
  } finally {
    await pool.close();
  }
});

test('a worker that dies has its share computed in this thread: the same intervals', async () => {
  const dir = tempDir('rarft-bootstrap-');
  const crashing = join(dir, 'crash.js');
  writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
  const pool = new BootstrapPool(crashing, 2);
  try {
    assert.deepStrictEqual(await pool.bootstrap(tables, 300, 9), oneThread());
  } finally {
    await pool.close();
  }
});

test('without the worker file the pool runs everything in this thread', async () => {
  const pool = new BootstrapPool(join(tempDir('rarft-bootstrap-'), 'missing.js'), 2);
  assert.deepStrictEqual(await pool.bootstrap(tables, 300, 9), oneThread());
  await pool.close();
});

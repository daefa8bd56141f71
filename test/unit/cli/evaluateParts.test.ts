/**
 * `rarft evaluate` of a large file that writes only the metrics goes in two parts: the worker
 * bin/rarft.js starts before the bundle judges the second part (src/cli/worker.ts). The output
 * is the one-thread output; a run that needs every item here, or an invalid item, goes in one.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rarft } from '../../support/cli';
import { referencePath, tempDir, text } from '../../support/fixtures';

/** 7,000 items (about 6 MB, above the size read in one), each copy's videos renamed. */
function bigRun(dir: string, change?: (items: Record<string, unknown>[]) => void): string {
  const base = JSON.parse(readFileSync(referencePath('charades.items.json'), 'utf8')) as Record<string, unknown>[];
  const items = Array.from({ length: 7000 }, (_, i) => ({
    ...base[i % base.length],
    video: String(base[i % base.length].video).replace('.mp4', `_${Math.floor(i / base.length)}.mp4`),
  }));
  change?.(items);
  const file = join(dir, 'run.json');
  writeFileSync(file, text(items));
  return file;
}

const threads = (stderr: string) => /^profile: .* threads=(\d)/m.exec(stderr)?.[1];
const withoutRunId = (file: string) => {
  const m = JSON.parse(readFileSync(file, 'utf8'));
  delete m.evaluation.run_id;
  return m;
};

test('rarft evaluate: a large run in two threads writes the metrics and prints the summary of one thread', () => {
  const dir = tempDir('rarft-parts-cli-');
  const input = bigRun(dir);
  const two = rarft(['evaluate', input, '--out', join(dir, 'two.json')], dir, { RARFT_PROFILE: '1' });
  assert.equal(two.status, 0, two.stderr);
  assert.equal(threads(two.stderr), '2', two.stderr);
  const one = rarft(['evaluate', input, '--out', join(dir, 'one.json')], dir, {
    RARFT_PROFILE: '1',
    RARFT_THREADS: '0',
  });
  assert.equal(one.status, 0, one.stderr);
  assert.equal(threads(one.stderr), '1', 'RARFT_THREADS=0 keeps one thread');
  assert.equal(two.stdout, one.stdout);
  assert.deepStrictEqual(withoutRunId(join(dir, 'two.json')), withoutRunId(join(dir, 'one.json')));

  // The items file needs every item in this thread: one thread, the same metrics.
  const items = rarft(['evaluate', input, '--out', join(dir, 'm.json'), '--items-out', join(dir, 'i.json')], dir, {
    RARFT_PROFILE: '1',
  });
  assert.equal(items.status, 0, items.stderr);
  assert.equal(threads(items.stderr), '1');
  const m = withoutRunId(join(dir, 'm.json'));
  delete m.evaluation.items_file;
  assert.deepStrictEqual(m, withoutRunId(join(dir, 'one.json')));
});

test('rarft evaluate: an invalid item in the second part stops the run with the one-thread message', () => {
  const dir = tempDir('rarft-parts-cli-');
  const input = bigRun(dir, (items) => {
    items[6500].gt_timestamp = [5, 2];
  });
  const two = rarft(['evaluate', input, '--out', join(dir, 'two.json')], dir);
  const one = rarft(['evaluate', input, '--out', join(dir, 'one.json')], dir, { RARFT_THREADS: '0' });
  assert.equal(two.status, 1);
  assert.match(two.stderr, /item 6500: "gt_timestamp" \[5, 2\]: expected 0 ≤ start < end/);
  assert.match(two.stderr, /run\.json:\d+:\d+/);
  assert.equal(two.stderr, one.stderr);
});

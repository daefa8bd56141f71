import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexPaths } from '../../../src/core/dataset/indexFiles';
import { ROOT } from '../../support/fixtures';

test('the shipped samples: two annotation files and a run whose every item joins to them', async () => {
  const r = await indexPaths([join(ROOT, 'samples')], { relativeTo: join(ROOT, 'samples') });
  assert.deepEqual(
    r.files.map((f) => [f.path, f.kind]),
    [
      ['data/hi_vtg_charades.json', 'annotations'],
      ['data/human_anno.json', 'annotations'],
      ['runs/qwen2.5-vl-7b-rarft/inference_results_merged.json', 'inference'],
    ],
  );
  const run = r.files[2];
  assert.equal(run.items?.length, 300);
  assert.deepEqual(
    run.problems.filter((p) => p.code.startsWith('join-')),
    [],
  );
  // The extension package carries the run, so the walkthrough's "Evaluate a run" has one.
  assert.match(readFileSync(join(ROOT, '.vscodeignore'), 'utf8'), /^!samples\/runs\/\*\*$/m);
});

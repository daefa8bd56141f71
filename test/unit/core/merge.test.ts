import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { mergeShards } from '../../../src/core/merge';
import { tempDir, text } from '../../support/fixtures';

function shards(dir: string, counts: Record<number, number>): void {
  for (const [i, n] of Object.entries(counts)) {
    writeFileSync(
      join(dir, `inference_results_gpu${i}.json`),
      text(Array.from({ length: n }, (_, k) => ({ shard: Number(i), k }))),
    );
  }
}

test('merges shards in numeric shard order (gpu10 after gpu2)', async () => {
  const dir = tempDir();
  shards(dir, { 0: 2, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 2 });
  const r = await mergeShards(dir);
  assert.equal(r.status, 'written');
  const merged = JSON.parse(readFileSync(join(dir, 'inference_results_merged.json'), 'utf8'));
  assert.equal(merged.length, 13);
  assert.deepEqual(
    merged.map((x: any) => x.shard),
    [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10],
  );
});

test('an identical merged file is left alone; a different one is not overwritten without force', async () => {
  const dir = tempDir();
  shards(dir, { 0: 1, 1: 1 });
  await mergeShards(dir);
  assert.equal((await mergeShards(dir)).status, 'unchanged');
  const out = join(dir, 'inference_results_merged.json');
  writeFileSync(out, '[{"hand": "edited"}]');
  await assert.rejects(mergeShards(dir), /exists and differs/);
  assert.equal(readFileSync(out, 'utf8'), '[{"hand": "edited"}]');
  assert.equal((await mergeShards(dir, { force: true })).status, 'written');
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).length, 2);
});

test('missing shards and broken shards are refused with the reason', async () => {
  const dir = tempDir();
  shards(dir, { 0: 1, 2: 1 });
  await assert.rejects(mergeShards(dir), /gpu1 missing/);
  const r = await mergeShards(dir, { force: true });
  assert.deepEqual(r.missing, [1]);
  unlinkSync(join(dir, 'inference_results_merged.json'));
  writeFileSync(join(dir, 'inference_results_gpu1.json'), '[{"a": 1},');
  await assert.rejects(mergeShards(dir), /inference_results_gpu1.json:1:11: not valid JSON/);
  await assert.rejects(mergeShards(tempDir()), /no inference_results_gpu/);
});

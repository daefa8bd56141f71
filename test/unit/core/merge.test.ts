import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
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

function items(video: string, queries: string[]): unknown[] {
  return queries.map((query) => ({ video, query, model_output: '<answer>1 to 2</answer>' }));
}

test('overlapping shards (the same (video, query) in two) are refused, naming the shards and the item', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'inference_results_gpu0.json'), text(items('a.mp4', ['q1', 'q2'])));
  writeFileSync(join(dir, 'inference_results_gpu1.json'), text(items('a.mp4', ['q3', 'q2'])));
  await assert.rejects(
    mergeShards(dir),
    /inference_results_gpu1\.json overlaps an earlier shard: item 1 \(video a\.mp4, query "q2"\) is also inference_results_gpu0\.json item 1; pass --force/,
  );
  assert.throws(() => readFileSync(join(dir, 'inference_results_merged.json')), /ENOENT/);
  const r = await mergeShards(dir, { force: true });
  assert.equal(r.items, 4);
  assert.equal(r.forced.length, 1);
});

test('gpu1 and gpu01 are one shard twice: refused, naming both files', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'inference_results_gpu0.json'), text(items('a.mp4', ['q1'])));
  writeFileSync(join(dir, 'inference_results_gpu1.json'), text(items('b.mp4', ['q1'])));
  writeFileSync(join(dir, 'inference_results_gpu01.json'), text(items('c.mp4', ['q1'])));
  await assert.rejects(
    mergeShards(dir),
    /inference_results_gpu01\.json and inference_results_gpu1\.json are both shard gpu1/,
  );
  assert.equal((await mergeShards(dir, { force: true })).items, 3);
});

test('an annotation file named like a shard is refused', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'inference_results_gpu0.json'), text(items('a.mp4', ['q1'])));
  writeFileSync(
    join(dir, 'inference_results_gpu1.json'),
    text([
      { video: 'a.mp4', duration: 10, timestamp: [1, 2], GRPO: [{ q: 'q1', a: '<answer>1 to 2</answer>', r: true }] },
    ]),
  );
  await assert.rejects(mergeShards(dir), /inference_results_gpu1\.json is an annotation file/);
});

test('merge writes through the one output writer: a dead run’s temp file beside the output is cleared', async () => {
  const dir = tempDir();
  shards(dir, { 0: 1, 1: 1 });
  const stale = join(dir, '.inference_results_merged.json.999999999.deadbeef.tmp');
  writeFileSync(stale, 'half of a killed merge');
  assert.equal((await mergeShards(dir)).status, 'written');
  assert.equal(existsSync(stale), false, 'the stale temp file is removed');
  assert.equal(JSON.parse(readFileSync(join(dir, 'inference_results_merged.json'), 'utf8')).length, 2);
});

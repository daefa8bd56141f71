/** RA-RFT training and sharded inference as ssh jobs, played by the stand-in scripts in a fake checkout. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rarft } from '../../support/cli';
import { cut } from '../../support/fixtures';
import { fakeCheckout, launch, remote, tempDir, waitState } from '../../support/remote';
import { type Sshd, startSshd } from '../../support/sshd';

let s: Sshd;
let ws: string;
let co: string;

before(async () => {
  s = await startSshd();
  ws = tempDir('rarft ws');
  co = fakeCheckout();
});
after(async () => {
  await s?.stop();
  rmSync(ws, { recursive: true, force: true });
});

describe('launch train / infer', () => {
  test('train runs main_rarft.py under torch.distributed.run and resumes from the newest checkpoint', async () => {
    const out = join(tempDir('train out'), 'run 1');
    const common = ['train', '--checkout', co, '--python', 'python3', '--gpus', '2', '--model', 'Qwen/Qwen2.5-VL-7B'];
    const args = [
      ...common,
      '--train-data',
      'data/train.json',
      '--output-dir',
      out,
      '--save-steps',
      '2',
      '--remote-root',
      s.remoteRoot,
    ];
    const first = launch(s, ws, [...args, '--reward-funcs', 'format,refuse_iou', '--', '--max_steps', '4']);
    assert.equal((await waitState(s, ws, first, ['exited'])).exit_code, 0);
    const log1 = remote(s, ws, ['logs', first]).stdout;
    assert.match(log1, /rank 0 of 2/);
    assert.match(log1, /rank 1 of 2/);
    assert.match(log1, /^reward_refuse_iou: \[/m);
    assert.doesNotMatch(log1, /reward_explain_correction/);
    assert.match(log1, /^\{'loss': 0\.04, .*'epoch': 1\.0\}$/m);
    assert.ok(existsSync(join(out, 'checkpoint-2', 'trainer_state.json')));
    assert.ok(existsSync(join(out, 'checkpoint-4', 'trainer_state.json')));
    const second = launch(s, ws, [...args, '--', '--max_steps', '6']);
    assert.equal((await waitState(s, ws, second, ['exited'])).exit_code, 0);
    const log2 = remote(s, ws, ['logs', second]).stdout;
    assert.match(
      log2,
      new RegExp(`Resuming from checkpoint ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/checkpoint-4 at step 4`),
    );
    assert.doesNotMatch(log2, /'loss': 0\.01,/);
    assert.match(log2, /'loss': 0\.05,/);
    assert.match(remote(s, ws, ['logs', second, '--stderr']).stdout, /rarft: resuming from .*checkpoint-4/);
    const failing = launch(s, ws, [...args, '--no-resume', '--', '--max_steps', '6', '--standin_fail_at', '2']);
    assert.equal((await waitState(s, ws, failing, ['exited'])).exit_code, 3);
  });

  test('infer starts one process per GPU; fetch brings the shards back merged', async () => {
    const data = join(tempDir('data'), 'test anno.json');
    const videos = cut('hi_vtg_charades.json', 4);
    writeFileSync(data, JSON.stringify(videos));
    const queries = videos.flatMap((v) => v.GRPO.map((q: { q: string }) => [v.video, q.q]));
    const out = join(tempDir('infer out'), 'inference_output');
    const id = launch(s, ws, [
      'infer',
      '--checkout',
      co,
      '--python',
      'python3',
      '--gpus',
      '0,1,2',
      '--model',
      './ckpts/m',
      '--test-data',
      data,
      '--output-dir',
      out,
      '--batch-size',
      '2',
      '--remote-root',
      s.remoteRoot,
    ]);
    assert.equal((await waitState(s, ws, id, ['exited'])).exit_code, 0);
    const log = remote(s, ws, ['logs', id]).stdout;
    for (const i of [0, 1, 2]) assert.match(log, new RegExp(`shard ${i}/3 on CUDA_VISIBLE_DEVICES=${i}`));
    const f = remote(s, ws, ['fetch', id, '--json']);
    assert.equal(f.status, 0, f.stderr);
    const r = JSON.parse(f.stdout);
    assert.equal(r.results, join(ws, 'runs', id));
    assert.deepEqual([r.merged.shards, r.merged.items], [3, queries.length]);
    const merged = JSON.parse(readFileSync(join(ws, 'runs', id, 'inference_results_merged.json'), 'utf8'));
    assert.deepEqual(
      merged.map((m: { video: string; query: string }) => [m.video, m.query]).sort(),
      queries.slice().sort(),
    );
    const idx = rarft(['index', join(ws, 'runs', id), '--json']);
    const kinds = JSON.parse(idx.stdout)
      .files.map((x: { kind: string }) => x.kind)
      .sort();
    assert.deepEqual(kinds, ['inference', 'inference-shard', 'inference-shard', 'inference-shard']);
  });

  test('push copies a folder up with rsync or tar over ssh, excludes honoured', () => {
    const src = tempDir('push src');
    writeFileSync(join(src, "anno it's.json"), '[]');
    writeFileSync(join(src, 'skip.mp4'), 'x');
    for (const how of ['rsync', 'tar']) {
      const dest = join(tempDir('push dest'), `to ${how}`);
      const r = remote(s, ws, [
        'push',
        s.host,
        src,
        dest,
        '--exclude',
        '*.mp4',
        '--json',
        ...(how === 'tar' ? ['--tar'] : []),
      ]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).method, how);
      assert.equal(readFileSync(join(dest, "anno it's.json"), 'utf8'), '[]');
      assert.equal(existsSync(join(dest, 'skip.mp4')), false);
    }
  });
});

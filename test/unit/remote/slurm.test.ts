/** Slurm jobs through ssh on a real one-node cluster: a two-task training job, a four-shard inference array, scancel. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cut } from '../../support/fixtures';
import { fakeCheckout, launch, remote, tempDir, until, waitState } from '../../support/remote';
import { type Slurm, slurmClient, startSlurm } from '../../support/slurm';
import { type Sshd, startSshd } from '../../support/sshd';

let cluster: Slurm;
let s: Sshd;
let ws: string;
let co: string;

before(async () => {
  cluster = await startSlurm();
  s = await startSshd({ setEnv: cluster.env });
  ws = tempDir('rarft ws');
  co = fakeCheckout();
});
after(async () => {
  await s?.stop();
  await cluster?.stop();
});

const slurmArgs = () => ['--slurm', '--remote-root', s.remoteRoot, '--checkout', co, '--python', 'python3'];

describe('Slurm', () => {
  test('a two-task training job runs through srun, each task with its rank', async () => {
    const out = join(tempDir('train out'), 'run');
    const id = launch(s, ws, [
      'train',
      ...slurmArgs(),
      '--tasks-per-node',
      '2',
      '--time',
      '10',
      '--model',
      'm',
      '--train-data',
      'd.json',
      '--output-dir',
      out,
      '--save-steps',
      '2',
      '--',
      '--max_steps',
      '3',
    ]);
    const st = await waitState(s, ws, id, ['exited'], 60_000);
    assert.equal(st.exit_code, 0);
    const log = remote(s, ws, ['logs', id]).stdout;
    assert.match(log, /rank 0 of 2/);
    assert.match(log, /rank 1 of 2/);
    assert.match(log, /'loss': 0\.03,/);
    const status = JSON.parse(remote(s, ws, ['status', '--json']).stdout).jobs.find((j: { id: string }) => j.id === id);
    assert.equal(status.engine, 'slurm');
    assert.match(status.slurmId, /^\d+$/);
  });

  test('sharded inference as a four-task job array; fetch merges the four shards', async () => {
    const data = join(tempDir('data'), 'anno.json');
    const videos = cut('hi_vtg_charades.json', 3);
    writeFileSync(data, JSON.stringify(videos));
    const n = videos.reduce((k, v) => k + v.GRPO.length, 0);
    const out = join(tempDir('infer out'), 'out');
    const id = launch(s, ws, [
      'infer',
      ...slurmArgs(),
      '--shards',
      '4',
      '--model',
      'm',
      '--test-data',
      data,
      '--output-dir',
      out,
    ]);
    assert.equal((await waitState(s, ws, id, ['exited'], 60_000)).exit_code, 0);
    const log = remote(s, ws, ['logs', id]).stdout;
    for (const i of [0, 1, 2, 3]) assert.match(log, new RegExp(`shard ${i}/4 `));
    const f = JSON.parse(remote(s, ws, ['fetch', id, '--json']).stdout);
    assert.deepEqual([f.merged.shards, f.merged.items], [4, n]);
  });

  test('cancel ends a Slurm job with scancel', async () => {
    const id = launch(s, ws, ['--slurm', '--remote-root', s.remoteRoot, '--cwd', '/tmp', '--', 'sleep', '300']);
    await waitState(s, ws, id, ['running'], 60_000);
    const rec = JSON.parse(remote(s, ws, ['status', '--json']).stdout).jobs.find((j: { id: string }) => j.id === id);
    const c = remote(s, ws, ['cancel', id, '--json']);
    assert.equal(c.status, 0, c.stderr);
    await waitState(s, ws, id, ['cancelled'], 30_000);
    await until(
      'squeue to forget the job',
      () => slurmClient(cluster, 'squeue', ['-h', '-j', rec.slurmId]).trim() === '',
    );
  });
});

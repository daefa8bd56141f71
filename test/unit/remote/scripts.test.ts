/** The generated remote scripts, run by a local sh: quoting, resume lookup, shard launch lines, sbatch text. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { shJoin, shQuote } from '../../../src/core/remote/quote';
import { inferArgv, withResume } from '../../../src/core/remote/rarftLaunch';
import { sbatchScript } from '../../../src/core/remote/slurm';
import { parsePartitions, parseSlurmState } from '../../../src/core/remote/slurmJobs';

const sh = (script: string) => execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });

test('shQuote: every byte comes back out of sh unchanged', () => {
  const weird = ["it's", 'a b', '$(id)', '`id`', 'x;y', 'l1\nl2', '', '\\', '"', '!', '*', '~', '-n'];
  const out = sh(`for a in ${shJoin(weird)}; do printf '[%s]' "$a"; done`);
  assert.equal(out, weird.map((w) => `[${w}]`).join(''));
  assert.equal(shQuote('plain/path-1.json'), 'plain/path-1.json');
  assert.throws(() => shQuote('a\0b'), /NUL/);
});

test('withResume picks the checkpoint with the largest number, not the last by name', () => {
  const d = mkdtempSync(join(tmpdir(), 'resume '));
  try {
    for (const c of ['checkpoint-4', 'checkpoint-10', 'checkpoint-9', 'checkpoint-x', 'other-50'])
      mkdirSync(join(d, c));
    const [cmd, ...args] = withResume(d, ['printf', '%s\\n']);
    const out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.deepEqual(out.trim().split('\n'), ['--resume_from_checkpoint', `${d}/checkpoint-10`]);
    const empty = join(d, 'none');
    const [c2, ...a2] = withResume(empty, ['printf', '%s\\n', 'no resume']);
    assert.equal(execFileSync(c2, a2, { encoding: 'utf8' }), 'no resume\n');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('inferArgv: one process per GPU with CUDA_VISIBLE_DEVICES and its shard; the first failure is the exit code', () => {
  const argv = inferArgv({ python: 'echo', gpus: [2, 5], modelPath: 'm', testData: 't d.json', outputDir: '/tmp' });
  const out = execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  assert.deepEqual(out.trim().split('\n').sort(), [
    'inference.py --model_path m --test_data_path t d.json --output_dir /tmp --batch_size 8 --curr_idx 0 --total_idx 2',
    'inference.py --model_path m --test_data_path t d.json --output_dir /tmp --batch_size 8 --curr_idx 1 --total_idx 2',
  ]);
  assert.match(argv[2], /CUDA_VISIBLE_DEVICES=2 echo inference\.py .*--curr_idx 0/);
  assert.match(argv[2], /CUDA_VISIBLE_DEVICES=5 echo inference\.py .*--curr_idx 1/);
  const bad = inferArgv({ python: 'false', gpus: [0, 1], modelPath: 'm', testData: 't', outputDir: '/tmp' });
  assert.throws(
    () => execFileSync(bad[0], bad.slice(1)),
    (e: { status: number }) => e.status === 1,
  );
});

test('sbatchScript: resources as #SBATCH lines, srun for training, an array for shards', () => {
  const train = sbatchScript(
    { nodes: 2, gpusPerNode: 8, partition: 'gpu', account: 'vtg', time: '2-00:00:00' },
    {
      jobName: 'rarft-x',
      jobDir: '/j d',
      cwd: '/co',
      argv: ['python', 'main_rarft.py', '--output_dir', 'o u t'],
      mode: 'srun',
    },
  );
  for (const l of [
    '--nodes=2',
    '--ntasks-per-node=8',
    '--gres=gpu:8',
    '--partition=gpu',
    '--account=vtg',
    '--time=2-00:00:00',
    '--output="/j d/stdout.log"',
    '--chdir="/co"',
  ])
    assert.ok(train.includes(`#SBATCH ${l}\n`), l);
  assert.match(train, /^srun --kill-on-bad-exit=1 .* rarft python main_rarft\.py --output_dir 'o u t'$/m);
  assert.match(train, /MASTER_ADDR=\$\(scontrol show hostnames/);
  const arr = sbatchScript(
    { array: 4 },
    { jobName: 'n', jobDir: '/j', cwd: '/c', argv: ['python', 'inference.py', '--curr_idx', '{shard}'], mode: 'array' },
  );
  assert.ok(arr.includes('#SBATCH --array=0-3\n'));
  assert.match(arr, /^python inference\.py --curr_idx "\$SLURM_ARRAY_TASK_ID"$/m);
  assert.throws(
    () => sbatchScript({ time: 'tomorrow' }, { jobName: 'n', jobDir: '/j', cwd: '/c', argv: ['x'], mode: 'single' }),
    /slurm time/,
  );
  assert.throws(
    () => sbatchScript({ partition: 'a;b' }, { jobName: 'n', jobDir: '/j', cwd: '/c', argv: ['x'], mode: 'single' }),
    /partition/,
  );
});

test('parseSlurmState: squeue first, then our exit codes, then sacct', () => {
  assert.equal(parseSlurmState('j', ['q|5_0|RUNNING|None', 'q|5_[1-3]|PENDING|Resources'], 4).state, 'running');
  assert.deepEqual(parseSlurmState('j', ['q|5|PENDING|Priority'], 1), {
    id: 'j',
    state: 'pending',
    exitCode: null,
    detail: 'Priority',
  });
  assert.deepEqual(
    parseSlurmState('j', ['c|exit_code_0|0', 'c|exit_code_1|2', 'c|exit_code_2|0', 'c|exit_code_3|0'], 4),
    { id: 'j', state: 'exited', exitCode: 2 },
  );
  assert.equal(parseSlurmState('j', ['a|7|CANCELLED by 0|0:15', 'x|cancelled'], 1).state, 'cancelled');
  assert.deepEqual(parseSlurmState('j', ['a|7|FAILED|1:0'], 1), {
    id: 'j',
    state: 'exited',
    exitCode: 1,
    detail: 'Slurm: FAILED',
  });
  // Killed at the time limit or out of memory: a failure, never an exit code of 0.
  assert.deepEqual(parseSlurmState('j', ['a|8|TIMEOUT|0:15'], 1), {
    id: 'j',
    state: 'exited',
    exitCode: null,
    detail: 'Slurm: TIMEOUT (signal 15)',
  });
  assert.deepEqual(parseSlurmState('j', ['a|9|OUT_OF_MEMORY|0:125'], 1).exitCode, null);
  assert.deepEqual(parseSlurmState('j', ['a|9|COMPLETED|0:0'], 1), { id: 'j', state: 'exited', exitCode: 0 });
  assert.equal(parseSlurmState('j', [], 1).state, 'unknown');
});

test('parsePartitions: sinfo -h -o %P lines, each partition once, the default marked', () => {
  assert.deepEqual(parsePartitions('debug*\na100\na100\n\nbad name\n'), [
    { name: 'debug', isDefault: true },
    { name: 'a100', isDefault: false },
  ]);
  assert.deepEqual(parsePartitions(''), []);
});

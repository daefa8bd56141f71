/** The launch form shared by the CLI and the editor: the argv it builds and the messages it gives. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildLaunch,
  checkField,
  INFER_FIELDS,
  LaunchFormError,
  SLURM_FIELDS,
  startingAnswers,
  TRAIN_FIELDS,
} from '../../../src/core/remote/launchForm';
import { rarft } from '../../support/cli';

const field = (fields: typeof TRAIN_FIELDS, key: string) => fields.find((f) => f.key === key)!;
const after = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];

test('training over ssh: torchrun argv with every field as its own argument, resume wrapper unless asked not to', () => {
  const weird = "my data; $(touch x) 'q'.json";
  const b = buildLaunch('train', 'gpu1', {
    model: 'Qwen/Qwen2.5-VL-7B',
    'train-data': weird,
    'output-dir': 'ck pts',
    gpus: '2',
    'reward-funcs': 'format, refuse_iou',
    'num-generations': '4',
    epochs: '1.5',
    'learning-rate': '1e-6',
    'save-steps': '10',
    'master-port': '29501',
    checkout: '/src/RA-RFT',
    python: 'python3',
  });
  assert.deepEqual(
    [b.mode, b.slurm, b.spec.cwd, b.spec.kind, b.spec.outputDir],
    ['srun', undefined, '/src/RA-RFT', 'train', 'ck pts'],
  );
  const argv = b.spec.argv;
  assert.deepEqual(argv.slice(0, 2), ['/bin/sh', '-c']);
  assert.deepEqual(argv.slice(4, 9), ['ck pts', 'python3', '-m', 'torch.distributed.run', '--nproc_per_node=2']);
  assert.ok(argv.includes('--master_port=29501'));
  assert.equal(after(argv, '--train_data_path'), weird);
  assert.equal(after(argv, '--num_generations'), '4');
  assert.deepEqual(argv.slice(argv.indexOf('--reward_funcs') + 1, argv.indexOf('--reward_funcs') + 3), [
    'format',
    'refuse_iou',
  ]);
  assert.equal(after(argv, '--num_train_epochs'), '1.5');
  assert.equal(after(argv, '--learning_rate'), '1e-6');
  assert.equal(after(argv, '--save_steps'), '10');
  const fresh = buildLaunch('train', 'gpu1', { model: 'm', 'train-data': 'd', 'output-dir': 'o', 'no-resume': 'true' });
  assert.deepEqual(fresh.spec.argv.slice(0, 4), ['python', '-m', 'torch.distributed.run', '--nproc_per_node=8']);
  assert.equal(fresh.spec.cwd, 'RA-RFT');
});

test('training on Slurm: srun tasks; partition, account, time and GPUs per node become the Slurm spec', () => {
  const b = buildLaunch(
    'train',
    'cluster',
    {
      model: 'm',
      'train-data': 'd',
      'output-dir': 'o',
      partition: 'a100',
      account: 'lab-1',
      time: '1-12:00:00',
      nodes: '2',
      'gpus-per-node': '4',
    },
    { slurm: true, extra: ['--max_steps', '4'] },
  );
  assert.equal(b.mode, 'srun');
  assert.deepEqual(b.slurm, {
    nodes: 2,
    gpusPerNode: 4,
    tasksPerNode: undefined,
    partition: 'a100',
    account: 'lab-1',
    time: '1-12:00:00',
  });
  assert.deepEqual(b.spec.argv.slice(-3), ['50', '--max_steps', '4']);
  assert.ok(!b.spec.argv.includes('torch.distributed.run'));
  const none = buildLaunch('train', 'c', { model: 'm', 'train-data': 'd', 'output-dir': 'o' }, { slurm: true });
  assert.equal(none.slurm?.gpusPerNode, 0);
});

test('inference: one process per GPU over ssh; a job array of N shards on Slurm', () => {
  const a = { model: 'm', 'test-data': 't.json', 'output-dir': 'out', gpus: '0, 2', 'batch-size': '4' };
  const ssh = buildLaunch('infer', 'h', a);
  assert.deepEqual([ssh.mode, ssh.spec.shards, ssh.spec.argv[0]], ['single', 2, '/bin/sh']);
  assert.match(ssh.spec.argv[2], /CUDA_VISIBLE_DEVICES=0 .*--curr_idx 0 --total_idx 2/);
  assert.match(ssh.spec.argv[2], /CUDA_VISIBLE_DEVICES=2 .*--batch_size 4 --curr_idx 1 --total_idx 2/);
  const sl = buildLaunch('infer', 'h', { ...a, shards: '4', partition: 'p' }, { slurm: true });
  assert.deepEqual([sl.mode, sl.spec.shards, sl.slurm?.array, sl.slurm?.partition], ['array', 4, 4, 'p']);
  assert.deepEqual(sl.spec.argv.slice(-4), ['--curr_idx', '{shard}', '--total_idx', '4']);
});

test('a wrong value names the field and what was expected', () => {
  assert.equal(
    checkField(field(TRAIN_FIELDS, 'gpus'), 'x'),
    "GPUs (processes per node): expected a whole number ≥ 1, got 'x'",
  );
  assert.equal(
    checkField(field(TRAIN_FIELDS, 'gpus'), '0'),
    "GPUs (processes per node): expected a whole number ≥ 1, got '0'",
  );
  assert.equal(checkField(field(TRAIN_FIELDS, 'model'), '  '), 'Model (path or hub id): required');
  assert.equal(
    checkField(field(TRAIN_FIELDS, 'learning-rate'), '-1'),
    "Learning rate: expected a number ≥ 0 (e.g. 2, 0.5, 1e-6), got '-1'",
  );
  assert.equal(
    checkField(field(INFER_FIELDS, 'gpus'), '0,1,0'),
    "GPUs (indices, one shard each): a GPU is listed twice in '0,1,0'",
  );
  assert.equal(
    checkField(field(SLURM_FIELDS, 'time'), '1:2'),
    "Slurm time limit: expected minutes, HH:MM:SS or D-HH:MM:SS, got '1:2'",
  );
  assert.equal(
    checkField(field(SLURM_FIELDS, 'partition'), 'a;b'),
    "Slurm partition: expected letters, digits, _ . - only, got 'a;b'",
  );
  assert.equal(checkField(field(SLURM_FIELDS, 'gpus-per-node'), '0'), undefined);
  assert.equal(checkField(field(SLURM_FIELDS, 'time'), '90'), undefined);
  assert.throws(
    () => buildLaunch('infer', 'h', { model: 'm', 'test-data': 't', 'output-dir': 'o', gpus: '0,a' }),
    (e) =>
      e instanceof LaunchFormError &&
      e.field === 'gpus' &&
      /expected GPU indices like 0,1,2,3, got '0,a'/.test(e.message),
  );
  assert.throws(
    () =>
      buildLaunch('train', 'h', { model: 'm', 'train-data': 't', 'output-dir': 'o', time: 'soon' }, { slurm: true }),
    (e) => e instanceof LaunchFormError && e.field === 'time',
  );
});

test('the CLI gives the same check as a usage error naming its option (before any ssh)', () => {
  const r = rarft([
    'remote',
    'launch',
    'nohost',
    'train',
    '--model',
    'm',
    '--train-data',
    'd',
    '--output-dir',
    'o',
    '--gpus',
    '2.5',
  ]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^rarft: launch train: --gpus: expected a whole number ≥ 1, got '2\.5'$/m);
  const m = rarft(['remote', 'launch', 'nohost', 'infer', '--test-data', 'd', '--output-dir', 'o']);
  assert.equal(m.status, 2);
  assert.match(m.stderr, /launch infer: --model: required/);
  const t = rarft(['remote', 'launch', 'nohost', '--slurm', '--time', '3 days', '--', 'true']);
  assert.equal(t.status, 2);
  assert.match(t.stderr, /launch: --time: expected minutes, HH:MM:SS or D-HH:MM:SS, got '3 days'/);
});

test("a form starts from the host's remembered answers, else the settings, else the fallbacks", () => {
  const a = startingAnswers(TRAIN_FIELDS, { model: 'mine', gpus: 'bad' }, { checkout: '/co' });
  assert.deepEqual(
    [a.model, a.gpus, a.checkout, a.python, a['save-steps'], a.epochs],
    ['mine', '8', '/co', 'python', '50', undefined],
  );
});

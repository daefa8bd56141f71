/** `rarft remote launch HOST (train|infer) [options] | launch HOST --cwd DIR -- COMMAND [ARG…]` */
import type { LaunchSpec } from '../../core/remote/jobRecord';
import { launchJob } from '../../core/remote/jobs';
import { inferArgs, inferArgv, type TrainOptions, trainArgv, trainArgvSrun } from '../../core/remote/rarftLaunch';
import type { SlurmSpec } from '../../core/remote/slurm';
import { launchSlurmJob } from '../../core/remote/slurmJobs';
import { CliError, numberOption, parse } from '../io';
import { common, context, guard, out } from './remoteCommon';

export const launchUsage = [
  'rarft remote launch HOST [--cwd DIR] [--output-dir DIR] [SLURM] -- COMMAND [ARG…]',
  '  rarft remote launch HOST train --model M --train-data F --output-dir D [--checkout DIR] [--gpus N] [--deepspeed CFG]',
  '      [--reward-funcs a,b,c] [--num-generations N] [--epochs N] [--batch-size N] [--grad-accum N] [--learning-rate LR]',
  '      [--save-steps N] [--no-resume] [--python PY] [SLURM] [-- EXTRA main_rarft.py ARGS]',
  '  rarft remote launch HOST infer --model M --test-data F --output-dir D [--checkout DIR] [--gpus 0,1,..] [--batch-size N]',
  '      [--preprocessed-data DIR] [--python PY] [SLURM (--shards N)] [-- EXTRA inference.py ARGS]',
  '  SLURM: --slurm [--nodes N] [--gpus-per-node N] [--tasks-per-node N] [--partition P] [--account A] [--time T]',
].join('\n');

const slurmOpts = {
  slurm: { type: 'boolean' },
  nodes: { type: 'string' },
  'gpus-per-node': { type: 'string' },
  'tasks-per-node': { type: 'string' },
  partition: { type: 'string' },
  account: { type: 'string' },
  time: { type: 'string' },
} as const;

const base = {
  ...common,
  ...slurmOpts,
  'remote-root': { type: 'string' },
  'output-dir': { type: 'string' },
  cwd: { type: 'string' },
} as const;

const rarftOpts = {
  ...base,
  checkout: { type: 'string' },
  python: { type: 'string' },
  gpus: { type: 'string' },
  model: { type: 'string' },
  'batch-size': { type: 'string' },
} as const;

const int = (name: string, v: unknown, min = 1) => {
  const n = numberOption(name, v, min);
  if (n !== undefined && !Number.isInteger(n)) throw new CliError(`--${name}: expected a whole number, got '${v}'`, 2);
  return n;
};

function slurmSpec(v: Record<string, unknown>): SlurmSpec {
  return {
    nodes: int('nodes', v.nodes),
    gpusPerNode: int('gpus-per-node', v['gpus-per-node'], 0),
    tasksPerNode: int('tasks-per-node', v['tasks-per-node']),
    partition: v.partition as string | undefined,
    account: v.account as string | undefined,
    time: v.time as string | undefined,
  };
}

const need = (v: Record<string, unknown>, k: string, what: string) => {
  if (typeof v[k] !== 'string' || !v[k]) throw new CliError(`launch ${what}: --${k} is required`, 2);
  return v[k] as string;
};

async function start(
  values: Record<string, unknown>,
  spec: LaunchSpec,
  mode: 'srun' | 'array' | 'single',
  slurmExtra: Partial<SlurmSpec> = {},
) {
  const { ssh, workspace } = context(values);
  const s = { ...spec, sshConfig: ssh.configFile, remoteRoot: values['remote-root'] as string | undefined };
  const job = values.slurm
    ? await guard(launchSlurmJob(workspace, { ...s, slurm: { ...slurmSpec(values), ...slurmExtra }, mode }, ssh))
    : await guard(launchJob(workspace, s, ssh));
  out(
    !!values.json,
    { job: job.id },
    `${job.id}: ${job.state} on ${job.host}${job.slurmId ? ` (Slurm job ${job.slurmId})` : ` (process group ${job.pgid})`}`,
  );
  return 0;
}

async function train(host: string, args: string[], extra: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...rarftOpts,
    'train-data': { type: 'string' },
    deepspeed: { type: 'string' },
    'reward-funcs': { type: 'string' },
    'num-generations': { type: 'string' },
    epochs: { type: 'string' },
    'grad-accum': { type: 'string' },
    'learning-rate': { type: 'string' },
    'save-steps': { type: 'string' },
    'master-port': { type: 'string' },
    'no-resume': { type: 'boolean' },
  });
  if (positionals.length)
    throw new CliError(`launch train: unexpected '${positionals[0]}' (extra arguments go after --)`, 2);
  const v = values as Record<string, unknown>;
  const o: TrainOptions = {
    python: v.python as string | undefined,
    gpus: int('gpus', v.gpus) ?? 8,
    nodes: int('nodes', v.nodes),
    masterPort: int('master-port', v['master-port']),
    model: need(v, 'model', 'train'),
    trainData: need(v, 'train-data', 'train'),
    outputDir: need(v, 'output-dir', 'train'),
    deepspeed: v.deepspeed as string | undefined,
    rewardFuncs: (v['reward-funcs'] as string | undefined)?.split(/[,\s]+/).filter(Boolean),
    numGenerations: int('num-generations', v['num-generations']),
    epochs: numberOption('epochs', v.epochs, 0),
    perDeviceBatchSize: int('batch-size', v['batch-size']),
    gradAccum: int('grad-accum', v['grad-accum']),
    learningRate: v['learning-rate'] as string | undefined,
    saveSteps: int('save-steps', v['save-steps']),
    resume: !v['no-resume'],
    extra,
  };
  const argv = v.slurm ? trainArgvSrun(o) : trainArgv(o);
  const cwd = (v.checkout as string) ?? 'RA-RFT';
  return start(v, { host, cwd, argv, kind: 'train', outputDir: o.outputDir }, 'srun', {
    gpusPerNode: int('gpus-per-node', v['gpus-per-node'], 0) ?? 0,
  });
}

async function infer(host: string, args: string[], extra: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...rarftOpts,
    'test-data': { type: 'string' },
    'preprocessed-data': { type: 'string' },
    shards: { type: 'string' },
  });
  if (positionals.length)
    throw new CliError(`launch infer: unexpected '${positionals[0]}' (extra arguments go after --)`, 2);
  const v = values as Record<string, unknown>;
  const gpuList = ((v.gpus as string | undefined) ?? '0').split(',').map((g) => {
    if (!/^\d+$/.test(g.trim())) throw new CliError(`--gpus: expected GPU indices like 0,1,2,3, got '${v.gpus}'`, 2);
    return Number(g);
  });
  const o = {
    python: v.python as string | undefined,
    gpus: gpuList,
    modelPath: need(v, 'model', 'infer'),
    testData: need(v, 'test-data', 'infer'),
    outputDir: need(v, 'output-dir', 'infer'),
    batchSize: int('batch-size', v['batch-size']),
    preprocessedDataPath: v['preprocessed-data'] as string | undefined,
    extra,
  };
  const cwd = (v.checkout as string) ?? 'RA-RFT';
  if (v.slurm) {
    const shards = int('shards', v.shards) ?? gpuList.length;
    const argv = inferArgs(o, '{shard}', shards);
    return start(v, { host, cwd, argv, kind: 'infer', outputDir: o.outputDir, shards }, 'array', {
      array: shards,
      gpusPerNode: int('gpus-per-node', v['gpus-per-node'], 0) ?? 0,
    });
  }
  return start(
    v,
    { host, cwd, argv: inferArgv(o), kind: 'infer', outputDir: o.outputDir, shards: gpuList.length },
    'single',
  );
}

/** `remote launch`: splits off what follows `--`, then a command, a training or an inference job. */
export async function runLaunch(args: string[]): Promise<number> {
  const dd = args.indexOf('--');
  const before = dd < 0 ? args : args.slice(0, dd);
  const after = dd < 0 ? [] : args.slice(dd + 1);
  const [host, what, ...rest] = before;
  if (!host || host.startsWith('-')) throw new CliError(`usage: ${launchUsage}`, 2);
  if (what === 'train') return train(host, rest, after);
  if (what === 'infer') return infer(host, rest, after);
  const { values, positionals } = parse(before.slice(1), base);
  if (positionals.length) throw new CliError(`launch: unexpected '${positionals[0]}': the command goes after --`, 2);
  if (!after.length) throw new CliError(`launch: no command (give it after --)\nusage: ${launchUsage}`, 2);
  const cwd = (values.cwd as string) ?? '.';
  return start(
    values,
    { host, cwd, argv: after, kind: 'command', outputDir: values['output-dir'] as string | undefined },
    'single',
  );
}

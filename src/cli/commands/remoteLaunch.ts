/** `rarft remote launch HOST (train|infer) [options] | launch HOST --cwd DIR -- COMMAND [ARG…]` */
import { launchJob } from '../../core/remote/jobs';
import {
  type BuiltLaunch,
  buildLaunch,
  type LaunchAnswers,
  LaunchFormError,
  slurmFromAnswers,
} from '../../core/remote/launchForm';
import { launchSlurmJob } from '../../core/remote/slurmJobs';
import { CliError, parse } from '../io';
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

const trainOpts = {
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
} as const;

const inferOpts = {
  ...rarftOpts,
  'test-data': { type: 'string' },
  'preprocessed-data': { type: 'string' },
  shards: { type: 'string' },
} as const;

/** Runs a form step, a wrong field becoming a usage error naming its option. */
function formed<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof LaunchFormError) throw new CliError(`${what}: --${e.field}: ${e.problem}`, 2);
    throw e;
  }
}

/** The parsed options as form answers (flags as 'true'). */
const answers = (v: Record<string, unknown>): LaunchAnswers =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'boolean' ? String(x) : (x as string)]));

async function start(values: Record<string, unknown>, built: BuiltLaunch) {
  const { ssh, workspace } = context(values);
  const s = { ...built.spec, sshConfig: ssh.configFile, remoteRoot: values['remote-root'] as string | undefined };
  const slurm = values.slurm && (built.slurm ?? formed('launch', () => slurmFromAnswers(answers(values))));
  const job = slurm
    ? await guard(launchSlurmJob(workspace, { ...s, slurm, mode: built.mode }, ssh))
    : await guard(launchJob(workspace, s, ssh));
  out(
    !!values.json,
    { job: job.id },
    `${job.id}: ${job.state} on ${job.host}${job.slurmId ? ` (Slurm job ${job.slurmId})` : ` (process group ${job.pgid})`}`,
  );
  return 0;
}

/** A training or inference launch from the options, through the form the editor uses too. */
async function rarftJob(kind: 'train' | 'infer', host: string, args: string[], extra: string[]): Promise<number> {
  const { values, positionals } = parse(args, kind === 'train' ? trainOpts : inferOpts);
  if (positionals.length)
    throw new CliError(`launch ${kind}: unexpected '${positionals[0]}' (extra arguments go after --)`, 2);
  const v = values as Record<string, unknown>;
  return start(
    v,
    formed(`launch ${kind}`, () => buildLaunch(kind, host, answers(v), { slurm: !!v.slurm, extra })),
  );
}

/** `remote launch`: splits off what follows `--`, then a command, a training or an inference job. */
export async function runLaunch(args: string[]): Promise<number> {
  const dd = args.indexOf('--');
  const before = dd < 0 ? args : args.slice(0, dd);
  const after = dd < 0 ? [] : args.slice(dd + 1);
  const [host, what, ...rest] = before;
  if (!host || host.startsWith('-')) throw new CliError(`usage: ${launchUsage}`, 2);
  if (what === 'train' || what === 'infer') return rarftJob(what, host, rest, after);
  const { values, positionals } = parse(before.slice(1), base);
  if (positionals.length) throw new CliError(`launch: unexpected '${positionals[0]}': the command goes after --`, 2);
  if (!after.length) throw new CliError(`launch: no command (give it after --)\nusage: ${launchUsage}`, 2);
  const cwd = (values.cwd as string) ?? '.';
  const spec = {
    host,
    cwd,
    argv: after,
    kind: 'command' as const,
    outputDir: values['output-dir'] as string | undefined,
  };
  return start(values, { spec, mode: 'single' });
}

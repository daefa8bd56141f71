/** Slurm batch scripts: generated from nodes, GPUs per node, partition, account and time limit. */
import { shJoin, shQuote } from './quote';

/** Resources and placement of a Slurm job. */
export interface SlurmSpec {
  nodes?: number;
  gpusPerNode?: number;
  /** Tasks per node (default: GPUs per node, at least 1): one process per GPU, started by srun. */
  tasksPerNode?: number;
  cpusPerTask?: number;
  partition?: string;
  account?: string;
  /** Slurm time limit, e.g. `2-00:00:00` or `90` (minutes). */
  time?: string;
  /** Run as an array of this many tasks (sharded inference): `--array=0-(N-1)`. */
  array?: number;
  /** Port rank 0 listens on for torch.distributed (default 29500). */
  masterPort?: number;
}

/** What the script runs. */
export interface SlurmScriptInput {
  jobName: string;
  /** Remote job folder (absolute): logs and exit codes go there. */
  jobDir: string;
  cwd: string;
  argv: string[];
  /**
   * `srun`: one task per process with RANK/LOCAL_RANK/WORLD_SIZE/MASTER_ADDR set (multi-node
   * training). `array`: each array task runs argv once, `{shard}` in it replaced by
   * SLURM_ARRAY_TASK_ID. `single`: argv once.
   */
  mode: 'srun' | 'array' | 'single';
}

const TIME = /^(\d+-)?\d+(:\d{2}){0,2}$/;

/** Checks a SlurmSpec; throws with the field at fault. */
export function checkSlurmSpec(s: SlurmSpec): void {
  for (const k of ['nodes', 'gpusPerNode', 'tasksPerNode', 'cpusPerTask', 'array'] as const) {
    const v = s[k];
    if (v !== undefined && (!Number.isInteger(v) || v < (k === 'gpusPerNode' ? 0 : 1)))
      throw new Error(`slurm ${k}: expected a whole number ≥ ${k === 'gpusPerNode' ? 0 : 1}, got ${v}`);
  }
  if (s.time !== undefined && !TIME.test(s.time))
    throw new Error(`slurm time: expected minutes, HH:MM:SS or D-HH:MM:SS, got '${s.time}'`);
  for (const k of ['partition', 'account'] as const)
    if (s[k] !== undefined && !/^[\w.-]+$/.test(s[k]!))
      throw new Error(`slurm ${k}: unexpected characters in '${s[k]}'`);
}

/** The sbatch script (bash): #SBATCH lines, then the run, then the exit code written beside the logs. */
export function sbatchScript(spec: SlurmSpec, input: SlurmScriptInput): string {
  checkSlurmSpec(spec);
  const nodes = spec.nodes ?? 1;
  const gpus = spec.gpusPerNode ?? 0;
  const tasks = input.mode === 'srun' ? (spec.tasksPerNode ?? Math.max(1, gpus)) : 1;
  const J = input.jobDir;
  const out = input.mode === 'array' ? 'stdout.log' : 'stdout.log';
  const head = [
    '#!/bin/bash',
    `#SBATCH --job-name=${input.jobName}`,
    `#SBATCH --nodes=${input.mode === 'array' ? 1 : nodes}`,
    `#SBATCH --ntasks-per-node=${tasks}`,
    ...(gpus > 0 ? [`#SBATCH --gres=gpu:${input.mode === 'array' ? 1 : gpus}`] : []),
    ...(spec.cpusPerTask ? [`#SBATCH --cpus-per-task=${spec.cpusPerTask}`] : []),
    ...(spec.partition ? [`#SBATCH --partition=${spec.partition}`] : []),
    ...(spec.account ? [`#SBATCH --account=${spec.account}`] : []),
    ...(spec.time ? [`#SBATCH --time=${spec.time}`] : []),
    ...(input.mode === 'array' ? [`#SBATCH --array=0-${(spec.array ?? 1) - 1}`] : []),
    // #SBATCH lines are not shell: a path with spaces is given in double quotes, which sbatch honours.
    `#SBATCH --output="${J}/${out}"`,
    `#SBATCH --error="${J}/stderr.log"`,
    '#SBATCH --open-mode=append',
    `#SBATCH --chdir="${input.cwd}"`,
    '',
    `J=${shQuote(J)}`,
  ];
  if (/["\n]/.test(J + input.cwd))
    throw new Error('slurm job and working folders cannot hold double quotes or newlines');
  let body: string[];
  if (input.mode === 'srun') {
    body = [
      'export MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)',
      `export MASTER_PORT=${spec.masterPort ?? 29500}`,
      // One process per task; torch.distributed reads its rank from the environment srun sets.
      `srun --kill-on-bad-exit=1 /bin/sh -c 'RANK=$SLURM_PROCID LOCAL_RANK=$SLURM_LOCALID WORLD_SIZE=$SLURM_NTASKS exec "$@"' rarft ${shJoin(input.argv)}`,
      'c=$?',
      'printf "%s\\n" "$c" > "$J/exit_code.tmp" && mv "$J/exit_code.tmp" "$J/exit_code"',
    ];
  } else if (input.mode === 'array') {
    const argv = input.argv.map((a) => (a === '{shard}' ? '"$SLURM_ARRAY_TASK_ID"' : shQuote(a))).join(' ');
    body = [
      `export CUDA_VISIBLE_DEVICES=\${CUDA_VISIBLE_DEVICES:-0}`,
      argv,
      'c=$?',
      'printf "%s\\n" "$c" > "$J/exit_code_$SLURM_ARRAY_TASK_ID"',
    ];
  } else {
    body = [
      shJoin(input.argv),
      'c=$?',
      'printf "%s\\n" "$c" > "$J/exit_code.tmp" && mv "$J/exit_code.tmp" "$J/exit_code"',
    ];
  }
  return [...head, ...body, 'exit $c', ''].join('\n');
}

/** Maps a Slurm job state (squeue %T / sacct State) to ours. */
export function mapSlurmState(s: string): 'pending' | 'running' | 'exited' | 'cancelled' | 'unknown' {
  const t = s.toUpperCase().split(/\s/)[0];
  if (/^(PENDING|CONFIGURING|REQUEUED|RESV_DEL_HOLD|SUSPENDED|REQUEUE_HOLD|REQUEUE_FED|RESIZING)$/.test(t))
    return 'pending';
  if (/^(RUNNING|COMPLETING|STAGE_OUT|SIGNALING)$/.test(t)) return 'running';
  if (/^CANCELLED/.test(t)) return 'cancelled';
  if (/^(COMPLETED|FAILED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)$/.test(t)) return 'exited';
  return 'unknown';
}

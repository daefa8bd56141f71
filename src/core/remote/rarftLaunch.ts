/**
 * The RA-RFT repository's own launch lines as argv arrays: training is `main_rarft.py` under
 * `torch.distributed.run` (or one srun task per GPU on Slurm), resuming from the newest
 * `checkpoint-*`; inference is one `inference.py` per GPU with CUDA_VISIBLE_DEVICES and
 * `--curr_idx/--total_idx`.
 */
import { shJoin, shQuote } from './quote';

/** The fields of RA-RFT's scripts/train_rarft.sh. */
export interface TrainOptions {
  python?: string;
  /** Processes (GPUs) per node. */
  gpus: number;
  nodes?: number;
  masterPort?: number;
  model: string;
  trainData: string;
  outputDir: string;
  deepspeed?: string;
  rewardFuncs?: string[];
  numGenerations?: number;
  epochs?: number;
  perDeviceBatchSize?: number;
  gradAccum?: number;
  learningRate?: string;
  saveSteps?: number;
  /** Resume from the newest checkpoint-* of the output folder when there is one (default true). */
  resume?: boolean;
  /** More arguments for main_rarft.py, as given. */
  extra?: string[];
}

/** main_rarft.py's own arguments. */
export function trainScriptArgs(o: TrainOptions): string[] {
  const a = [
    'main_rarft.py',
    '--deepspeed',
    o.deepspeed ?? 'scripts/configs/zero3_offload.json',
    '--output_dir',
    o.outputDir,
    '--model_name_or_path',
    o.model,
    '--train_data_path',
    o.trainData,
    '--num_generations',
    String(o.numGenerations ?? 8),
    '--reward_funcs',
    ...(o.rewardFuncs ?? ['format', 'refuse_iou', 'explain_correction']),
    '--save_steps',
    String(o.saveSteps ?? 50),
  ];
  if (o.epochs !== undefined) a.push('--num_train_epochs', String(o.epochs));
  if (o.perDeviceBatchSize !== undefined) a.push('--per_device_train_batch_size', String(o.perDeviceBatchSize));
  if (o.gradAccum !== undefined) a.push('--gradient_accumulation_steps', String(o.gradAccum));
  if (o.learningRate !== undefined) a.push('--learning_rate', o.learningRate);
  return [...a, ...(o.extra ?? [])];
}

/**
 * Wraps argv so that, when the job starts, the newest `checkpoint-N` of `outputDir` (largest N)
 * is appended as `--resume_from_checkpoint`. The folder is looked up on the remote side at start.
 */
export function withResume(outputDir: string, argv: string[]): string[] {
  const script = [
    'o=$1; shift',
    'n=$(ls -1 "$o" 2>/dev/null | sed -n "s/^checkpoint-\\([0-9][0-9]*\\)$/\\1/p" | sort -n | tail -n 1)',
    'if [ -n "$n" ]; then echo "rarft: resuming from $o/checkpoint-$n" >&2; set -- "$@" --resume_from_checkpoint "$o/checkpoint-$n"; fi',
    'exec "$@"',
  ].join('\n');
  return ['/bin/sh', '-c', script, 'rarft-train', outputDir, ...argv];
}

/** Training on one machine: `python -m torch.distributed.run --nproc_per_node=G … main_rarft.py …`. */
export function trainArgv(o: TrainOptions): string[] {
  const argv = [
    o.python ?? 'python',
    '-m',
    'torch.distributed.run',
    `--nproc_per_node=${o.gpus}`,
    `--nnodes=${o.nodes ?? 1}`,
    '--node_rank=0',
    '--master_addr=127.0.0.1',
    `--master_port=${o.masterPort ?? 12345}`,
    ...trainScriptArgs(o),
  ];
  return o.resume === false ? argv : withResume(o.outputDir, argv);
}

/** Training as srun tasks (Slurm): each task is `python main_rarft.py …` with its rank from srun. */
export function trainArgvSrun(o: TrainOptions): string[] {
  const argv = [o.python ?? 'python', ...trainScriptArgs(o)];
  return o.resume === false ? argv : withResume(o.outputDir, argv);
}

/** The fields of RA-RFT's scripts/inference.sh. */
export interface InferOptions {
  python?: string;
  /** GPU indices, one process (shard) each. */
  gpus: number[];
  modelPath: string;
  testData: string;
  outputDir: string;
  batchSize?: number;
  preprocessedDataPath?: string;
  extra?: string[];
}

/** inference.py's arguments for shard `idx` of `total` (idx may be a placeholder such as `{shard}`). */
export function inferArgs(o: InferOptions, idx: string, total: number): string[] {
  return [
    o.python ?? 'python',
    'inference.py',
    '--model_path',
    o.modelPath,
    '--test_data_path',
    o.testData,
    '--output_dir',
    o.outputDir,
    ...(o.preprocessedDataPath ? ['--preprocessed_data_path', o.preprocessedDataPath] : []),
    '--batch_size',
    String(o.batchSize ?? 8),
    '--curr_idx',
    idx,
    '--total_idx',
    String(total),
    ...(o.extra ?? []),
  ];
}

/**
 * Inference on one machine: an sh script starting one process per GPU (CUDA_VISIBLE_DEVICES=i,
 * --curr_idx k --total_idx N), waiting for all; its exit code is the first failure's.
 */
export function inferArgv(o: InferOptions): string[] {
  if (!o.gpus.length) throw new Error('infer: no GPUs selected');
  const lines = ['mkdir -p ' + shQuote(o.outputDir), 'pids=""'];
  o.gpus.forEach((g, k) => {
    lines.push(`CUDA_VISIBLE_DEVICES=${g} ${shJoin(inferArgs(o, String(k), o.gpus.length))} & pids="$pids $!"`);
  });
  lines.push('rc=0', 'for p in $pids; do wait "$p" || { c=$?; [ "$rc" -eq 0 ] && rc=$c; }; done', 'exit "$rc"');
  return ['/bin/sh', '-c', lines.join('\n')];
}

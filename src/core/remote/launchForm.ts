/**
 * The fields of a training or inference launch and of its Slurm resources, as the CLI's
 * `rarft remote launch HOST train|infer` options name them, each with its check; and the launch
 * (argv arrays, never a shell string built from the values) built from a set of answers. The
 * CLI and the editor's Launch Remote Job… both go through here, so both ask and check the same.
 */
import type { LaunchSpec } from './jobRecord';
import { inferArgs, inferArgv, type TrainOptions, trainArgv, trainArgvSrun } from './rarftLaunch';
import type { SlurmSpec } from './slurm';

/** How a field's text is checked and read. */
type FieldType = 'text' | 'int' | 'int0' | 'number' | 'gpuList' | 'list' | 'time' | 'slurmName' | 'flag';

/** One field of a launch form: its CLI option name (`--key`), a label, and what it takes. */
export interface LaunchField {
  key: string;
  label: string;
  type: FieldType;
  required?: boolean;
  /** The value used when none is given (shown as the default; not passed when undefined). */
  fallback?: string;
  /** Shown under the input box. */
  hint?: string;
}

const checkout: LaunchField = {
  key: 'checkout',
  label: 'RA-RFT checkout on the host',
  type: 'text',
  fallback: 'RA-RFT',
};
const python: LaunchField = { key: 'python', label: 'Python on the host', type: 'text', fallback: 'python' };

/** Training: the fields of RA-RFT's scripts/train_rarft.sh (CLI `launch HOST train`). */
export const TRAIN_FIELDS: readonly LaunchField[] = [
  { key: 'model', label: 'Model (path or hub id)', type: 'text', required: true, hint: 'Qwen/Qwen2.5-VL-7B-Instruct' },
  { key: 'train-data', label: 'Training data (annotation file on the host)', type: 'text', required: true },
  { key: 'output-dir', label: 'Output folder', type: 'text', required: true, fallback: 'ckpts/rarft' },
  { key: 'gpus', label: 'GPUs (processes per node)', type: 'int', fallback: '8' },
  { key: 'deepspeed', label: 'DeepSpeed config', type: 'text', fallback: 'scripts/configs/zero3_offload.json' },
  { key: 'reward-funcs', label: 'Reward functions', type: 'list', fallback: 'format,refuse_iou,explain_correction' },
  { key: 'num-generations', label: 'Generations per query (num_generations)', type: 'int', fallback: '8' },
  { key: 'epochs', label: 'Epochs (num_train_epochs)', type: 'number' },
  { key: 'batch-size', label: 'Batch size per device', type: 'int' },
  { key: 'grad-accum', label: 'Gradient accumulation steps', type: 'int' },
  { key: 'learning-rate', label: 'Learning rate', type: 'number' },
  { key: 'save-steps', label: 'Save a checkpoint every N steps', type: 'int', fallback: '50' },
  { key: 'master-port', label: 'torch.distributed master port', type: 'int', fallback: '12345' },
  { key: 'no-resume', label: 'Start afresh (do not resume from the newest checkpoint-*)', type: 'flag' },
  checkout,
  python,
];

/** Inference: the fields of RA-RFT's scripts/inference.sh (CLI `launch HOST infer`). */
export const INFER_FIELDS: readonly LaunchField[] = [
  { key: 'model', label: 'Model (path or hub id)', type: 'text', required: true },
  { key: 'test-data', label: 'Test data (annotation file on the host)', type: 'text', required: true },
  { key: 'output-dir', label: 'Output folder', type: 'text', required: true, fallback: 'inference_output' },
  { key: 'gpus', label: 'GPUs (indices, one shard each)', type: 'gpuList', fallback: '0' },
  { key: 'batch-size', label: 'Batch size', type: 'int', fallback: '8' },
  { key: 'preprocessed-data', label: 'Preprocessed data folder', type: 'text' },
  { key: 'shards', label: 'Shards (Slurm array tasks; default one per GPU)', type: 'int' },
  checkout,
  python,
];

const NODES: LaunchField = { key: 'nodes', label: 'Nodes', type: 'int', fallback: '1' };

/** Slurm resources (CLI `--slurm` options). */
export const SLURM_FIELDS: readonly LaunchField[] = [
  { key: 'partition', label: 'Slurm partition', type: 'slurmName', hint: 'the cluster default when empty' },
  { key: 'account', label: 'Slurm account', type: 'slurmName', hint: 'your default account when empty' },
  { key: 'time', label: 'Slurm time limit', type: 'time', hint: 'minutes, HH:MM:SS or D-HH:MM:SS' },
  NODES,
  { key: 'gpus-per-node', label: 'GPUs per node', type: 'int0', hint: 'none requested when empty' },
  { key: 'tasks-per-node', label: 'Tasks per node', type: 'int', hint: 'default: the GPUs per node' },
];

const CHECKS: Record<FieldType, [RegExp, string]> = {
  text: [/^[^\n\0]*$/, 'no newlines'],
  int: [/^[1-9]\d*$/, 'a whole number ≥ 1'],
  int0: [/^\d+$/, 'a whole number ≥ 0'],
  number: [/^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, 'a number ≥ 0 (e.g. 2, 0.5, 1e-6)'],
  gpuList: [/^\d+(\s*,\s*\d+)*$/, 'GPU indices like 0,1,2,3'],
  list: [/^[\w.-]+(\s*[, ]\s*[\w.-]+)*$/, 'names separated by commas, e.g. format,refuse_iou'],
  time: [/^(\d+-)?\d+(:\d{2}){0,2}$/, 'minutes, HH:MM:SS or D-HH:MM:SS'],
  slurmName: [/^[\w.-]+$/, 'letters, digits, _ . - only'],
  flag: [/^(true|false)$/, 'true or false'],
};

/** What is wrong with `value` for `field`, without the label (undefined when right; empty is right unless required). */
function problem(field: LaunchField, value: string | undefined): string | undefined {
  const v = value?.trim() ?? '';
  if (!v) return field.required ? 'required' : undefined;
  const [re, what] = CHECKS[field.type];
  if (!re.test(v)) return `expected ${what}, got '${v}'`;
  const gpus = v.split(',').map((g) => g.trim());
  if (field.type === 'gpuList' && new Set(gpus).size !== gpus.length) return `a GPU is listed twice in '${v}'`;
  return undefined;
}

/** Why `value` is not right for `field`, with its label (undefined when it is; empty is right unless required). */
export function checkField(field: LaunchField, value: string | undefined): string | undefined {
  const p = problem(field, value);
  return p && `${field.label}: ${p}`;
}

/** A launch field's value is wrong: `field` is its CLI option name, `problem` what is wrong. */
export class LaunchFormError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    label: string,
  ) {
    super(`${label}: ${problem}`);
  }
}

/** The answers of a form, by CLI option name (flags as 'true'/'false'). */
export type LaunchAnswers = Readonly<Record<string, string | undefined>>;

/** Reads the answers of `fields`, checked; throws LaunchFormError on the first wrong one. */
function read(fields: readonly LaunchField[], a: LaunchAnswers): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const f of fields) {
    const why = problem(f, a[f.key]);
    if (why) throw new LaunchFormError(f.key, why, f.label);
    out[f.key] = a[f.key]?.trim() || undefined;
  }
  return out;
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** The Slurm resources from the answers (checked). */
export function slurmFromAnswers(a: LaunchAnswers): SlurmSpec {
  const v = read(SLURM_FIELDS, a);
  return {
    nodes: num(v.nodes),
    gpusPerNode: num(v['gpus-per-node']),
    tasksPerNode: num(v['tasks-per-node']),
    partition: v.partition,
    account: v.account,
    time: v.time,
  };
}

/** What a launch needs beyond the host: the spec, and for Slurm its resources and task mode. */
export interface BuiltLaunch {
  spec: LaunchSpec;
  slurm?: SlurmSpec;
  mode: 'srun' | 'array' | 'single';
}

/** Training options from the answers (checked). */
export function trainOptions(a: LaunchAnswers, extra: string[] = []): TrainOptions {
  const v = read(TRAIN_FIELDS, a);
  return {
    python: v.python,
    gpus: num(v.gpus) ?? 8,
    nodes: num(read([NODES], a).nodes),
    masterPort: num(v['master-port']),
    model: v.model!,
    trainData: v['train-data']!,
    outputDir: v['output-dir']!,
    deepspeed: v.deepspeed,
    rewardFuncs: v['reward-funcs']?.split(/[,\s]+/).filter(Boolean),
    numGenerations: num(v['num-generations']),
    epochs: num(v.epochs),
    perDeviceBatchSize: num(v['batch-size']),
    gradAccum: num(v['grad-accum']),
    learningRate: v['learning-rate'],
    saveSteps: num(v['save-steps']),
    resume: v['no-resume'] !== 'true',
    extra,
  };
}

/**
 * A training or inference launch on `host` from the answers (checked, LaunchFormError naming
 * the field otherwise); with `slurm`, the Slurm fields are read too. `extra` goes to the script.
 */
export function buildLaunch(
  kind: 'train' | 'infer',
  host: string,
  a: LaunchAnswers,
  o: { slurm?: boolean; extra?: string[] } = {},
): BuiltLaunch {
  const slurm = o.slurm ? slurmFromAnswers(a) : undefined;
  const cwd = a.checkout?.trim() || 'RA-RFT';
  if (kind === 'train') {
    const t = trainOptions(a, o.extra);
    const argv = slurm ? trainArgvSrun(t) : trainArgv(t);
    const spec: LaunchSpec = { host, cwd, argv, kind: 'train', outputDir: t.outputDir };
    return { spec, slurm: slurm && { ...slurm, gpusPerNode: slurm.gpusPerNode ?? 0 }, mode: 'srun' };
  }
  const v = read(INFER_FIELDS, a);
  const gpus = (v.gpus ?? '0').split(',').map((g) => Number(g.trim()));
  const io = {
    python: v.python,
    gpus,
    modelPath: v.model!,
    testData: v['test-data']!,
    outputDir: v['output-dir']!,
    batchSize: num(v['batch-size']),
    preprocessedDataPath: v['preprocessed-data'],
    extra: o.extra ?? [],
  };
  if (!slurm) {
    const spec: LaunchSpec = {
      host,
      cwd,
      argv: inferArgv(io),
      kind: 'infer',
      outputDir: io.outputDir,
      shards: gpus.length,
    };
    return { spec, mode: 'single' };
  }
  const shards = num(v.shards) ?? gpus.length;
  const spec: LaunchSpec = {
    host,
    cwd,
    argv: inferArgs(io, '{shard}', shards),
    kind: 'infer',
    outputDir: io.outputDir,
    shards,
  };
  return { spec, slurm: { ...slurm, array: shards, gpusPerNode: slurm.gpusPerNode ?? 0 }, mode: 'array' };
}

/** The answers a form starts from: remembered ones, else the settings' (checkout, python), else each field's fallback. */
export function startingAnswers(
  fields: readonly LaunchField[],
  remembered: LaunchAnswers = {},
  settings: LaunchAnswers = {},
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const f of fields) {
    const r = remembered[f.key];
    out[f.key] = r !== undefined && !checkField(f, r) ? r : (settings[f.key] ?? f.fallback);
  }
  return out;
}

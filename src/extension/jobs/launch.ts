/** The Launch Remote Job prompts: host, engine, what to run; each step cancellable with Escape. */
import * as vscode from 'vscode';
import { listHosts } from '../../core/remote/hosts';
import type { JobRecord } from '../../core/remote/jobStore';
import type { LaunchSpec } from '../../core/remote/jobRecord';
import { launchJob } from '../../core/remote/jobs';
import { inferArgs, inferArgv, trainArgv, trainArgvSrun } from '../../core/remote/rarftLaunch';
import { launchSlurmJob } from '../../core/remote/slurmJobs';
import type { SshOptions } from '../../core/remote/ssh';
import { withHostKey } from './hostKey';
import { remoteSetting } from './settings';

/** A launch given by a caller (a script, a test) instead of prompts. */
export interface LaunchArgs {
  host: string;
  cwd?: string;
  /** A command line for `/bin/sh -c`. */
  command: string;
  slurm?: boolean;
}

const ask = async (prompt: string, value = '', placeHolder?: string) => {
  const v = await vscode.window.showInputBox({ prompt, value, placeHolder, ignoreFocusOut: true });
  if (v === undefined) throw new vscode.CancellationError();
  return v.trim();
};

async function pickHost(ssh: SshOptions): Promise<string> {
  const hosts = await listHosts({ configFile: ssh.configFile, extra: remoteSetting<string[]>('hosts', []) });
  const items = hosts.map((h) => ({ label: h }));
  const pick = await vscode.window.showQuickPick([...items, { label: '$(edit) Other host…', other: true }], {
    title: 'Launch Remote Job: host',
    placeHolder: hosts.length ? 'a host of your ssh config' : 'no hosts in your ssh config: type one',
    ignoreFocusOut: true,
  });
  if (!pick) throw new vscode.CancellationError();
  return 'other' in pick ? ask('Host (as you would give it to ssh)') : pick.label;
}

/** Asks what to run; returns the launch spec and whether it goes through Slurm. */
async function pickWhat(
  host: string,
): Promise<{ spec: LaunchSpec; slurm: boolean; mode: 'srun' | 'array' | 'single' }> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: 'Command', detail: 'any command line, run detached', id: 'command' as const },
      {
        label: 'Training',
        detail: 'main_rarft.py under torch.distributed.run, resuming from the newest checkpoint',
        id: 'train' as const,
      },
      { label: 'Inference', detail: 'inference.py, one process per GPU, shards merged on fetch', id: 'infer' as const },
    ],
    { title: `Launch on ${host}: what`, ignoreFocusOut: true },
  );
  if (!kind) throw new vscode.CancellationError();
  const engine = await vscode.window.showQuickPick(['Detached over ssh', 'Slurm (sbatch)'], {
    title: 'Run with',
    ignoreFocusOut: true,
  });
  if (!engine) throw new vscode.CancellationError();
  const slurm = engine.startsWith('Slurm');
  const checkout = remoteSetting('checkout', 'RA-RFT');
  if (kind.id === 'command') {
    const cwd = await ask('Remote working folder', '.');
    const line = await ask('Command line (run by /bin/sh -c on the host)');
    return { spec: { host, cwd, argv: ['/bin/sh', '-c', line], kind: 'command' }, slurm, mode: 'single' };
  }
  const model = await ask('Model (path or hub id)', '', 'Qwen/Qwen2.5-VL-7B-Instruct');
  const data = await ask(kind.id === 'train' ? 'Training data (annotation file)' : 'Test data (annotation file)');
  const outputDir = await ask('Output folder', kind.id === 'train' ? 'ckpts/rarft' : 'inference_output');
  const python = remoteSetting('python', 'python');
  if (kind.id === 'train') {
    const gpus = Number(await ask('GPUs (processes per node)', '8'));
    const o = { python, gpus, model, trainData: data, outputDir };
    const argv = slurm ? trainArgvSrun(o) : trainArgv(o);
    return { spec: { host, cwd: checkout, argv, kind: 'train', outputDir }, slurm, mode: 'srun' };
  }
  const gpus = (await ask('GPUs (one shard each)', '0,1,2,3')).split(',').map(Number);
  const o = { python, gpus, modelPath: model, testData: data, outputDir };
  const argv = slurm ? inferArgs(o, '{shard}', gpus.length) : inferArgv(o);
  return {
    spec: { host, cwd: checkout, argv, kind: 'infer', outputDir, shards: gpus.length },
    slurm,
    mode: slurm ? 'array' : 'single',
  };
}

/** Prompts (or takes `given`), launches, and returns the new job's record. */
export async function launchFromEditor(workspace: string, ssh: SshOptions, given?: LaunchArgs): Promise<JobRecord> {
  const host = given?.host ?? (await pickHost(ssh));
  const what = given
    ? {
        spec: { host, cwd: given.cwd ?? '.', argv: ['/bin/sh', '-c', given.command], kind: 'command' as const },
        slurm: !!given.slurm,
        mode: 'single' as const,
      }
    : await pickWhat(host);
  const remoteRoot = remoteSetting('remoteRoot', '') || undefined;
  const spec = { ...what.spec, remoteRoot, ...(ssh.configFile ? { sshConfig: ssh.configFile } : {}) };
  return withHostKey(host, ssh, () =>
    what.slurm
      ? launchSlurmJob(workspace, { ...spec, slurm: {}, mode: what.mode }, ssh)
      : launchJob(workspace, spec, ssh),
  );
}

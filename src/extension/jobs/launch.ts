/** The Launch Remote Job prompts: host, what to run, engine, then its form; each step cancellable with Escape. */
import * as vscode from 'vscode';
import { listHosts } from '../../core/remote/hosts';
import type { JobRecord } from '../../core/remote/jobStore';
import type { LaunchSpec } from '../../core/remote/jobRecord';
import { launchJob } from '../../core/remote/jobs';
import { buildLaunch, slurmFromAnswers } from '../../core/remote/launchForm';
import type { SlurmSpec } from '../../core/remote/slurm';
import { launchSlurmJob } from '../../core/remote/slurmJobs';
import type { SshOptions } from '../../core/remote/ssh';
import { withHostKey } from './hostKey';
import { fillForm, fillSlurm, remember, remembered } from './launchForm';
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

type What = { spec: LaunchSpec; slurm?: SlurmSpec; mode: 'srun' | 'array' | 'single' };

/** Asks what to run (a command line, training, inference) and how; returns the launch. */
async function pickWhat(host: string, state: vscode.Memento): Promise<What> {
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
  if (kind.id !== 'command') return buildLaunch(kind.id, host, await fillForm(state, host, kind.id, slurm), { slurm });
  const last = remembered(state, host, 'command');
  const cwd = await ask('Remote working folder', last.cwd ?? '.');
  const line = await ask('Command line (run by /bin/sh -c on the host)', last.line ?? '');
  await remember(state, host, 'command', { cwd, line });
  const spec: LaunchSpec = { host, cwd, argv: ['/bin/sh', '-c', line], kind: 'command' };
  return { spec, slurm: slurm ? slurmFromAnswers(await fillSlurm(state, host)) : undefined, mode: 'single' };
}

/** Prompts (or takes `given`), launches, and returns the new job's record. */
export async function launchFromEditor(
  workspace: string,
  ssh: SshOptions,
  state: vscode.Memento,
  given?: LaunchArgs,
): Promise<JobRecord> {
  const host = given?.host ?? (await pickHost(ssh));
  const what: What = given
    ? {
        spec: { host, cwd: given.cwd ?? '.', argv: ['/bin/sh', '-c', given.command], kind: 'command' },
        slurm: given.slurm ? {} : undefined,
        mode: 'single',
      }
    : await pickWhat(host, state);
  const remoteRoot = remoteSetting('remoteRoot', '') || undefined;
  const spec = { ...what.spec, remoteRoot, ...(ssh.configFile ? { sshConfig: ssh.configFile } : {}) };
  const slurm = what.slurm;
  return withHostKey(host, ssh, () =>
    slurm ? launchSlurmJob(workspace, { ...spec, slurm, mode: what.mode }, ssh) : launchJob(workspace, spec, ssh),
  );
}

/**
 * A one-node Slurm 22.05 cluster for tests: munged, slurmctld and slurmd, all in a temp folder
 * with their own ports and socket, found by clients through SLURM_CONF. `stop()` cancels every
 * job, stops the daemons and removes the folder, even after a failure.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './sshd';

/** A running test cluster. */
export interface Slurm {
  dir: string;
  conf: string;
  /** Environment for Slurm clients (SLURM_CONF). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

function daemon(cmd: string, args: string[], env: NodeJS.ProcessEnv, log: string[]): ChildProcess {
  const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  p.stderr!.on('data', (b) => log.push(`${cmd}: ${b}`));
  live.add(p);
  p.on('exit', () => live.delete(p));
  return p;
}

async function kill(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(t);
}

/** Runs a Slurm client with the cluster's SLURM_CONF, bounded by `timeout`. */
export function slurmClient(s: Pick<Slurm, 'env'>, cmd: string, args: string[]): string {
  return execFileSync('timeout', ['20', cmd, ...args], { env: { ...process.env, ...s.env }, encoding: 'utf8' });
}

/** Starts munged, slurmctld and slurmd; resolves once the node is idle. */
export async function startSlurm(): Promise<Slurm> {
  const dir = mkdtempSync(join(tmpdir(), 'rarft-slurm-'));
  chmodSync(dir, 0o755);
  for (const d of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, d), { mode: 0o755 });
  chmodSync(join(dir, 'munge'), 0o755);
  const key = join(dir, 'munge', 'munge.key');
  execFileSync('mungekey', ['-c', '-k', key]);
  const sock = join(dir, 'munge', 'munge.sock');
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const node = hostname().split('.')[0];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=rarfttest',
      `SlurmctldHost=${node}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      `AuthInfo=socket=${sock}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/filetxt',
      `JobCompLoc=${join(dir, 'log', 'jobcomp.txt')}`,
      'JobAcctGatherType=jobacct_gather/none',
      'MailProg=/bin/true',
      'ReturnToService=2',
      'SchedulerType=sched/backfill',
      'SchedulerParameters=sched_interval=1',
      'MinJobAge=300',
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN`,
      `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { SLURM_CONF: conf };
  const penv = { ...process.env, ...env };
  const log: string[] = [];
  const procs: ChildProcess[] = [];
  const s: Slurm = {
    dir,
    conf,
    env,
    async stop() {
      try {
        execFileSync('timeout', ['10', 'scancel', '--full', '--user', 'root'], { env: penv, stdio: 'ignore' });
      } catch {}
      for (const p of procs.slice().reverse()) await kill(p);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const m = join(dir, 'munge');
  procs.push(
    daemon(
      'munged',
      [
        '-F',
        `--key-file=${key}`,
        `--socket=${sock}`,
        `--pid-file=${m}/munged.pid`,
        `--log-file=${m}/munged.log`,
        `--seed-file=${m}/munged.seed`,
        '--force',
      ],
      penv,
      log,
    ),
  );
  await waitFor(() => tryRun('munge', ['-n', '-S', sock]), 'munged', s, log);
  procs.push(daemon('slurmctld', ['-D', '-i'], penv, log));
  procs.push(daemon('slurmd', ['-D'], penv, log));
  await waitFor(() => /idle/.test(tryRun('sinfo', ['-h', '-o', '%T'], penv) ?? ''), 'an idle node', s, log);
  return s;
}

function tryRun(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string | undefined {
  try {
    return (
      execFileSync('timeout', ['5', cmd, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }) ||
      ' '
    );
  } catch {
    return undefined;
  }
}

async function waitFor(cond: () => unknown, what: string, s: Slurm, log: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!cond()) {
    if (Date.now() > deadline) {
      await s.stop();
      throw new Error(`Slurm test cluster: no ${what} within 60 s:\n${log.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `rarft remote hosts | check | launch | status | logs | cancel | fetch | push`: remote jobs over ssh and Slurm. */
import { resolve } from 'node:path';
import { acceptHostKey } from '../../core/remote/hostKeys';
import { listHosts } from '../../core/remote/hosts';
import { checkHost } from '../../core/remote/check';
import { findJob } from '../../core/remote/jobStore';
import { isFinal } from '../../core/remote/jobRecord';
import { cancelJob, fetchJob, refreshJobs } from '../../core/remote/manage';
import { resolveHost } from '../../core/remote/ssh';
import { push } from '../../core/remote/transfer';
import { CliError, parse, table, type Command } from '../io';
import { common, context, guard, out } from './remoteCommon';
import { followLogs, printLog } from './remoteLogs';
import { launchUsage, runLaunch } from './remoteLaunch';

const COMMON = 'common: --json, --ssh-config FILE (ssh -F), --workspace DIR (holds .rarft/jobs.json; default .)';
export const remoteUsage = [
  'rarft remote hosts [--json]',
  '  rarft remote check HOST [--checkout DIR] [--accept-host-key SHA256:…] [--json]',
  `  ${launchUsage}`,
  '  rarft remote status [JOB] [--json]',
  '  rarft remote logs JOB [--follow] [--stderr]',
  '  rarft remote cancel JOB [--json]',
  '  rarft remote fetch JOB [--to DIR] [--json]',
  '  rarft remote push HOST LOCAL_DIR REMOTE_DIR [--exclude PATTERN]... [--tar] [--json]',
  `  (${COMMON})`,
].join('\n');

const elapsed = (from: string, to?: string) => {
  const s = Math.round(((to ? Date.parse(to) : Date.now()) - Date.parse(from)) / 1000);
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${s % 60}s`
      : `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
};

async function hosts(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, common);
  if (positionals.length) throw new CliError('usage: rarft remote hosts [--json]', 2);
  const { ssh } = context(values);
  const names = await guard(listHosts({ configFile: ssh.configFile }));
  const rows = await Promise.all(
    names.map(async (name) => {
      const c = await resolveHost(name, ssh).catch(() => new Map<string, string>());
      return {
        name,
        hostname: c.get('hostname') ?? null,
        port: Number(c.get('port') ?? 22),
        user: c.get('user') ?? null,
      };
    }),
  );
  out(
    !!values.json,
    { hosts: rows },
    rows.length
      ? table([['host', 'address', 'user'], ...rows.map((r) => [r.name, `${r.hostname}:${r.port}`, r.user ?? ''])])
      : 'no hosts in the ssh config',
  );
  return 0;
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...common,
    checkout: { type: 'string' },
    'accept-host-key': { type: 'string' },
  });
  if (positionals.length !== 1) throw new CliError('usage: rarft remote check HOST [--checkout DIR] [--json]', 2);
  const [host] = positionals;
  const { ssh } = context(values);
  const fp = values['accept-host-key'] as string | undefined;
  if (fp) process.stderr.write(`added ${host}'s key ${fp} to ${await guard(acceptHostKey(host, fp, ssh))}\n`);
  const r = await guard(checkHost(host, (values.checkout as string) ?? 'RA-RFT', ssh));
  const gpu =
    r.gpus === null
      ? 'none (nvidia-smi not installed)'
      : r.gpus
          .map(
            (g) =>
              `${g.index}: ${g.name} ${g.memoryUsedMiB ?? '?'}/${g.memoryTotalMiB ?? '?'} MiB ${g.utilizationPercent ?? '?'}%`,
          )
          .join('; ') || 'none listed';
  const text = r.reachable
    ? [
        `${host}: reachable`,
        `  GPUs:     ${gpu}`,
        `  python:   ${r.python ?? 'not found'}`,
        `  conda:    ${r.conda ? `${r.conda.path}${r.conda.env ? ` (env ${r.conda.env})` : ''}` : 'not found'}`,
        `  slurm:    ${r.slurm ? 'sbatch found' : 'no'}`,
        `  checkout: ${r.checkout.path} ${r.checkout.found ? 'ok' : 'incomplete'}`,
        `  disk:     ${r.disk ? `${(r.disk.freeBytes / 2 ** 30).toFixed(1)} GiB free on ${r.disk.path}` : 'unknown'}`,
        ...(r.missing.length ? ['  missing:', ...r.missing.map((m) => `    - ${m}`)] : []),
      ].join('\n')
    : `${host}: not reachable: ${r.error}`;
  out(!!values.json, r, text);
  return r.reachable ? 0 : 1;
}

async function status(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, common);
  if (positionals.length > 1) throw new CliError('usage: rarft remote status [JOB] [--json]', 2);
  const { ssh, workspace } = context(values);
  const one = positionals[0] ? await guard(findJob(workspace, positionals[0])) : undefined;
  const jobs = await guard(refreshJobs(workspace, ssh, one ? [one.id] : undefined));
  if (one) {
    const j = jobs.find((x) => x.id === one.id)!;
    out(
      !!values.json,
      {
        job: j.id,
        state: j.state,
        exit_code: j.exitCode,
        host: j.host,
        engine: j.engine,
        ...(j.detail ? { detail: j.detail } : {}),
      },
      `${j.id}: ${j.state}${j.exitCode !== null ? ` (exit ${j.exitCode})` : ''}${j.detail ? ` — ${j.detail}` : ''}`,
    );
    return 0;
  }
  const rows = jobs.map((j) => [
    j.id,
    j.host,
    j.engine,
    j.kind,
    j.state,
    j.exitCode ?? '',
    elapsed(j.createdAt, j.endedAt),
  ]);
  out(
    !!values.json,
    { jobs: jobs.map((j) => ({ ...j, exit_code: j.exitCode })) },
    jobs.length ? table([['job', 'host', 'engine', 'kind', 'state', 'exit', 'elapsed'], ...rows]) : 'no jobs',
  );
  return 0;
}

async function logs(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...common,
    follow: { type: 'boolean', short: 'f' },
    stderr: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new CliError('usage: rarft remote logs JOB [--follow] [--stderr]', 2);
  const { ssh, workspace } = context(values);
  const job = await guard(findJob(workspace, positionals[0]));
  const stream = values.stderr ? 'stderr' : 'stdout';
  if (values.follow) await guard(followLogs(workspace, job, stream, ssh));
  else await guard(printLog(workspace, job, stream, ssh));
  return 0;
}

async function cancel(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, common);
  if (positionals.length !== 1) throw new CliError('usage: rarft remote cancel JOB [--json]', 2);
  const { ssh, workspace } = context(values);
  const job = await guard(findJob(workspace, positionals[0]));
  if (isFinal(job)) throw new CliError(`${job.id} is already ${job.state}`);
  const j = await guard(cancelJob(workspace, job, ssh));
  out(!!values.json, { job: j.id, state: j.state, exit_code: j.exitCode }, `${j.id}: ${j.state}`);
  return 0;
}

async function fetch(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { ...common, to: { type: 'string' } });
  if (positionals.length !== 1) throw new CliError('usage: rarft remote fetch JOB [--to DIR] [--json]', 2);
  const { ssh, workspace } = context(values);
  const job = await guard(findJob(workspace, positionals[0]));
  const r = await guard(fetchJob(workspace, job, ssh, values.to ? { to: resolve(values.to as string) } : {}));
  const text = [
    `logs: ${r.logs.stdout}`,
    ...(r.resultsDir
      ? [`results: ${r.resultsDir} (${r.method})`]
      : ['no output folder recorded for this job: logs only']),
    ...(r.merged ? [`merged ${r.merged.shards} shard(s), ${r.merged.items} items: ${r.merged.path}`] : []),
    ...(r.mergeError ? [`not merged: ${r.mergeError}`] : []),
  ].join('\n');
  out(
    !!values.json,
    {
      job: job.id,
      logs: r.logs,
      results: r.resultsDir ?? null,
      method: r.method ?? null,
      merged: r.merged ?? null,
      merge_error: r.mergeError ?? null,
    },
    text,
  );
  return r.mergeError ? 1 : 0;
}

async function pushCmd(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...common,
    exclude: { type: 'string', multiple: true },
    tar: { type: 'boolean' },
  });
  if (positionals.length !== 3)
    throw new CliError('usage: rarft remote push HOST LOCAL_DIR REMOTE_DIR [--exclude P]...', 2);
  const { ssh } = context(values);
  const [host, local, remote] = positionals;
  const how = await guard(
    push(
      {
        host,
        local: resolve(local),
        remote,
        excludes: values.exclude as string[] | undefined,
        method: values.tar ? 'tar' : 'auto',
      },
      ssh,
    ),
  );
  out(
    !!values.json,
    { host, local: resolve(local), remote, method: how },
    `pushed ${local} to ${host}:${remote} (${how})`,
  );
  return 0;
}

const SUB: Record<string, (a: string[]) => Promise<number>> = {
  hosts,
  check,
  launch: runLaunch,
  status,
  logs,
  cancel,
  fetch,
  push: pushCmd,
};

/** The `remote` command. */
export const remoteCommand: Command = {
  name: 'remote',
  usage: remoteUsage,
  run([sub, ...rest]) {
    const f = sub ? SUB[sub] : undefined;
    if (!f) throw new CliError(`${sub ? `unknown remote command '${sub}'\n` : ''}usage: ${remoteUsage}`, 2);
    return f(rest);
  },
};

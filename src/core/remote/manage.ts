/** Job management over both engines: refresh states, cancel, fetch results. */
import { join } from 'node:path';
import { MergeError, mergeShards } from '../merge';
import { type JobRecord, localJobDir, readJobs, updateJobs } from './jobStore';
import { applyStatus, isFinal, type JobStatus } from './jobRecord';
import { cancelSshJob, sshJobStates } from './jobs';
import { syncLog } from './logs';
import { cancelSlurmJob, slurmJobStates } from './slurmJobs';
import type { SshOptions } from './ssh';
import { pull } from './transfer';

/** ssh options for a job: its own recorded config file unless one is given. */
export function jobSshOptions(job: JobRecord, base: SshOptions): SshOptions {
  return { ...base, configFile: base.configFile ?? job.sshConfig };
}

/**
 * Asks each host (one ssh call per host and engine) for the state of the given jobs that are
 * not over yet, records the answers and returns every record. A host that cannot be reached
 * leaves its jobs as they were, with `detail` saying why.
 */
export async function refreshJobs(workspace: string, base: SshOptions, ids?: string[]): Promise<JobRecord[]> {
  const all = await readJobs(workspace);
  const todo = all.filter((j) => !isFinal(j) && (!ids || ids.includes(j.id)));
  const groups = new Map<string, JobRecord[]>();
  for (const j of todo) {
    const k = JSON.stringify([j.host, j.sshConfig ?? base.configFile ?? '', j.engine]);
    groups.set(k, [...(groups.get(k) ?? []), j]);
  }
  const found = new Map<string, JobStatus>();
  await Promise.all(
    [...groups.values()].map(async (jobs) => {
      const o = jobSshOptions(jobs[0], base);
      try {
        const m =
          jobs[0].engine === 'slurm'
            ? await slurmJobStates(jobs[0].host, jobs, o)
            : await sshJobStates(jobs[0].host, jobs, o);
        for (const [id, s] of m) found.set(id, s);
      } catch (e) {
        for (const j of jobs)
          found.set(j.id, { id: j.id, state: j.state, exitCode: j.exitCode, detail: (e as Error).message });
      }
    }),
  );
  if (!found.size) return all;
  return updateJobs(workspace, (jobs) =>
    jobs.map((j) => {
      const s = found.get(j.id);
      return s ? applyStatus(j, s) : j;
    }),
  );
}

/** Cancels a job (its whole process group, or scancel) and records it as cancelled. */
export async function cancelJob(workspace: string, job: JobRecord, base: SshOptions): Promise<JobRecord> {
  const o = jobSshOptions(job, base);
  if (job.engine === 'slurm') await cancelSlurmJob(job, o);
  else await cancelSshJob(job, o);
  const [rec] = (await refreshJobs(workspace, base, [job.id])).filter((j) => j.id === job.id);
  return rec;
}

/** What a fetch brought back. */
export interface FetchResult {
  job: JobRecord;
  /** Local folder with the job's outputs (when it has an output folder). */
  resultsDir?: string;
  method?: 'rsync' | 'tar';
  /** The merged inference results, for an inference job. */
  merged?: { path: string; items: number; shards: number };
  /** Why the shards were not merged (a shard missing: a GPU process failed). */
  mergeError?: string;
  logs: { stdout: string; stderr: string };
}

/**
 * Brings a job's logs up to date and copies its output folder into `to` (default
 * `<workspace>/runs/<job id>`); inference shards are then merged with core's merge.
 */
export async function fetchJob(
  workspace: string,
  job: JobRecord,
  base: SshOptions,
  o: { to?: string; excludes?: string[] } = {},
): Promise<FetchResult> {
  const ssh = jobSshOptions(job, base);
  await syncLog(workspace, job, 'stdout', ssh);
  await syncLog(workspace, job, 'stderr', ssh);
  const dir = localJobDir(workspace, job.id);
  const res: FetchResult = { job, logs: { stdout: join(dir, 'stdout.log'), stderr: join(dir, 'stderr.log') } };
  if (!job.outputDir) return res;
  const remote = job.outputDir.startsWith('/') ? job.outputDir : `${job.cwd}/${job.outputDir}`;
  res.resultsDir = o.to ?? join(workspace, 'runs', job.id);
  const excludes = o.excludes ?? (job.kind === 'train' ? ['global_step*', '*.safetensors', '*.bin', '*.pt'] : []);
  res.method = await pull({ host: job.host, remote, local: res.resultsDir, excludes }, ssh);
  if (job.kind === 'infer') {
    try {
      // A merged file from an earlier fetch is replaced: the shards just fetched are newer.
      const m = await mergeShards(res.resultsDir).catch((e) => {
        if (e instanceof MergeError && /exists and differs/.test(e.message))
          return mergeShards(res.resultsDir!, { force: true });
        throw e;
      });
      res.merged = { path: m.out, items: m.items, shards: m.shards.length };
    } catch (e) {
      if (!(e instanceof MergeError)) throw e;
      res.mergeError = e.message;
    }
  }
  return res;
}

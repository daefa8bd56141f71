/** Slurm jobs over ssh: sbatch a generated script, state from squeue/sacct, cancel with scancel. */
import {
  DEFAULT_REMOTE_ROOT,
  type JobStatus,
  type LaunchSpec,
  newJobRecord,
  RemoteError,
  recordStarted,
} from './jobRecord';
import type { JobRecord } from './jobStore';
import { shQuote } from './quote';
import { type SlurmSpec, mapSlurmState, sbatchScript } from './slurm';
import { runRemote, type SshOptions } from './ssh';

/** Slurm client calls are bounded: a wedged controller must not hang us. */
const T = 'timeout 30';

/** A Slurm launch: the ssh launch fields plus resources and how tasks are started. */
export interface SlurmLaunchSpec extends LaunchSpec {
  slurm: SlurmSpec;
  mode: 'srun' | 'array' | 'single';
}

/** Submits a generated sbatch script and records the job. */
export async function launchSlurmJob(workspace: string, spec: SlurmLaunchSpec, opts: SshOptions): Promise<JobRecord> {
  const root = spec.remoteRoot ?? DEFAULT_REMOTE_ROOT;
  const rec = newJobRecord(spec, 'slurm');
  const dir = shQuote(`${root}/${rec.id}`);
  // The job folder must be absolute inside the script, so it is made first and the script written after.
  const mk = await runRemote(spec.host, `set -e\nmkdir -p ${dir}\ncd ${dir} && pwd`, opts);
  if (mk.code !== 0) throw new RemoteError(`${spec.host}: cannot make the job folder: ${mk.stderr.trim()}`);
  const jobDir = mk.stdout.trim();
  const script = sbatchScript(spec.slurm, {
    jobName: `rarft-${rec.id}`,
    jobDir,
    cwd: spec.cwd,
    argv: spec.argv,
    mode: spec.mode,
  });
  const withDir = { ...rec, remoteDir: jobDir };
  const J = shQuote(jobDir);
  const submit = [
    'set -e',
    `: > ${J}/stdout.log; : > ${J}/stderr.log`,
    `printf '%s' ${shQuote(script)} > ${J}/job.sbatch`,
    `printf '%s\\n' ${shQuote(JSON.stringify(withDir))} > ${J}/job.json`,
    `id=$(${T} sbatch --parsable ${J}/job.sbatch)`,
    `printf '%s\\n' "$id" > ${J}/slurm_id`,
    'echo "rarft-slurm $id"',
  ].join('\n');
  const r = await runRemote(spec.host, submit, opts);
  const m = /^rarft-slurm (\d+)/m.exec(r.stdout);
  if (r.code !== 0 || !m) throw new RemoteError(`${spec.host}: sbatch failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return recordStarted(workspace, { ...withDir, slurmId: m[1] });
}

function stateScript(j: JobRecord): string {
  const J = shQuote(j.remoteDir);
  return [
    `echo "== ${j.id}"`,
    `${T} squeue -h -j ${j.slurmId} -o 'q|%i|%T|%r' 2>/dev/null`,
    `${T} sacct -c -j ${j.slurmId} -n -P -o jobid,state,exitcode 2>/dev/null | sed 's/^/a|/'`,
    `for f in ${J}/exit_code ${J}/exit_code_*; do [ -f "$f" ] && echo "c|$(basename "$f")|$(cat "$f")"; done`,
    `[ -f ${J}/cancelled ] && echo "x|cancelled"`,
    'true',
  ].join('\n');
}

/**
 * A job sacct says is over. A state other than COMPLETED (FAILED, TIMEOUT, OUT_OF_MEMORY,
 * NODE_FAIL, …) is a failure even when its exit code reads 0 (a job killed at its time limit is
 * `TIMEOUT 0:15`): then the exit code is null (killed), and `detail` names the Slurm state.
 */
function sacctEnd(id: string, done: string[][], codes: number[]): JobStatus {
  const code = Math.max(...done.map((r) => Number((r[3] ?? '0').split(':')[0]) || 0), ...codes);
  const bad = done.find((r) => !/^COMPLETED/i.test(r[2] ?? ''));
  if (!bad) return { id, state: 'exited', exitCode: code };
  const sig = Number((bad[3] ?? '').split(':')[1]) || 0;
  const detail = `Slurm: ${bad[2]}${sig ? ` (signal ${sig})` : ''}`;
  return { id, state: 'exited', exitCode: code || null, detail };
}

/** Reads one job's squeue/sacct/exit-code lines into a state. */
export function parseSlurmState(id: string, lines: string[], tasks: number): JobStatus {
  const q = lines.filter((l) => l.startsWith('q|')).map((l) => l.split('|'));
  const a = lines.filter((l) => l.startsWith('a|')).map((l) => l.split('|'));
  const codes = lines.filter((l) => l.startsWith('c|')).map((l) => Number(l.split('|')[2]));
  const cancelled = lines.includes('x|cancelled') || a.some((r) => mapSlurmState(r[2] ?? '') === 'cancelled');
  const states = q.map((r) => mapSlurmState(r[2]));
  if (states.includes('running')) return { id, state: 'running', exitCode: null };
  if (states.length && states.every((s) => s === 'pending'))
    return { id, state: 'pending', exitCode: null, ...(q[0][3] && q[0][3] !== 'None' ? { detail: q[0][3] } : {}) };
  if (states.length) return { id, state: 'running', exitCode: null };
  if (cancelled) return { id, state: 'cancelled', exitCode: null };
  if (codes.length >= tasks) return { id, state: 'exited', exitCode: Math.max(...codes) };
  const done = a.filter((r) => mapSlurmState(r[2] ?? '') === 'exited');
  if (done.length) return sacctEnd(id, done, codes);
  return { id, state: 'unknown', exitCode: null, detail: 'neither squeue nor sacct knows the job' };
}

/** Asks one host for the state of its Slurm jobs (one ssh call). */
export async function slurmJobStates(
  host: string,
  jobs: JobRecord[],
  opts: SshOptions,
): Promise<Map<string, JobStatus>> {
  const r = await runRemote(host, jobs.map(stateScript).join('\n'), opts);
  if (r.code !== 0) throw new RemoteError(`${host}: Slurm status failed: ${r.stderr.trim()}`);
  const out = new Map<string, JobStatus>();
  const blocks = r.stdout.split(/^== /m).slice(1);
  for (const b of blocks) {
    const [id, ...lines] = b.split('\n').map((l) => l.trim());
    const job = jobs.find((j) => j.id === id);
    if (job) out.set(id, parseSlurmState(id, lines.filter(Boolean), job.shards ?? 1));
  }
  return out;
}

/** Cancels a Slurm job (all its array tasks) with scancel. */
export async function cancelSlurmJob(j: JobRecord, opts: SshOptions): Promise<void> {
  const script = `: > ${shQuote(`${j.remoteDir}/cancelled`)}\n${T} scancel ${j.slurmId}`;
  const r = await runRemote(j.host, script, opts);
  if (r.code !== 0) throw new RemoteError(`${j.host}: scancel ${j.slurmId} failed: ${r.stderr.trim()}`);
}

/** A Slurm partition as `sinfo` lists it. */
export interface Partition {
  name: string;
  /** The cluster's default partition (sinfo marks it with `*`). */
  isDefault: boolean;
}

/** Parses `sinfo -h -o %P` lines (`debug*`, `a100`): each partition once, the default marked. */
export function parsePartitions(text: string): Partition[] {
  const out = new Map<string, Partition>();
  for (const line of text.split('\n').map((l) => l.trim())) {
    const m = /^([\w.-]+)(\*?)$/.exec(line);
    if (m) out.set(m[1], { name: m[1], isDefault: !!m[2] || !!out.get(m[1])?.isDefault });
  }
  return [...out.values()];
}

/** The host's Slurm partitions (one ssh call), or null when sinfo is missing or fails. */
export async function slurmPartitions(host: string, opts: SshOptions): Promise<Partition[] | null> {
  const r = await runRemote(host, `${T} sinfo -h -o '%P'`, opts);
  return r.code === 0 ? parsePartitions(r.stdout) : null;
}

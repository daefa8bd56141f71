/**
 * What both job engines (detached ssh, Slurm) share: the launch fields, a new job's record, the
 * record of a started job written to `.rarft/jobs.json`, and how a status answer moves a record
 * to its next state.
 */
import { type JobRecord, type JobState, newJobId, saveJobs } from './jobStore';

/** What to run and where. */
export interface LaunchSpec {
  host: string;
  sshConfig?: string;
  /** Remote working directory (must exist). */
  cwd: string;
  argv: string[];
  kind?: JobRecord['kind'];
  /** Remote folder for job folders; relative paths are under the remote home. Default `.rarft/jobs`. */
  remoteRoot?: string;
  outputDir?: string;
  shards?: number;
}

/** The default remote jobs folder (relative to the remote home). */
export const DEFAULT_REMOTE_ROOT = '.rarft/jobs';

/** A remote script failed; the message holds its stderr. */
export class RemoteError extends Error {}

/** One job's state as a remote status script reports it. */
export interface JobStatus {
  id: string;
  state: JobState;
  exitCode: number | null;
  detail?: string;
}

/** The record of a job about to be launched: a new id, the spec's fields, no remote folder yet. */
export function newJobRecord(spec: LaunchSpec, engine: JobRecord['engine'], now = new Date()): JobRecord {
  return {
    id: newJobId(now),
    host: spec.host,
    ...(spec.sshConfig ? { sshConfig: spec.sshConfig } : {}),
    kind: spec.kind ?? 'command',
    engine,
    cwd: spec.cwd,
    argv: spec.argv,
    remoteDir: '',
    ...(spec.outputDir ? { outputDir: spec.outputDir } : {}),
    ...(spec.shards ? { shards: spec.shards } : {}),
    createdAt: now.toISOString(),
    state: engine === 'slurm' ? 'pending' : 'starting',
    exitCode: null,
  };
}

/** Records a job the remote side accepted (`started` holds what it answered) and returns it. */
export async function recordStarted(workspace: string, started: JobRecord): Promise<JobRecord> {
  await saveJobs(workspace, [started]);
  return started;
}

const FINAL = new Set<JobState>(['exited', 'cancelled', 'lost']);

/** Is the job over (its state will not change any more)? */
export function isFinal(job: Pick<JobRecord, 'state'>): boolean {
  return FINAL.has(job.state);
}

/** The record after a status answer: its state, exit code and detail; `endedAt` when it became final. */
export function applyStatus(j: JobRecord, s: JobStatus, now = new Date()): JobRecord {
  const next: JobRecord = { ...j, state: s.state, exitCode: s.exitCode };
  if (s.detail) next.detail = s.detail;
  else delete next.detail;
  if (isFinal(next) && !j.endedAt) next.endedAt = now.toISOString();
  return next;
}

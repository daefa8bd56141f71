/**
 * The local job records: `<workspace>/.rarft/jobs.json`, and each job's mirrored logs under
 * `<workspace>/.rarft/jobs/<id>/`. Writes are atomic and serialised by a lock file, so the CLI
 * and the extension can both update records without losing one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../fsAtomic';
import { parseJson } from '../json/positions';

/** What a job is doing, as far as we last saw. */
export type JobState = 'starting' | 'pending' | 'running' | 'exited' | 'cancelled' | 'lost' | 'unknown';

/** One job, as recorded locally (and, the same fields, beside the job on the remote side). */
export interface JobRecord {
  id: string;
  host: string;
  /** The ssh config file it was launched with (`--ssh-config`), if any. */
  sshConfig?: string;
  kind: 'command' | 'train' | 'infer';
  engine: 'ssh' | 'slurm';
  /** Remote working directory. */
  cwd: string;
  /** What runs (for `infer`, the command of shard 0; `shards` says how many). */
  argv: string[];
  /** The job's folder on the remote side (absolute): job.json, stdout.log, stderr.log, exit_code. */
  remoteDir: string;
  /** Process group of a detached ssh job. */
  pgid?: number;
  /** Slurm job id. */
  slurmId?: string;
  /** Remote folder holding the job's outputs (inference results, checkpoints), for fetch. */
  outputDir?: string;
  shards?: number;
  createdAt: string;
  endedAt?: string;
  state: JobState;
  exitCode: number | null;
  /** Why a state is what it is, when it is not obvious (a Slurm reason, a lost process). */
  detail?: string;
}

interface JobsFile {
  version: 1;
  jobs: JobRecord[];
}

/** The `.rarft` folder of a workspace. */
export function rarftDir(workspace: string): string {
  return join(workspace, '.rarft');
}

/** Local folder of a job's mirrored logs and fetched results. */
export function localJobDir(workspace: string, id: string): string {
  return join(rarftDir(workspace), 'jobs', id);
}

/** A new job id: UTC time and 4 random hex digits, e.g. `20261201-223100-a3f9`. */
export function newJobId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(2).toString('hex')}`;
}

/** Reads every job record of a workspace (none when the file does not exist yet). */
export async function readJobs(workspace: string): Promise<JobRecord[]> {
  const path = join(rarftDir(workspace), 'jobs.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const r = parseJson(text);
  if (!r.ok || typeof r.value !== 'object' || !Array.isArray((r.value as JobsFile).jobs)) {
    throw new Error(`${path}: not a jobs file (expected {"version": 1, "jobs": [...]}); fix or move it`);
  }
  return (r.value as JobsFile).jobs;
}

/** Who holds a lock: this machine and process, written into the lock file. */
const HOLDER = `${hostname()} ${process.pid}\n`;

/**
 * Whether a lock's holder is a process of this machine that is gone (an editor window reloaded
 * or killed in the middle of an update). An empty or unreadable lock, or one from another
 * machine (a shared folder), is left to its age.
 */
async function holderGone(lock: string): Promise<boolean> {
  const m = /^(\S+) (\d+)\s*$/.exec(await readFile(lock, 'utf8').catch(() => ''));
  if (!m || m[1] !== hostname()) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A lock older than this is broken whoever holds it (no update takes that long). */
const STALE_MS = 30_000;

/**
 * Holds the workspace's jobs lock while `fn` runs. A lock whose holder on this machine is gone
 * is broken at once, any other after `STALE_MS`; a waiter waits longer than that before it gives
 * up, so an abandoned lock never fails an update.
 */
async function withLock<T>(workspace: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(rarftDir(workspace), 'jobs.json.lock');
  const deadline = Date.now() + STALE_MS + 5_000;
  await mkdir(rarftDir(workspace), { recursive: true });
  for (;;) {
    try {
      const h = await open(lock, 'wx');
      try {
        await h.writeFile(HOLDER);
      } finally {
        await h.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS || (await holderGone(lock))) await rm(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lock}: held for too long; remove it if no rarft is running`);
      else await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

/** Applies `change` to the records under the lock and writes them back atomically. */
export async function updateJobs(
  workspace: string,
  change: (jobs: JobRecord[]) => JobRecord[] | undefined,
): Promise<JobRecord[]> {
  return withLock(workspace, async () => {
    const jobs = await readJobs(workspace);
    const next = change(jobs) ?? jobs;
    const body: JobsFile = { version: 1, jobs: next };
    await writeFileAtomic(join(rarftDir(workspace), 'jobs.json'), JSON.stringify(body, null, 2) + '\n');
    return next;
  });
}

/** Adds or replaces (by id) job records. */
export function saveJobs(workspace: string, records: JobRecord[]): Promise<JobRecord[]> {
  return updateJobs(workspace, (jobs) => {
    const byId = new Map(jobs.map((j) => [j.id, j]));
    for (const r of records) byId.set(r.id, r);
    return [...byId.values()];
  });
}

/** The record of `id` (a unique prefix is enough); throws naming the known ids otherwise. */
export async function findJob(workspace: string, id: string): Promise<JobRecord> {
  const jobs = await readJobs(workspace);
  const exact = jobs.find((j) => j.id === id);
  if (exact) return exact;
  const hits = jobs.filter((j) => j.id.startsWith(id));
  if (hits.length === 1) return hits[0];
  const where = join(rarftDir(workspace), 'jobs.json');
  if (hits.length > 1) throw new Error(`job '${id}' is ambiguous: ${hits.map((j) => j.id).join(', ')}`);
  throw new Error(`no job '${id}' in ${where}${jobs.length ? ` (known: ${jobs.map((j) => j.id).join(', ')})` : ''}`);
}

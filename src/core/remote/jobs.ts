/**
 * Detached jobs over ssh: each runs in its own session and process group (setsid, nohup), with
 * stdout/stderr in files and its exit code written to a file beside them, so it outlives the
 * ssh connection and the editor. State comes from those files and the process group.
 */
import {
  DEFAULT_REMOTE_ROOT,
  type JobStatus,
  type LaunchSpec,
  newJobRecord,
  RemoteError,
  recordStarted,
} from './jobRecord';
import type { JobRecord, JobState } from './jobStore';
import { shJoin, shQuote } from './quote';
import { runRemote, type SshOptions } from './ssh';

/** Runs "$@" with output to the job folder ($1), then writes its exit code atomically. */
const WRAPPER = [
  'J=$1; shift',
  '"$@" >> "$J/stdout.log" 2>> "$J/stderr.log" < /dev/null',
  'c=$?',
  'printf "%s\\n" "$c" > "$J/exit_code.tmp" && mv "$J/exit_code.tmp" "$J/exit_code"',
].join('\n');

/** The sh script that makes the job folder, writes job.json and starts the job detached. */
export function launchScript(rec: JobRecord, remoteRoot: string): string {
  return [
    'set -e',
    `mkdir -p ${shQuote(`${remoteRoot}/${rec.id}`)}`,
    `J=$(cd ${shQuote(`${remoteRoot}/${rec.id}`)} && pwd)`,
    ': > "$J/stdout.log"; : > "$J/stderr.log"',
    `printf '%s\\n' ${shQuote(JSON.stringify(rec))} > "$J/job.json"`,
    `cd ${shQuote(rec.cwd)}`,
    // Not `cd … && setsid … &`: that would background the whole list and hold the session open.
    `setsid nohup /bin/sh -c ${shQuote(WRAPPER)} rarft-job "$J" ${shJoin(rec.argv)} > /dev/null 2>&1 < /dev/null &`,
    'echo "$!" > "$J/pgid"',
    'printf "rarft-job %s %s\\n" "$!" "$J"',
  ].join('\n');
}

/** Starts a detached job and records it in `<workspace>/.rarft/jobs.json`. */
export async function launchJob(workspace: string, spec: LaunchSpec, opts: SshOptions): Promise<JobRecord> {
  if (!spec.argv.length) throw new RemoteError('no command to run');
  const rec = newJobRecord(spec, 'ssh');
  const r = await runRemote(spec.host, launchScript(rec, spec.remoteRoot ?? DEFAULT_REMOTE_ROOT), opts);
  const m = /^rarft-job (\d+) (.+)$/m.exec(r.stdout);
  if (r.code !== 0 || !m) throw new RemoteError(`${spec.host}: launch failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return recordStarted(workspace, { ...rec, pgid: Number(m[1]), remoteDir: m[2], state: 'running' });
}

/** sh that prints `ID STATE [CODE]` for a detached job (zombies count as dead). */
function statusLines(j: JobRecord): string {
  const d = shQuote(j.remoteDir);
  const id = shQuote(j.id);
  return [
    `if [ -f ${d}/exit_code ]; then echo ${id} exited "$(cat ${d}/exit_code)"`,
    `elif case " $LIVE " in *" ${j.pgid} "*) true ;; *) false ;; esac; then echo ${id} running`,
    `elif [ -f ${d}/cancelled ]; then echo ${id} cancelled`,
    `elif [ -d ${d} ]; then echo ${id} lost`,
    `else echo ${id} unknown; fi`,
  ].join('\n');
}

/** Parses `ID STATE [CODE]` lines of a status script. */
export function parseStatusLines(text: string): Map<string, JobStatus> {
  const out = new Map<string, JobStatus>();
  for (const line of text.split('\n')) {
    const [id, state, code] = line.trim().split(/\s+/);
    if (!id || !state) continue;
    const exitCode = code !== undefined && /^\d+$/.test(code) ? Number(code) : null;
    out.set(id, { id, state: state as JobState, exitCode });
  }
  return out;
}

/** Asks one host, in one ssh call, for the state of its detached jobs. */
export async function sshJobStates(host: string, jobs: JobRecord[], opts: SshOptions): Promise<Map<string, JobStatus>> {
  if (!jobs.length) return new Map();
  // One ps for all jobs: the process groups with a live (not zombie) member.
  const live = `LIVE=$(ps -e -o pgid=,stat= 2>/dev/null | awk '$2 !~ /^Z/ {print $1}' | sort -u | tr '\\n' ' ')`;
  const r = await runRemote(host, [live, ...jobs.map(statusLines)].join('\n'), opts);
  if (r.code !== 0) throw new RemoteError(`${host}: status failed: ${r.stderr.trim()}`);
  return parseStatusLines(r.stdout);
}

/** Stops a detached job: marks it cancelled, TERMs its whole process group, KILLs what is left after 5 s. */
export async function cancelSshJob(j: JobRecord, opts: SshOptions): Promise<void> {
  if (!j.pgid || j.pgid <= 1) throw new RemoteError(`${j.id}: no process group recorded`);
  const d = shQuote(j.remoteDir);
  const alive = `ps -e -o pgid=,stat= | awk -v g=${j.pgid} '$1==g && $2 !~ /^Z/ {f=1} END {exit !f}'`;
  const script = [
    `[ -f ${d}/exit_code ] && exit 0`,
    `: > ${d}/cancelled`,
    `kill -TERM -${j.pgid} 2>/dev/null || exit 0`,
    'i=0',
    `while ${alive} && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done`,
    `if ${alive}; then kill -KILL -${j.pgid} 2>/dev/null; fi`,
    'exit 0',
  ].join('\n');
  const r = await runRemote(j.host, script, opts);
  if (r.code !== 0) throw new RemoteError(`${j.host}: cancel failed: ${r.stderr.trim()}`);
}

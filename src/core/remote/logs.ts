/**
 * Log mirroring: a job's remote stdout/stderr is copied into `<workspace>/.rarft/jobs/<id>/`,
 * always appending from the byte offset the local file already holds, so a dropped connection
 * or a reload resumes where it stopped: no byte lost, none twice. One mirror writer per file at
 * a time (a lock file with its pid); other readers watch the local file.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { type JobRecord, localJobDir } from './jobStore';
import { shQuote } from './quote';
import { runRemote, type SshOptions, UnreachableError } from './ssh';

/** Which log. */
export type LogStream = 'stdout' | 'stderr';

/** The local mirror file of a job's log. */
export function mirrorPath(workspace: string, id: string, stream: LogStream = 'stdout'): string {
  return join(localJobDir(workspace, id), `${stream}.log`);
}

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Takes the mirror lock of `path`; returns its release, or undefined when a live process holds it. */
export function takeMirrorLock(path: string): (() => void) | undefined {
  const lock = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lock);
        } catch {}
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (pid === process.pid) return undefined;
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = pid > 0;
      } catch {}
      if (alive) return undefined;
      unlinkSync(lock); // its writer died: take over
    }
  }
  return undefined;
}

/** sh that prints the remote log from byte `offset` on; with `follow`, until the job has ended. */
export function logScript(job: JobRecord, stream: LogStream, offset: number, follow: boolean): string {
  const f = shQuote(`${job.remoteDir}/${stream}.log`);
  const d = shQuote(job.remoteDir);
  if (!follow) return `[ -f ${f} ] || exit 0\nexec tail -c +${offset + 1} ${f}`;
  const alive =
    job.engine === 'slurm'
      ? ` && [ -n "$(timeout 30 squeue -h -j ${job.slurmId} -o %i 2>/dev/null)" ]`
      : job.pgid
        ? ` && kill -0 ${job.pgid} 2>/dev/null`
        : '';
  return [
    `tail -c +${offset + 1} -f ${f} & T=$!`,
    `while [ ! -f ${d}/exit_code ] && [ ! -f ${d}/cancelled ]${alive}; do sleep 0.2; done`,
    'sleep 0.3; kill $T 2>/dev/null; wait $T 2>/dev/null; exit 0',
  ].join('\n');
}

/** Copies what the remote log holds past the local mirror's size; returns the bytes added. */
export async function syncLog(workspace: string, job: JobRecord, stream: LogStream, opts: SshOptions): Promise<number> {
  const path = mirrorPath(workspace, job.id, stream);
  mkdirSync(localJobDir(workspace, job.id), { recursive: true });
  let added = 0;
  const r = await runRemote(job.host, logScript(job, stream, size(path), false), opts, {
    onStdout: (b) => {
      appendFileSync(path, b);
      added += b.length;
    },
  });
  if (r.code !== 0) throw new Error(`${job.host}: reading ${stream}.log of ${job.id} failed: ${r.stderr.trim()}`);
  return added;
}

/** Options of `mirrorLog`. */
export interface MirrorOptions {
  signal?: AbortSignal;
  /** Is the job still going? Asked after each connection ends; default: ask nothing, stop. */
  stillRunning?: () => Promise<boolean>;
  /** Each chunk appended, as it arrives. */
  onData?: (chunk: Buffer) => void;
  /** A connection ended early or failed; it is retried. */
  onDrop?: (e: unknown) => void;
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });

/**
 * Mirrors a job's log while it runs, reconnecting after drops (backoff up to 5 s), each time
 * from the local size; ends after a last catch-up once the job has ended or on abort. Returns
 * false without doing anything when another live process is already mirroring this file.
 */
export async function mirrorLog(
  workspace: string,
  job: JobRecord,
  stream: LogStream,
  opts: SshOptions,
  o: MirrorOptions = {},
): Promise<boolean> {
  const path = mirrorPath(workspace, job.id, stream);
  mkdirSync(localJobDir(workspace, job.id), { recursive: true });
  if (!existsSync(path)) appendFileSync(path, '');
  const release = takeMirrorLock(path);
  if (!release) return false;
  try {
    let wait = 250;
    while (!o.signal?.aborted) {
      try {
        const r = await runRemote(job.host, logScript(job, stream, size(path), true), opts, {
          signal: o.signal,
          onStdout: (b) => {
            appendFileSync(path, b);
            o.onData?.(b);
            wait = 250;
          },
        });
        if (o.signal?.aborted) break;
        if (r.code !== 0) o.onDrop?.(new Error(r.stderr.trim() || `ssh exited ${r.code}`));
      } catch (e) {
        if (o.signal?.aborted) break;
        if (!(e instanceof UnreachableError)) throw e;
        o.onDrop?.(e);
      }
      const running = await (o.stillRunning ?? (async () => false))().catch(() => true);
      if (!running) {
        const before = size(path);
        await syncLog(workspace, job, stream, opts);
        if (o.onData && size(path) > before) o.onData(readTail(path, before));
        break;
      }
      await pause(wait, o.signal);
      wait = Math.min(wait * 2, 5000);
    }
  } finally {
    release();
  }
  return true;
}

function readTail(path: string, from: number): Buffer {
  return readFileSync(path).subarray(from);
}

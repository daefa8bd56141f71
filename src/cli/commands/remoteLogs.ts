/** `rarft remote logs JOB [--follow]`: prints a job's log from its local mirror, kept up to date over ssh. */
import { closeSync, openSync, readSync, statSync, watch } from 'node:fs';
import type { JobRecord } from '../../core/remote/jobStore';
import { type LogStream, mirrorLog, mirrorPath, syncLog } from '../../core/remote/logs';
import { isFinal } from '../../core/remote/jobRecord';
import { jobSshOptions, refreshJobs } from '../../core/remote/manage';
import type { SshOptions } from '../../core/remote/ssh';

/** Writes the bytes of `path` from `from` on to stdout; returns the new offset. */
function printFrom(path: string, from: number): number {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return from;
  }
  if (size <= from) return from;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size - from, 1 << 20));
    let at = from;
    while (at < size) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
      if (n <= 0) break;
      process.stdout.write(Buffer.from(buf.subarray(0, n)));
      at += n;
    }
    return at;
  } finally {
    closeSync(fd);
  }
}

/** Brings the mirror up to date (when the host answers) and prints it whole. */
export async function printLog(workspace: string, job: JobRecord, stream: LogStream, ssh: SshOptions): Promise<void> {
  try {
    await syncLog(workspace, job, stream, jobSshOptions(job, ssh));
  } catch (e) {
    process.stderr.write(`warning: showing the local copy only: ${(e as Error).message}\n`);
  }
  printFrom(mirrorPath(workspace, job.id, stream), 0);
}

/**
 * Prints the whole log once, then each new byte as it arrives, until the job has ended (or
 * Ctrl-C). Mirrors both streams, reconnecting after drops; when another process already
 * mirrors them (the editor), it only watches the local file.
 */
export async function followLogs(workspace: string, job: JobRecord, stream: LogStream, ssh: SshOptions): Promise<void> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  const o = jobSshOptions(job, ssh);
  const path = mirrorPath(workspace, job.id, stream);
  const stillRunning = async () => {
    const jobs = await refreshJobs(workspace, ssh, [job.id]);
    const j = jobs.find((x) => x.id === job.id);
    return !!j && !isFinal(j);
  };
  const onDrop = (e: unknown) =>
    process.stderr.write(`rarft: connection lost (${(e as Error).message ?? e}); reconnecting\n`);
  let printed = printFrom(path, 0);
  const tick = () => (printed = printFrom(path, printed));
  const w = watchFile(path, tick);
  try {
    const other: LogStream = stream === 'stdout' ? 'stderr' : 'stdout';
    const mirrors = [stream, other].map((s) =>
      mirrorLog(workspace, job, s, o, {
        signal: ac.signal,
        stillRunning,
        ...(s === stream ? { onData: tick, onDrop } : {}),
      }),
    );
    const [mine] = await Promise.all(mirrors);
    if (!mine) {
      // Someone else writes the mirror: watch it until the job is over.
      while (!ac.signal.aborted && (await stillRunning().catch(() => true))) await sleep(1000, ac.signal);
    }
    tick();
  } finally {
    w.close();
    process.off('SIGINT', stop);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((r) => {
    const t = setTimeout(r, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });
}

/** Calls `fn` when the file changes (fs.watch, with a 250 ms poll in case events are missed). */
function watchFile(path: string, fn: () => void): { close(): void } {
  let w: ReturnType<typeof watch> | undefined;
  try {
    w = watch(path, fn);
  } catch {}
  const t = setInterval(fn, 250);
  return {
    close() {
      clearInterval(t);
      w?.close();
    },
  };
}

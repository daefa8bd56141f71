/**
 * A job's live log in an output channel, read from its local mirror as the mirror grows, and
 * its last tqdm bar shown as VS Code progress while the job runs.
 */
import { closeSync, openSync, readSync, statSync, watch } from 'node:fs';
import * as vscode from 'vscode';
import { parseTqdm } from '../../core/logs/trainerLog';
import type { JobRecord } from '../../core/remote/jobStore';
import { mirrorPath } from '../../core/remote/logs';

/** Reads bytes of `path` from `from`; returns them and the new offset. */
function readFrom(path: string, from: number): { text: string; at: number } {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    return { text: '', at: from };
  }
  if (size <= from) return { text: '', at: from };
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    const n = readSync(fd, buf, 0, buf.length, from);
    return { text: buf.subarray(0, n).toString('utf8'), at: from + n };
  } finally {
    closeSync(fd);
  }
}

/** Calls `fn` when a file changes (fs.watch plus a 300 ms poll, since watch events can be missed). */
function onFileChange(path: string, fn: () => void): vscode.Disposable {
  let w: ReturnType<typeof watch> | undefined;
  try {
    w = watch(path, fn);
  } catch {}
  const t = setInterval(fn, 300);
  return new vscode.Disposable(() => {
    clearInterval(t);
    w?.close();
  });
}

/** An output channel following one job's stdout mirror (whole log once, then each new byte). */
export class JobLogChannel implements vscode.Disposable {
  readonly channel: vscode.OutputChannel;
  private at = 0;
  private pending = '';
  private readonly watcher: vscode.Disposable;

  constructor(workspace: string, job: JobRecord) {
    this.channel = vscode.window.createOutputChannel(`RA-RFT Job ${job.id}`);
    const path = mirrorPath(workspace, job.id, 'stdout');
    const pump = () => {
      const r = readFrom(path, this.at);
      this.at = r.at;
      if (!r.text) return;
      // Whole lines only: a bar redrawn with \r shows once it is done, not as fragments.
      const text = this.pending + r.text;
      const cut = text.lastIndexOf('\n') + 1;
      this.pending = text.slice(cut);
      if (cut) this.channel.append(text.slice(0, cut));
    };
    pump();
    this.watcher = onFileChange(path, pump);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.watcher.dispose();
    this.channel.dispose();
  }
}

/** The last tqdm bar in a log's tail, from its last `\r`- or `\n`-separated segment that is one. */
export function lastBar(tail: string): ReturnType<typeof parseTqdm> {
  const parts = tail.split(/[\r\n]/);
  for (let i = parts.length - 1; i >= 0 && i >= parts.length - 20; i--) {
    const p = parseTqdm(parts[i]);
    if (p) return p;
  }
  return null;
}

/**
 * Shows the job's tqdm bars (tqdm writes to stderr) as a progress notification until `done`
 * resolves or the user closes it (the job goes on).
 */
export function showTqdmProgress(workspace: string, job: JobRecord, done: Promise<unknown>): void {
  const path = mirrorPath(workspace, job.id, 'stderr');
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${job.kind} ${job.id}`, cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        let last = -1;
        const tick = () => {
          let size = 0;
          try {
            size = statSync(path).size;
          } catch {}
          const r = readFrom(path, Math.max(0, size - 4096));
          const bar = lastBar(r.text);
          if (!bar?.total) return;
          const pct = Math.min(100, (100 * bar.n) / bar.total);
          if (pct === last) return;
          progress.report({
            increment: last < 0 ? pct : pct - last,
            message: `${bar.desc ? `${bar.desc} ` : ''}${bar.n}/${bar.total}`,
          });
          last = pct;
        };
        const w = onFileChange(path, tick);
        const end = () => (w.dispose(), resolve());
        token.onCancellationRequested(end);
        void done.finally(end);
      }),
  );
}

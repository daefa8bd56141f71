/** The Jobs view: each job with its state, elapsed time and host; refreshed from `.rarft/jobs.json`. */
import * as vscode from 'vscode';
import { jobEndAlert } from '../../core/logs/alerts';
import type { JobRecord } from '../../core/remote/jobStore';
import { isFinal } from '../../core/remote/jobRecord';

/** How long a job has run (or ran), e.g. `3m12s`. */
export function elapsedText(j: JobRecord, now = Date.now()): string {
  const s = Math.max(0, Math.round(((j.endedAt ? Date.parse(j.endedAt) : now) - Date.parse(j.createdAt)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const ICON: Record<string, string> = {
  running: 'sync~spin',
  pending: 'clock',
  starting: 'loading~spin',
  exited: 'pass',
  cancelled: 'circle-slash',
  lost: 'warning',
  unknown: 'question',
};

/** Tree data over the job records; `set` replaces them and repaints. */
export class JobsTree implements vscode.TreeDataProvider<JobRecord> {
  private jobs: JobRecord[] = [];
  /** Per job, the last GPU use seen (`2×A100 87%`), when known. */
  readonly gpu = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<JobRecord | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  set(jobs: JobRecord[]): void {
    this.jobs = [...jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    this.changed.fire(undefined);
  }

  all(): JobRecord[] {
    return this.jobs;
  }

  getChildren(el?: JobRecord): JobRecord[] {
    return el ? [] : this.jobs;
  }

  getTreeItem(j: JobRecord): vscode.TreeItem {
    const item = new vscode.TreeItem(`${j.kind} ${j.id}`, vscode.TreeItemCollapsibleState.None);
    const alert = jobEndAlert(j);
    const failed = alert?.severity === 'error';
    const state = j.state === 'exited' ? (j.exitCode === null ? 'killed' : `exited ${j.exitCode}`) : j.state;
    const gpu = this.gpu.get(j.id);
    item.description = [failed ? `✗ ${state}` : state, elapsedText(j), j.host, gpu].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(
      failed ? 'error' : (ICON[j.state] ?? 'question'),
      failed ? new vscode.ThemeColor('errorForeground') : undefined,
    );
    item.tooltip = new vscode.MarkdownString(undefined, false);
    item.tooltip.appendText(
      [
        `${j.kind} job ${j.id} on ${j.host} (${j.engine}${j.slurmId ? ` ${j.slurmId}` : ''})`,
        `state: ${state}${j.detail ? ` (${j.detail})` : ''}`,
        ...(alert ? [alert.message] : []),
        `cwd: ${j.cwd}`,
        `command: ${j.argv.join(' ')}`,
        `remote folder: ${j.remoteDir}`,
      ].join('\n'),
    );
    item.contextValue = isFinal(j) ? 'rarft.job.done' : 'rarft.job.running';
    item.command = { command: 'rarft.showJobLog', title: 'Show Log', arguments: [j] };
    item.id = j.id;
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

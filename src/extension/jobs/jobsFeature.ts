/**
 * Remote jobs in the editor: the Jobs view, Launch / Cancel / Fetch / Show Log, log mirrors for
 * running jobs (resumed after a reload from the local records), tqdm bars as progress, and a
 * notice when a job ends.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { jobEndAlert } from '../../core/logs/alerts';
import { gpuSummary, gpuUse } from '../../core/remote/check';
import { type JobRecord, rarftDir, readJobs } from '../../core/remote/jobStore';
import { mirrorLog, mirrorPath } from '../../core/remote/logs';
import { isFinal } from '../../core/remote/jobRecord';
import { cancelJob, fetchJob, jobSshOptions, refreshJobs } from '../../core/remote/manage';
import type { FeatureDeps } from '../deps';
import { DisposableBase } from '../disposable';
import { withHostKey } from './hostKey';
import { JobLogChannel, showTqdmProgress } from './jobLog';
import { JobsTree } from './jobsView';
import { type LaunchArgs, launchFromEditor } from './launch';
import { jobsWorkspace, sshOptions } from './settings';

const POLL_MS = 3000;
/** How long a fetch waits for the index to pick up the merged results before offering them anyway. */
const INDEX_WAIT_MS = 60_000;

/** Resolves true once the workspace index holds `path` (at once when it does), false after `ms`. */
function whenIndexed(deps: FeatureDeps, path: string, ms: number): Promise<boolean> {
  const has = () => deps.index.browse.files.some((f) => f.path === path);
  return new Promise((resolve) => {
    let sub: vscode.Disposable | undefined;
    const done = (v: boolean) => {
      clearTimeout(t);
      sub?.dispose();
      resolve(v);
    };
    const t = setTimeout(() => done(has()), ms);
    sub = deps.index.onDidChange(() => has() && done(true));
    void deps.index.ensureStarted().then(() => has() && done(true));
  });
}

class JobsFeature extends DisposableBase {
  private readonly tree = this.own(new JobsTree());
  private readonly mirrors = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  private readonly logs = new Map<string, JobLogChannel>();
  /** Each job's state when last seen, to tell the moment one ends. */
  private readonly states = new Map<string, JobRecord['state']>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly deps: FeatureDeps,
    private readonly state: vscode.Memento,
  ) {
    super();
    this.own(vscode.window.createTreeView('rarft.jobs', { treeDataProvider: this.tree, showCollapseAll: false }));
    const ws = jobsWorkspace();
    if (ws) {
      const w = this.own(
        vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(rarftDir(ws), 'jobs.json')),
      );
      const reload = () => void this.load();
      this.own(w.onDidChange(reload));
      this.own(w.onDidCreate(reload));
    }
    this.own(new vscode.Disposable(() => this.stopAll()));
    void this.load().then(() => this.poll());
  }

  private get ws(): string {
    const ws = jobsWorkspace();
    if (!ws) throw new Error('open a folder first: job records are kept in its .rarft/jobs.json');
    return ws;
  }

  /** Reads the records, starts mirrors for running jobs (after a reload too). */
  async load(): Promise<void> {
    const ws = jobsWorkspace();
    if (!ws || this.isDisposed) return;
    const jobs = await readJobs(ws).catch((e) => (this.deps.log.error(String(e)), this.tree.all()));
    this.observe(jobs);
    for (const j of jobs) if (!isFinal(j)) this.mirror(j);
  }

  private mirror(job: JobRecord): void {
    if (this.mirrors.has(job.id) || this.isDisposed) return;
    const ws = this.ws;
    const abort = new AbortController();
    const ssh = jobSshOptions(job, sshOptions());
    const stillRunning = async () => {
      const j = (await refreshJobs(ws, sshOptions(), [job.id])).find((x) => x.id === job.id);
      return !!j && !isFinal(j);
    };
    const onDrop = (e: unknown) =>
      this.deps.log.warn(`job ${job.id}: connection lost (${(e as Error).message}); reconnecting`);
    const done = Promise.all(
      (['stdout', 'stderr'] as const).map((s) =>
        mirrorLog(ws, job, s, ssh, { signal: abort.signal, stillRunning, onDrop }).catch((e) =>
          this.deps.log.error(`job ${job.id}: ${s} mirror stopped: ${(e as Error).message}`),
        ),
      ),
    ).finally(() => this.mirrors.delete(job.id));
    this.mirrors.set(job.id, { abort, done });
    showTqdmProgress(ws, job, done);
  }

  private stopAll(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const m of this.mirrors.values()) m.abort.abort();
    for (const l of this.logs.values()) l.dispose();
  }

  /** Refreshes states every few seconds while a job is not over. */
  private poll(): void {
    if (this.isDisposed) return;
    this.timer = setTimeout(() => void this.tick().finally(() => this.poll()), POLL_MS);
  }

  private async tick(): Promise<void> {
    const ws = jobsWorkspace();
    if (!ws || this.polling || !this.tree.all().some((j) => !isFinal(j))) return;
    this.polling = true;
    try {
      const jobs = await refreshJobs(ws, sshOptions());
      const hosts = new Set(jobs.filter((j) => j.state === 'running' && j.engine === 'ssh').map((j) => j.host));
      for (const h of hosts) {
        const gpus = await gpuUse(h, sshOptions());
        const text = gpuSummary(gpus);
        for (const j of jobs) if (j.host === h) text ? this.tree.gpu.set(j.id, text) : this.tree.gpu.delete(j.id);
      }
      this.observe(jobs);
      for (const j of jobs) if (!isFinal(j)) this.mirror(j);
    } catch (e) {
      this.deps.log.warn(`jobs: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  /** Shows the records; a job seen not over before and over now has just ended: say so. */
  private observe(jobs: JobRecord[]): void {
    this.tree.set(jobs);
    for (const j of jobs) {
      const before = this.states.get(j.id);
      this.states.set(j.id, j.state);
      if (before !== undefined && !isFinal({ state: before }) && isFinal(j)) this.ended(j);
    }
  }

  /** A notification for a job that ended: the alert (with Show Log) when it failed, else a notice. */
  private ended(j: JobRecord): void {
    const alert = jobEndAlert(j);
    if (alert) this.deps.log[alert.severity === 'error' ? 'error' : 'warn'](alert.message);
    const show = 'Show Log';
    const errors = 'Show Errors';
    const fetch = 'Fetch Results';
    const stderr = mirrorPath(this.ws, j.id, 'stderr');
    const hasErrors = !!alert && statSync(stderr, { throwIfNoEntry: false })?.size;
    const buttons = [show, ...(hasErrors ? [errors] : []), ...(j.outputDir ? [fetch] : [])];
    const say = !alert
      ? vscode.window.showInformationMessage
      : alert.severity === 'error'
        ? vscode.window.showErrorMessage
        : vscode.window.showWarningMessage;
    const text = alert
      ? `${alert.message[0].toUpperCase()}${alert.message.slice(1)}`
      : `Job ${j.id} exited with code 0`;
    void say(`${text} (${j.kind} on ${j.host}).`, ...buttons).then((b) => {
      if (b === show) void this.showLog(j);
      if (b === fetch) void this.fetch(j);
      if (b === errors) void vscode.window.showTextDocument(vscode.Uri.file(stderr), { preview: true });
    });
  }

  async launch(given?: LaunchArgs): Promise<void> {
    const ws = this.ws;
    const job = await launchFromEditor(ws, sshOptions(), this.state, given);
    this.deps.log.info(`launched job ${job.id} on ${job.host}: ${job.argv.join(' ')}`);
    await this.load();
    this.mirror(job);
    await this.showLog(job);
  }

  async showLog(job: JobRecord): Promise<void> {
    let ch = this.logs.get(job.id);
    if (!ch) {
      ch = new JobLogChannel(this.ws, job);
      this.logs.set(job.id, ch);
    }
    ch.show();
  }

  async cancel(job: JobRecord): Promise<void> {
    const ok = await vscode.window.showWarningMessage(
      `Cancel job ${job.id} on ${job.host}? Its whole process group is killed.`,
      { modal: true },
      'Cancel Job',
    );
    if (ok !== 'Cancel Job') return;
    const ssh = jobSshOptions(job, sshOptions());
    await withHostKey(job.host, ssh, () => cancelJob(this.ws, job, sshOptions()));
    await this.load();
  }

  async fetch(job: JobRecord): Promise<void> {
    const ws = this.ws;
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Fetching job ${job.id}`, cancellable: false },
      () => withHostKey(job.host, jobSshOptions(job, sshOptions()), () => fetchJob(ws, job, sshOptions())),
    );
    if (r.mergeError) void vscode.window.showWarningMessage(`Job ${job.id}: fetched, not merged: ${r.mergeError}`);
    if (r.merged) await this.offerEvaluate(job, r.merged);
    else if (r.resultsDir) {
      const cks = readdirSync(r.resultsDir).filter((n) => /^checkpoint-\d+$/.test(n));
      void vscode.window.showInformationMessage(
        `Job ${job.id}: fetched into ${vscode.workspace.asRelativePath(r.resultsDir)}${cks.length ? `; checkpoints: ${cks.join(', ')}` : ''}.`,
      );
    } else
      void vscode.window.showInformationMessage(
        `Job ${job.id}: logs are up to date in ${join('.rarft', 'jobs', job.id)}.`,
      );
  }

  /** Once the index (and so the Runs view) holds the merged results, offers to evaluate them. */
  private async offerEvaluate(job: JobRecord, merged: { path: string; items: number; shards: number }): Promise<void> {
    const where = vscode.workspace.asRelativePath(merged.path);
    const listed = await whenIndexed(this.deps, merged.path, INDEX_WAIT_MS);
    if (!listed) this.deps.log.warn(`job ${job.id}: ${where} is not in the Runs view yet (outside the workspace?)`);
    const evaluate = 'Evaluate Run';
    const b = await vscode.window.showInformationMessage(
      `Job ${job.id}: ${merged.items} results from ${merged.shards} shard(s) in ${where}${listed ? ', listed in Runs' : ''}.`,
      evaluate,
    );
    if (b === evaluate) await vscode.commands.executeCommand('rarft.evaluateRun', { file: { path: merged.path } });
  }

  pick(arg: unknown): JobRecord | undefined {
    if (arg && typeof arg === 'object' && 'id' in arg)
      return this.tree.all().find((j) => j.id === (arg as JobRecord).id);
    return undefined;
  }

  async choose(arg: unknown, filter: (j: JobRecord) => boolean): Promise<JobRecord | undefined> {
    const given = this.pick(arg);
    if (given) return given;
    const items = this.tree
      .all()
      .filter(filter)
      .map((j) => ({ label: `${j.kind} ${j.id}`, description: `${j.state} · ${j.host}`, job: j }));
    if (!items.length) {
      void vscode.window.showInformationMessage('No such jobs.');
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { ignoreFocusOut: true, title: 'Job' }))?.job;
  }
}

/** Registers the Jobs view and its commands. */
export function registerJobs(context: vscode.ExtensionContext, deps: FeatureDeps): vscode.Disposable {
  const f = new JobsFeature(deps, context.workspaceState);
  const run = (name: string, fn: (arg?: unknown) => Promise<unknown>) =>
    vscode.commands.registerCommand(name, async (arg?: unknown) => {
      try {
        await fn(arg);
      } catch (e) {
        if (e instanceof vscode.CancellationError) return;
        deps.log.error(`${name}: ${(e as Error).message}`);
        void vscode.window.showErrorMessage((e as Error).message);
      }
    });
  const any = () => true;
  const running = (j: JobRecord) => !isFinal(j);
  const subs = [
    f,
    run('rarft.launchJob', (a) => f.launch(a && typeof a === 'object' && 'host' in a ? (a as LaunchArgs) : undefined)),
    run('rarft.cancelJob', async (a) => {
      const j = await f.choose(a, running);
      if (j) await f.cancel(j);
    }),
    run('rarft.fetchJob', async (a) => {
      const j = await f.choose(a, any);
      if (j) await f.fetch(j);
    }),
    run('rarft.showJobLog', async (a) => {
      const j = await f.choose(a, any);
      if (j) await f.showLog(j);
    }),
    run('rarft.refreshJobs', () => f.load()),
  ];
  return vscode.Disposable.from(...subs);
}

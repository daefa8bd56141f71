/**
 * One followed log: its follower, the group views derived so far, the alerts already shown, and
 * the pages (curves, rollouts) that show it. Pages get a snapshot on "ready" and deltas after.
 */
import * as vscode from 'vscode';
import { trainingAlerts, type Alert } from '../../core/logs/alerts';
import { LogFollower, type FollowUpdate } from '../../core/logs/follow';
import { groupView, type GroupView } from '../../core/logs/groups';
import type { CurvesHostMessage } from '../../protocol/curves';

/** A page showing the session (the host keeps whether it said "ready"). */
export interface SessionPage {
  readonly kind: 'curves' | 'rollouts';
  ready: boolean;
  post(msg: CurvesHostMessage): void;
}

/** Follows one log file for the pages open on it. */
export class LogSession implements vscode.Disposable {
  private readonly follower: LogFollower;
  private views: GroupView[] = [];
  private alerts: Alert[] = [];
  private readonly notified = new Set<string>();
  readonly pages = new Set<SessionPage>();
  private rolloutTimer: NodeJS.Timeout | null = null;
  private errorText = '';

  constructor(
    readonly path: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly onRollouts: (session: LogSession, page: SessionPage) => void,
  ) {
    this.follower = new LogFollower(path, {
      onUpdate: (u) => this.update(u),
      onError: (e) => this.failed(e),
    });
    void this.follower.start();
  }

  get label(): string {
    return vscode.workspace.asRelativePath(this.path);
  }

  get groups(): readonly GroupView[] {
    return this.views;
  }

  /** Reads now (a page asked, or a test wants no wait for the next event). */
  poke(): void {
    void this.follower.poke();
  }

  /** The snapshot a page gets when it says "ready". */
  snapshot(page: SessionPage): void {
    page.ready = true;
    if (page.kind === 'rollouts') {
      this.onRollouts(this, page);
      return;
    }
    if (this.errorText && !this.follower.builder.steps.length) {
      page.post({ type: 'curves/error', path: this.path, message: this.errorText });
      return;
    }
    const b = this.follower.builder;
    page.post({
      type: 'curves/reset',
      path: this.path,
      file: this.label,
      steps: b.steps,
      progress: b.progress,
      summary: b.summary,
      alerts: this.alerts,
      ...this.counts(),
    });
  }

  private counts() {
    return { groups: this.views.length, zeroVarianceGroups: this.views.filter((g) => g.zeroVariance).length };
  }

  private update(u: FollowUpdate): void {
    this.errorText = '';
    const b = u.builder;
    if (u.reset) this.views = [];
    this.views.length = Math.min(this.views.length, u.change.groupsFrom);
    for (let i = this.views.length; i < b.groups.length; i++) this.views.push(groupView(b.groups[i]));
    this.alerts = trainingAlerts(b.steps, this.views);
    for (const page of this.pages) {
      if (!page.ready || page.kind !== 'curves') continue;
      if (u.reset) this.snapshot(page);
      else
        page.post({
          type: 'curves/append',
          from: u.change.stepsFrom,
          steps: b.steps.slice(u.change.stepsFrom),
          progress: b.progress,
          summary: b.summary,
          alerts: this.alerts,
          ...this.counts(),
        });
    }
    if (u.reset || u.change.groupsFrom < b.groups.length) this.scheduleRollouts();
    this.notify();
    if (u.change.problems)
      for (const p of b.problems.slice(-u.change.problems))
        this.log.warn(`${this.label}:${p.line}:${p.column}: ${p.message}`);
  }

  private scheduleRollouts(): void {
    if (this.rolloutTimer || ![...this.pages].some((p) => p.kind === 'rollouts' && p.ready)) return;
    this.rolloutTimer = setTimeout(() => {
      this.rolloutTimer = null;
      for (const p of this.pages) if (p.kind === 'rollouts' && p.ready) this.onRollouts(this, p);
    }, 250);
  }

  private failed(e: Error): void {
    this.errorText = `Cannot read ${this.label}: ${e.message}`;
    this.log.warn(`training curves: ${this.errorText}`);
    for (const p of this.pages)
      if (p.ready && p.kind === 'curves') p.post({ type: 'curves/error', path: this.path, message: this.errorText });
  }

  /** Each alert once per session, as a notification with a way to the curves. */
  private notify(): void {
    for (const a of this.alerts) {
      if (this.notified.has(a.id)) continue;
      this.notified.add(a.id);
      const text = `RA-RFT: ${this.label}: ${a.message}`;
      this.log.warn(`training alert: ${text}`);
      const show = a.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      void show(text, 'Show Training Curves').then((pick) => {
        if (pick) void vscode.commands.executeCommand('rarft.showTrainingCurves', vscode.Uri.file(this.path));
      });
    }
  }

  dispose(): void {
    this.follower.dispose();
    if (this.rolloutTimer) clearTimeout(this.rolloutTimer);
  }
}

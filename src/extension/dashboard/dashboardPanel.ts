/**
 * The dashboard panel (one at a time): draws a judged run, and with a second run their flips.
 * Clicks filter the Runs view to the samples behind a bar and open the first in the inspector.
 */
import * as vscode from 'vscode';
import { itemRef } from '../../core/inspect/identity';
import { writeFileAtomic } from '../../core/fsAtomic';
import { dirname, join } from 'node:path';
import { dashboardData, type JudgedRun } from '../../core/report/build';
import type { DashboardData } from '../../core/report/data';
import { reportAssets, reportHtml } from '../../core/report/html';
import { rewardsBeside } from '../../core/report/runFiles';
import { parseDashboardMessage, type DashboardHostMessage, type DashboardViewMessage } from '../../protocol/dashboard';
import type { FeatureDeps } from '../deps';
import { addFlags } from '../../core/report/columns';
import { DisposableBase } from '../disposable';
import { webviewPage } from '../webviewPage';
import { ComparedRuns } from './comparedSample';

const EXT = { png: 'PNG image', csv: 'CSV', md: 'Markdown', tex: 'LaTeX' } as const;

/** Holds the panel and what it shows. */
export class DashboardPanel extends DisposableBase {
  private panel: vscode.WebviewPanel | undefined;
  private data: DashboardData | undefined;
  private runPath: string | undefined;
  /** With a compared run: both runs paired, for the inspector to draw both predictions. */
  private compared: ComparedRuns | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: FeatureDeps,
  ) {
    super();
    // A flag set or cleared anywhere: the flag filter offers it at once.
    this.own(deps.flags.onDidChange(() => this.refreshFlags()));
  }

  private refreshFlags(): void {
    if (!this.data || !this.panel) return;
    addFlags(this.data.columns, (video, query) => this.deps.flags.tagsOf(video, query));
    this.post({ type: 'dashboard/show', data: this.data });
  }

  /** Shows `run` (and its comparison with `other`), opening the panel if needed. */
  show(run: JudgedRun, other?: JudgedRun): void {
    const t0 = performance.now();
    const path = run.provenance.path!;
    this.runPath = path;
    this.compared = other ? new ComparedRuns(run, other) : undefined;
    this.data = dashboardData(run, {
      title: `RA-RFT: ${vscode.workspace.asRelativePath(path)}${other ? ` vs ${vscode.workspace.asRelativePath(other.provenance.path ?? 'B')}` : ''}`,
      rewards: rewardsBeside(path),
      compare: other,
      flags: (video, query) => this.deps.flags.tagsOf(video, query),
    });
    this.deps.log.info(`dashboard data for ${run.items.length} items in ${(performance.now() - t0).toFixed(0)} ms`);
    if (!this.panel) this.create();
    else this.panel.reveal(undefined, false);
    this.panel!.title = other ? 'RA-RFT Compare' : 'RA-RFT Dashboard';
    this.post({ type: 'dashboard/show', data: this.data });
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel(
      'rarft.dashboard',
      'RA-RFT Dashboard',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [
          vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview'),
          vscode.Uri.joinPath(this.context.extensionUri, 'media'),
        ],
      },
    );
    this.panel = panel;
    panel.webview.html = webviewPage(panel.webview, this.context.extensionUri, {
      script: 'dashboard',
      style: 'dashboard',
      title: 'RA-RFT Dashboard',
      placeholder: 'Loading the evaluation…',
      allow: ['blob'],
    });
    const subs = [
      panel.webview.onDidReceiveMessage((raw) => {
        const m = parseDashboardMessage(raw);
        if (m) void this.onMessage(m).catch((e) => this.fail(e));
        else this.deps.log.warn(`dashboard: ignored a malformed message ${JSON.stringify(raw)?.slice(0, 200)}`);
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        for (const s of subs) s.dispose();
      }),
    ];
  }

  private post(m: DashboardHostMessage): void {
    void this.panel?.webview.postMessage(m);
  }

  private fail(e: unknown): void {
    this.deps.log.error(`dashboard: ${(e as Error)?.stack ?? e}`);
    void vscode.window.showErrorMessage(`RA-RFT: ${(e as Error)?.message ?? e}`);
  }

  private async onMessage(m: DashboardViewMessage): Promise<void> {
    switch (m.type) {
      case 'dashboard/ready':
        if (this.data) this.post({ type: 'dashboard/show', data: this.data });
        else this.post({ type: 'dashboard/empty', message: 'Evaluate a run (RA-RFT: Evaluate Run…) to see it here.' });
        return;
      case 'dashboard/select':
        return this.select(m.rows, m.label, m.compare === true);
      case 'dashboard/export':
        return this.export(m.name, m.format, m.content);
      case 'dashboard/report':
        return this.report();
      case 'dashboard/timing':
        this.deps.log.info(`dashboard drawn in ${m.ms.toFixed(0)} ms`);
        return;
      default: {
        const never: never = m;
        throw new Error(`unhandled ${JSON.stringify(never)}`);
      }
    }
  }

  private async select(rows: number[], label: string, fromFlips: boolean): Promise<void> {
    const file = this.runPath;
    if (!file || !this.data) return;
    const n = this.data.columns.n;
    const valid = rows.filter((r) => r < n);
    await vscode.commands.executeCommand('rarft.showRunSamples', file, valid, label);
    if (!valid.length) {
      void vscode.window.showInformationMessage(`RA-RFT: no samples behind ${label}.`);
      return;
    }
    await this.deps.index.ensureStarted();
    await this.whenIndexed(file);
    // The inspector takes a sample by identity (core/inspect/identity), made from the row's position here.
    const indexed = this.deps.index.browse.files.find((f) => f.path === file);
    if (indexed?.items?.[valid[0]]) {
      const ref = itemRef(this.deps.index.browse, indexed, valid[0]);
      // From a flip cell: the inspector draws both runs' predictions.
      const runs = fromFlips ? this.compared?.runsAt(valid[0]) : undefined;
      await vscode.commands.executeCommand('rarft.inspectSample', ref, runs);
    }
  }

  /** Waits (up to 30 s) until the workspace index holds `file` (a file just written is indexed after a debounce). */
  private async whenIndexed(file: string): Promise<void> {
    const has = () => this.deps.index.browse.files.some((f) => f.path === file);
    if (has()) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 30_000);
      const sub = this.deps.index.onDidChange(() => has() && done());
      function done() {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  }

  private async export(name: string, format: keyof typeof EXT, content: string): Promise<void> {
    const dir = this.runPath ? dirname(this.runPath) : undefined;
    const target = await vscode.window.showSaveDialog({
      title: `RA-RFT: export ${name}`,
      defaultUri: dir ? vscode.Uri.file(join(dir, `${name}.${format}`)) : undefined,
      filters: { [EXT[format]]: [format] },
    });
    if (!target) return;
    const bytes =
      format === 'png' ? Buffer.from(content.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(content);
    await writeFileAtomic(target.fsPath, bytes);
    this.deps.log.info(`exported ${name} to ${target.fsPath}`);
  }

  private async report(): Promise<void> {
    if (!this.data || !this.runPath) return;
    const target = await vscode.window.showSaveDialog({
      title: 'RA-RFT: Export Report',
      defaultUri: vscode.Uri.file(join(dirname(this.runPath), 'report.html')),
      filters: { HTML: ['html'] },
    });
    if (!target) return;
    const assets = await reportAssets(vscode.Uri.joinPath(this.context.extensionUri, 'dist').fsPath);
    await writeFileAtomic(target.fsPath, reportHtml(this.data, assets.script, assets.css));
    const open = await vscode.window.showInformationMessage(
      `RA-RFT: wrote ${vscode.workspace.asRelativePath(target)} (one file, opens without network).`,
      'Reveal',
    );
    if (open) await vscode.commands.executeCommand('revealFileInOS', target);
  }
}

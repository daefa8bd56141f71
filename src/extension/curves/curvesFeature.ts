/**
 * "RA-RFT: Show Training Curves…" and "RA-RFT: Show Rollouts…": webview panels over a local log
 * file (a trainer's stdout, a remote job's mirrored `.rarft/jobs/<id>/stdout.log`, or a
 * checkpoint's trainer_state.json) that follow it as it grows and survive a reload.
 */
import * as vscode from 'vscode';
import { isAbsolute } from 'node:path';
import { joinQueryText, queryTextIndex } from '../../core/logs/groundTruth';
import { parseCurvesUiState, parseCurvesViewMessage, type RolloutGroup } from '../../protocol/curves';
import type { FeatureDeps } from '../deps';
import { DisposableBase } from '../disposable';
import { webviewPage } from '../webviewPage';
import { LogSession, type SessionPage } from './logSession';

export const CURVES_VIEW_TYPE = 'rarft.trainingCurves';
export const ROLLOUTS_VIEW_TYPE = 'rarft.rollouts';
/** Groups a rollouts page shows (the newest). */
const ROLLOUT_LIMIT = 200;
const LOG_GLOB = '{**/.rarft/jobs/*/stdout.log,**/*.log,**/*.out,**/trainer_state.json}';

type Kind = 'curves' | 'rollouts';

/** Owns the sessions (one per log file) and their panels. */
class CurvesFeature extends DisposableBase {
  private readonly sessions = new Map<string, LogSession>();
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: FeatureDeps,
  ) {
    super();
    this.own({ dispose: () => [...this.panels.values()].forEach((p) => p.dispose()) });
    this.own({ dispose: () => [...this.sessions.values()].forEach((s) => s.dispose()) });
  }

  /** Opens (or reveals) the page of `kind` on `path`. */
  open(kind: Kind, path: string): void {
    const existing = this.panels.get(`${kind}:${path}`);
    if (existing) {
      existing.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      kind === 'curves' ? CURVES_VIEW_TYPE : ROLLOUTS_VIEW_TYPE,
      '',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: true, retainContextWhenHidden: false },
    );
    this.attach(kind, path, panel);
  }

  /** Adopts a panel VS Code restored after a reload. */
  restore(kind: Kind, panel: vscode.WebviewPanel, state: unknown): void {
    const s = parseCurvesUiState(state);
    if (!s) {
      panel.dispose();
      return;
    }
    this.attach(kind, s.file, panel);
  }

  private session(path: string): LogSession {
    let s = this.sessions.get(path);
    if (!s) {
      s = new LogSession(path, this.deps.log, (session, page) => this.sendRollouts(session, page));
      this.sessions.set(path, s);
    }
    return s;
  }

  private attach(kind: Kind, path: string, panel: vscode.WebviewPanel): void {
    const key = `${kind}:${path}`;
    this.panels.set(key, panel);
    const ext = this.context.extensionUri;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(ext, 'dist', 'webview'), vscode.Uri.joinPath(ext, 'media')],
    };
    const session = this.session(path);
    panel.title = `${kind === 'curves' ? 'Training Curves' : 'Rollouts'}: ${session.label}`;
    panel.iconPath = vscode.Uri.joinPath(ext, 'media', 'rarft.svg');
    const page: SessionPage = { kind, ready: false, post: (m) => void panel.webview.postMessage(m) };
    session.pages.add(page);
    panel.webview.html = webviewPage(panel.webview, ext, {
      script: 'curves',
      style: 'curves',
      title: kind === 'curves' ? 'RA-RFT Training Curves' : 'RA-RFT Rollouts',
      placeholder: 'Reading the log…',
      bodyData: { app: kind },
    });
    const subs = [
      panel.webview.onDidReceiveMessage((raw) => {
        const msg = parseCurvesViewMessage(raw);
        if (!msg) return this.deps.log.warn(`training curves: ignored a malformed message`);
        if (msg.type === 'ready') session.snapshot(page);
        else this.open(msg.type === 'rollouts/open' ? 'rollouts' : 'curves', path);
      }),
      panel.onDidChangeViewState(() => panel.visible && session.poke()),
    ];
    panel.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      if (this.panels.get(key) === panel) this.panels.delete(key);
      session.pages.delete(page);
      if (!session.pages.size) {
        session.dispose();
        this.sessions.delete(path);
      }
    });
  }

  /** Sends the newest groups, each joined to the workspace annotations by its query text. */
  private async sendRollouts(session: LogSession, page: SessionPage): Promise<void> {
    const index = this.deps.index;
    if (index.state !== 'ready') await index.ensureStarted();
    const byText = queryTextIndex(index.browse.files);
    const all = session.groups;
    const shown = all.slice(-ROLLOUT_LIMIT);
    const groups: RolloutGroup[] = shown.map((g) => {
      const j = joinQueryText(byText, g.query);
      return 'truth' in j ? { ...g, gt: j.truth } : { ...g, gt: null, gtNote: j.note };
    });
    page.post({
      type: 'rollouts/show',
      path: session.path,
      file: session.label,
      groups,
      omitted: all.length - shown.length,
    });
  }
}

/** A path from a command argument: a Uri, a path string, or a node carrying one (e.g. a job's mirrored log). */
function pathOf(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string' && arg) return isAbsolute(arg) ? arg : workspacePath(arg);
  if (arg && typeof arg === 'object') {
    const o = arg as Record<string, unknown>;
    for (const k of ['logPath', 'stdoutLog', 'log', 'resourceUri', 'uri', 'path', 'fsPath']) {
      const p = pathOf(o[k]);
      if (p) return p;
    }
  }
  return undefined;
}

function workspacePath(rel: string): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return root ? vscode.Uri.joinPath(root, rel).fsPath : rel;
}

/** Asks for a log: the workspace's logs (jobs' mirrored logs first), or any file. */
async function pickLog(title: string): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles(LOG_GLOB, '**/node_modules/**', 500);
  const jobs = (u: vscode.Uri) => (u.fsPath.includes('/.rarft/jobs/') ? 0 : 1);
  found.sort((a, b) => jobs(a) - jobs(b) || a.fsPath.localeCompare(b.fsPath));
  const browse = { label: '$(folder-opened) Browse…', path: '' };
  const items = [...found.map((u) => ({ label: vscode.workspace.asRelativePath(u), path: u.fsPath })), browse];
  const pick = await vscode.window.showQuickPick(items, {
    ignoreFocusOut: true,
    title,
    placeHolder: 'A training log or trainer_state.json',
  });
  if (!pick) return undefined;
  if (pick !== browse) return pick.path;
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Show', title });
  return uris?.[0]?.fsPath;
}

/** Registers the commands and the serializers. */
export function registerCurves(context: vscode.ExtensionContext, deps: FeatureDeps): vscode.Disposable {
  const feature = new CurvesFeature(context, deps);
  const command = (kind: Kind, title: string) => async (arg?: unknown) => {
    const path = pathOf(arg) ?? (await pickLog(title));
    if (path) feature.open(kind, path);
  };
  return vscode.Disposable.from(
    feature,
    vscode.commands.registerCommand('rarft.showTrainingCurves', command('curves', 'Show Training Curves')),
    vscode.commands.registerCommand('rarft.showRollouts', command('rollouts', 'Show Rollouts')),
    vscode.window.registerWebviewPanelSerializer(CURVES_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => feature.restore('curves', panel, state),
    }),
    vscode.window.registerWebviewPanelSerializer(ROLLOUTS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => feature.restore('rollouts', panel, state),
    }),
  );
}

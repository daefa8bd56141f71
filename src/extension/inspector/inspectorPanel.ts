/**
 * The sample inspector: one webview panel that follows the selection (as Markdown preview
 * does), restored after reload by a serializer. Data always comes from the host's index.
 */
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { mkdirSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { keyOf, locatePaths } from '../../core/json/positions';
import { buildSampleView, sampleRewardInput } from '../../core/inspect/sample';
import type { SampleRef } from '../../core/inspect/sampleTypes';
import {
  assertNever,
  parseSampleRef,
  parseViewMessage,
  type HostMessage,
  type VideoStatus,
  type ViewMessage,
} from '../../protocol/messages';
import { DisposableBase } from '../disposable';
import { refId } from '../views/nodes';
import type { FeatureDeps } from '../deps';
import type { WorkspaceIndex } from '../workspaceIndex';
import { inspectorHtml } from './html';
import { RewardScorer } from './rewardScorer';
import { findVideo, recordedFolder } from '../../core/video/roots';
import { mapVideoRoot, type Resolved, VideoService, videoFolders, videoRootsConfig, videoTool } from './videoService';

export const INSPECTOR_VIEW_TYPE = 'rarft.inspector';
export const INSPECTOR_TITLE = 'RA-RFT Inspector';

/** Owns the (single) inspector panel. */
export class Inspector extends DisposableBase {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubs: vscode.Disposable[] = [];
  private current: SampleRef | null = null;
  private currentVideo = '';
  private roots: string[] = [];
  private readonly extraRoots = new Set<string>();
  private readonly resolved = new Map<string, Resolved>();
  private readonly resolving = new Map<string, Promise<Resolved>>();
  private readonly video: VideoService;
  private readonly scorer: RewardScorer;
  private showSeq = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly index: WorkspaceIndex,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.video = new VideoService(vscode.Uri.joinPath(context.globalStorageUri, 'video').fsPath, log);
    this.scorer = this.own(new RewardScorer(vscode.Uri.joinPath(context.globalStorageUri, 'embeddings').fsPath));
    this.own(index.onDidChange(() => this.current && void this.sendSample(this.current)));
    this.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('rarft.videoRoots') && !e.affectsConfiguration('rarft.video')) return;
        // The e2e tests wait for this line (CONTRACT.md): the change has no other outward sign.
        if (e.affectsConfiguration('rarft.video'))
          log.info(
            `inspector: video settings changed (ffmpeg: ${videoTool('ffmpeg')}, ffprobe: ${videoTool('ffprobe')})`,
          );
        this.resolved.clear();
        this.updateRoots();
        if (this.current) void this.sendSample(this.current);
      }),
    );
    this.own({ dispose: () => this.panel?.dispose() });
  }

  /** Opens (or reveals) the panel on a sample. */
  async open(ref: SampleRef | null, preserveFocus = true): Promise<void> {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        INSPECTOR_VIEW_TYPE,
        INSPECTOR_TITLE,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.attach(panel);
    } else if (!this.panel.visible) this.panel.reveal(undefined, preserveFocus);
    if (ref) await this.show(ref);
  }

  /** Follows a selection: updates the panel when it is open, never opens it. */
  follow(ref: SampleRef): void {
    if (this.panel) void this.show(ref);
  }

  /** Adopts a panel restored by VS Code after a reload. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    this.current = parseSampleRef((state as { ref?: unknown } | undefined)?.ref);
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    panel.title = INSPECTOR_TITLE;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'rarft.svg');
    this.roots = [];
    this.updateRoots();
    panel.webview.html = inspectorHtml(panel.webview, this.context.extensionUri);
    this.panelSubs = [
      panel.webview.onDidReceiveMessage((raw) => {
        const msg = parseViewMessage(raw);
        if (!msg) return this.log.warn(`inspector: ignored a malformed message ${JSON.stringify(raw)?.slice(0, 200)}`);
        void this.handle(msg);
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        for (const d of this.panelSubs) d.dispose();
        this.panelSubs = [];
      }),
    ];
  }

  /** Narrow resource roots: the bundle, media, the cache, mapped video folders and video files in use outside them. */
  private updateRoots(extra?: string): boolean {
    if (!this.panel) return false;
    const ext = this.context.extensionUri.fsPath;
    if (extra) this.extraRoots.add(extra);
    const wanted = new Set([
      `${ext}${sep}dist${sep}webview`,
      `${ext}${sep}media`,
      this.video.cacheDir,
      ...videoFolders(),
      ...this.extraRoots,
    ]);
    const next = [...wanted];
    if (next.length === this.roots.length && next.every((r, i) => r === this.roots[i])) return false;
    this.roots = next;
    // Changing the options reloads the page; it says "ready" again and gets a fresh snapshot.
    this.panel.webview.options = { enableScripts: true, localResourceRoots: next.map((r) => vscode.Uri.file(r)) };
    return true;
  }

  private covered(file: string): boolean {
    return this.roots.some((r) => file === r || file.startsWith(r.endsWith(sep) ? r : r + sep));
  }

  private post(msg: HostMessage): void {
    void this.panel?.webview.postMessage(msg);
  }

  private async handle(msg: ViewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        if (this.current) await this.sendSample(this.current);
        else this.post({ type: 'sample/empty', message: 'Select a query in the RA-RFT Datasets or Runs view.' });
        return;
      case 'sample/select': {
        const ok = await this.show(msg.ref);
        this.post({
          type: 'reply',
          replyTo: msg.id,
          ok,
          error: ok ? undefined : 'that sample is no longer in the index',
        });
        return;
      }
      case 'video/mapRoot': {
        const ok = await vscode.commands.executeCommand<boolean>('rarft.mapVideoRoot', undefined, this.currentVideo);
        this.post({ type: 'reply', replyTo: msg.id, ok: !!ok });
        return;
      }
      case 'video/retry':
        this.resolved.delete(this.currentVideo);
        if (this.current) await this.sendSample(this.current);
        return;
      case 'video/failed': {
        this.log.warn(
          `inspector: the webview could not play ${this.currentVideo} (MediaError ${msg.code}: ${msg.message})`,
        );
        const r = this.resolved.get(this.currentVideo);
        const noProbe = r?.status.message?.startsWith('ffprobe not found');
        const status: VideoStatus = noProbe
          ? {
              state: 'no-ffmpeg',
              message:
                'The webview cannot play this video and ffmpeg was not found to convert it. Install ffmpeg (or set rarft.video.ffmpegPath).',
            }
          : {
              state: 'error',
              message: `The webview cannot play this video (${msg.message || `MediaError ${msg.code}`}).`,
            };
        this.post({ type: 'video/status', video: this.currentVideo, status });
        return;
      }
      case 'sample/reveal':
        if (this.current) await revealSample(this.index, this.current, this.column);
        return;
      case 'render/timing':
        this.log.debug(`inspector: repaint in ${msg.ms.toFixed(1)} ms`);
        return;
      default:
        assertNever(msg);
    }
  }

  /** Shows a sample; false when the reference does not resolve. */
  async show(ref: SampleRef): Promise<boolean> {
    if (this.current && refId(this.current) === refId(ref) && this.panel) {
      return true;
    }
    this.current = ref;
    return this.sendSample(ref);
  }

  private async sendSample(ref: SampleRef): Promise<boolean> {
    const seq = ++this.showSeq;
    if (this.index.state !== 'ready') await this.index.ensureStarted();
    if (seq !== this.showSeq) return true;
    const view = buildSampleView(this.index.browse, ref);
    if (!view) {
      this.post({
        type: 'sample/empty',
        message: 'This sample is no longer in the index (the file changed or was removed).',
      });
      return false;
    }
    // Paths are shown relative to the workspace; `ref.file` stays absolute for the index.
    view.file = vscode.workspace.asRelativePath(view.file);
    if (view.output) view.output.file = vscode.workspace.asRelativePath(view.output.file);
    this.currentVideo = view.video;
    const known = this.resolved.get(view.video);
    this.post({
      type: 'sample/show',
      sample: view,
      video: known ? this.withSrc(known) : { state: 'loading', message: 'Looking for the video…' },
    });
    if (!known) void this.resolveVideo(view.video);
    if (view.rewards?.notes.some((n) => n.includes('sentence model')) && RewardScorer.configured())
      void this.scoreRewards(ref, seq);
    return true;
  }

  /** Recomputes the rewards with the sentence model and sends them if the sample is still shown. */
  private async scoreRewards(ref: SampleRef, seq: number): Promise<void> {
    const input = sampleRewardInput(this.index.browse, ref);
    if (!input) return;
    try {
      const scored = await this.scorer.score(input);
      if (scored && seq === this.showSeq) this.post({ type: 'sample/rewards', ref, ...scored });
    } catch (e) {
      this.log.warn(`inspector: rewards with the sentence model failed: ${(e as Error).message}`);
    }
  }

  private withSrc(r: Resolved): VideoStatus {
    if (!r.file || !this.panel) return r.status;
    let file = r.file;
    if (!this.covered(file)) {
      // A path recorded in the data may sit anywhere (even `/x.mp4`): the page gets a link to that
      // one file inside the cache folder rather than the whole folder (the folder only when no link can be made).
      const link = linkIntoCache(file, this.video.cacheDir);
      if (link && this.covered(link)) file = link;
      else if (this.updateRoots(dirname(file))) return { state: 'loading', message: 'Opening the video folder…' };
    }
    return { ...r.status, src: this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString() };
  }

  private async resolveVideo(recorded: string): Promise<void> {
    let p = this.resolving.get(recorded);
    if (!p) {
      p = this.video.resolve(recorded, (status) => {
        if (this.currentVideo === recorded) this.post({ type: 'video/status', video: recorded, status });
      });
      this.resolving.set(recorded, p);
    }
    try {
      const r = await p;
      this.resolved.set(recorded, r);
      if (this.currentVideo === recorded) this.post({ type: 'video/status', video: recorded, status: this.withSrc(r) });
    } finally {
      this.resolving.delete(recorded);
    }
  }

  /** Posts a seek to the GT start of the shown sample. */
  seekGtStart(): void {
    if (!this.current) return;
    const view = buildSampleView(this.index.browse, this.current);
    if (view?.gtSpan) this.post({ type: 'timeline/seek', time: view.gtSpan[0] });
  }

  get shown(): SampleRef | null {
    return this.current;
  }

  /** The editor column the panel is in (undefined when there is no panel). */
  get column(): vscode.ViewColumn | undefined {
    return this.panel?.viewColumn;
  }
}

/** A symbolic link to `file` under `<cacheDir>/links/`, made once; null when links cannot be made here. */
function linkIntoCache(file: string, cacheDir: string): string | null {
  const dir = join(cacheDir, 'links', createHash('sha256').update(file).digest('hex').slice(0, 16));
  const link = join(dir, basename(file));
  try {
    mkdirSync(dir, { recursive: true });
    let target: string | null = null;
    try {
      target = readlinkSync(link);
    } catch {
      // no link yet
    }
    if (target !== file) {
      if (target !== null) unlinkSync(link);
      symlinkSync(file, link);
    }
    return link;
  } catch {
    return null;
  }
}

/** Opens the JSON file at the sample's query or item, in the first column, or the second when the inspector is in the first. */
export async function revealSample(
  index: WorkspaceIndex,
  ref: SampleRef,
  inspectorColumn?: vscode.ViewColumn,
): Promise<void> {
  const file = index.browse.files.find((f) => f.path === ref.file);
  if (!file) return;
  const path =
    ref.kind === 'query'
      ? [
          file.entries?.[ref.entry]?.index ?? ref.entry,
          'GRPO',
          file.entries?.[ref.entry]?.queries[ref.query]?.index ?? ref.query,
        ]
      : [file.items?.[ref.item]?.index ?? ref.item];
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(ref.file));
  const found = locatePaths(doc.getText(), [path]).get(keyOf(path));
  const start = doc.positionAt(found?.offset ?? 0);
  const end = doc.positionAt((found?.offset ?? 0) + Math.min(found?.length ?? 0, 200000));
  const viewColumn = inspectorColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(start, end), preview: true, viewColumn });
}

/** Recorded video folders of the index whose first video is not found locally (most videos first). */
function unmappedFolders(index: WorkspaceIndex): string[] {
  const count = new Map<string, { n: number; video: string }>();
  for (const f of index.browse.files)
    for (const e of f.entries ?? []) {
      if (!e.video) continue;
      const k = recordedFolder(e.video);
      const c = count.get(k);
      if (c) c.n++;
      else count.set(k, { n: 1, video: e.video });
    }
  const { roots, base } = videoRootsConfig();
  return [...count.entries()]
    .filter(([, c]) => !findVideo(c.video, roots, base))
    .sort((a, b) => b[1].n - a[1].n)
    .map(([k]) => k);
}

/** Registers the inspector, its commands and its serializer. */
export function registerInspector(context: vscode.ExtensionContext, deps: FeatureDeps): vscode.Disposable {
  const inspector = new Inspector(context, deps.index, deps.log);
  return vscode.Disposable.from(
    inspector,
    deps.selection.event((ref) => inspector.follow(ref)),
    vscode.commands.registerCommand('rarft.inspectSample', (arg: unknown) => {
      // A reference (a row's click command) or a tree node carrying one (the row's context menu).
      const ref = parseSampleRef(arg) ?? parseSampleRef((arg as { ref?: unknown } | undefined)?.ref);
      return ref ? inspector.open(ref) : inspector.open(null, false);
    }),
    vscode.commands.registerCommand('rarft.openInspector', () => inspector.open(inspector.shown, false)),
    vscode.commands.registerCommand('rarft.revealSample', (node: unknown) => {
      const ref = parseSampleRef((node as { ref?: unknown } | undefined)?.ref) ?? inspector.shown;
      if (ref) return revealSample(deps.index, ref, inspector.column);
    }),
    vscode.commands.registerCommand('rarft.seekGtStart', () => inspector.seekGtStart()),
    vscode.commands.registerCommand('rarft.mapVideoRoot', (prefix?: unknown, recorded?: unknown) => {
      const p =
        typeof prefix === 'string'
          ? prefix
          : typeof recorded === 'string' && recorded
            ? recordedFolder(recorded)
            : undefined;
      return mapVideoRoot(p, p ? [] : unmappedFolders(deps.index));
    }),
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state) {
        inspector.restore(panel, state);
      },
    }),
  );
}

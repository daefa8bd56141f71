/**
 * The sample inspector: one webview panel that follows the selection (as Markdown preview
 * does), restored after reload by a serializer. Data always comes from the host's index; the
 * sample is followed by its identity, so edits elsewhere in its file do not change what is shown.
 */
import * as vscode from 'vscode';
import { sameSample } from '../../core/inspect/identity';
import { buildSampleView, sampleRewardInput } from '../../core/inspect/sample';
import type { ComparedRun, SampleRef } from '../../core/inspect/sampleTypes';
import { cannotPlay, videoStatus } from '../../core/video/status';
import {
  assertNever,
  type HostMessage,
  parseSampleRef,
  parseViewMessage,
  type SampleEditFieldMessage,
  type SampleEditMessage,
  type ViewMessage,
  type ViewRequest,
} from '../../protocol/messages';
import { DisposableBase } from '../disposable';
import type { FeatureDeps } from '../deps';
import type { WorkspaceIndex } from '../workspaceIndex';
import { webviewPage } from '../webviewPage';
import { InspectorEdits } from './inspectorEdits';
import { PanelVideo } from './panelVideo';
import { revealSample } from './reveal';
import { RewardScorer } from './rewardScorer';
import { videoTool } from './videoService';

export const INSPECTOR_VIEW_TYPE = 'rarft.inspector';
const INSPECTOR_TITLE = 'RA-RFT Inspector';

/** Owns the (single) inspector panel. */
export class Inspector extends DisposableBase {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubs: vscode.Disposable[] = [];
  private current: SampleRef | null = null;
  private currentVideo = '';
  private readonly video: PanelVideo;
  private readonly scorer: RewardScorer;
  private showSeq = 0;
  /** The compared runs' predictions of the sample opened from a comparison (dropped once another is shown). */
  private compared: { ref: SampleRef; runs: ComparedRun[] } | null = null;
  private readonly index: WorkspaceIndex;
  private readonly log: vscode.LogOutputChannel;
  private readonly edits: InspectorEdits;

  constructor(
    private readonly context: vscode.ExtensionContext,
    deps: FeatureDeps,
  ) {
    super();
    this.index = deps.index;
    this.log = deps.log;
    this.edits = new InspectorEdits(deps, () => this.column);
    const storage = (name: string) => vscode.Uri.joinPath(context.globalStorageUri, name).fsPath;
    this.video = new PanelVideo(context.extensionUri.fsPath, storage('video'), this.log);
    this.scorer = this.own(new RewardScorer(storage('embeddings')));
    this.own(this.index.onDidChange(() => this.current && void this.sendSample(this.current)));
    this.own(vscode.workspace.onDidChangeConfiguration((e) => this.onSettings(e)));
    this.own({ dispose: () => this.panel?.dispose() });
  }

  private onSettings(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration('rarft.videoRoots') && !e.affectsConfiguration('rarft.video')) return;
    // The e2e tests wait for this line (CONTRACT.md): the change has no other outward sign.
    if (e.affectsConfiguration('rarft.video'))
      this.log.info(
        `inspector: video settings changed (ffmpeg: ${videoTool('ffmpeg')}, ffprobe: ${videoTool('ffprobe')})`,
      );
    this.video.forget();
    if (this.panel) this.video.updateRoots(this.panel);
    if (this.current) void this.sendSample(this.current);
  }

  /** Opens (or reveals) the panel on a sample; `compared`: both runs' predictions to draw (from a comparison). */
  async open(ref: SampleRef | null, preserveFocus = true, compared?: ComparedRun[]): Promise<void> {
    this.compared = ref && compared ? { ref, runs: compared } : null;
    if (ref && compared && this.panel && sameSample(this.current, ref)) this.current = null; // drawn again with them
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
    this.video.reset();
    this.video.updateRoots(panel);
    panel.webview.html = webviewPage(panel.webview, this.context.extensionUri, {
      script: 'inspector',
      style: 'inspector',
      title: 'RA-RFT Inspector',
      placeholder: 'Select a query in the RA-RFT Datasets or Runs view.',
      allow: ['media'],
    });
    this.panelSubs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseViewMessage(raw);
        if (!msg) return this.log.warn(`inspector: ignored a malformed message ${JSON.stringify(raw)?.slice(0, 200)}`);
        void this.handle(msg).catch((e: unknown) => this.log.error(`inspector: ${msg.type} failed: ${String(e)}`));
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        for (const d of this.panelSubs) d.dispose();
        this.panelSubs = [];
      }),
    ];
  }

  private post(msg: HostMessage): void {
    void this.panel?.webview.postMessage(msg);
  }

  /** Answers a request: every request gets exactly one reply, matched by its id. */
  private reply(req: ViewRequest, ok: boolean, error?: string): void {
    this.post({ type: 'reply', replyTo: req.id, ok, ...(ok || !error ? {} : { error }) });
  }

  private async handle(msg: ViewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        if (this.current) await this.sendSample(this.current);
        else this.post({ type: 'sample/empty', message: 'Select a query in the RA-RFT Datasets or Runs view.' });
        return;
      case 'sample/select': {
        const ok = await this.show(msg.ref);
        this.reply(msg, ok, 'that sample is no longer in the index');
        return;
      }
      case 'video/mapRoot': {
        const ok = await vscode.commands.executeCommand<boolean>('rarft.mapVideoRoot', undefined, this.currentVideo);
        this.reply(msg, !!ok, 'no folder was mapped');
        return;
      }
      case 'video/retry':
        this.video.forget(this.currentVideo);
        if (this.current) await this.sendSample(this.current);
        return;
      case 'video/failed': {
        this.log.warn(
          `inspector: the webview could not play ${this.currentVideo} (MediaError ${msg.code}: ${msg.message})`,
        );
        const previous = this.video.known(this.currentVideo)?.status.code;
        const status = cannotPlay(previous, msg.message || `MediaError ${msg.code}`);
        this.post({ type: 'video/status', video: this.currentVideo, status });
        return;
      }
      case 'sample/edit':
      case 'sample/editField':
        return this.edit(msg);
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

  /** Applies an edit of the shown sample (a change from the page, or one asked for in a VS Code input). */
  private async edit(msg: SampleEditMessage | SampleEditFieldMessage): Promise<void> {
    if (!sameSample(this.current, msg.ref)) return this.reply(msg, false, 'the inspector shows another sample now');
    const change = msg.type === 'sample/edit' ? msg.change : await this.edits.ask(msg.ref, msg.field);
    if (!change) return this.reply(msg, false);
    const error = await this.edits.apply(msg.ref, change, (ref) => {
      if (sameSample(this.current, msg.ref) || sameSample(this.current, ref)) this.current = ref;
    });
    if (error) {
      this.log.warn(`inspector: edit of ${change.field} refused: ${error}`);
      // The page shows a span's error beside its fields; a VS Code input's error is VS Code's to show.
      if (msg.type === 'sample/editField') void vscode.window.showErrorMessage(`RA-RFT: ${error}`);
    }
    // A renamed query: shown again under its identity as the index now has it (its repeat number).
    else if (change.field === 'q' && this.current) await this.sendSample(this.current);
    this.reply(msg, !error, error ?? undefined);
  }

  /** Shows a sample; false when the reference does not resolve. */
  async show(ref: SampleRef): Promise<boolean> {
    if (this.panel && sameSample(this.current, ref)) return true;
    this.current = ref;
    return this.sendSample(ref);
  }

  private async sendSample(ref: SampleRef): Promise<boolean> {
    const seq = ++this.showSeq;
    if (this.index.state !== 'ready') await this.index.ensureStarted();
    if (seq !== this.showSeq || !this.panel) return true;
    let view = buildSampleView(this.index.browse, ref);
    const renamed = view ? null : this.edits.otherName(ref);
    if (renamed && sameSample(this.current, ref)) {
      this.current = renamed;
      view = buildSampleView(this.index.browse, renamed);
    }
    if (!view) {
      this.post({
        type: 'sample/empty',
        message: 'This sample is no longer in the index (the file changed or was removed).',
      });
      return false;
    }
    // Paths are shown relative to the workspace; `ref.file` stays absolute for the index.
    view.file = vscode.workspace.asRelativePath(view.file);
    if (this.compared && sameSample(this.compared.ref, ref)) view.compared = this.compared.runs;
    if (view.output) view.output.file = vscode.workspace.asRelativePath(view.output.file);
    this.currentVideo = view.video;
    const known = this.video.known(view.video);
    this.post({
      type: 'sample/show',
      sample: view,
      video: known ? this.video.withSrc(this.panel, known) : videoStatus('looking'),
    });
    if (!known) void this.resolveVideo(view.video);
    if (view.rewards?.notes.some((n) => n.code === 'needs-sentence-model') && RewardScorer.configured())
      void this.scoreRewards(view.ref, seq);
    return true;
  }

  private async resolveVideo(recorded: string): Promise<void> {
    await this.video.resolve(recorded, (status, final) => {
      if (this.currentVideo !== recorded || !this.panel) return;
      this.post({
        type: 'video/status',
        video: recorded,
        status: final ? this.video.withSrc(this.panel, final) : status,
      });
    });
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

/**
 * Finds, probes and (once) transcodes the video of a sample for the webview, and offers to
 * map recorded folders (`rarft.videoRoots`) when a video is not found.
 */
import * as vscode from 'vscode';
import { isAbsolute, relative } from 'node:path';
import { playPlan, probeVideo, ToolMissingError, type PlayPlan } from '../../core/video/probe';
import { findVideo, mappingFor, recordedFolder, resolveFolder, type VideoRoots } from '../../core/video/roots';
import { cachedTranscode, transcodeCached } from '../../core/video/transcode';
import { videoStatus } from '../../core/video/status';
import type { VideoStatus } from '../../protocol/messages';
import { withAbortSignal } from '../cancel';

/** A resolved video: a local file to hand to the webview, or why there is none. */
export type Resolved = { status: VideoStatus; file?: string };

/** Reads `rarft.videoRoots` and the first workspace folder it resolves against. */
export function videoRootsConfig(): { roots: VideoRoots; base: string | undefined } {
  const raw = vscode.workspace.getConfiguration('rarft').get<Record<string, unknown>>('videoRoots') ?? {};
  const roots: VideoRoots = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') roots[k] = v;
  return { roots, base: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath };
}

/** Folders the webview may load videos from (mapped roots; the cache is added by the caller). */
export function videoFolders(): string[] {
  const { roots, base } = videoRootsConfig();
  return Object.values(roots).map((v) => resolveFolder(v, base));
}

/** The ffmpeg and ffprobe executables (`rarft.video.ffmpegPath` / `ffprobePath`; empty: from the PATH). */
export function videoTool(name: 'ffmpeg' | 'ffprobe'): string {
  const v = vscode.workspace.getConfiguration('rarft').get<string>(`video.${name}Path`);
  return v?.trim() ? v.trim() : name;
}

/** Owns the cache folder and the transcodes in flight. */
export class VideoService {
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly offered = new Set<string>();

  constructor(
    readonly cacheDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Resolves a recorded path to something playable. `onStatus` receives intermediate states
   * (transcoding progress); the returned status is final (loading with a file, or a failure).
   */
  async resolve(recorded: string, onStatus: (s: VideoStatus) => void): Promise<Resolved> {
    if (!recorded) return { status: videoStatus('no-video-named') };
    const { roots, base } = videoRootsConfig();
    const file = findVideo(recorded, roots, base);
    if (!file) {
      // Already mapped: the file is missing from the local folder (no offer to map what is mapped).
      const mapped = mappingFor(recorded, roots, base);
      if (!mapped) this.offerMapping(recorded);
      return {
        status: mapped
          ? videoStatus('not-in-mapped-folder', { recorded, mapped })
          : videoStatus('not-found', { recorded, folder: recordedFolder(recorded) }),
      };
    }
    let plan: PlayPlan;
    let duration: number | null = null;
    try {
      const info = await probeVideo(videoTool('ffprobe'), file);
      plan = playPlan(info);
      duration = info.duration;
      this.log.info(
        `video ${file}: ${info.format} ${info.videoCodec ?? 'no video'}/${info.audioCodec ?? 'no audio'} → ${plan}`,
      );
    } catch (e) {
      // Without ffprobe the file is offered as it is; the webview reports if it cannot play it.
      if (e instanceof ToolMissingError) return { file, status: videoStatus('unprobed') };
      return { status: videoStatus('probe-failed', { error: (e as Error).message }) };
    }
    if (plan === 'direct') return { file, status: videoStatus('direct') };
    const cached = await cachedTranscode(file, this.cacheDir, plan);
    if (cached) return { file: cached, status: videoStatus('cached-conversion', { file, plan }) };
    onStatus(videoStatus('converting', { file }));
    try {
      const out = await this.transcode(file, plan, duration, (progress) =>
        onStatus(videoStatus('converting', { file, progress })),
      );
      return { file: out, status: videoStatus('converted', { file, plan }) };
    } catch (e) {
      if (e instanceof ToolMissingError) return { status: videoStatus('needs-ffmpeg') };
      if ((e as Error)?.name === 'AbortError') return { status: videoStatus('conversion-cancelled') };
      this.log.error(`transcoding ${file} failed: ${(e as Error).message}`);
      return { status: videoStatus('conversion-failed', { error: (e as Error).message }) };
    }
  }

  private transcode(
    file: string,
    plan: Exclude<PlayPlan, 'direct'>,
    duration: number | null,
    onFraction: (f: number) => void,
  ): Promise<string> {
    const key = `${plan}:${file}`;
    let p = this.inflight.get(key);
    if (!p) {
      p = Promise.resolve(
        vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `RA-RFT: converting ${file.split(/[\\/]/).pop()} for playback`,
            cancellable: true,
          },
          (progress, token) => {
            let last = 0;
            return withAbortSignal(token, (signal) =>
              transcodeCached(file, {
                ffmpeg: videoTool('ffmpeg'),
                cacheDir: this.cacheDir,
                plan,
                duration,
                signal,
                onProgress: (f) => {
                  progress.report({ increment: Math.max(0, (f - last) * 100), message: `${Math.round(f * 100)}%` });
                  last = f;
                  onFraction(f);
                },
              }),
            );
          },
        ),
      ).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private offerMapping(recorded: string): void {
    const folder = recordedFolder(recorded);
    if (this.offered.has(folder)) return;
    this.offered.add(folder);
    void vscode.window
      .showInformationMessage(
        `RA-RFT: videos under ${folder} are not on this machine. Map that folder to a local one?`,
        'Map Folder…',
      )
      .then((pick) => {
        if (pick) void vscode.commands.executeCommand('rarft.mapVideoRoot', folder);
      });
  }
}

/** Asks for a local folder and records `prefix → folder` in `rarft.videoRoots`. */
export async function mapVideoRoot(prefix?: string, recordedFolders: string[] = []): Promise<boolean> {
  let from = prefix;
  if (!from && recordedFolders.length) {
    const other = '$(edit) Another prefix…';
    const pick = await vscode.window.showQuickPick([...recordedFolders, other], {
      ignoreFocusOut: true,
      title: 'RA-RFT: Map Video Folder',
      placeHolder: 'Video folder as recorded in the data',
    });
    if (!pick) return false;
    if (pick !== other) from = pick;
  }
  from ??= await vscode.window.showInputBox({
    ignoreFocusOut: true,
    title: 'RA-RFT: Map Video Folder',
    prompt: 'Folder prefix as recorded in the data (e.g. /data/sungjoon/Charades_v1)',
    validateInput: (v) => (v.trim() ? null : 'Enter a path prefix'),
  });
  if (!from) return false;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use This Folder',
    title: `Local folder for ${from}`,
  });
  if (!picked?.[0]) return false;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const local = picked[0].fsPath;
  const rel = base ? relative(base, local) : '';
  const value = base && rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : local;
  const config = vscode.workspace.getConfiguration('rarft');
  const current = { ...(config.get<Record<string, string>>('videoRoots') ?? {}) };
  current[from.trim()] = value;
  await config.update(
    'videoRoots',
    current,
    vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global,
  );
  return true;
}

/**
 * The inspector panel's side of videos: which folders the page may load from (narrow
 * `localResourceRoots`), what each recorded video resolved to, and the webview URI to play it by.
 */
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { mkdirSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { videoStatus } from '../../core/video/status';
import type { VideoStatus } from '../../protocol/messages';
import { type Resolved, VideoService, videoFolders } from './videoService';

/** Resource roots and resolved videos of one panel (reset when a new panel is attached). */
export class PanelVideo {
  private roots: string[] = [];
  private readonly extraRoots = new Set<string>();
  private readonly resolved = new Map<string, Resolved>();
  private readonly resolving = new Map<string, Promise<Resolved>>();
  readonly service: VideoService;

  constructor(
    private readonly extensionPath: string,
    cacheDir: string,
    log: vscode.LogOutputChannel,
  ) {
    this.service = new VideoService(cacheDir, log);
  }

  /** A new panel starts with no roots set. */
  reset(): void {
    this.roots = [];
  }

  /**
   * Narrows the panel's resource roots to the bundle, media, the cache, the mapped video folders and
   * video folders in use outside them. True when they changed: the page then reloads and says "ready".
   */
  updateRoots(panel: vscode.WebviewPanel, extra?: string): boolean {
    if (extra) this.extraRoots.add(extra);
    const ext = this.extensionPath;
    const next = [
      ...new Set([
        `${ext}${sep}dist${sep}webview`,
        `${ext}${sep}media`,
        this.service.cacheDir,
        ...videoFolders(),
        ...this.extraRoots,
      ]),
    ];
    if (next.length === this.roots.length && next.every((r, i) => r === this.roots[i])) return false;
    this.roots = next;
    panel.webview.options = { enableScripts: true, localResourceRoots: next.map((r) => vscode.Uri.file(r)) };
    return true;
  }

  private covered(file: string): boolean {
    return this.roots.some((r) => file === r || file.startsWith(r.endsWith(sep) ? r : r + sep));
  }

  /** What a recorded video resolved to, when known. */
  known(recorded: string): Resolved | undefined {
    return this.resolved.get(recorded);
  }

  /** Forgets one video's resolution (retry), or all of them (settings changed). */
  forget(recorded?: string): void {
    if (recorded === undefined) this.resolved.clear();
    else this.resolved.delete(recorded);
  }

  /** The status to send for a resolution: with a webview `src` when there is a file the page may load. */
  withSrc(panel: vscode.WebviewPanel, r: Resolved): VideoStatus {
    if (!r.file) return r.status;
    let file = r.file;
    if (!this.covered(file)) {
      // A path recorded in the data may sit anywhere (even `/x.mp4`): the page gets a link to that
      // one file inside the cache folder rather than the whole folder (the folder only when no link can be made).
      const link = linkIntoCache(file, this.service.cacheDir);
      if (link && this.covered(link)) file = link;
      else if (this.updateRoots(panel, dirname(file))) return videoStatus('opening-folder');
    }
    return { ...r.status, src: panel.webview.asWebviewUri(vscode.Uri.file(file)).toString() };
  }

  /** Resolves a recorded video once (concurrent callers share the work); `onStatus` gets the steps and the result. */
  async resolve(recorded: string, onStatus: (status: VideoStatus, final: Resolved | null) => void): Promise<void> {
    let p = this.resolving.get(recorded);
    if (!p) {
      p = this.service.resolve(recorded, (status) => onStatus(status, null));
      this.resolving.set(recorded, p);
    }
    try {
      const r = await p;
      this.resolved.set(recorded, r);
      onStatus(r.status, r);
    } finally {
      this.resolving.delete(recorded);
    }
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

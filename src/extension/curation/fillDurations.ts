/**
 * "RA-RFT: Fill Missing Durations from the Videos": ffprobe each mapped video of an annotation
 * file whose entry has no duration, and write `duration` into every such entry in one undoable edit.
 */
import * as vscode from 'vscode';
import { at, parseAnnoDoc } from '../../core/curation/annoDoc';
import { sampleEdits } from '../../core/curation/sampleEdits';
import type { TextEdit } from '../../core/fixes';
import { probeVideo, ToolMissingError } from '../../core/video/probe';
import { findVideo } from '../../core/video/roots';
import { withAbortSignal } from '../cancel';
import type { FeatureDeps } from '../deps';
import { videoRootsConfig, videoTool } from '../inspector/videoService';
import { addEdits } from './edits';

/** What filling found. */
interface FillResult {
  edits: TextEdit[];
  filled: number;
  notFound: string[];
  failed: string[];
}

async function durations(
  text: string,
  path: string,
  signal: AbortSignal,
  progress: (done: number, total: number) => void,
): Promise<FillResult> {
  const doc = parseAnnoDoc(path, text);
  const missing = doc.entries.filter((e) => e.duration === null && e.video);
  const { roots, base } = videoRootsConfig();
  const out: FillResult = { edits: [], filled: 0, notFound: [], failed: [] };
  const probed = new Map<string, number | null>();
  for (let k = 0; k < missing.length; k++) {
    signal.throwIfAborted();
    const e = missing[k];
    const file = findVideo(e.video, roots, base);
    if (!file) {
      out.notFound.push(e.video);
      continue;
    }
    if (!probed.has(file)) {
      try {
        probed.set(file, (await probeVideo(videoTool('ffprobe'), file, signal)).duration);
      } catch (err) {
        if (err instanceof ToolMissingError || signal.aborted) throw err;
        probed.set(file, null);
      }
    }
    const d = probed.get(file);
    if (d === null || d === undefined || !(d > 0)) {
      out.failed.push(e.video);
      continue;
    }
    const value = Math.round(d * 100) / 100;
    out.edits.push(
      ...sampleEdits(
        text,
        { entry: e.index },
        { field: 'duration', value },
        { video: e.video },
        at(doc, [e.index]).offset,
      ),
    );
    out.filled++;
    progress(k + 1, missing.length);
  }
  return out;
}

/** Registers the command. */
export function registerFillDurations(deps: FeatureDeps): vscode.Disposable {
  return vscode.commands.registerCommand('rarft.fillDurations', async (uri?: unknown) => {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!target) return void vscode.window.showInformationMessage('RA-RFT: open an annotation file first');
    const document = await vscode.workspace.openTextDocument(target);
    const text = document.getText();
    const version = document.version;
    let result: FillResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'RA-RFT: reading video durations', cancellable: true },
        (progress, token) =>
          withAbortSignal(token, (signal) =>
            durations(text, document.uri.fsPath, signal, (d, n) => progress.report({ message: `${d}/${n}` })),
          ),
      );
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      return void vscode.window.showErrorMessage(`RA-RFT: ${(e as Error).message}`);
    }
    if (document.version !== version)
      return void vscode.window.showWarningMessage('RA-RFT: the file changed while durations were read; run it again');
    const edit = new vscode.WorkspaceEdit();
    addEdits(edit, document, result.edits);
    if (result.filled && !(await vscode.workspace.applyEdit(edit)))
      return void vscode.window.showErrorMessage('RA-RFT: the durations could not be written');
    const also = [
      result.notFound.length ? `${result.notFound.length} videos not found (map their folder)` : '',
      result.failed.length ? `${result.failed.length} without a readable duration` : '',
    ].filter(Boolean);
    const msg = `RA-RFT: filled ${result.filled} missing duration${result.filled === 1 ? '' : 's'}${also.length ? `; ${also.join('; ')}` : ''}`;
    deps.log.info(msg);
    void vscode.window.showInformationMessage(msg);
  });
}

/** The inspector's commands and its panel serializer. */
import * as vscode from 'vscode';
import { findVideo, recordedFolder } from '../../core/video/roots';
import { parseComparedRuns, parseSampleRef } from '../../protocol/messages';
import type { FeatureDeps } from '../deps';
import type { WorkspaceIndex } from '../workspaceIndex';
import { INSPECTOR_VIEW_TYPE, Inspector } from './inspectorPanel';
import { revealSample } from './reveal';
import { mapVideoRoot, videoRootsConfig } from './videoService';

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

/** A sample reference from a command argument: a reference (a row's click) or a tree node carrying one (its context menu). */
function refOf(arg: unknown) {
  return parseSampleRef(arg) ?? parseSampleRef((arg as { ref?: unknown } | undefined)?.ref);
}

/** Registers the inspector, its commands and its serializer. */
export function registerInspector(context: vscode.ExtensionContext, deps: FeatureDeps): vscode.Disposable {
  const inspector = new Inspector(context, deps);
  return vscode.Disposable.from(
    inspector,
    deps.selection.event((ref) => inspector.follow(ref)),
    vscode.commands.registerCommand('rarft.inspectSample', (arg: unknown, compared?: unknown) => {
      const ref = refOf(arg);
      return ref ? inspector.open(ref, true, parseComparedRuns(compared)) : inspector.open(null, false);
    }),
    vscode.commands.registerCommand('rarft.openInspector', () => inspector.open(inspector.shown, false)),
    vscode.commands.registerCommand('rarft.revealSample', (node: unknown) => {
      const ref = refOf(node) ?? inspector.shown;
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

/**
 * Edits of one sample as ordinary edits of its annotation document: core computes minimal
 * jsonc-parser edits against the document's current text (unsaved changes included, the sample
 * checked by identity first), VS Code applies them as a WorkspaceEdit, so undo/redo, dirty
 * state, save and revert work as for any file. "RA-RFT: Edit GT Span…" uses it.
 */
import * as vscode from 'vscode';
import { sampleEdits, type SampleChange } from '../../core/curation/sampleEdits';
import { resolveQuery } from '../../core/inspect/identity';
import type { SampleRef } from '../../core/inspect/sampleTypes';
import type { FeatureDeps } from '../deps';
import { addEdits, refArg } from './edits';

/** Applies one change to a sample; resolves to an error for people, or null when applied. */
export async function applySampleEdit(deps: FeatureDeps, ref: SampleRef, change: SampleChange): Promise<string | null> {
  const hit = resolveQuery(deps.index.browse, ref);
  if (!hit) return 'this sample is no longer in the index';
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(ref.file));
  let edits;
  try {
    edits = sampleEdits(document.getText(), { entry: hit.entry.index, query: hit.q.index }, change, {
      video: ref.video,
      query: ref.query,
    });
  } catch (e) {
    return (e as Error).message;
  }
  if (!edits.length) return null;
  const edit = new vscode.WorkspaceEdit();
  addEdits(edit, document, edits);
  if (!(await vscode.workspace.applyEdit(edit))) return 'VS Code refused the edit';
  return null;
}

function parseSpan(v: string): [number, number] | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:,|to|–|-)\s*(\d+(?:\.\d+)?)\s*$/.exec(v);
  if (!m) return null;
  const s = Number(m[1]);
  const e = Number(m[2]);
  return s < e ? [s, e] : null;
}

/** Registers "RA-RFT: Edit GT Span…" (the selected sample, or a row's context menu). */
export function registerSampleEditor(deps: FeatureDeps): vscode.Disposable {
  let last: SampleRef | undefined;
  return vscode.Disposable.from(
    deps.selection.event((ref) => (last = ref)),
    vscode.commands.registerCommand('rarft.editGtSpan', async (arg?: unknown) => {
      const ref = refArg(arg) ?? last;
      const hit = ref && resolveQuery(deps.index.browse, ref);
      if (!ref || !hit) return void vscode.window.showInformationMessage('RA-RFT: select an annotation query first');
      const now = hit.entry.timestamp;
      const input = await vscode.window.showInputBox({
        ignoreFocusOut: true,
        title: `RA-RFT: GT span of ${hit.entry.video.split('/').pop()}`,
        prompt: 'start, end in seconds (the entry’s answerable answers that spell the old span follow)',
        value: now ? `${now[0]}, ${now[1]}` : '',
        validateInput: (v) => (parseSpan(v) ? null : 'two numbers, start before end, e.g. 9.3, 14.4'),
      });
      const span = input === undefined ? null : parseSpan(input);
      if (!span) return;
      const error = await applySampleEdit(deps, ref, { field: 'span', value: span });
      if (error) return void vscode.window.showErrorMessage(`RA-RFT: ${error}`);
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(ref.file));
      await vscode.window.showTextDocument(document, { preview: false });
      deps.log.info(`edited the GT span of ${ref.video} to [${span[0]}, ${span[1]}] (unsaved)`);
    }),
  );
}

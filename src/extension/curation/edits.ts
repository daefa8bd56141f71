/** Core text edits as VS Code WorkspaceEdits (ordinary, undoable edits of the document). */
import * as vscode from 'vscode';
import type { TextEdit } from '../../core/fixes';

/** Adds core edits (offsets into `document`'s current text) to a WorkspaceEdit. */
export function addEdits(
  edit: vscode.WorkspaceEdit,
  document: vscode.TextDocument,
  edits: readonly TextEdit[],
  metadata?: vscode.WorkspaceEditEntryMetadata,
): void {
  for (const e of edits) {
    const range = new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length));
    if (metadata) edit.replace(document.uri, range, e.newText, metadata);
    else edit.replace(document.uri, range, e.newText);
  }
}

/** A sample reference from a command argument: a tree node with `ref`, or a reference itself. */
export function refArg(arg: unknown): import('../../core/inspect/sampleTypes').SampleRef | undefined {
  const a = (arg as { ref?: unknown } | undefined)?.ref ?? arg;
  const r = a as Record<string, unknown> | undefined;
  if (r && typeof r.file === 'string' && typeof r.video === 'string' && typeof r.query === 'string')
    return a as import('../../core/inspect/sampleTypes').SampleRef;
  return undefined;
}

/** "Open in file": the JSON of a sample, selected, beside the inspector. */
import * as vscode from 'vscode';
import { resolveItem, resolveQuery } from '../../core/inspect/identity';
import type { SampleRef } from '../../core/inspect/sampleTypes';
import { type JsonPath, keyOf, locatePaths } from '../../core/json/positions';
import type { WorkspaceIndex } from '../workspaceIndex';

/** The JSON path of a sample in its file (entry index, "GRPO", query index; or the item index); null when gone. */
function jsonPathOf(index: WorkspaceIndex, ref: SampleRef): JsonPath | null {
  if (ref.kind === 'query') {
    const hit = resolveQuery(index.browse, ref);
    return hit ? [hit.entry.index, 'GRPO', hit.q.index] : null;
  }
  const hit = resolveItem(index.browse, ref);
  return hit ? [hit.item.index] : null;
}

/** Opens the JSON file at the sample's query or item, in the first column, or the second when the inspector is in the first. */
export async function revealSample(
  index: WorkspaceIndex,
  ref: SampleRef,
  inspectorColumn?: vscode.ViewColumn,
): Promise<void> {
  const path = jsonPathOf(index, ref);
  if (!path) return;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(ref.file));
  const found = locatePaths(doc.getText(), [path]).get(keyOf(path));
  const start = doc.positionAt(found?.offset ?? 0);
  const end = doc.positionAt((found?.offset ?? 0) + Math.min(found?.length ?? 0, 200000));
  const viewColumn = inspectorColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(start, end), preview: true, viewColumn });
}

/** The workspace's annotation files as curation documents: the editor's text when open (unsaved edits included), else the file's. */
import * as vscode from 'vscode';
import { loadAnnoDoc, parseAnnoDoc, type AnnoDoc } from '../../core/curation/annoDoc';
import type { WorkspaceIndex } from '../workspaceIndex';

/** Annotation files the index knows. */
export function annotationPaths(index: WorkspaceIndex): string[] {
  return index.browse.files.filter((f) => f.kind === 'annotations').map((f) => f.path);
}

/** Reads each path as a curation document. */
export async function loadDocs(paths: readonly string[]): Promise<AnnoDoc[]> {
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.fsPath, d]));
  const out: AnnoDoc[] = [];
  for (const p of paths) {
    const d = open.get(p);
    out.push(d ? parseAnnoDoc(p, d.getText()) : await loadAnnoDoc(p));
  }
  return out;
}

/**
 * Edits made in the inspector: each committed change from the page (a span drag's end, a number
 * typed, a nudge, a field picked in a VS Code input) is checked, applied with `applySampleEdit`
 * (one WorkspaceEdit each, so undo/redo, dirty state, save and revert are VS Code's), and answered
 * once the index has read the edited document, so the page is repainted from it by then. Edits
 * run one at a time: each is computed against the document text the one before left.
 */
import * as vscode from 'vscode';
import type { SampleChange } from '../../core/curation/sampleChange';
import { spanProblem } from '../../core/curation/spanDraft';
import { queryRef, resolveQuery, sameSample } from '../../core/inspect/identity';
import type { SampleRef } from '../../core/inspect/sampleTypes';
import { CATEGORIES, DIFFICULTIES, isCategory } from '../../core/taxonomy';
import { applySampleEdit } from '../curation/sampleEditor';
import type { FeatureDeps } from '../deps';

/** Why a change cannot be applied to the query `hit` names, for people; null when it can. */
function changeProblem(change: SampleChange, duration: number | null): string | null {
  switch (change.field) {
    case 'span': {
      const p = spanProblem(change.value, duration);
      return p && `GT span not changed: ${p}`;
    }
    case 'q':
      return change.value.trim() ? null : 'the query text must not be empty';
    case 'difficulty':
      return (DIFFICULTIES as readonly string[]).includes(change.value)
        ? null
        : `difficulty must be one of ${DIFFICULTIES.join(', ')} (got "${change.value}")`;
    case 'c': {
      const bad = change.value.find((c) => !isCategory(c));
      return bad === undefined ? null : `"${bad}" is not in the taxonomy (${CATEGORIES.join(', ')})`;
    }
    default:
      return null;
  }
}

/** The inspector's edit queue; `onRef` is told when the shown sample's identity changes (its query text). */
export class InspectorEdits {
  private queue: Promise<unknown> = Promise.resolve();
  /** Query texts changed here, newest last: an undo or redo in the editor brings either name back. */
  private readonly renames: [SampleRef, SampleRef][] = [];

  constructor(
    private readonly deps: FeatureDeps,
    private readonly inspectorColumn: () => vscode.ViewColumn | undefined,
  ) {}

  /** Applies one change after those before it; resolves to an error for people, or null when applied. */
  apply(ref: SampleRef, change: SampleChange, onRef: (ref: SampleRef) => void): Promise<string | null> {
    const run = this.queue.then(() => this.applyNow(ref, change, onRef));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(
    ref: SampleRef,
    change: SampleChange,
    onRef: (ref: SampleRef) => void,
  ): Promise<string | null> {
    if (ref.kind !== 'query') return 'only annotation queries are edited here: open the query from the Datasets view';
    const hit = resolveQuery(this.deps.index.browse, ref);
    if (!hit) return 'this sample is no longer in the index';
    const problem = changeProblem(change, hit.entry.duration);
    if (problem) return problem;
    const renamed = change.field === 'q' && change.value !== ref.query;
    // The page asks again by the new text at once: the index must find the query under it.
    if (renamed) onRef({ ...ref, query: change.value, nth: 0 });
    const error = await applySampleEdit(this.deps, ref, change);
    if (error) {
      if (renamed) onRef(ref);
      return error;
    }
    await this.showDocument(ref.file);
    await this.deps.index.refresh(ref.file);
    if (renamed) {
      const file = this.deps.index.browse.files.find((f) => f.path === ref.file);
      const entry = file?.entries?.find((e) => e.index === hit.entry.index);
      if (file && entry?.queries[hit.queryIndex]) {
        const now = queryRef(this.deps.index.browse, file, entry, hit.queryIndex);
        this.renames.push([ref, now]);
        if (this.renames.length > 50) this.renames.shift();
        onRef(now);
      }
    }
    this.deps.log.info(`inspector: edited ${change.field} of "${ref.query}" in ${ref.file} (unsaved)`);
    return null;
  }

  /**
   * The other name of a query renamed here that the index knows now, for a reference that no longer
   * resolves (the rename was undone, or redone, in the editor); null when there is none.
   */
  otherName(ref: SampleRef): SampleRef | null {
    for (let i = this.renames.length - 1; i >= 0; i--) {
      const [a, b] = this.renames[i];
      const other = sameSample(ref, b) ? a : sameSample(ref, a) ? b : null;
      if (other && resolveQuery(this.deps.index.browse, other)) return other;
    }
    return null;
  }

  /** Shows the edited file (unsaved, dirty) in an editor beside the inspector, keeping the focus where it is. */
  private async showDocument(file: string): Promise<void> {
    const visible = vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === file);
    if (visible) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const viewColumn = this.inspectorColumn() === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    await vscode.window.showTextDocument(document, { preview: false, preserveFocus: true, viewColumn });
  }

  /** Asks for a field's new value with a VS Code input (quick pick or input box); null when cancelled. */
  async ask(ref: SampleRef, field: 'q' | 'a' | 'r' | 'difficulty' | 'c'): Promise<SampleChange | null> {
    const hit = resolveQuery(this.deps.index.browse, ref);
    if (!hit) return null;
    const q = hit.q;
    switch (field) {
      case 'q': {
        const value = await inputText('Query text', q.q, 'the query must not be empty');
        return value === undefined ? null : { field: 'q', value };
      }
      case 'a': {
        const title = q.r === false ? 'Refusal explanation (GT answer)' : 'GT answer';
        const value = await inputText(title, q.a);
        return value === undefined ? null : { field: 'a', value };
      }
      case 'r':
        return pickKind(q.r);
      case 'difficulty':
        return pickDifficulty(q.difficulty ?? null);
      case 'c':
        return pickCategories(q.categories);
    }
  }
}

async function inputText(title: string, value: string, emptyError?: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    ignoreFocusOut: true,
    title: `RA-RFT: ${title}`,
    value,
    prompt: 'Enter to apply (one undoable edit of the file), Escape to cancel',
    validateInput: (v) => (emptyError && !v.trim() ? emptyError : null),
  });
}

async function pickKind(now: boolean | null): Promise<SampleChange | null> {
  const items = [
    { label: 'answerable', description: 'r: true (the video shows it)', value: true },
    { label: 'refusable', description: 'r: false (a hard negative)', value: false },
  ].map((i) => ({ ...i, picked: i.value === now, detail: i.value === now ? 'current' : undefined }));
  const pick = await vscode.window.showQuickPick(items, {
    ignoreFocusOut: true,
    title: 'RA-RFT: Answerable or refusable',
  });
  return pick ? { field: 'r', value: pick.value } : null;
}

async function pickDifficulty(now: string | null): Promise<SampleChange | null> {
  const items = DIFFICULTIES.map((d) => ({ label: d, description: d === now ? 'current' : undefined }));
  const pick = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, title: 'RA-RFT: Difficulty' });
  return pick ? { field: 'difficulty', value: pick.label } : null;
}

async function pickCategories(now: readonly string[]): Promise<SampleChange | null> {
  const unknown = now.filter((c) => !isCategory(c));
  const items = CATEGORIES.map((c) => ({ label: c, picked: now.includes(c) }));
  const picks = await vscode.window.showQuickPick(items, {
    ignoreFocusOut: true,
    title: 'RA-RFT: Mismatch categories (taxonomy)',
    placeHolder: unknown.length
      ? `not in the taxonomy, dropped on apply: ${unknown.join(', ')}`
      : 'tick the categories',
    canPickMany: true,
  });
  return picks ? { field: 'c', value: CATEGORIES.filter((c) => picks.some((p) => p.label === c)) } : null;
}

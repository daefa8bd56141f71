/** Validation problems in the Problems panel, and quick fixes as undoable WorkspaceEdits. */
import * as vscode from 'vscode';
import { parseTree } from 'jsonc-parser';
import { fixFor, hasFix } from '../core/fixes';
import type { Problem } from '../core/problems';
import type { WorkspaceIndex } from './workspaceIndex';

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Core problems are 1-based (end column exclusive); VS Code ranges are 0-based. */
export function problemRange(p: Problem): vscode.Range {
  const start = new vscode.Position(p.line - 1, Math.max(0, p.column - 1));
  const end = new vscode.Position((p.endLine ?? p.line) - 1, Math.max(0, (p.endColumn ?? p.column + 1) - 1));
  return new vscode.Range(start, end.isBefore(start) ? start : end);
}

function toDiagnostic(p: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(problemRange(p), p.message, SEVERITY[p.severity]);
  d.source = 'RA-RFT';
  d.code = p.code;
  return d;
}

/** Registers the diagnostic collection and the quick-fix provider. */
export function registerDiagnostics(
  _context: vscode.ExtensionContext,
  deps: { index: WorkspaceIndex },
): vscode.Disposable {
  const { index } = deps;
  const collection = vscode.languages.createDiagnosticCollection('rarft');
  let shown = new Set<string>();
  const update = () => {
    const next = new Set<string>();
    for (const path of index.paths()) {
      const problems = index.problemsOf(path);
      if (!problems.length) continue;
      next.add(path);
      collection.set(vscode.Uri.file(path), problems.map(toDiagnostic));
    }
    for (const p of shown) if (!next.has(p)) collection.delete(vscode.Uri.file(p));
    shown = next;
  };
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range, context) {
      const candidates = index
        .problemsOf(document.uri.fsPath)
        .filter((p) => hasFix(p) && problemRange(p).intersection(range));
      if (!candidates.length) return [];
      const text = document.getText();
      const tree = parseTree(text);
      const actions: vscode.CodeAction[] = [];
      for (const p of candidates) {
        const fix = fixFor(text, p, tree);
        if (!fix) continue;
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits)
          edit.replace(
            document.uri,
            new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)),
            e.newText,
          );
        action.edit = edit;
        action.diagnostics = context.diagnostics.filter((d) => d.code === p.code && d.range.isEqual(problemRange(p)));
        action.isPreferred = true;
        actions.push(action);
      }
      return actions;
    },
  };
  return vscode.Disposable.from(
    collection,
    index.onDidChange(update),
    vscode.languages.registerCodeActionsProvider([{ language: 'json' }, { language: 'jsonc' }], provider, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
  );
}

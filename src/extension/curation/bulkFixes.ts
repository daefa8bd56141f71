/**
 * "Fix all problems of this kind in the file": one code action per problem code, whose edit
 * holds every fix as its own change needing confirmation, so VS Code opens the refactor
 * preview where each can be unticked.
 */
import * as vscode from 'vscode';
import { fixesOfKind, hasFix } from '../../core/fixes';
import type { Problem } from '../../core/problems';
import type { WorkspaceIndex } from '../workspaceIndex';
import { addEdits } from './edits';

/** The code action provider for bulk fixes. */
export function registerBulkFixes(index: WorkspaceIndex): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range) {
      const problems = index.problemsOf(document.uri.fsPath).filter(hasFix);
      const here = new Set(
        problems
          .filter((p) => range.intersection(new vscode.Range(p.line - 1, 0, (p.endLine ?? p.line) - 1, 1e6)))
          .map((p) => p.code),
      );
      const actions: vscode.CodeAction[] = [];
      for (const code of here) {
        const action = bulkAction(document, problems, code);
        if (action) actions.push(action);
      }
      return actions;
    },
  };
  return vscode.languages.registerCodeActionsProvider([{ language: 'json' }, { language: 'jsonc' }], provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}

function bulkAction(
  document: vscode.TextDocument,
  problems: Problem[],
  code: Problem['code'],
): vscode.CodeAction | null {
  const fixes = fixesOfKind(document.getText(), problems, code);
  if (fixes.length < 2) return null;
  const action = new vscode.CodeAction(
    `Fix all ${fixes.length} '${code}' problems in this file…`,
    vscode.CodeActionKind.QuickFix,
  );
  const edit = new vscode.WorkspaceEdit();
  fixes.forEach((fix, k) => {
    const at = document.positionAt(fix.edits[0].offset);
    addEdits(edit, document, fix.edits, {
      needsConfirmation: true,
      label: `${fix.title} (line ${at.line + 1})`,
      description: `${k + 1} of ${fixes.length}`,
    });
  });
  action.edit = edit;
  return action;
}

// Every input box and quick pick the extension shows stays open when the focus moves.
// Closing the command palette or clicking a tree row hands the focus back to the active editor, and a
// webview there (inspector, dashboard) takes it a moment later: with `ignoreFocusOut: false` that closed a
// prompt the user had just been shown (two e2e flakes: the Compare Runs picker, the GT span box). Escape
// still cancels. This reads the real sources with the TypeScript parser, so a new prompt without the option fails here.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const repo = join(import.meta.dirname, '..', '..', '..');
const PROMPTS: Record<string, number> = { showInputBox: 0, showQuickPick: 1 }; // the options argument's index

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** `file:line name` for each prompt call whose options literal lacks `ignoreFocusOut: true`; and the count of calls. */
function promptsLetGo(files: string[]): { bad: string[]; calls: number } {
  const bad: string[] = [];
  let calls = 0;
  for (const file of files) {
    const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const name = node.expression.name.text;
        if (Object.hasOwn(PROMPTS, name)) {
          calls++;
          const options = node.arguments[PROMPTS[name]];
          const kept =
            options &&
            ts.isObjectLiteralExpression(options) &&
            options.properties.some(
              (p) =>
                ts.isPropertyAssignment(p) &&
                p.name.getText(src) === 'ignoreFocusOut' &&
                p.initializer.kind === ts.SyntaxKind.TrueKeyword,
            );
          if (!kept) {
            const line = src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1;
            bad.push(`${relative(repo, file)}:${line} ${name}`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return { bad, calls };
}

test('every showInputBox and showQuickPick in the extension sets ignoreFocusOut: true', () => {
  const { bad, calls } = promptsLetGo(sources(join(repo, 'src')));
  assert.ok(calls >= 30, `found only ${calls} prompts: the scan is looking in the wrong place`);
  assert.deepEqual(bad, []);
});

test('the scan reports a prompt without the option, and one with it set to false', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rarft-focus-'));
  try {
    const file = join(dir, 'prompts.ts');
    writeFileSync(
      file,
      [
        "await vscode.window.showQuickPick(['a'], { title: 'kept', ignoreFocusOut: true });",
        "await vscode.window.showQuickPick(['a'], { title: 'let go' });",
        "await vscode.window.showInputBox({\n  prompt: 'let go',\n  ignoreFocusOut: false,\n});",
      ].join('\n'),
    );
    const { bad, calls } = promptsLetGo([file]);
    assert.equal(calls, 3);
    assert.deepEqual(
      bad.map((b) => b.replace(/^.*:(\d+) /, '$1 ')),
      ['2 showQuickPick', '3 showInputBox'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

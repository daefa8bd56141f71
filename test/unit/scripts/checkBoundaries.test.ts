// The layer check reads the real import graph: imports planted in a temp copy of the sources,
// written the ways a regex over single lines misses, must each be reported with the file and the line of the module name.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkBoundaries } from '../../../scripts/checkBoundaries.mjs';

const repo = join(import.meta.dirname, '..', '..', '..');

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rarft-layers-'));
  cpSync(join(repo, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(repo, 'webview'), join(dir, 'webview'), { recursive: true });
  return dir;
}

test('the repository itself passes the layer check', () => {
  assert.deepEqual(checkBoundaries(repo), []);
});

test('a multi-line vscode import in src/core fails the check, naming file and line', () => {
  const dir = copy();
  try {
    const file = join(dir, 'src/core/text.ts');
    const lines = readFileSync(file, 'utf8').split('\n').length;
    appendFileSync(file, "\nimport {\n  window,\n  workspace,\n} from\n  'vscode';\n");
    const problems: string[] = checkBoundaries(dir);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], new RegExp(`^src/core/text\\.ts:${lines + 5}: imports 'vscode'`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('core reaching up into the CLI or extension, a webview using node:, dynamic import and require all fail', () => {
  const dir = copy();
  try {
    writeFileSync(join(dir, 'src/core/planted.ts'), "export const load = () => import(\n  '../cli/main'\n);\n");
    writeFileSync(
      join(dir, 'src/core/planted2.ts'),
      "// eslint-disable\nconst x = require('../extension/extension');\nexport { x };\n",
    );
    writeFileSync(
      join(dir, 'webview/planted.ts'),
      "import { readFileSync } from 'node:fs';\nexport { readFileSync };\n",
    );
    writeFileSync(join(dir, 'src/cli/planted.ts'), "export type {\n  Disposable\n} from '../extension/disposable';\n");
    const problems: string[] = checkBoundaries(dir);
    const files = problems.map((p) => p.split(':').slice(0, 2).join(':')).sort();
    assert.deepEqual(files, [
      'src/cli/planted.ts:3',
      'src/core/planted.ts:2',
      'src/core/planted2.ts:2',
      'webview/planted.ts:1',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

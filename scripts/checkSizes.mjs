// Fails on source lines over 160 characters and source files over 500 lines (STYLE.md: aim under
// 300, split past 500), naming each file and line. Usage: node scripts/checkSizes.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX_LINE = 160;
const MAX_FILE = 500;
const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'webview', 'test', 'scripts', 'bench'],
  {
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter((f) => /\.(ts|mts|mjs|js)$/.test(f) && !f.startsWith('test/fixtures/'));
const problems = [];
for (const f of files) {
  let text;
  try {
    text = readFileSync(f, 'utf8');
  } catch {
    continue; // deleted in the work tree
  }
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    if (l.length > MAX_LINE) problems.push(`${f}:${i + 1}: line of ${l.length} characters (at most ${MAX_LINE})`);
  });
  if (lines.length > MAX_FILE) problems.push(`${f}: ${lines.length} lines (split files past ${MAX_FILE})`);
}
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log(`sizes ok (${files.length} files)`);

// Fails when the layer map is broken: 'vscode' may only be imported under src/extension/,
// and src/core must not import from the extension, the CLI or the webviews.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(name)) yield p;
  }
}

const importRe =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function checkBoundaries() {
  const problems = [];
  for (const top of ['src', 'webview']) {
    for (const file of walk(join(root, top))) {
      const rel = relative(root, file).split(sep).join('/');
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        importRe.lastIndex = 0;
        let m;
        while ((m = importRe.exec(line))) {
          const spec = m[1] ?? m[2] ?? m[3];
          const where = `${rel}:${i + 1}`;
          if (spec === 'vscode' && !rel.startsWith('src/extension/')) {
            problems.push(`${where}: 'vscode' may only be imported under src/extension/`);
          }
          if (rel.startsWith('src/core/') && /(^|\/)(extension|cli|webview)(\/|$)/.test(spec) && spec.startsWith('.')) {
            problems.push(
              `${where}: src/core must not import '${spec}' (core stays below cli, extension and webviews)`,
            );
          }
        }
      });
    }
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = checkBoundaries();
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log('layer boundaries ok');
}

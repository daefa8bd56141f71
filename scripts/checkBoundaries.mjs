// The layer map, checked on the real import graph: every import, export-from, dynamic import() and
// require() of every source file is read by the TypeScript compiler's own pre-processor (so a
// multi-line `import { … } from 'vscode'` counts like any other), relative specifiers are resolved
// to the folder they land in, and each (from layer, to layer) pair is checked against the rules below.
// Usage: node scripts/checkBoundaries.mjs [ROOT]   (exit 1 and one line per violation: file:line: why)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = join(fileURLToPath(import.meta.url), '..', '..');

/** Layers, by the folder a file lives in (first match wins). */
const LAYERS = [
  ['src/core/', 'core'],
  ['src/cli/', 'cli'],
  ['src/protocol/', 'protocol'],
  ['src/extension/', 'extension'],
  ['webview/', 'webview'],
];

/** What each layer may not import: other layers by name, 'vscode', or 'node:' built-ins. */
const FORBIDDEN = {
  core: ['cli', 'extension', 'protocol', 'webview', 'vscode'],
  cli: ['extension', 'webview', 'vscode'],
  protocol: ['cli', 'extension', 'webview', 'vscode'],
  extension: ['cli', 'webview'],
  webview: ['cli', 'extension', 'vscode', 'node:'],
};

const WHY = {
  core: 'src/core stays below the CLI, the extension, the protocol and the webviews, and has no vscode',
  cli: 'the CLI is thin over core: no extension, webview or vscode code',
  protocol: 'the protocol holds message types over core types only',
  extension: 'the extension talks to webviews through src/protocol and to core directly, not through the CLI',
  webview: 'webviews run in a browser sandbox: no Node built-ins, no vscode, no host code',
};

const layerOf = (rel) => LAYERS.find(([prefix]) => rel.startsWith(prefix))?.[1];

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
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

/** The layer (or 'vscode' / 'node:') an import specifier of `file` reaches, if it is one we police. */
function target(root, file, spec) {
  if (spec === 'vscode') return 'vscode';
  if (spec.startsWith('node:')) return 'node:';
  if (!spec.startsWith('.')) return undefined;
  const rel = relative(root, resolve(dirname(file), spec))
    .split(sep)
    .join('/');
  return layerOf(`${rel}/`);
}

/** Every layer violation under `root`, as "file:line: message" strings. */
export function checkBoundaries(root = here) {
  const problems = [];
  for (const top of ['src', 'webview']) {
    for (const file of walk(join(root, top))) {
      const rel = relative(root, file).split(sep).join('/');
      const from = layerOf(rel);
      if (!from) continue;
      const text = readFileSync(file, 'utf8');
      const info = ts.preProcessFile(text, true, true);
      for (const ref of info.importedFiles) {
        const to = target(root, file, ref.fileName);
        if (!to || to === from || !FORBIDDEN[from].includes(to)) continue;
        const line = text.slice(0, ref.pos).split('\n').length;
        problems.push(`${rel}:${line}: imports '${ref.fileName}' (${to}): ${WHY[from]}`);
      }
    }
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const problems = checkBoundaries(process.argv[2] ? resolve(process.argv[2]) : here);
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log('layer boundaries ok');
}

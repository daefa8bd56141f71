// Child process of bench/index.mjs (run with --import tsx): places the validation problems of one
// annotation file with one position strategy and prints its time and the process's peak memory.
//   scanner   core's skip-scan (json/positions.ts locatePaths), what `index` uses
//   tree      jsonc-parser parseTree + findNodeAtLocation per problem path
//   visitor   jsonc-parser visit, recording the offsets of the wanted paths (pathSupplier)
import { readFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree, visit } from 'jsonc-parser';
import { readAnnotations } from '../../src/core/dataset/annotations.ts';
import { placeProblems } from '../../src/core/dataset/place.ts';

const [file, variant] = process.argv.slice(2);
const text = readFileSync(file).toString('utf8');
const pending = readAnnotations(JSON.parse(text)).problems;
const wanted = pending.map((p) => p.path);

function viaTree() {
  const root = parseTree(text);
  let found = 0;
  for (const path of wanted) {
    for (let k = path.length; k >= 0; k--) {
      const n = findNodeAtLocation(root, path.slice(0, k));
      if (n) {
        found++;
        break;
      }
    }
  }
  return found;
}

function viaVisitor() {
  const keys = new Set();
  for (const p of wanted) for (let k = p.length; k >= 0; k--) keys.add(p.slice(0, k).join('\u0000'));
  const out = new Map();
  const hit = (offset, pathSupplier) => {
    const k = pathSupplier().join('\u0000');
    if (keys.has(k) && !out.has(k)) out.set(k, offset);
  };
  visit(text, {
    onObjectBegin: (offset, _l, _sl, _sc, ps) => hit(offset, ps),
    onArrayBegin: (offset, _l, _sl, _sc, ps) => hit(offset, ps),
    onLiteralValue: (_v, offset, _l, _sl, _sc, ps) => hit(offset, ps),
  });
  return out.size;
}

const t0 = performance.now();
const found =
  variant === 'tree' ? viaTree() : variant === 'visitor' ? viaVisitor() : placeProblems(file, text, pending).length;
const ms = performance.now() - t0;
console.log(
  JSON.stringify({ variant, ms, found, problems: pending.length, rssMB: process.resourceUsage().maxRSS / 1024 }),
);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { indexText } from '../../../src/core/dataset/indexer';
import { judgeItems } from '../../../src/core/eval/evaluate';
import { offlineJudge } from '../../../src/core/eval/judge';
import { computeMetrics } from '../../../src/core/eval/metrics';
import { rng } from '../../../scripts/lib/random.mjs';
import { cut, referencePath, text } from '../../support/fixtures';

const SEED = Number(process.env.RARFT_MUTATION_SEED ?? 20261125);
const PIECES = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  'null',
  'true',
  '-1',
  '1e999',
  '"GRPO"',
  '"r"',
  '<answer>',
  '\\',
  '\n',
  '\u0000',
  '\ud800',
  '"c": 5',
  '[]',
];
const VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -3.5,
  1e308,
  '',
  'x',
  '<answer>1 to 2</answer>',
  [],
  [1],
  [5, 1],
  {},
  { q: 1 },
];

/** One random edit of the text: delete, insert, duplicate or replace a slice. */
function editText(t: string, r: () => number): string {
  const at = Math.floor(r() * t.length);
  const len = Math.floor(r() * 40);
  switch (Math.floor(r() * 4)) {
    case 0:
      return t.slice(0, at) + t.slice(at + len);
    case 1:
      return t.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + t.slice(at);
    case 2:
      return t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
    default:
      return t.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + t.slice(at + len);
  }
}

/** One random edit of the value: a field replaced with a value of any type, or removed. */
function editValue(v: any, r: () => number): void {
  const paths: [any, string | number][] = [];
  const walk = (x: any, depth: number) => {
    if (depth > 4 || x === null || typeof x !== 'object') return;
    for (const k of Object.keys(x)) {
      paths.push([x, Array.isArray(x) ? Number(k) : k]);
      walk(x[k], depth + 1);
    }
  };
  walk(v, 0);
  const [parent, key] = paths[Math.floor(r() * paths.length)];
  if (r() < 0.2 && !Array.isArray(parent)) delete parent[key];
  else parent[key] = structuredClone(VALUES[Math.floor(r() * VALUES.length)]);
}

test(`1000 random edits of a valid annotation file never make the engine throw (seed ${SEED})`, () => {
  const r = rng(SEED);
  const base = cut('hi_vtg_charades.json', 4).concat(cut('human_anno.json', 2, 31));
  const baseText = text(base);
  const kinds = new Map<string, number>();
  for (let n = 0; n < 1000; n++) {
    let t: string;
    if (n % 2 === 0) {
      t = baseText;
      const edits = 1 + Math.floor(r() * 3);
      for (let e = 0; e < edits; e++) t = editText(t, r);
    } else {
      const v = structuredClone(base);
      const edits = 1 + Math.floor(r() * 4);
      for (let e = 0; e < edits; e++) editValue(v, r);
      t = text(v);
    }
    let res;
    try {
      res = indexText('mutated.json', t);
    } catch (e) {
      assert.fail(`edit ${n} threw ${(e as Error).stack}\n--- text ---\n${t.slice(0, 2000)}`);
    }
    assert.ok(res.stats && Array.isArray(res.problems), `edit ${n}: no result`);
    assert.ok(res.kind !== 'invalid' || res.problems.length === 1, `edit ${n}: invalid JSON gives one problem`);
    for (const p of res.problems) {
      assert.ok(p.line >= 1 && p.column >= 1, `edit ${n}: position ${p.line}:${p.column}`);
      assert.ok(p.message.length > 0);
    }
    kinds.set(res.kind, (kinds.get(res.kind) ?? 0) + 1);
  }
  assert.ok((kinds.get('invalid') ?? 0) > 50, 'the edits reach the invalid-JSON path');
  assert.ok((kinds.get('annotations') ?? 0) > 300, 'the edits reach the validator');
});

test(`random edits of inference items never make the evaluation throw (seed ${SEED})`, async () => {
  const r = rng(SEED + 1);
  const items = JSON.parse(readFileSync(referencePath('charades.offline.items.json'), 'utf8')).slice(0, 12);
  for (let n = 0; n < 200; n++) {
    const v = structuredClone(items);
    const edits = 1 + Math.floor(r() * 4);
    for (let e = 0; e < edits; e++) editValue(v, r);
    const objects = v.filter((x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x));
    const res = indexText('run.json', text(v));
    assert.ok(Array.isArray(res.problems));
    const m = computeMetrics(await judgeItems(objects, { judge: offlineJudge }));
    assert.ok(m.num_items <= objects.length);
    for (const x of [m['RA-IoU'].mean_all, m['RT-IoU'], m.relevance.overall_accuracy])
      assert.ok(Number.isFinite(x), `edit ${n}: ${x}`);
  }
});

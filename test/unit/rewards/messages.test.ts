import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rarft } from '../../support/cli';
import { loadSample, samplePath, tempDir, text } from '../../support/fixtures';

/** Refusable items of human_anno entries 80–84, whose answerable query has an empty GT answer. */
function items(dir: string): string {
  const entries = loadSample('human_anno.json').slice(80, 85);
  const rows = entries.flatMap((e: any) =>
    e.GRPO.filter((q: any) => q.r === false).map((q: any) => ({
      video: e.video,
      query: q.q,
      model_output: '<think>no</think><answer>The query does not match.</answer>',
    })),
  );
  const p = join(dir, 'items.json');
  writeFileSync(p, text(rows));
  return p;
}

test('rewards: an empty contrast answer is said as such, not "no query of the opposite kind"', () => {
  const dir = tempDir();
  const r = rarft(['rewards', items(dir), '--anno', samplePath('human_anno.json'), '--out', join(dir, 'r.json')]);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  assert.equal(rows.length, 5);
  for (const row of rows) {
    assert.equal(row.explain, null);
    assert.ok(
      row.notes.some((n: string) => /the contrast answer .* is empty/.test(n)),
      JSON.stringify(row.notes),
    );
    assert.ok(!row.notes.some((n: string) => /no query of the opposite kind/.test(n)));
  }
});

test('rewards: --anno a folder, the same --anno twice, an --anno matching no item, --group -1', () => {
  const dir = tempDir();
  const its = items(dir);
  const out = join(dir, 'r.json');
  mkdirSync(join(dir, 'folder'));
  const f = rarft(['rewards', its, '--anno', join(dir, 'folder'), '--out', out]);
  assert.equal(f.status, 1);
  assert.match(f.stderr, /folder: is a folder, expected an annotation JSON file/);
  assert.doesNotMatch(f.stderr, /EISDIR/);

  const anno = samplePath('human_anno.json');
  const twice = rarft(['rewards', its, '--anno', anno, anno, '--out', out]);
  assert.equal(twice.status, 0, twice.stderr);
  assert.doesNotMatch(readFileSync(out, 'utf8'), /ambiguous/);

  const other = rarft(['rewards', its, '--anno', anno, samplePath('hi_vtg_charades.json'), '--out', out]);
  assert.equal(other.status, 1);
  assert.match(other.stderr, /--anno .*hi_vtg_charades\.json: no item of .* matches a query of this file/);

  const g = rarft(['rewards', its, '--anno', anno, '--out', out, '--group', '-1']);
  assert.equal(g.status, 2);
  assert.match(g.stderr, /--group -1: a value that starts with a dash reads as an option; write --group=-1/);
  const g2 = rarft(['rewards', its, '--anno', anno, '--out', out, '--group=-1']);
  assert.equal(g2.status, 2);
  assert.match(g2.stderr, /--group: expected a number ≥ 1, got '-1'/);
});

test('evaluate: --cache-dir with --no-cache, and --out twice, are usage errors', () => {
  const dir = tempDir();
  const its = items(dir);
  const a = rarft([
    'evaluate',
    its,
    '--out',
    join(dir, 'm.json'),
    '--judge',
    'llm',
    '--model',
    'm',
    '--base-url',
    'http://127.0.0.1:9/v1',
    '--cache-dir',
    dir,
    '--no-cache',
  ]);
  assert.equal(a.status, 2);
  assert.match(a.stderr, /--cache-dir and --no-cache: give one of them/);
  const b = rarft(['evaluate', its, '--out', join(dir, 'a.json'), '--out', join(dir, 'b.json')]);
  assert.equal(b.status, 2);
  assert.match(b.stderr, /--out given twice/);
});

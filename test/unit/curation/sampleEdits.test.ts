import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAnnoDoc } from '../../../src/core/curation/annoDoc';
import { planExport } from '../../../src/core/curation/exportPlan';
import { renderExport } from '../../../src/core/curation/exportWrite';
import { entryOffset, sampleEdits, type SampleChange } from '../../../src/core/curation/sampleEdits';
import { applyEdits, fixesOfKind } from '../../../src/core/fixes';
import { indexText } from '../../../src/core/dataset/indexer';
import { ROOT, cut, text } from '../../support/fixtures';

/** The text outside the edits' ranges is unchanged: an edit touches only its own span of text. */
function assertOnlyEdited(before: string, edits: { offset: number; length: number }[], after: string): void {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  assert.equal(after.slice(0, first.offset), before.slice(0, first.offset));
  const tail = before.length - (last.offset + last.length);
  assert.equal(after.slice(after.length - tail), before.slice(before.length - tail));
}

const meta = { filter: { where: [], tags: [], excludeTags: [] }, split: null, seed: 0, groupDuplicates: false };

test('every file in samples/data round-trips byte for byte when nothing is edited', async () => {
  const dir = join(ROOT, 'samples', 'data');
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  assert.ok(names.length >= 2);
  for (const n of names) {
    const src = readFileSync(join(dir, n), 'utf8');
    assert.ok(applyEdits(src, []) === src);
    const doc = parseAnnoDoc(n, src);
    const { files } = renderExport([doc], await planExport([doc]), meta);
    // The sample files are arrays of two-space-indented entries: the export gives them back exactly.
    assert.ok(files.get('subset.json') === src, `${n}: the export differs from the input`);
  }
});

test('moving a span edge replaces one number, and the answerable answers that spell the span follow', () => {
  const entries = cut('hi_vtg_charades.json', 3);
  const src = text(entries);
  const e = entries[1];
  const edits = sampleEdits(src, { entry: 1 }, { field: 'span', value: [e.timestamp[0], 12.3] }, { video: e.video });
  const after = applyEdits(src, edits);
  assertOnlyEdited(src, edits, after);
  const v = JSON.parse(after);
  assert.deepEqual(v[1].timestamp, [e.timestamp[0], 12.3]);
  const answerable = v[1].GRPO.filter((g: any) => g.r === true);
  for (const g of answerable) assert.match(g.a, new RegExp(`${e.timestamp[0]} to 12\\.3`));
  assert.deepEqual(v[0], entries[0]);
  assert.deepEqual(v[2], entries[2]);
  // The number edit itself is just the number.
  assert.equal(edits[0].newText, '12.3');
});

test('query fields: text, answerable, difficulty, categories (a list over lines stays over lines), answer', () => {
  const entries = cut('hi_vtg_charades.json', 2);
  const src = text(entries);
  const refusable = entries[0].GRPO.findIndex((g: any) => g.r === false);
  const place = { entry: 0, query: refusable };
  const expect = { video: entries[0].video, query: entries[0].GRPO[refusable].q };
  let cur = src;
  for (const change of [
    { field: 'q', value: 'person "quoted" query' },
    { field: 'r', value: true },
    { field: 'difficulty', value: 'original' },
    { field: 'c', value: ['Object/ObjectExistence', 'Scene/SceneExistence'] },
    { field: 'a', value: '<answer>1 to 2</answer>' },
  ] as SampleChange[]) {
    const edits = sampleEdits(cur, place, change);
    const next = applyEdits(cur, edits);
    assertOnlyEdited(cur, edits, next);
    cur = next;
  }
  const g = JSON.parse(cur)[0].GRPO[refusable];
  assert.equal(g.q, 'person "quoted" query');
  assert.equal(g.r, true);
  assert.equal(g.difficulty, 'original');
  assert.deepEqual(g.c, ['Object/ObjectExistence', 'Scene/SceneExistence']);
  assert.match(cur, /"c": \[\n {10}"Object\/ObjectExistence",\n {10}"Scene\/SceneExistence"\n {8}\]/);
  // Identity is checked: the old query text no longer matches.
  assert.throws(() => sampleEdits(cur, place, { field: 'r', value: false }, expect), /changed: reindex/);
  // Setting what is already there is no edit.
  assert.deepEqual(sampleEdits(cur, place, { field: 'r', value: true }), []);
});

test('a missing key is inserted after the last property in its neighbours style; other keys untouched', () => {
  const src =
    '[\n  {\n    "video": "a.mp4",\n    "zz_unknown": {"keep": true},\n    "GRPO": []\n  },\n  {"video": "b.mp4", "GRPO": []}\n]\n';
  const a = applyEdits(src, sampleEdits(src, { entry: 0 }, { field: 'duration', value: 30.5 }));
  assert.equal(a, src.replace('"GRPO": []\n  },', '"GRPO": [],\n    "duration": 30.5\n  },'));
  const b = applyEdits(src, sampleEdits(src, { entry: 1 }, { field: 'duration', value: 7 }));
  assert.equal(b, src.replace('{"video": "b.mp4", "GRPO": []}', '{"video": "b.mp4", "GRPO": [], "duration": 7}'));
  const c = applyEdits(src, sampleEdits(src, { entry: 1 }, { field: 'span', value: [1, 2] }));
  assert.deepEqual(JSON.parse(c)[1].timestamp, [1, 2]);
  assert.throws(() => sampleEdits(src, { entry: 0 }, { field: 'span', value: [3, 2] }), /0 ≤ start < end/);
  assert.throws(
    () => sampleEdits(src, { entry: 0 }, { field: 'duration', value: 1 }, { video: 'b.mp4' }),
    /no longer b\.mp4/,
  );
});

test('fixesOfKind: every fix of one kind in a file at once, each its own change', () => {
  const entries = cut('hi_vtg_charades.json', 6);
  for (const e of entries) e.GRPO[0].a = e.GRPO[0].a.replace(/<\/?answer>/g, '');
  const src = text(entries);
  const problems = indexText('a.json', src).problems;
  const fixes = fixesOfKind(src, problems, 'answer-missing-tags');
  assert.equal(fixes.length, 6);
  const after = applyEdits(
    src,
    fixes.flatMap((f) => f.edits),
  );
  assert.equal(indexText('a.json', after).problems.filter((p) => p.code === 'answer-missing-tags').length, 0);
  assert.deepEqual(fixesOfKind(src, problems, 'empty-answer'), []);
});

test('a hint of where the entry starts is used when it holds the expected sample, and ignored when not', () => {
  const entries = cut('hi_vtg_charades.json', 4);
  const src = text(entries);
  const e = entries[2];
  const expect = { video: e.video };
  const change: SampleChange = { field: 'span', value: [e.timestamp[0], 20.5] };
  const plain = sampleEdits(src, { entry: 2 }, change, expect);
  const right = entryOffset(src, 2);
  assert.deepEqual(sampleEdits(src, { entry: 2 }, change, expect, right), plain);
  // A stale hint (the start of another entry, or not an object at all) falls back to the scan.
  assert.deepEqual(sampleEdits(src, { entry: 2 }, change, expect, entryOffset(src, 1)), plain);
  assert.deepEqual(sampleEdits(src, { entry: 2 }, change, expect, 5), plain);
});

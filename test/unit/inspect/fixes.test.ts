import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { indexText } from '../../../src/core/dataset/indexer';
import { applyEdits, fixFor, hasFix } from '../../../src/core/fixes';
import type { Problem } from '../../../src/core/problems';

const read = (name: string) => readFileSync(`samples/data/${name}`, 'utf8');

function fixOne(file: string, text: string, pick: (p: Problem) => boolean) {
  const before = indexText(file, text);
  const p = before.problems.find(pick);
  assert.ok(p, 'the real file has such a problem');
  assert.ok(hasFix(p));
  const fix = fixFor(text, p);
  assert.ok(fix, 'a fix is offered');
  const after = applyEdits(text, fix.edits);
  return { p, fix, before, after, reindexed: indexText(file, after) };
}

test('clamp-end replaces only the end number and removes that problem', () => {
  const text = read('hi_vtg_charades.json');
  const { p, fix, before, after, reindexed } = fixOne(
    'c.json',
    text,
    (x) =>
      x.code === 'timestamp-out-of-range' &&
      x.data?.fix === 'clamp-end' &&
      (x.data.start as number) < (x.data.duration as number),
  );
  const e = fix.edits.find((x) => x.newText === String(p.data!.duration))!;
  // The entry's answerable answers that spelled the old span are clamped with it.
  const entry = (JSON.parse(after) as { timestamp: number[]; GRPO: { a: string; r: boolean }[] }[])[
    p.path![0] as number
  ];
  assert.equal(entry.timestamp[1], p.data!.duration);
  for (const q of entry.GRPO.filter((g) => g.r)) assert.ok(!q.a.includes(` to ${p.data!.end}<`), q.a);
  assert.equal(e.newText, String(p.data!.duration));
  assert.ok(Number(text.slice(e.offset, e.offset + e.length)) > Number(p.data!.duration));
  // Everything before the first edit is untouched.
  assert.equal(after.slice(0, e.offset), text.slice(0, e.offset));
  const same = (x: Problem) =>
    x.code === p.code && JSON.stringify(x.path) === JSON.stringify(p.path) && x.data?.fix === 'clamp-end';
  assert.equal(reindexed.problems.filter(same).length, 0);
  assert.equal(reindexed.problems.length, before.problems.length - before.problems.filter(same).length);
  // Once fixed, no fix is offered any more.
  assert.equal(fixFor(after, p), null);
});

test('no clamp is offered when the span starts after the end of the video', () => {
  const text = read('hi_vtg_charades.json');
  const p = indexText('c.json', text).problems.find(
    (x) => x.data?.fix === 'clamp-end' && (x.data.start as number) >= (x.data.duration as number),
  );
  assert.ok(p, 'the real file has such a span');
  assert.equal(fixFor(text, p), null);
});

test('wrap-answer puts the GT answer in <answer> tags and the warning goes away', () => {
  const text = read('human_anno.json');
  const { p, fix, after, reindexed } = fixOne('h.json', text, (x) => x.code === 'answer-missing-tags');
  const value = JSON.parse(after) as { GRPO: { a: string }[] }[];
  const a = value[p.path![0] as number].GRPO[p.path![2] as number].a;
  assert.match(a, /^<answer>[\s\S]*<\/answer>$/);
  assert.match(fix.title, /answer/i);
  assert.equal(reindexed.problems.filter((x) => x.code === 'answer-missing-tags').length, 0);
});

test('an empty answerable answer is filled from the entry timestamp', () => {
  const text = read('human_anno.json');
  const { p, after, reindexed } = fixOne('h.json', text, (x) => x.code === 'empty-answer');
  const value = JSON.parse(after) as { timestamp: number[]; GRPO: { a: string; r: boolean }[] }[];
  const entry = value[p.path![0] as number];
  assert.equal(entry.GRPO[p.path![2] as number].r, true);
  assert.equal(entry.GRPO[p.path![2] as number].a, `<answer>${entry.timestamp[0]} to ${entry.timestamp[1]}</answer>`);
  assert.ok(
    !reindexed.problems.some((x) => x.code === 'empty-answer' && JSON.stringify(x.path) === JSON.stringify(p.path)),
  );
});

test('no fix for a refusable empty answer or a problem without a fix', () => {
  const text = JSON.stringify(
    [{ video: 'v.mp4', timestamp: [1, 2], duration: 5, GRPO: [{ q: 'x', a: '', r: false }] }],
    null,
    2,
  );
  const r = indexText('t.json', text);
  const empty = r.problems.find((x) => x.code === 'empty-answer');
  assert.ok(empty);
  assert.equal(fixFor(text, empty), null);
  assert.equal(hasFix({ code: 'duplicate-query', path: [0] }), false);
});

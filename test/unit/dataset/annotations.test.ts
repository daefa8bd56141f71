import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexText } from '../../../src/core/dataset/indexer';
import type { Problem } from '../../../src/core/problems';
import { cut, text } from '../../support/fixtures';

const FILE = 'anno.json';

function problems(value: unknown): Problem[] {
  return indexText(FILE, typeof value === 'string' ? value : text(value)).problems;
}

function only(value: unknown, code: string): Problem[] {
  return problems(value).filter((p) => p.code === code);
}

/** The 1-based line and column of the first occurrence of `needle` in `t`. */
function where(t: string, needle: string, nth = 0): { line: number; column: number } {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = t.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in text`);
  const before = t.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

test('clean cut of the Charades file has no problems beyond what is there', () => {
  const v = cut('hi_vtg_charades.json', 3);
  assert.deepEqual(problems(v), []);
  const r = indexText(FILE, text(v));
  assert.equal(r.kind, 'annotations');
  assert.equal(r.stats.queries, 6);
  assert.equal(r.stats.answerable, 3);
  assert.equal(r.stats.refusable, 3);
});

test('invalid-json: a truncated file is one problem at the end, not a crash', () => {
  const t = text(cut('hi_vtg_charades.json', 2));
  const truncated = t.slice(0, Math.floor(t.length / 2));
  const r = indexText(FILE, truncated);
  assert.equal(r.kind, 'invalid');
  assert.equal(r.problems.length, 1);
  const p = r.problems[0];
  assert.equal(p.code, 'invalid-json');
  assert.equal(p.severity, 'error');
  const lines = truncated.split('\n');
  assert.equal(p.line, lines.length);
  assert.equal(p.column, lines[lines.length - 1].length + 1);
});

test('invalid-json: a non-JSON file points at the bad character', () => {
  const p = problems('[\n  {"video": "a.mp4", GRPO: []}\n]');
  assert.equal(p.length, 1);
  assert.equal(p[0].code, 'invalid-json');
  assert.deepEqual([p[0].line, p[0].column], [2, 22]);
});

test('wrong-type: top level, entry, GRPO, r, c and timestamp of the wrong type', () => {
  assert.equal(only({ video: 'x' }, 'wrong-type').length, 0, 'an object is not an annotation file (kind other)');
  const v = cut('hi_vtg_charades.json', 2);
  v[0].GRPO[0].r = 'yes';
  v[0].GRPO[1].c = 'Object/ObjectExistence';
  v[1].timestamp = [1, 'two'];
  v[1].GRPO = {};
  const t = text(v);
  const p = only(v, 'wrong-type');
  assert.equal(p.length, 4);
  assert.deepEqual(
    p.map((x) => x.path),
    [
      [0, 'GRPO', 0, 'r'],
      [0, 'GRPO', 1, 'c'],
      [1, 'timestamp'],
      [1, 'GRPO'],
    ],
  );
  assert.deepEqual({ line: p[0].line, column: p[0].column }, where(t, '"yes"'));
});

test('missing-field: video, GRPO, q, a, r; placed at the enclosing object', () => {
  const v = cut('hi_vtg_charades.json', 2);
  delete v[0].GRPO[1].a;
  delete v[1].video;
  const t = text(v);
  const p = only(v, 'missing-field');
  assert.equal(p.length, 2);
  assert.match(p[0].message, /missing "a"/);
  assert.deepEqual(p[0].path, [0, 'GRPO', 1]);
  assert.deepEqual({ line: p[0].line, column: p[0].column }, where(t, '{\n        "q": "person walks past', 0));
  assert.match(p[1].message, /missing "video"/);
});

test('timestamp-out-of-range: negative start, start after end, end past duration', () => {
  const v = cut('hi_vtg_charades.json', 3);
  v[0].timestamp = [-1, 5];
  v[1].timestamp = [9, 4];
  v[2].timestamp = [1, v[2].duration + 5];
  const p = only(v, 'timestamp-out-of-range');
  assert.equal(p.length, 3);
  assert.match(p[0].message, /negative/);
  assert.equal(p[0].severity, 'error');
  assert.match(p[1].message, /not before end/);
  assert.match(p[2].message, /past the video's duration/);
  assert.equal(p[2].severity, 'warning');
  assert.equal(p[2].data?.fix, 'clamp-end');
  assert.equal(p[2].data?.duration, v[2].duration);
});

test('timestamp-out-of-range: the real file has ends past the duration', () => {
  const v = cut('hi_vtg_charades.json', 1, 19);
  const p = only(v, 'timestamp-out-of-range');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /end 41 is past the video's duration 28.92/);
});

test('answer-missing-tags: no tags, and an unclosed tag as in human_anno entry 31', () => {
  const human = cut('human_anno.json', 1, 31);
  const p = only(human, 'answer-missing-tags');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /never closed/);
  const v = cut('hi_vtg_charades.json', 1);
  v[0].GRPO[1].a = 'no tags at all';
  const q = only(v, 'answer-missing-tags');
  assert.equal(q.length, 1);
  assert.match(q[0].message, /no <answer>…<\/answer> tags/);
  assert.deepEqual({ line: q[0].line, column: q[0].column }, where(text(v), '"no tags at all"'));
});

test('empty-answer: the human set has 20 answerable queries with an empty answer', () => {
  const human = cut('human_anno.json', 100);
  const p = only(human, 'empty-answer');
  assert.equal(p.length, 20);
  assert.ok(p.every((x) => x.severity === 'error'));
  const v = cut('hi_vtg_charades.json', 1);
  v[0].GRPO[1].a = '<answer>  </answer>';
  assert.equal(only(v, 'empty-answer').length, 1);
});

test('unknown-category: labels outside the 11-label taxonomy', () => {
  const v = cut('hi_vtg_charades.json', 1);
  v[0].GRPO[1].c = ['Object/ObjectExistence', 'Negation/Negation', 'object/objectexistence'];
  const p = only(v, 'unknown-category');
  assert.equal(p.length, 2);
  assert.deepEqual(
    p.map((x) => x.path),
    [
      [0, 'GRPO', 1, 'c', 1],
      [0, 'GRPO', 1, 'c', 2],
    ],
  );
  assert.deepEqual({ line: p[0].line, column: p[0].column }, where(text(v), '"Negation/Negation"'));
});

test('missing-duration: null duration without clip bounds; clip bounds supply it', () => {
  const v = cut('hi_vtg_charades.json', 2);
  v[0].duration = null;
  v[1].duration = null;
  v[1].video_start = 10;
  v[1].video_end = 40;
  const p = only(v, 'missing-duration');
  assert.equal(p.length, 1);
  assert.deepEqual(p[0].path, [0, 'duration']);
  assert.equal(p[0].severity, 'info');
});

test('duplicate-query: the same (video, query) twice, also across entries of one video', () => {
  const real = cut('hi_vtg_charades.json', 1097);
  const p = only(real, 'duplicate-query');
  assert.equal(p.length, 1);
  assert.match(p[0].message, /person texting on a tablet/);
  const v = cut('hi_vtg_charades.json', 1);
  v.push(structuredClone(v[0]));
  assert.equal(only(v, 'duplicate-query').length, 2);
});

test('no-queries: an entry with an empty GRPO list', () => {
  const v = cut('hi_vtg_charades.json', 2);
  v[1].GRPO = [];
  const p = only(v, 'no-queries');
  assert.equal(p.length, 1);
  assert.deepEqual(p[0].path, [1, 'GRPO']);
});

test('quirks that are fine: extra keys, refusable-only videos, one query, the human file layout', () => {
  const v = cut('hi_vtg_charades.json', 2);
  v[0].extra = { anything: [1, 2] };
  v[1].timestamp = [];
  v[1].GRPO = v[1].GRPO.filter((g: { r: boolean }) => !g.r);
  assert.deepEqual(problems(v), []);
  const human = cut('human_anno.json', 3);
  assert.deepEqual(problems(human), []);
});

test('unknown-difficulty and difficulty-mismatch', () => {
  const v = cut('hi_vtg_charades.json', 1);
  v[0].GRPO[1].difficulty = 'extreme';
  assert.equal(only(v, 'unknown-difficulty').length, 1);
  v[0].GRPO[1].difficulty = 'original';
  assert.equal(only(v, 'difficulty-mismatch').length, 1);
});

test('problems keep an end position for editors', () => {
  const v = cut('hi_vtg_charades.json', 1);
  v[0].GRPO[1].c = ['Bogus/Label'];
  const [p] = only(v, 'unknown-category');
  assert.equal(p.endLine, p.line);
  assert.equal(p.endColumn! - p.column, '"Bogus/Label"'.length);
});

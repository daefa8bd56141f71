import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, LineIndex, locatePaths, parseJson } from '../../../src/core/json/positions';

test('LineIndex maps offsets to 1-based line and column and back', () => {
  const t = 'ab\ncd\n\nef';
  const li = new LineIndex(t);
  assert.deepEqual(li.position(0), { line: 1, column: 1 });
  assert.deepEqual(li.position(4), { line: 2, column: 2 });
  assert.deepEqual(li.position(7), { line: 4, column: 1 });
  assert.equal(li.offset({ line: 2, column: 2 }), 4);
});

test('parseJson reports a truncated file at its end', () => {
  const t = '[\n  {"video": "a.mp4",\n   "GRPO": [';
  const r = parseJson(t);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.offset, t.length);
    assert.match(r.message, /truncated/);
  }
});

test('parseJson reports the first syntax error where it is', () => {
  const t = '[1,\n 2,,\n 3]';
  const r = parseJson(t);
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual(new LineIndex(t).position(r.offset), { line: 2, column: 4 });
  const c = parseJson('{"a": 1 // no comments\n}');
  assert.equal(c.ok, false);
  const tc = parseJson('[1, 2,]');
  assert.equal(tc.ok, false);
  assert.equal(parseJson('').ok, false);
});

test('parseJson tolerates a byte-order mark', () => {
  const r = parseJson('\ufeff[1]');
  assert.deepEqual(r, { ok: true, value: [1] });
});

test('locatePaths finds values and property names by path in one pass', () => {
  const t = '[\n {"video": "v", "GRPO": [ {"q": "x", "a": ""} ] },\n {"video": "w"}\n]';
  const found = locatePaths(t, [[0, 'GRPO', 0, 'a'], [1, 'video'], [1], [2], [0, 'missing']]);
  const a = found.get(keyOf([0, 'GRPO', 0, 'a']))!;
  assert.equal(t.slice(a.offset, a.offset + a.length), '""');
  assert.equal(t.slice(a.keyOffset!, a.keyOffset! + 3), '"a"');
  const v = found.get(keyOf([1, 'video']))!;
  assert.equal(t.slice(v.offset, v.offset + v.length), '"w"');
  const e = found.get(keyOf([1]))!;
  assert.equal(t.slice(e.offset, e.offset + e.length), '{"video": "w"}');
  assert.equal(found.has(keyOf([2])), false);
  assert.equal(found.has(keyOf([0, 'missing'])), false);
});

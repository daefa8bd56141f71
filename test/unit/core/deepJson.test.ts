import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexText } from '../../../src/core/dataset/indexer';
import { parseJson } from '../../../src/core/json/positions';

test('deeply nested broken JSON is one invalid-json problem, not a stack overflow', () => {
  const truncated = '['.repeat(200_000);
  const r = parseJson(truncated);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.offset, truncated.length);
    assert.match(r.message, /truncated/);
  }
  const f = indexText('deep.json', truncated);
  assert.equal(f.kind, 'invalid');
  assert.deepEqual(
    f.problems.map((p) => [p.code, p.line, p.column]),
    [['invalid-json', 1, truncated.length + 1]],
  );
  const broken = '['.repeat(200_000) + '@' + ']'.repeat(200_000);
  const g = indexText('deep.json', broken);
  assert.equal(g.kind, 'invalid');
  assert.equal(g.problems.length, 1);
  assert.equal(g.problems[0].code, 'invalid-json');
});

test("a UTF-16 file (as PowerShell's > writes it) is one invalid-json problem that says to save it as UTF-8", () => {
  const json = '[{"video": "a.mp4", "GRPO": []}]\n';
  for (const bytes of [
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]),
    Buffer.from(json, 'utf16le'),
  ]) {
    const f = indexText('ps.json', bytes.toString('utf8'));
    assert.equal(f.kind, 'invalid');
    assert.equal(f.problems.length, 1);
    assert.match(f.problems[0].message, /UTF-16.*UTF-8/);
    assert.deepEqual([f.problems[0].line, f.problems[0].column], [1, 1]);
  }
});

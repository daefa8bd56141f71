import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexText } from '../../../src/core/dataset/indexer';
import { cut, text } from '../../support/fixtures';

test('a number too large for a double (1e400) is reported as such, not as "found a number"', () => {
  const t = text(cut('human_anno.json', 1)).replace(/"duration": [0-9.]+/, '"duration": 1e400');
  const p = indexText('anno.json', t).problems.filter((x) => x.code === 'wrong-type');
  assert.equal(p.length, 1, JSON.stringify(p));
  assert.match(p[0].message, /"duration" .*too large/);
  const before = t.slice(0, t.indexOf('1e400')).split('\n');
  assert.deepEqual([p[0].line, p[0].column], [before.length, before[before.length - 1].length + 1]);
  const ts = text(cut('human_anno.json', 1)).replace(
    /"timestamp": \[\s*([0-9.]+),\s*[0-9.]+\s*\]/,
    '"timestamp": [$1, 1e400]',
  );
  const q = indexText('anno.json', ts).problems.filter((x) => x.code === 'wrong-type');
  assert.equal(q.length, 1, JSON.stringify(q));
  assert.match(q[0].message, /"timestamp".*too large/);
  assert.doesNotMatch(q[0].message, /null/);
});

test('a BOM does not shift columns on the first line (editors do not count it)', () => {
  const body = '[{"video": "a.mp4", @}]\n';
  const plain = indexText('a.json', body).problems[0];
  const bom = indexText('a.json', '\ufeff' + body).problems[0];
  assert.equal(plain.code, 'invalid-json');
  assert.deepEqual([bom.line, bom.column], [plain.line, plain.column]);
  assert.equal(plain.column, body.indexOf('@') + 1);
});

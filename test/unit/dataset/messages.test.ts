import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexText } from '../../../src/core/dataset/indexer';
import { cut, text } from '../../support/fixtures';

test('a bare NaN or Infinity (Python json.dump default) is named, with how to write it', () => {
  for (const token of ['NaN', 'Infinity', '-Infinity']) {
    const body = `[\n  {"video": "a.mp4", "duration": ${token}, "GRPO": []}\n]`;
    const r = indexText('nan.json', body);
    assert.equal(r.kind, 'invalid');
    const p = r.problems[0];
    assert.equal(p.code, 'invalid-json');
    assert.deepEqual([p.line, p.column], [2, body.split('\n')[1].indexOf(token) + 1]);
    assert.match(p.message, new RegExp(`^not valid JSON: ${token} is not a JSON number`));
    assert.match(p.message, /json\.dump/);
    assert.match(p.message, /allow_nan=False/);
    assert.match(p.message, /null/);
  }
  // Other bad symbols keep the general words.
  assert.match(indexText('x.json', '[nope]').problems[0].message, /invalid symbol/);
});

test('a timestamp made of strings is said to be strings (with the fix), not "empty"', () => {
  const v = cut('hi_vtg_charades.json', 1);
  v[0].timestamp = ['3.5', '12'];
  const problems = indexText('s.json', text(v)).problems;
  assert.deepEqual(
    problems.filter((p) => p.code === 'missing-timestamp'),
    [],
  );
  const wrong = problems.filter((p) => p.code === 'wrong-type');
  assert.equal(wrong.length, 1);
  assert.match(wrong[0].message, /found strings \["3\.5","12"\], not numbers: write the seconds without quotes/);
  // An empty timestamp with answerable queries is still "empty".
  v[0].timestamp = [];
  assert.match(
    indexText('s.json', text(v)).problems.find((p) => p.code === 'missing-timestamp')?.message ?? '',
    /"timestamp" is empty/,
  );
});

test('answer-timestamp-mismatch compares at the precision the answer is written in (half its last digit)', () => {
  const v = cut('hi_vtg_charades.json', 1);
  const answerable = v[0].GRPO.find((g: any) => g.r === true);
  const mismatches = (timestamp: number[], answer: string) => {
    v[0].timestamp = timestamp;
    v[0].duration = 100;
    answerable.a = `<answer>${answer}</answer>`;
    return indexText('p.json', text(v)).problems.filter((p) => p.code === 'answer-timestamp-mismatch');
  };
  // Rounded to 0.1 s (TVGBench's pattern) and to whole seconds: agreement.
  assert.deepEqual(mismatches([49.97, 56.15], '50 to 56.1'), []);
  assert.deepEqual(mismatches([49.97, 56.15], '50.0 to 56.2'), []);
  assert.deepEqual(mismatches([12.4, 30.5], '12 to 31'), []);
  // Off by more than the written precision: a real mismatch, said with the tolerance.
  const off = mismatches([49.97, 56.15], '50 to 56.3');
  assert.equal(off.length, 1);
  assert.match(
    off[0].message,
    /says 50 to 56\.3 but the entry's timestamp is \[49\.97, 56\.15\] \(compared at the answer's precision, ±0\.5 and ±0\.05 s\)/,
  );
  assert.equal(mismatches([49.97, 56.15], '49.9 to 56.15').length, 1);
});

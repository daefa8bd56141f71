import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MalformedReplyError,
  extractObject,
  parseCategories,
  parseRelevance,
  parseScore,
} from '../../../src/core/judge/parse';

test('plain JSON, code fences, prose around it and Python dicts all read the same', () => {
  const want = { classification: 'relevant', span: [1.5, 7] };
  for (const reply of [
    '{"classification": "relevant", "span": [1.5, 7]}',
    '```json\n{\n  "classification": "relevant",\n  "span": [1.5, 7]\n}\n```',
    'Sure! Here is the answer: {"classification": "relevant", "span": [1.5, 7.0]} Let me know.',
    "{'classification': 'relevant', 'span': (1.5, 7)}",
    "The verdict {not json} is: {'classification': 'Relevant ', 'span': ['1.5', '7']}",
  ]) {
    assert.deepEqual(parseRelevance(reply).value, want, reply);
  }
  assert.deepEqual(parseRelevance("{'classification': 'irrelevant', 'span': None}").value, {
    classification: 'irrelevant',
    span: null,
  });
  assert.deepEqual(parseRelevance('{"classification": "relevant", "span": null}').value, {
    classification: 'relevant',
    span: null,
  });
  assert.deepEqual(parseRelevance('{"classification": "relevant", "span": "3.5 to 9"}').value, {
    classification: 'relevant',
    span: [3.5, 9],
  });
  assert.deepEqual(parseRelevance('{"classification": "relevant", "span": "[3.5, 9]"}').value, {
    classification: 'relevant',
    span: [3.5, 9],
  });
  // An irrelevant verdict never carries a span, whatever the server added.
  assert.deepEqual(parseRelevance('{"classification": "irrelevant", "span": [1, 2]}').value, {
    classification: 'irrelevant',
    span: null,
  });
});

test('Python literals: escapes, True/False/None, nested quotes', () => {
  assert.deepEqual(extractObject(`{'a': "it's", 'b': 'say \\'hi\\'', 'c': [True, False, None], 'd': -1.5e2}`), {
    a: "it's",
    b: "say 'hi'",
    c: [true, false, null],
    d: -150,
  });
  assert.equal(extractObject('no object here [1, 2]'), null);
  assert.equal(extractObject('{"unterminated": "x'), null);
});

test('malformed replies are errors, never a default value', () => {
  for (const reply of [
    '',
    'relevant',
    '{"classification": "maybe", "span": null}',
    '{"classification": "relevant", "span": "soon"}',
    '{"classification": "relevant", "span": "1 to 2 to 3"}',
    '{"classification": "relevant", "span": ["a", 2]}',
  ]) {
    assert.throws(() => parseRelevance(reply), MalformedReplyError, reply);
  }
  assert.throws(() => parseCategories('{"categories": "Object/ObjectExistence"}'), MalformedReplyError);
  assert.throws(() => parseScore('{"score": "high"}'), MalformedReplyError);
  assert.throws(() => parseScore('{"grade": 3}'), MalformedReplyError);
});

test('categories: taxonomy labels kept (case and separators forgiven), others dropped and reported', () => {
  const p = parseCategories(
    '{"categories": ["Object/ObjectExistence", "scene/scene existence", "ObjectExistence", "Lighting/Brightness", 7]}',
  );
  assert.deepEqual(p.value, ['Object/ObjectExistence', 'Scene/SceneExistence']);
  assert.deepEqual(p.dropped, ['Lighting/Brightness', '7']);
  assert.equal(parseCategories('{"categories": []}').dropped, undefined);
});

test('scores are clipped to 0–5 and flagged', () => {
  assert.deepEqual(parseScore('{"score": 3.5}'), { value: 3.5 });
  assert.deepEqual(parseScore('{"score": 7}'), { value: 5, clippedFrom: 7 });
  assert.deepEqual(parseScore("{'score': -1}"), { value: 0, clippedFrom: -1 });
  assert.deepEqual(parseScore('{"score": "4"}'), { value: 4 });
});

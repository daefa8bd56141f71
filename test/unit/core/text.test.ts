import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answerText,
  firstTimestamp,
  gtText,
  isWellFormatted,
  lastAnswer,
  lastCorrection,
  parseOutput,
  reasoningText,
  rewardTimestamp,
} from '../../../src/core/text';

test('answerText drops think blocks and takes the first answer block', () => {
  const out =
    '<think>\n<timestep>1 to 2</timestep> a\n</think>\n<answer>10.64 to 18.12</answer> <correction>NIL</correction>';
  assert.equal(answerText(out), '10.64 to 18.12');
  assert.equal(answerText('<THINK x="1">5 to 6</ think ><Answer >no</answer>'), 'no');
});

test('answerText falls back to the whole remaining text when there is no answer block', () => {
  assert.equal(answerText('<think>a 1 to 2</think>  the query is unrelated  '), 'the query is unrelated');
  assert.equal(answerText(''), '');
  assert.equal(answerText(null), '');
});

test('answerText removes newline-NIL-newline inside the answer', () => {
  assert.equal(answerText('<answer>a\nNIL\nb</answer>'), 'ab');
});

test('reasoningText removes the correction block and every tag but keeps content', () => {
  const out =
    '<think>seen: a cup</think> <answer>The video shows a cup, not a bottle.</answer> <correction>person holds a cup.</correction>';
  assert.equal(reasoningText(out), 'seen: a cup The video shows a cup, not a bottle.');
});

test('gtText removes only think and answer tags', () => {
  assert.equal(gtText('<answer>No bottle.</answer><correct>x</correct>'), 'No bottle.<correct>x</correct>');
});

test('firstTimestamp needs whitespace around a lower-case "to"', () => {
  assert.deepEqual(firstTimestamp('from 3.5 to 7 and 8 to 9'), [3.5, 7]);
  assert.equal(firstTimestamp('3.5-7'), null);
  assert.equal(firstTimestamp('3.5to7'), null);
  assert.equal(firstTimestamp('3.5 TO 7'), null);
  assert.deepEqual(firstTimestamp('12. to 13'), [12, 13]);
});

test('rewardTimestamp is case-insensitive and lastAnswer takes the last literal block', () => {
  assert.deepEqual(rewardTimestamp('3 TO 4'), [3, 4]);
  assert.equal(lastAnswer('<answer> a </answer><answer> b </answer>'), 'b');
  assert.equal(lastAnswer('<ANSWER>a</ANSWER>'), null);
  assert.equal(lastCorrection('<correction> NIL </correction>'), 'NIL');
  assert.equal(lastCorrection('no tags'), null);
});

test('isWellFormatted wants think, answer, correction in order with only whitespace between', () => {
  assert.equal(isWellFormatted(' <think>a</think>\n<answer>b</answer> <correction>c</correction>\n'), true);
  assert.equal(isWellFormatted('<think>a</think> x <answer>b</answer><correction>c</correction>'), false);
  assert.equal(isWellFormatted('<answer>b</answer><think>a</think><correction>c</correction>'), false);
  assert.equal(isWellFormatted('<think>a</think><answer>b</answer>'), false);
});

test('parseOutput splits think timesteps, answer, correction, category tags and truncation', () => {
  const p = parseOutput(
    '<think>\n<timestep>3.1 to 11.8</timestep> a person sits.\n<timestep>9.3 to 14.4</timestep> runs\n</think>\n' +
      '<answer>No.</answer><object_objectexistence>x</object_objectexistence> <correction>NIL</correction>',
  );
  assert.deepEqual(p.timesteps, [
    { start: 3.1, end: 11.8, caption: 'a person sits.' },
    { start: 9.3, end: 14.4, caption: 'runs' },
  ]);
  assert.equal(p.answer, 'No.');
  assert.equal(p.correction, 'NIL');
  assert.deepEqual(p.categoryTags, ['Object/ObjectExistence']);
  assert.equal(p.truncated, false);
  assert.equal(p.wellFormatted, false);
  const cut = parseOutput('<think>\n<timestep>1 to 2</timestep> a\n</think>\n<answer>This query does not al');
  assert.equal(cut.truncated, true);
  assert.equal(cut.answer, null);
});
